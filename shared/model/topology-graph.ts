// What the topology graph shows, from the live elements: filters applied, replicas collapsed into group
// items above a threshold (every pod stays reachable: groups expand on click and search knows
// which group holds a pod), layers and edges ready for the layout worker. Pure: unit-tested.
import type { ElementKind, TopoElement } from '../contract/topology.js';

export type Health = TopoElement['h'];
export type GroupBy = 'namespace' | 'node';
export type HealthFilter = 'all' | 'problems' | Health;

export interface Filters {
  namespace: string; // '' = all
  health: HealthFilter;
  pool: string; // '' = all
}

export const NO_FILTERS: Filters = { namespace: '', health: 'all', pool: '' };
export const GROUP_THRESHOLD = 8;

export interface GroupCounts {
  count: number;
  ok: number;
  warning: number;
  failing: number;
  unknown: number;
}

export interface GraphItem {
  id: string;
  kind: ElementKind | 'group';
  label: string;
  sub?: string;
  h: Health;
  ns?: string;
  layer: number;
  /** Sort key inside the layer. */
  sort: string;
  group?: GroupCounts;
  /** Node items: one entry per GPU, the holder's pod id when allocated. */
  gpus?: { h: Health; by?: string }[];
}

export interface GraphModel {
  items: GraphItem[];
  edges: [string, string][];
  /** pod id -> the group item that holds it (collapsed). */
  memberOf: Map<string, string>;
}

export const LAYER: Record<ElementKind | 'group', number> = { svc: 0, deploy: 1, sts: 1, ds: 1, job: 1, ro: 1, rs: 2, pod: 3, group: 3, node: 4, gpu: 5 };
const WORKLOAD: ReadonlySet<ElementKind> = new Set<ElementKind>(['deploy', 'sts', 'ds', 'job', 'ro']);

const healthMatches = (h: Health, filter: HealthFilter) => filter === 'all' || (filter === 'problems' ? h === 'warning' || h === 'failing' : h === filter);

/** The collapse key of a pod: its owner (by namespace) or its node (by node). */
export const groupKeyOf = (pod: TopoElement, groupBy: GroupBy): string =>
  groupBy === 'node' ? `group/node/${pod.on ?? 'unscheduled'}` : `group/${pod.o ?? `bare:${pod.ns ?? ''}`}`;

/** Whether a pod passes the filters (its GPU pool: its own, else its node's). */
export function podMatches(p: TopoElement, filters: Filters, byId: ReadonlyMap<string, TopoElement>): boolean {
  if (filters.namespace && p.ns !== filters.namespace) return false;
  if (filters.pool && (p.pool ?? (p.on ? byId.get(p.on)?.pool : undefined)) !== filters.pool) return false;
  return healthMatches(p.h, filters.health);
}

/**
 * Whether a node, workload, ReplicaSet or service shows by its own fields, whatever the pods do (a
 * workload or ReplicaSet brings its owner chain). Pods and GPUs: never. A service's namespace is
 * checked by the caller (it also gates the service showing for its targets).
 */
export function shownByItself(e: TopoElement, filters: Filters): boolean {
  const anyFilter = filters.namespace !== '' || filters.health !== 'all' || filters.pool !== '';
  if (e.k === 'node') return !anyFilter || (!filters.namespace && filters.health === 'all' && e.pool === filters.pool) || (filters.health !== 'all' && !filters.namespace && healthMatches(e.h, filters.health) && (!filters.pool || e.pool === filters.pool));
  if (WORKLOAD.has(e.k) || e.k === 'rs') return (!filters.namespace || e.ns === filters.namespace) && !filters.pool && (filters.health === 'all' || healthMatches(e.h, filters.health));
  if (e.k === 'svc') return !anyFilter || (filters.health !== 'all' && healthMatches(e.h, filters.health) && !filters.pool);
  return false;
}

/** Adds `id` and its owners (up to 4 in all) to `into`, stopping at one already there. */
export function addOwnerChain(id: string | undefined, byId: ReadonlyMap<string, TopoElement>, into: Set<string>): void {
  for (let cur = id, depth = 0; cur && depth < 4 && !into.has(cur); depth++) {
    const el = byId.get(cur);
    if (!el) break;
    into.add(cur);
    cur = el.o;
  }
}

export function buildGraph(
  elements: ReadonlyMap<string, TopoElement> | Iterable<TopoElement>,
  filters: Filters,
  groupBy: GroupBy,
  expanded: ReadonlySet<string>,
  threshold = GROUP_THRESHOLD,
): GraphModel {
  const byId: ReadonlyMap<string, TopoElement> = elements instanceof Map ? elements : new Map([...(elements as Iterable<TopoElement>)].map((e) => [e.id, e]));
  // GPUs by node, in index order (ids end in the index).
  const gpusOf = new Map<string, TopoElement[]>();
  for (const e of byId.values()) {
    if (e.k !== 'gpu' || !e.on) continue;
    let list = gpusOf.get(e.on);
    if (!list) gpusOf.set(e.on, (list = []));
    list[Number(e.id.slice(e.id.lastIndexOf('/') + 1))] = e;
  }
  const pods: TopoElement[] = [];
  for (const e of byId.values()) if (e.k === 'pod' && podMatches(e, filters, byId)) pods.push(e);

  const visible = new Set<string>();
  const addChain = (id: string | undefined) => addOwnerChain(id, byId, visible);
  for (const p of pods) {
    addChain(p.o);
    if (p.on && byId.has(p.on)) visible.add(p.on);
  }
  for (const e of byId.values()) {
    if (e.k === 'svc' || !shownByItself(e, filters)) continue;
    if (e.k === 'node') visible.add(e.id);
    else addChain(e.id);
  }
  for (const e of byId.values()) {
    if (e.k !== 'svc' || (filters.namespace && e.ns !== filters.namespace)) continue;
    if ((e.to ?? []).some((t) => visible.has(t)) || shownByItself(e, filters)) visible.add(e.id);
  }

  const items: GraphItem[] = [];
  const edges: [string, string][] = [];
  const memberOf = new Map<string, string>();

  for (const id of visible) {
    const e = byId.get(id)!;
    items.push(elementItem(e, (gpusOf.get(id) ?? []).filter(Boolean)));
    if (e.k === 'svc') for (const t of e.to ?? []) if (visible.has(t)) edges.push([id, t]);
    if (e.o && visible.has(e.o)) edges.push([e.o, id]);
  }

  // Pods: collapse each group above the threshold unless expanded.
  const groups = new Map<string, TopoElement[]>();
  for (const p of pods) {
    const key = groupKeyOf(p, groupBy);
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  for (const [key, members] of groups) {
    const collapse = members.length > threshold && !expanded.has(key);
    if (!collapse) {
      for (const p of members) {
        items.push(podItem(p, groupBy));
        if (p.o && visible.has(p.o)) edges.push([p.o, p.id]);
        if (p.on && visible.has(p.on)) edges.push([p.id, p.on]);
      }
      continue;
    }
    const counts: GroupCounts = { count: members.length, ok: 0, warning: 0, failing: 0, unknown: 0 };
    const nodes = new Set<string>();
    const owners = new Set<string>();
    for (const p of members) {
      counts[p.h]++;
      memberOf.set(p.id, key);
      if (p.on && visible.has(p.on)) nodes.add(p.on);
      if (p.o && visible.has(p.o)) owners.add(p.o);
    }
    items.push(groupItem(key, counts, members[0], groupBy));
    for (const o of owners) edges.push([o, key]);
    for (const n of nodes) edges.push([key, n]);
  }
  return { items, edges, memberOf };
}

/** The item of a service, workload, ReplicaSet or node; `gpus`: a node's GPUs in index order. */
export function elementItem(e: TopoElement, gpus: readonly TopoElement[] = []): GraphItem {
  const item: GraphItem = { id: e.id, kind: e.k, label: e.n, h: e.h, ns: e.ns, layer: LAYER[e.k], sort: `${e.ns ?? ''}/${e.n}`, sub: e.r ?? e.rdy };
  if (e.k === 'node') {
    item.sub = `${e.pool ?? ''}${e.r ? ` · ${e.r}` : ''}`;
    if (gpus.length) item.gpus = gpus.map((g) => (g.by ? { h: g.h, by: g.by } : { h: g.h }));
  }
  return item;
}

/** The item of a pod drawn on its own (its group is not collapsed). */
export const podItem = (p: TopoElement, groupBy: GroupBy): GraphItem => ({
  id: p.id,
  kind: 'pod',
  label: p.n,
  h: p.h,
  ns: p.ns,
  layer: 3,
  sort: `${groupBy === 'node' ? p.on ?? '' : p.o ?? ''}/${p.n}`,
  sub: p.r ?? p.ph,
});

/** The item of a collapsed group; `member`: any member (the fields of the group key are shared). */
export function groupItem(key: string, counts: GroupCounts, member: Pick<TopoElement, 'o' | 'on' | 'ns'>, groupBy: GroupBy): GraphItem {
  const h: Health = counts.failing ? 'failing' : counts.warning ? 'warning' : counts.unknown ? 'unknown' : 'ok';
  const label = groupBy === 'node' ? `${counts.count} pods on ${member.on?.slice(6) ?? 'no node'}` : `${counts.count} × ${member.o ? member.o.split('/').slice(2).join('/') : `pods in ${member.ns}`}`;
  return { id: key, kind: 'group', label, h, ns: groupBy === 'node' ? undefined : member.ns, layer: 3, sort: key, group: { ...counts }, sub: summary(counts) };
}

export function summary(c: GroupCounts): string {
  const parts = [`${c.ok} ok`];
  if (c.warning) parts.push(`${c.warning} warning`);
  if (c.failing) parts.push(`${c.failing} failing`);
  if (c.unknown) parts.push(`${c.unknown} unknown`);
  return parts.join(' · ');
}

/** Whether a search (lower-cased, trimmed) names this element: its name or `namespace/name`. */
const nameMatches = (e: TopoElement, q: string): boolean => e.k !== 'gpu' && (e.n.toLowerCase().includes(q) || `${e.ns ?? ''}/${e.n}`.toLowerCase().includes(q));

/**
 * The graph items a search lights up (the rest is dimmed): every matching element and, for a
 * matching pod, the group that may be holding it (a key that is no item on screen is harmless).
 * Undefined for an empty search: nothing is dimmed.
 */
export function searchHighlight(elements: Iterable<TopoElement>, query: string, groupBy: GroupBy): Set<string> | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return undefined;
  const lit = new Set<string>();
  for (const e of elements) {
    if (!nameMatches(e, q)) continue;
    lit.add(e.id);
    if (e.k === 'pod') lit.add(groupKeyOf(e, groupBy));
  }
  return lit;
}

/** What the graph says when the filters leave nothing to draw (never a blank canvas). */
export function describeEmptyGraph(filters: Filters): string {
  const where = [filters.namespace ? `in namespace ${filters.namespace}` : '', filters.pool ? `in GPU pool ${filters.pool}` : ''].filter(Boolean).join(' ');
  const scope = where ? ` ${where}` : '';
  if (filters.health === 'problems') return `No problems${scope}: no pod, node, workload or service is warning or failing.`;
  if (filters.health !== 'all') return `Nothing${scope} is ${filters.health}.`;
  return `Nothing to show${scope}.`;
}

/** Search over every element (pods inside collapsed groups included), best matches first. */
export function searchElements(elements: Iterable<TopoElement>, query: string, limit = 50): TopoElement[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: { e: TopoElement; score: number }[] = [];
  for (const e of elements) {
    if (!nameMatches(e, q)) continue;
    const name = e.n.toLowerCase();
    const at = name.indexOf(q);
    hits.push({ e, score: (name === q ? 0 : at === 0 ? 1 : 2) * 1e6 + name.length });
    if (hits.length > limit * 20) break;
  }
  return hits.sort((a, b) => a.score - b.score).slice(0, limit).map((h) => h.e);
}
