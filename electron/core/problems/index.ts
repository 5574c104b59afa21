// Problems domain: `problems.list` (issue 17): what is wrong now, gathered from sources, worst first. A source is one
// function: firing alerts (by their P-level), failing workloads, offline contexts, stale data. A source that fails is itself a problem
// (the list never silently shrinks because a check broke).
import type { Domain } from '../domain.js';
import type { ClusterStatus } from '../../../shared/contract/clusters.js';
import type { Problem, ProblemSeverity } from '../../../shared/contract/problems.js';
import type { WorkloadSummary } from '../../../shared/contract/rollouts.js';
import type { z } from 'zod';
import type { alertGroupSchema } from '../../../shared/contract/alerts.js';

type AlertGroup = z.infer<typeof alertGroupSchema>;

export interface ProblemsRequest {
  /** The context on screen: its workloads are judged, and its connection problems rank higher. */
  context?: string;
}

export interface ProblemSource {
  name: string;
  problems(request: ProblemsRequest): Promise<Problem[]>;
}

const RANK: Record<ProblemSeverity, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.since ?? '').localeCompare(b.since ?? '') || a.id.localeCompare(b.id));
}

/** A source slower than this is reported as not answering, so one slow check cannot hold the badge. */
export const SOURCE_TIMEOUT_MS = 4_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface ProblemsOptions {
  now?: () => Date;
  timeoutMs?: number;
  /**
   * Whether a context is down (offline, error). A check that fails for a context that is down says
   * nothing new — the context problem already says it — so it is not reported twice.
   */
  contextDown?: (context: string) => boolean;
}

export function createProblemsService(sources: ProblemSource[], options: ProblemsOptions = {}) {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? SOURCE_TIMEOUT_MS;
  return {
    async list(request: ProblemsRequest): Promise<{ problems: Problem[]; at: string }> {
      const answers = await Promise.allSettled(sources.map((s) => withTimeout(s.problems(request), timeoutMs)));
      const down = request.context !== undefined && (options.contextDown?.(request.context) ?? false);
      const problems = answers.flatMap((answer, i): Problem[] =>
        answer.status === 'fulfilled'
          ? answer.value
          : down
            ? []
            : [
              {
                id: `check/${sources[i].name}`,
                severity: 'P3',
                source: 'staleness',
                what: `Could not check ${sources[i].name}: ${answer.reason instanceof Error ? answer.reason.message : String(answer.reason)}`,
                where: request.context ?? 'Flightdeck',
                context: request.context,
                link: { label: 'Open Topology', view: 'topology', context: request.context },
              },
            ],
      );
      return { problems: sortProblems(problems), at: now().toISOString() };
    },
  };
}

/** Contexts that are offline or in error (the data on screen is a snapshot), or degraded (it may lag). */
export function contextProblems(statuses: () => ClusterStatus[]): ProblemSource {
  return {
    name: 'contexts',
    async problems({ context }) {
      return statuses().flatMap((s): Problem[] => {
        const active = s.context === context;
        const link = { label: active ? 'Open Topology' : `Switch to ${s.context}`, view: 'topology', context: s.context };
        if (s.state === 'offline' || s.state === 'error') {
          const stale = s.staleSince ? `; data shown is as of ${s.staleSince}` : '';
          return [{ id: `context/${s.context}`, severity: active ? 'P2' : 'P3', source: 'context', what: `${s.state}${s.reason ? `: ${s.reason}` : ''}${stale}`, where: s.context, context: s.context, since: s.since, link }];
        }
        if (s.state === 'degraded') {
          return [{ id: `stale/${s.context}`, severity: 'P3', source: 'staleness', what: `data may be stale${s.reason ? `: ${s.reason}` : ''}`, where: s.context, context: s.context, since: s.staleSince ?? s.since, link }];
        }
        return [];
      });
    },
  };
}

/** Failing workloads of the context on screen: failing canaries, analysis failures, aborts, Degraded, progress deadlines. */
export function workloadProblems(list: (context: string) => Promise<{ workloads: WorkloadSummary[] }>): ProblemSource {
  return {
    name: 'workloads',
    async problems({ context }) {
      if (!context) return [];
      const { workloads } = await list(context);
      return workloads
        .filter((w) => w.failure)
        .map((w) => ({
          id: `workload/${context}/${w.kind}/${w.namespace}/${w.name}`,
          severity: 'P2' as const,
          source: 'workload' as const,
          what: w.failure!.reason,
          where: `${context} · ${w.kind} ${w.namespace}/${w.name}`,
          context,
          since: w.failure!.since,
          link: { label: 'Open in Rollouts', view: 'rollouts', context, select: `${w.kind}/${w.namespace}/${w.name}` },
        }));
    },
  };
}

/** Alert groups with firing (not silenced, inhibited or pending) alerts, at their P-level. */
export function alertProblems(list: (context: string) => Promise<{ groups: AlertGroup[] }>): ProblemSource {
  return {
    name: 'alerts',
    async problems({ context }) {
      if (!context) return [];
      const { groups } = await list(context);
      return groups
        .filter((g) => g.active > 0)
        .map((g) => {
          const first = g.alerts.find((a) => a.state === 'active');
          const summary = first?.annotations.summary ?? first?.annotations.description;
          const scope = [g.namespace, g.service].filter(Boolean).join('/');
          return {
            id: `alert/${context}/${g.key}`,
            severity: g.priority,
            source: 'alert' as const,
            what: `${g.alertname} firing${g.active > 1 ? ` (${g.active})` : ''}${summary ? `: ${summary}` : ''}`,
            where: `${context}${scope ? ` · ${scope}` : ''}`,
            context,
            since: g.since,
            link: { label: 'Open in Alerts', view: 'alerts', context },
          };
        });
    },
  };
}

/**
 * The badge is polled every 5 s: an Alertmanager answer the Alerts view (or another window) fetched
 * within that time is as fresh as the badge needs, and it saves fetching 5,000 alerts again.
 */
const ALERTS_MAX_AGE_MS = 5_000;

/** The header's problem badge: firing alerts by P-level, failing workloads, offline contexts, stale data. */
export const domain: Domain = {
  name: 'problems',
  create({ clusters, call }) {
    const down = (context: string) => ['offline', 'error'].includes(clusters.monitor.statuses().find((s) => s.context === context)?.state ?? '');
    const problems = createProblemsService(
      [alertProblems((context) => call('alerts.list', { context, maxAgeMs: ALERTS_MAX_AGE_MS })), contextProblems(() => clusters.monitor.statuses()), workloadProblems((context) => call('rollouts.list', { context }))],
      { contextDown: down },
    );
    return { handlers: { 'problems.list': (request) => problems.list(request) } };
  },
};
