// Plans for nodes, pure: cordon and uncordon (the strategic merge patch `kubectl cordon` sends) and
// drain (cordon, then one policy/v1 Eviction per pod that may go). Drain leaves DaemonSet pods (their
// controller ignores unschedulable and would recreate them at once), mirror pods (the kubelet owns
// them; the API cannot remove them) and pods already terminating, as `kubectl drain --ignore-daemonsets` does.
import type { AccessCheck, PlannedRequest } from '../../../shared/contract/actions.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import type { ActionDraft } from '../actions/index.js';

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;
export const podsOnNodePath = (name: string) => `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${name}`)}`;
export const evictionPath = (namespace: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`;

export const nodeAccess = (name: string): AccessCheck => ({ verb: 'patch', group: '', resource: 'nodes', name });
/** Drain needs the pods of the node (all namespaces) and evictions wherever they run. */
export const drainAccess = (name: string): AccessCheck[] => [
  nodeAccess(name),
  { verb: 'list', group: '', resource: 'pods' },
  { verb: 'create', group: '', resource: 'pods', subresource: 'eviction' },
];

export function cordonRequest(name: string, cordon: boolean): PlannedRequest {
  // null removes the field, as kubectl's two-way merge patch does for uncordon.
  return { method: 'PATCH', path: nodePath(name), contentType: STRATEGIC_MERGE_PATCH, body: { spec: { unschedulable: cordon ? true : null } } };
}

export function evictionRequest(namespace: string, name: string): PlannedRequest {
  return { method: 'POST', path: evictionPath(namespace, name), body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } };
}

const unschedulable = (node: KubeObject) => (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;

export function planCordon(node: KubeObject, cordon: boolean): ActionDraft {
  const name = node.metadata.name;
  const warnings: string[] = [];
  if (cordon && unschedulable(node)) warnings.push(`Node ${name} is already cordoned: this changes nothing.`);
  if (!cordon && !unschedulable(node)) warnings.push(`Node ${name} is already schedulable: this changes nothing.`);
  return {
    summary: cordon
      ? `Cordon node ${name}: no new pods are scheduled on it; pods already there keep running.`
      : `Uncordon node ${name}: the scheduler may place new pods on it again.`,
    diff: `--- ${name} (live)\n+++ ${name} (after)\n@@ spec @@\n-unschedulable: ${unschedulable(node)}\n+unschedulable: ${cordon}\n`,
    requests: [{ method: 'GET', path: nodePath(name) }, cordonRequest(name, cordon)],
    access: [{ ...nodeAccess(name), verb: 'get' }, nodeAccess(name)],
    warnings,
  };
}

export type SkipReason = 'DaemonSet-managed' | 'mirror pod' | 'already terminating';

interface PodLike {
  metadata: KubeObject['metadata'] & { deletionTimestamp?: string; ownerReferences?: Array<{ kind: string; controller?: boolean }> };
  spec?: { volumes?: Array<{ emptyDir?: unknown }> };
}

/** Why drain leaves this pod on the node, or undefined when it is to be evicted. */
export function skipReason(pod: KubeObject): SkipReason | undefined {
  const p = pod as unknown as PodLike;
  if (p.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return 'mirror pod';
  if ((p.metadata.ownerReferences ?? []).some((o) => o.controller && o.kind === 'DaemonSet')) return 'DaemonSet-managed';
  if (p.metadata.deletionTimestamp) return 'already terminating';
  return undefined;
}

const podName = (pod: KubeObject) => `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;

export interface DrainInput {
  node: KubeObject;
  pods: KubeObject[];
  /** Dry-run eviction refusals found while planning: `namespace/name` -> the server's reason. */
  refusals?: Map<string, string>;
}

export function planDrain({ node, pods, refusals = new Map() }: DrainInput): ActionDraft {
  const name = node.metadata.name;
  const evict = pods.filter((p) => !skipReason(p));
  const skipped = pods.filter((p) => skipReason(p));
  const warnings: string[] = [];
  for (const p of evict) {
    const why = refusals.get(podName(p));
    if (why) warnings.push(`${podName(p)} cannot be evicted now (dry run): ${why}`);
  }
  const unmanaged = evict.filter((p) => !(p as unknown as PodLike).metadata.ownerReferences?.some((o) => o.controller));
  if (unmanaged.length) warnings.push(`Not managed by a controller, so not recreated elsewhere: ${unmanaged.map(podName).join(', ')}.`);
  const local = evict.filter((p) => (p as unknown as PodLike).spec?.volumes?.some((v) => v.emptyDir !== undefined));
  if (local.length) warnings.push(`emptyDir data is lost with: ${local.map(podName).join(', ')}.`);
  if (skipped.length) warnings.push(`Left on the node: ${skipped.map((p) => `${podName(p)} (${skipReason(p)})`).join(', ')}.`);
  const requests: PlannedRequest[] = [{ method: 'GET', path: nodePath(name) }, { method: 'GET', path: podsOnNodePath(name) }];
  if (!unschedulable(node)) requests.push(cordonRequest(name, true));
  for (const p of evict) requests.push(evictionRequest(p.metadata.namespace ?? 'default', p.metadata.name));
  const namespaces = [...new Set(evict.map((p) => p.metadata.namespace ?? 'default'))].sort();
  return {
    summary: `Drain node ${name}: ${unschedulable(node) ? 'already cordoned' : 'cordon it'}, then evict ${evict.length} pod${evict.length === 1 ? '' : 's'} through the Eviction API (PodDisruptionBudgets are honoured: a pod whose budget allows no disruption stays and is reported).`,
    requests,
    access: [
      { ...nodeAccess(name), verb: 'get' },
      nodeAccess(name),
      { verb: 'list', group: '', resource: 'pods' },
      ...namespaces.map((namespace) => ({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace })),
    ],
    warnings,
  };
}
