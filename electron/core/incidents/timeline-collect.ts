// What joins an open incident's timeline on its own: alerts firing and resolving (alerts.list),
// Kubernetes Warning events of the affected workloads (those its alert names, else its namespaces), every Flightdeck action in its window (the audit
// log) and runbook runs started in it (runbooks.runs). Each source is read separately; one that
// cannot be reached (offline) is named in `problems` and the others still count. Entries carry a
// stable key, so collecting again adds nothing twice.
import { CoreV1Api, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import type { AuditRecord } from '../../../shared/contract/actions.js';
import type { Incident, TimelineEntry } from '../../../shared/model/incident.js';
import type { DomainDeps } from '../domain.js';

export interface Collected {
  entries: TimelineEntry[];
  /** Alerts firing now (key -> text); undefined when alerts could not be read. */
  firing?: Record<string, string>;
  problems: string[];
}

const inWindow = (at: string, incident: Incident, now: string) => at >= incident.declaredAt && at <= (incident.resolvedAt ?? now);
const inScope = (namespace: string | undefined, incident: Incident) => !incident.namespaces.length || (namespace !== undefined && incident.namespaces.includes(namespace));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A source that does not answer in time is reported, not waited for: a hung cluster must not hold the timeline. */
export const SOURCE_TIMEOUT_MS = 8_000;
export function withTimeout<T>(work: Promise<T>, what: string, ms = SOURCE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Audit records of changes in the window (not the incident bookkeeping itself). */
export function actionEntries(records: readonly AuditRecord[], incident: Incident, now: string): TimelineEntry[] {
  return records
    .filter((r) => r.phase !== 'prepare' && r.context === incident.context && !r.method?.startsWith('incidents.') && inWindow(r.time, incident, now))
    .map((r) => {
      const target = r.target ? ` ${r.target.kind} ${r.target.namespace ? r.target.namespace + '/' : ''}${r.target.name}` : '';
      const what = r.action ?? r.method ?? 'call';
      return {
        key: `audit:${r.id}`,
        at: r.time,
        kind: r.method?.startsWith('runbooks.') ? ('runbook' as const) : ('action' as const),
        text: `${what}${target}: ${r.outcome}${r.error ? ` (${r.error})` : ''}`,
        who: r.user,
        source: `audit ${r.id}`,
      };
    });
}

/** Alert transitions: newly firing ones, and those fired before that are gone now. */
export function alertEntries(
  firingNow: Record<string, { at: string; text: string }>,
  firingBefore: Record<string, string>,
  now: string,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const [key, { at, text }] of Object.entries(firingNow)) {
    entries.push({ key: `alert-firing:${key}`, at, kind: 'alert-firing', text: `${text} firing`, source: 'Alertmanager' });
  }
  for (const [key, text] of Object.entries(firingBefore)) {
    if (!firingNow[key]) entries.push({ key: `alert-resolved:${key}:${now}`, at: now, kind: 'alert-resolved', text: `${text} resolved`, source: 'Alertmanager' });
  }
  return entries;
}

/** Labels that name the affected workload of the alert an incident was declared from. */
const WORKLOAD_LABELS = ['deployment', 'statefulset', 'daemonset', 'rollout', 'job', 'service', 'pod', 'exported_pod'];

/** The workloads the incident's alert names; empty = every object of its namespaces counts. */
export function affectedWorkloads(incident: Incident): string[] {
  const labels = incident.fromAlert?.labels ?? {};
  return [...new Set(WORKLOAD_LABELS.map((key) => labels[key]).filter((name): name is string => Boolean(name)))];
}

/** An object belongs to a workload when it is named for it (its ReplicaSets and pods are `<name>-…`). */
const ofWorkload = (name: string | undefined, workloads: readonly string[]) => !workloads.length || (name !== undefined && workloads.some((w) => name === w || name.startsWith(`${w}-`)));

export function warningEntries(events: readonly CoreV1Event[], incident: Incident, now: string): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const workloads = affectedWorkloads(incident);
  for (const event of events) {
    if (event.type !== 'Warning') continue;
    const atDate = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
    const at = atDate ? new Date(atDate).toISOString() : undefined;
    const object = event.involvedObject;
    if (!at || !inWindow(at, incident, now) || !inScope(object.namespace, incident) || !ofWorkload(object.name, workloads)) continue;
    entries.push({
      key: `event:${event.metadata.uid ?? event.metadata.name}:${event.count ?? 1}`,
      at,
      kind: 'k8s-warning',
      text: `${object.kind ?? ''} ${object.namespace ? object.namespace + '/' : ''}${object.name ?? ''}: ${event.reason ?? ''} ${event.message ?? ''}`.trim(),
      source: `Event ${event.metadata.namespace}/${event.metadata.name}`,
    });
  }
  return entries;
}

export async function collectTimeline(deps: DomainDeps, incident: Incident, firingBefore: Record<string, string>, now: string): Promise<Collected> {
  const problems: string[] = [];
  const entries: TimelineEntry[] = [];
  // The audit log is local: it answers offline too.
  entries.push(...actionEntries(deps.audit.list({ limit: 2_000, context: incident.context }).records, incident, now));
  let firing: Record<string, string> | undefined;
  try {
    const answer = await withTimeout(deps.call('alerts.list', { context: incident.context }), 'the alert source');
    if (answer.source.kind === 'none') throw new Error(answer.source.detail);
    const now_: Record<string, { at: string; text: string }> = {};
    for (const group of answer.groups) {
      for (const alert of group.alerts) {
        if (alert.state === 'pending' || !inScope(alert.labels.namespace, incident)) continue;
        const where = alert.labels.namespace ? ` in ${alert.labels.namespace}` : '';
        now_[`${alert.fingerprint}@${alert.startsAt}`] = { at: new Date(alert.startsAt).toISOString(), text: `${alert.priority} ${alert.name}${where}` };
      }
    }
    entries.push(...alertEntries(now_, firingBefore, now));
    firing = Object.fromEntries(Object.entries(now_).map(([key, value]) => [key, value.text]));
  } catch (error) {
    problems.push(`Alerts could not be read: ${message(error)}`);
  }
  try {
    const kc: KubeConfig = deps.clusters.configFor(incident.context);
    const api = kc.makeApiClient(CoreV1Api);
    const lists = await withTimeout(
      incident.namespaces.length
        ? Promise.all(incident.namespaces.map((namespace) => api.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' })))
        : api.listEventForAllNamespaces({ fieldSelector: 'type=Warning' }).then((list) => [list]),
      'the Kubernetes API',
    );
    entries.push(...warningEntries(lists.flatMap((list) => list.items), incident, now));
  } catch (error) {
    problems.push(`Kubernetes events could not be read: ${message(error)}`);
  }
  try {
    const { runs } = await deps.call('runbooks.runs', {});
    for (const run of runs) {
      if (run.context !== incident.context || !inWindow(run.startedAt, incident, now)) continue;
      entries.push({ key: `run:${run.runId}`, at: run.startedAt, kind: 'runbook', text: `Runbook “${run.title}” run started (${run.runId})`, who: run.who, source: `run ${run.runId}` });
    }
  } catch (error) {
    problems.push(`Runbook runs could not be read: ${message(error)}`);
  }
  return { entries, firing, problems };
}
