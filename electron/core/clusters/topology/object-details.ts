// Everything about one object for the details panel, read from the watch caches: status lines,
// conditions, the owner chain up to the workload, recent events, containers, GPUs and the YAML.
// Secret material never leaves the main process: the YAML is built from the redacted object.
import { stringify } from 'yaml';
import type { Details, ElementKind } from '../../../../shared/contract/topology.js';
import type { KubeObject, ResourceCaches, WatchedKind } from '../../../../shared/model/kube.js';
import { WATCHED_KIND_INFO } from '../../kube/index.js';
import { elementId, gpuId, type TopologyProjection } from '../../../../shared/model/topology.js';
import { ContractError } from '../../../../shared/contract-kit.js';
import { redactObject } from '../../secrets/index.js';

export const KIND_OF_ELEMENT: Record<Exclude<ElementKind, 'gpu'>, WatchedKind> = {
  svc: 'services', deploy: 'deployments', sts: 'statefulsets', ds: 'daemonsets', job: 'jobs', ro: 'rollouts', rs: 'replicasets', pod: 'pods', node: 'nodes',
};
const WATCHED_BY_KIND: Record<string, WatchedKind> = Object.fromEntries(Object.entries(WATCHED_KIND_INFO).map(([watched, info]) => [info.kind, watched as WatchedKind]));

interface Condition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }
interface ContainerSpec { name: string; image?: string }
interface ContainerStatus { name: string; ready?: boolean; restartCount?: number; state?: Record<string, { reason?: string }> }
interface KubeEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  type?: string; reason?: string; message?: string; count?: number; lastTimestamp?: string; eventTime?: string;
}

export function objectDetails(caches: ResourceCaches, projection: TopologyProjection, kind: ElementKind, namespace: string | undefined, name: string): Details {
  // A GPU's details are its node's, narrowed to that GPU.
  const gpu = kind === 'gpu' ? /^(.*)\/gpu(\d+)$/.exec(name) ?? /^(.*)\/(\d+)$/.exec(name) : null;
  const watched = kind === 'gpu' ? 'nodes' : KIND_OF_ELEMENT[kind];
  const objectName = gpu ? gpu[1] : name;
  const object = caches.get(watched, namespace, objectName);
  if (!object) throw new ContractError('not_found', `${WATCHED_KIND_INFO[watched].kind} ${namespace ? `${namespace}/` : ''}${objectName} is not in the cache (deleted, or not synced yet).`);
  const element = projection.get(gpu ? gpuId(objectName, Number(gpu[2])) : elementId(kind, namespace, objectName));

  const status = (object.status ?? {}) as Record<string, unknown>;
  const lines: [string, string][] = [];
  for (const [k, v] of Object.entries(status)) {
    if (v === null || typeof v === 'object') continue;
    lines.push([k, String(v)]);
  }
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  if (typeof spec.nodeName === 'string') lines.push(['node', spec.nodeName]);
  if (typeof spec.replicas === 'number') lines.push(['desired replicas', String(spec.replicas)]);
  if (object.metadata.creationTimestamp) lines.push(['created', object.metadata.creationTimestamp]);

  const ownerChain: Details['ownerChain'] = [];
  let cursor: KubeObject | undefined = object;
  for (let depth = 0; cursor && depth < 5; depth++) {
    const ref: NonNullable<KubeObject['metadata']['ownerReferences']>[number] | undefined = cursor.metadata.ownerReferences?.find((o) => o.controller) ?? cursor.metadata.ownerReferences?.[0];
    if (!ref) break;
    ownerChain.push({ kind: ref.kind, namespace: cursor.metadata.namespace, name: ref.name });
    const ownerKind: WatchedKind | undefined = WATCHED_BY_KIND[ref.kind];
    cursor = ownerKind ? caches.get(ownerKind, cursor.metadata.namespace, ref.name) : undefined;
  }

  const kindName = WATCHED_KIND_INFO[watched].kind;
  const events = (caches.list('events') as KubeEvent[])
    .filter((e) => e.involvedObject?.kind === kindName && e.involvedObject?.name === objectName && (e.involvedObject?.namespace ?? undefined) === (WATCHED_KIND_INFO[watched].namespaced ? namespace : e.involvedObject?.namespace))
    .sort((a, b) => String(b.lastTimestamp ?? b.eventTime ?? '').localeCompare(String(a.lastTimestamp ?? a.eventTime ?? '')))
    .slice(0, 20)
    .map((e) => ({ type: e.type ?? 'Normal', reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1, last: e.lastTimestamp ?? e.eventTime ?? undefined }));

  const podSpec = (kind === 'pod' ? spec : (spec.template as { spec?: Record<string, unknown> } | undefined)?.spec) ?? {};
  const statuses = (status.containerStatuses ?? []) as ContainerStatus[];
  const containers = ((podSpec.containers ?? []) as ContainerSpec[]).map((c) => {
    const s = statuses.find((x) => x.name === c.name);
    return { name: c.name, image: c.image ?? '', ready: s?.ready, restarts: s?.restartCount, state: s?.state ? Object.entries(s.state).map(([k, v]) => (v?.reason ? `${k}: ${v.reason}` : k))[0] : undefined };
  });

  const gpus: Details['gpus'] = [];
  if (kind === 'pod' && element?.on) for (const index of element.gi ?? []) gpus.push({ node: element.on.slice('node//'.length), index, pod: element.id });
  if (kind === 'node' || gpu) {
    for (const el of projection.all()) {
      if (el.k !== 'gpu' || el.on !== elementId('node', undefined, objectName)) continue;
      const index = Number(el.id.split('/').pop());
      if (!gpu || index === Number(gpu[2])) gpus.push({ node: objectName, index, pod: el.by });
    }
    gpus.sort((a, b) => a.index - b.index);
  }

  return {
    kind: gpu ? 'GPU' : kindName,
    namespace: object.metadata.namespace,
    name: gpu ? name : objectName,
    health: element?.h ?? 'unknown',
    reason: element?.r,
    status: lines,
    conditions: ((status.conditions ?? []) as Condition[]).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, since: c.lastTransitionTime })),
    ownerChain,
    events,
    containers,
    gpus,
    labels: object.metadata.labels ?? {},
    yaml: stringify(redactObject(object)),
  };
}
