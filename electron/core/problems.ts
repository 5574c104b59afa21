// `problems.list` (issue 17): what is wrong now, gathered from sources, worst first. A source is one
// function; alerts become one more source when they exist. A source that fails is itself a problem
// (the list never silently shrinks because a check broke).
import type { ClusterStatus } from '../../shared/contract/clusters.js';
import type { Problem, ProblemSeverity } from '../../shared/contract/problems.js';
import type { WorkloadSummary } from '../../shared/contract/rollouts.js';

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

export function createProblemsService(sources: ProblemSource[], now: () => Date = () => new Date()) {
  return {
    async list(request: ProblemsRequest): Promise<{ problems: Problem[]; at: string }> {
      const answers = await Promise.allSettled(sources.map((s) => s.problems(request)));
      const problems = answers.flatMap((answer, i): Problem[] =>
        answer.status === 'fulfilled'
          ? answer.value
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
