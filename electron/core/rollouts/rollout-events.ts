// Rollout annotations for the Metrics charts: when each revision of a service's workloads started
// (its ReplicaSet / ControllerRevision creation), when an Argo Rollout was promoted (Completed
// condition turning True) or aborted (status.abortedAt). A workload is behind a service when its pod
// template's app.kubernetes.io/name or app label, or else its own name, is the service's name: the
// same label the request metrics carry as `service`.
import type { RolloutEvent, WorkloadKind } from '../../../shared/contract/rollouts.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { revisionsOf } from './revisions.js';

export interface EventsQuery {
  services?: readonly string[];
  /** Unix seconds, inclusive. */
  start: number;
  end: number;
}

/** The service name a workload's pods report their requests under. */
export function serviceOfWorkload(workload: KubeObject): string {
  const labels = (workload.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels ?? {};
  return labels['app.kubernetes.io/name'] ?? labels.app ?? workload.metadata.name;
}

const seconds = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : Number.NaN);

function eventsOfWorkload(kind: WorkloadKind, workload: KubeObject, children: KubeObject[]): RolloutEvent[] {
  const base = { kind, namespace: workload.metadata.namespace ?? 'default', workload: workload.metadata.name, service: serviceOfWorkload(workload) };
  const events: RolloutEvent[] = revisionsOf(kind, workload, children).map((r) => ({
    ...base,
    type: 'started',
    at: seconds(r.object.metadata.creationTimestamp),
    revision: r.revision,
    label: `rev ${r.revision} started`,
    detail: `${kind} ${base.namespace}/${base.workload}: revision ${r.revision} (${r.object.metadata.name}) created`,
  }));
  if (kind === 'Rollout') {
    const status = (workload.status ?? {}) as { abortedAt?: string; conditions?: Array<{ type?: string; status?: string; lastTransitionTime?: string; message?: string }> };
    if (status.abortedAt) {
      events.push({ ...base, type: 'aborted', at: seconds(status.abortedAt), label: 'aborted', detail: `Rollout ${base.namespace}/${base.workload} aborted: traffic back to the stable revision` });
    }
    const completed = status.conditions?.find((c) => c.type === 'Completed' && c.status === 'True');
    if (completed?.lastTransitionTime) {
      events.push({ ...base, type: 'promoted', at: seconds(completed.lastTransitionTime), label: 'promoted', detail: `Rollout ${base.namespace}/${base.workload} promoted: the new revision is stable` });
    }
  }
  return events;
}

export interface WorkloadsAndChildren {
  Deployment: KubeObject[];
  StatefulSet: KubeObject[];
  Rollout: KubeObject[];
  replicaSets: KubeObject[];
  controllerRevisions: KubeObject[];
}

/** Every event inside [start, end] of the workloads behind the given services (all when none given), oldest first. */
export function rolloutEvents(objects: WorkloadsAndChildren, query: EventsQuery): RolloutEvent[] {
  const wanted = query.services ? new Set(query.services) : undefined;
  const all: RolloutEvent[] = [];
  for (const kind of ['Deployment', 'StatefulSet', 'Rollout'] as const) {
    const children = kind === 'StatefulSet' ? objects.controllerRevisions : objects.replicaSets;
    for (const workload of objects[kind]) {
      if (wanted && !wanted.has(serviceOfWorkload(workload))) continue;
      all.push(...eventsOfWorkload(kind, workload, children));
    }
  }
  return all
    .filter((e) => Number.isFinite(e.at) && e.at >= query.start && e.at <= query.end)
    .sort((a, b) => a.at - b.at || a.workload.localeCompare(b.workload));
}
