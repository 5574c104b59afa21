// ResourceQuota: the admission check (plugin/pkg/admission/resourcequota) that refuses a create
// which would take a namespace over a quota's hard limits, with the apiserver's 403 wording, and
// the usage computation the quota controller writes into status.used. Tracked: object counts
// (pods, services, configmaps, secrets, persistentvolumeclaims, count/<resource>), compute requests
// and limits of pods (cpu, memory, extended resources such as requests.nvidia.com/gpu) and
// requests.storage of claims. Pods that finished (Succeeded, Failed) do not count, as upstream.
import type { KubeObject, ObjectStore } from '../../store.js';
import { parseQuantity } from '../../sim/quantity.js';
import { ApiError, statusBody } from '../status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are untyped JSON
type Loose = any;

const COUNTED: Record<string, string> = { pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets', persistentvolumeclaims: 'persistentvolumeclaims', resourcequotas: 'resourcequotas' };

const finished = (pod: Loose) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Sum of a pod's container requests or limits per resource (init containers: the max, as upstream). */
function podCompute(pod: Loose, kind: 'requests' | 'limits'): Map<string, number> {
  const sum = new Map<string, number>();
  for (const c of (pod.spec?.containers ?? []) as Loose[]) {
    for (const [res, q] of Object.entries((c.resources?.[kind] ?? {}) as Record<string, string>)) sum.set(res, (sum.get(res) ?? 0) + (parseQuantity(q) || 0));
  }
  for (const c of (pod.spec?.initContainers ?? []) as Loose[]) {
    for (const [res, q] of Object.entries((c.resources?.[kind] ?? {}) as Record<string, string>)) sum.set(res, Math.max(sum.get(res) ?? 0, parseQuantity(q) || 0));
  }
  return sum;
}

/** What one object adds to each quota resource name. */
export function usageOf(resource: string, obj: Loose): Map<string, number> {
  const out = new Map<string, number>();
  const count = COUNTED[resource];
  if (count) out.set(count, 1);
  out.set(`count/${resource}`, 1);
  if (resource === 'pods') {
    for (const [res, n] of podCompute(obj, 'requests')) {
      out.set(`requests.${res}`, n);
      if (res === 'cpu' || res === 'memory' || res === 'ephemeral-storage') out.set(res, n);
    }
    for (const [res, n] of podCompute(obj, 'limits')) out.set(`limits.${res}`, n);
  }
  if (resource === 'persistentvolumeclaims') out.set('requests.storage', parseQuantity(obj.spec?.resources?.requests?.storage) || 0);
  return out;
}

/** Usage of every hard resource of `quota` in its namespace, as status.used quantities. */
export function quotaUsed(store: ObjectStore, quota: KubeObject): Record<string, string> {
  const hard: Record<string, string> = (quota as Loose).spec?.hard ?? {};
  const ns = quota.metadata.namespace;
  const totals = new Map<string, number>();
  for (const resource of trackedResources(hard)) {
    for (const obj of store.peek(resource)) {
      if (obj.metadata.namespace !== ns || (resource === 'pods' && finished(obj))) continue;
      for (const [k, n] of usageOf(resource, obj)) totals.set(k, (totals.get(k) ?? 0) + n);
    }
  }
  return Object.fromEntries(Object.keys(hard).map((k) => [k, formatQuantity(totals.get(k) ?? 0, hard[k])]));
}

/** Store keys whose objects a quota with these hard limits counts. */
function trackedResources(hard: Record<string, string>): string[] {
  const keys = new Set<string>();
  for (const name of Object.keys(hard)) {
    if (name.startsWith('count/')) keys.add(name.slice('count/'.length));
    else if (COUNTED[name]) keys.add(name);
    else if (name === 'requests.storage') keys.add('persistentvolumeclaims');
    else keys.add('pods');
  }
  return [...keys];
}

const BINARY: [string, number][] = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/** A quantity in canonical-ish form, binary units when the limit it is compared with uses them. */
export function formatQuantity(n: number, like: string): string {
  if (n === 0) return '0';
  if (/i$/.test(like)) {
    for (const [suffix, size] of BINARY) if (n >= size && Number.isInteger(n / size)) return `${n / size}${suffix}`;
  }
  if (Number.isInteger(n)) return String(n);
  return `${Math.round(n * 1000)}m`;
}

/**
 * Refuses creating `obj` (of store key `resource`) in its namespace when a quota would be
 * exceeded: 403 `pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2,
 * limited: pods=2`; or, when a quota limits compute a container does not declare,
 * `failed quota: q: must specify requests.cpu for: web`.
 */
export function admitQuota(store: ObjectStore, resource: string, qualified: string, obj: Loose): void {
  const ns = obj.metadata?.namespace;
  if (!ns || (resource === 'pods' && finished(obj))) return;
  const quotas = [...store.peek('resourcequotas')].filter((q) => q.metadata.namespace === ns).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const name = obj.metadata?.name ?? obj.metadata?.generateName ?? '';
  const forbidden = (message: string) => new ApiError(statusBody(403, 'Forbidden', `${qualified} "${name}" is forbidden: ${message}`, { name, kind: qualified }));
  const adds = usageOf(resource, obj);
  for (const quota of quotas) {
    const hard: Record<string, string> = (quota as Loose).spec?.hard ?? {};
    if (resource === 'pods') {
      const missing = Object.keys(hard).filter((k) => /^(requests|limits)\.(cpu|memory)$/.test(k) || k === 'cpu' || k === 'memory').sort();
      const gaps: string[] = [];
      for (const k of missing) {
        const [kind, res] = k.includes('.') ? k.split('.') : ['requests', k];
        const lacking = ((obj.spec?.containers ?? []) as Loose[]).filter((c) => c.resources?.[kind]?.[res] === undefined).map((c) => c.name);
        if (lacking.length) gaps.push(`${kind}.${res} for: ${lacking.join(',')}`);
      }
      if (gaps.length) throw forbidden(`failed quota: ${quota.metadata.name}: must specify ${gaps.join('; ')}`);
    }
    const used = quotaUsed(store, quota);
    const over = Object.keys(hard).filter((k) => adds.has(k) && parseQuantity(used[k]) + (adds.get(k) ?? 0) > parseQuantity(hard[k])).sort();
    if (over.length) {
      const list = (f: (k: string) => string) => over.map((k) => `${k}=${f(k)}`).join(',');
      throw forbidden(`exceeded quota: ${quota.metadata.name}, requested: ${list((k) => formatQuantity(adds.get(k) ?? 0, hard[k]))}, used: ${list((k) => used[k])}, limited: ${list((k) => hard[k])}`);
    }
  }
}

/** Keeps every quota's status (hard, used) current: recomputed a tick after changes in its namespace. */
export function startQuotaController(store: ObjectStore): () => void {
  const dirty = new Set<string>();
  let timer: NodeJS.Immediate | undefined;
  const flush = () => {
    timer = undefined;
    const namespaces = [...dirty];
    dirty.clear();
    for (const quota of [...store.peek('resourcequotas')]) {
      if (!namespaces.includes(quota.metadata.namespace ?? '')) continue;
      const status = { hard: (quota as Loose).spec?.hard ?? {}, used: quotaUsed(store, quota) };
      store.mutate('resourcequotas', quota.metadata.namespace, quota.metadata.name, (q) => {
        (q as Loose).status = status;
      }, { subresource: 'status', ifChanged: true });
    }
  };
  const unsubscribe = store.subscribe((e) => {
    const ns = e.object.metadata.namespace;
    if (!ns || e.resource === 'events' || e.resource === 'endpoints') return;
    if (e.resource === 'resourcequotas' && e.type === 'MODIFIED' && JSON.stringify((e.old as Loose)?.spec) === JSON.stringify((e.object as Loose).spec)) return;
    if (!store.count('resourcequotas')) return;
    dirty.add(ns);
    timer ??= setImmediate(flush);
  });
  for (const q of store.peek('resourcequotas')) dirty.add(q.metadata.namespace ?? '');
  if (dirty.size) timer = setImmediate(flush);
  return () => {
    unsubscribe();
    if (timer) clearImmediate(timer);
  };
}
