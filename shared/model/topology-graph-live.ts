// The graph model kept up to date delta by delta (on the UI thread: renderer/views/topology/
// use-graph.ts feeds it). `buildGraph` in topology-graph.ts is the definition; this class must always agree with it (the unit tests replay
// seeded random delta sequences and compare). A pod or GPU change costs O(changed): the pod's item
// or its group's counts and edges, its node's GPU cells. Anything that can change which services,
// workloads, ReplicaSets or nodes are visible (those elements changing, the view changing, a filter
// making a pod the only reason its node shows) rebuilds the model from scratch; a status-only
// change of those elements updates their item, and without filters a workload or ReplicaSet
// appearing or going (a Job created, a rollout's new ReplicaSet: many per second on a busy fleet)
// is O(its pods) too.
import type { TopoElement } from '../contract/topology.js';
import {
  addOwnerChain,
  elementItem,
  GROUP_THRESHOLD,
  groupItem,
  groupKeyOf,
  NO_FILTERS,
  podItem,
  podMatches,
  shownByItself,
  type Filters,
  type GraphItem,
  type GraphModel,
  type GroupBy,
  type GroupCounts,
} from './topology-graph.js';

const edgeKey = (a: string, b: string) => `${a}\u0000${b}`;
/** Workloads and ReplicaSets: what pods name as their owner. */
const OWNING: ReadonlySet<string> = new Set(['deploy', 'sts', 'ds', 'job', 'ro', 'rs']);
const noFilters = (f: Filters) => f.namespace === '' && f.health === 'all' && f.pool === '';

/**
 * What changed since the last `flush`: enough for the UI thread to patch what it has. Also after a
 * rebuild: items that come out the same keep their object, so a rebuild that changed little says so.
 */
export interface GraphChanges {
  /** Items appeared or disappeared: lay out again and take the whole `model()`. */
  structural: boolean;
  /** Items whose fields changed (ids there before and after). */
  updated: GraphItem[];
  edgesAdded: [string, string][];
  edgesRemoved: [string, string][];
}

interface Group {
  members: Set<string>;
  counts: GroupCounts;
  /** Visible owners / nodes of the members, with how many members point at each. */
  owners: Map<string, number>;
  nodes: Map<string, number>;
  /** Fields every member shares (the group key is made of them). */
  o?: string;
  on?: string;
  ns?: string;
  collapsed: boolean;
}

export class LiveGraph {
  private readonly elements = new Map<string, TopoElement>();
  private filters: Filters = NO_FILTERS;
  private groupBy: GroupBy = 'namespace';
  private expanded: ReadonlySet<string> = new Set();

  private items = new Map<string, GraphItem>();
  /** Edge key -> its ends, the pair handed out by `model()` (made once), and how many add it. */
  private edges = new Map<string, { a: string; b: string; pair: [string, string]; n: number }>();
  private readonly memberOf = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  /** Matched pod id -> its group key. */
  private readonly podGroup = new Map<string, string>();
  /** Owner id -> its matched pods (whether or not the owner exists). */
  private readonly podsOf = new Map<string, Set<string>>();
  /** Element id -> the workloads / ReplicaSets it owns, and the Services pointing at it (any element). */
  private readonly childrenOf = new Map<string, Set<string>>();
  private readonly targetedBy = new Map<string, Set<string>>();
  /** Services, workloads, ReplicaSets and nodes on screen (pods and groups are not in here). */
  private visible = new Set<string>();
  /** Visible without any pod's help (by their own filter rules). */
  private staticVisible = new Set<string>();
  /** How many matched pods make an element visible (owner chain, node). */
  private readonly refs = new Map<string, number>();

  private needsRebuild = true;
  private building = false;
  /** Node id -> its GPU elements by index (node items draw one cell per GPU). */
  private readonly gpusOf = new Map<string, Map<number, TopoElement>>();
  /** Item id -> the item at the last flush (undefined: none), for ids touched since then. */
  private touchedItems = new Map<string, GraphItem | undefined>();
  /** Edge key -> net additions since the last flush. */
  private touchedEdges = new Map<string, { a: string; b: string; net: number }>();

  constructor(private readonly threshold = GROUP_THRESHOLD) {}

  setView(filters: Filters, groupBy: GroupBy, expanded: ReadonlySet<string>): void {
    this.filters = filters;
    this.groupBy = groupBy;
    this.expanded = expanded;
    this.needsRebuild = true;
  }

  applyDelta(delta: { full: boolean; upserts: TopoElement[]; removals: string[] }): void {
    if (delta.full) {
      this.elements.clear();
      this.gpusOf.clear();
      this.childrenOf.clear();
      this.targetedBy.clear();
      this.needsRebuild = true;
    }
    for (const id of delta.removals) this.change(id, undefined);
    for (const e of delta.upserts) this.change(e.id, e);
  }

  /** Brings the model up to date and says what changed since the last call. */
  flush(): GraphChanges {
    if (this.needsRebuild) return this.rebuild();
    let structural = false;
    const updated: GraphItem[] = [];
    for (const [id, before] of this.touchedItems) {
      const item = this.items.get(id);
      if ((before !== undefined) !== (item !== undefined)) structural = true;
      else if (item) updated.push(item);
    }
    const edgesAdded: [string, string][] = [];
    const edgesRemoved: [string, string][] = [];
    for (const { a, b, net } of this.touchedEdges.values()) {
      if (net > 0) edgesAdded.push([a, b]);
      else if (net < 0) edgesRemoved.push([a, b]);
    }
    this.touchedItems.clear();
    this.touchedEdges.clear();
    return { structural, updated, edgesAdded, edgesRemoved };
  }

  /**
   * The current model (items in a stable order: the map's insertion order). `withMembers: false`
   * leaves `memberOf` empty: the canvas never reads it, and copying 10,000 pods per new shape costs.
   */
  model(withMembers = true): GraphModel {
    const edges: [string, string][] = [];
    for (const e of this.edges.values()) edges.push(e.pair);
    return { items: [...this.items.values()], edges, memberOf: withMembers ? new Map(this.memberOf) : new Map() };
  }

  // --- incremental path ---------------------------------------------------------------------

  private change(id: string, next: TopoElement | undefined): void {
    const prev = this.elements.get(id);
    if (next) this.elements.set(id, next);
    else this.elements.delete(id);
    if (prev?.k === 'gpu' || next?.k === 'gpu') this.indexGpu(prev, next);
    if ((prev && prev.k !== 'pod' && prev.k !== 'gpu') || (next && next.k !== 'pod' && next.k !== 'gpu')) this.indexLinks(id, prev, next);
    if (this.needsRebuild || (!prev && !next)) return;
    const k = (next ?? prev)!.k;
    if (k === 'pod') this.podChanged(prev, next);
    else if (k === 'gpu') {
      const nodes = new Set([prev?.on, next?.on]);
      for (const node of nodes) if (node && this.items.has(node)) this.setItem(this.nonPodItem(this.elements.get(node)!));
    } else if (prev && next && this.sameVisibility(prev, next)) {
      // A status change (health, ready counts) of a service, workload, ReplicaSet or node: its item.
      if (this.items.has(id)) this.setItem(this.nonPodItem(next));
    } else if (!prev !== !next && OWNING.has(k) && noFilters(this.filters)) this.ownerShown(id, prev, next);
    else this.needsRebuild = true;
  }

  /** Keeps the owner -> children and service -> target indexes (all elements, visible or not). */
  private indexLinks(id: string, prev: TopoElement | undefined, next: TopoElement | undefined): void {
    const link = (index: Map<string, Set<string>>, to: string, by: number) => {
      let set = index.get(to);
      if (by > 0) {
        if (!set) index.set(to, (set = new Set()));
        set.add(id);
      } else if (set) {
        set.delete(id);
        if (!set.size) index.delete(to);
      }
    };
    if (prev?.o) link(this.childrenOf, prev.o, -1);
    for (const t of prev?.to ?? []) link(this.targetedBy, t, -1);
    if (next?.o) link(this.childrenOf, next.o, 1);
    for (const t of next?.to ?? []) link(this.targetedBy, t, 1);
  }

  /**
   * Without filters every workload and ReplicaSet shows: one appearing (`next`) or going adds or
   * drops its item and its edges (owner, owned workloads, Services, its pods or their groups),
   * exactly as a rebuild would, at the cost of its own pods.
   */
  private ownerShown(id: string, prev: TopoElement | undefined, next: TopoElement | undefined): void {
    const pods = [...(this.podsOf.get(id) ?? [])].map((pid) => this.elements.get(pid)!);
    const edges: [string, string][] = [];
    const owner = (next ?? prev)?.o;
    if (owner && this.visible.has(owner)) edges.push([owner, id]);
    for (const c of this.childrenOf.get(id) ?? []) if (this.visible.has(c)) edges.push([id, c]);
    for (const svc of this.targetedBy.get(id) ?? []) if (this.visible.has(svc)) edges.push([svc, id]);
    // Shown before its pods are re-seated (their owner counts skip an owner they never counted),
    // hidden after (so they take their edges to it along).
    if (next) {
      this.visible.add(id);
      this.staticVisible.add(id);
    }
    for (const p of pods) this.removePod(p);
    if (next) {
      this.setItem(this.nonPodItem(next));
      for (const [a, b] of edges) this.addEdge(a, b);
    } else {
      this.visible.delete(id);
      this.staticVisible.delete(id);
      this.deleteItem(id);
      for (const [a, b] of edges) this.removeEdge(a, b);
    }
    for (const p of pods) this.addPod(p);
    for (const p of pods) this.renderGroup(this.podGroup.get(p.id)!, p, p);
  }

  /** Whether a non-pod element's change leaves every visibility decision as it was. */
  private sameVisibility(a: TopoElement, b: TopoElement): boolean {
    if (a.k !== b.k || a.o !== b.o || a.ns !== b.ns || a.pool !== b.pool) return false;
    if (a.h !== b.h && this.filters.health !== 'all') return false;
    const x = a.to ?? [];
    const y = b.to ?? [];
    return x.length === y.length && x.every((t, i) => t === y[i]);
  }

  private indexGpu(prev: TopoElement | undefined, next: TopoElement | undefined): void {
    const index = (g: TopoElement) => Number(g.id.slice(g.id.lastIndexOf('/') + 1));
    if (prev?.on) {
      const list = this.gpusOf.get(prev.on);
      list?.delete(index(prev));
      if (list?.size === 0) this.gpusOf.delete(prev.on);
    }
    if (next?.on) {
      let list = this.gpusOf.get(next.on);
      if (!list) this.gpusOf.set(next.on, (list = new Map()));
      list.set(index(next), next);
    }
  }

  private matches(p: TopoElement): boolean {
    return podMatches(p, this.filters, this.elements);
  }

  private podChanged(prev: TopoElement | undefined, next: TopoElement | undefined): void {
    const wasIn = prev !== undefined && this.podGroup.has(prev.id);
    const isIn = next !== undefined && this.matches(next);
    if (wasIn) this.removePod(prev);
    if (isIn) this.addPod(next);
    if (this.needsRebuild) return;
    const keys = new Set<string>();
    if (wasIn) keys.add(groupKeyOf(prev, this.groupBy));
    if (isIn) keys.add(groupKeyOf(next, this.groupBy));
    for (const key of keys) this.renderGroup(key, prev, next);
  }

  /** The elements a matched pod makes visible: its owner chain (up to 4) and its node. */
  private contributions(p: TopoElement): string[] {
    const out: string[] = [];
    for (let cur = p.o, depth = 0; cur && depth < 4; depth++) {
      const el = this.elements.get(cur);
      if (!el) break;
      out.push(cur);
      cur = el.o;
    }
    if (p.on && this.elements.has(p.on)) out.push(p.on);
    return out;
  }

  private ref(id: string, by: number): void {
    const n = (this.refs.get(id) ?? 0) + by;
    if (n) this.refs.set(id, n);
    else this.refs.delete(id);
    // A pod alone decided whether this element shows: everything around it may change.
    if (!this.building && !this.staticVisible.has(id) && (n === 0 || n === by)) this.needsRebuild = true;
  }

  private addPod(p: TopoElement): void {
    const key = groupKeyOf(p, this.groupBy);
    this.podGroup.set(p.id, key);
    if (p.o) {
      let owned = this.podsOf.get(p.o);
      if (!owned) this.podsOf.set(p.o, (owned = new Set()));
      owned.add(p.id);
    }
    for (const id of this.contributions(p)) this.ref(id, 1);
    let g = this.groups.get(key);
    if (!g) {
      g = { members: new Set(), counts: { count: 0, ok: 0, warning: 0, failing: 0, unknown: 0 }, owners: new Map(), nodes: new Map(), o: p.o, on: p.on, ns: p.ns, collapsed: false };
      this.groups.set(key, g);
    }
    g.members.add(p.id);
    g.counts.count++;
    g.counts[p.h]++;
    // A collapsed group's edges follow these counts: an edge per owner/node with any member.
    if (p.o && this.visible.has(p.o)) {
      const n = (g.owners.get(p.o) ?? 0) + 1;
      g.owners.set(p.o, n);
      if (n === 1 && g.collapsed) this.addEdge(p.o, key);
    }
    if (p.on && this.visible.has(p.on)) {
      const n = (g.nodes.get(p.on) ?? 0) + 1;
      g.nodes.set(p.on, n);
      if (n === 1 && g.collapsed) this.addEdge(key, p.on);
    }
  }

  private removePod(p: TopoElement): void {
    const key = this.podGroup.get(p.id)!;
    this.podGroup.delete(p.id);
    if (p.o) {
      const owned = this.podsOf.get(p.o);
      owned?.delete(p.id);
      if (owned?.size === 0) this.podsOf.delete(p.o);
    }
    for (const id of this.contributions(p)) this.ref(id, -1);
    const g = this.groups.get(key)!;
    g.members.delete(p.id);
    g.counts.count--;
    g.counts[p.h]--;
    const dec = (map: Map<string, number>, id: string | undefined, edge: [string, string]) => {
      if (!id || !map.has(id)) return;
      const n = map.get(id)! - 1;
      if (n) map.set(id, n);
      else {
        map.delete(id);
        if (g.collapsed) this.removeEdge(...edge);
      }
    };
    if (p.o && this.visible.has(p.o)) dec(g.owners, p.o, [p.o, key]);
    if (p.on && this.visible.has(p.on)) dec(g.nodes, p.on, [key, p.on]);
    // A pod drawn on its own leaves with its item and edges.
    if (!g.collapsed) this.dropPodItem(p);
  }

  /** Brings one group's items and edges in line with its members (the changed pods given). */
  private renderGroup(key: string, prev: TopoElement | undefined, next: TopoElement | undefined): void {
    const g = this.groups.get(key)!;
    const collapse = g.members.size > this.threshold && !this.expanded.has(key);
    if (prev && !g.members.has(prev.id) && this.memberOf.get(prev.id) === key) this.memberOf.delete(prev.id);
    if (collapse !== g.collapsed) {
      // Crossing the threshold: swap the group item for its pods or back (O(group), rare).
      if (g.collapsed) this.dropGroupItem(key, g);
      else for (const id of g.members) if (this.items.has(id)) this.dropPodItem(this.elements.get(id)!);
      g.collapsed = collapse;
      if (collapse) {
        for (const id of g.members) this.memberOf.set(id, key);
        this.putGroupItem(key, g);
        this.putGroupEdges(key, g);
      } else for (const id of g.members) this.putPodItem(this.elements.get(id)!);
    } else if (collapse) {
      if (next && g.members.has(next.id)) this.memberOf.set(next.id, key);
      this.putGroupItem(key, g);
    } else if (next && g.members.has(next.id)) this.putPodItem(next);
    if (g.members.size === 0) {
      if (g.collapsed) this.dropGroupItem(key, g);
      this.groups.delete(key);
    }
  }

  private putPodItem(p: TopoElement): void {
    const prev = this.items.get(p.id);
    const prevEl = prev ? this.podEdgesOf.get(p.id) : undefined;
    this.setItem(podItem(p, this.groupBy));
    const edges: [string, string][] = [];
    if (p.o && this.visible.has(p.o)) edges.push([p.o, p.id]);
    if (p.on && this.visible.has(p.on)) edges.push([p.id, p.on]);
    if (prevEl) for (const [a, b] of prevEl) this.removeEdge(a, b);
    for (const [a, b] of edges) this.addEdge(a, b);
    this.podEdgesOf.set(p.id, edges);
  }

  /** The edges each individually drawn pod contributed (to take them back exactly). */
  private readonly podEdgesOf = new Map<string, [string, string][]>();

  private dropPodItem(p: TopoElement): void {
    if (!this.items.has(p.id)) return;
    this.deleteItem(p.id);
    for (const [a, b] of this.podEdgesOf.get(p.id) ?? []) this.removeEdge(a, b);
    this.podEdgesOf.delete(p.id);
  }

  private putGroupItem(key: string, g: Group): void {
    this.setItem(groupItem(key, g.counts, g, this.groupBy));
  }

  /** A group just collapsed: one edge from each owner and to each node of its members. */
  private putGroupEdges(key: string, g: Group): void {
    for (const o of g.owners.keys()) this.addEdge(o, key);
    for (const n of g.nodes.keys()) this.addEdge(key, n);
  }

  private dropGroupItem(key: string, g: Group): void {
    this.deleteItem(key);
    for (const o of g.owners.keys()) this.removeEdge(o, key);
    for (const n of g.nodes.keys()) this.removeEdge(key, n);
    for (const id of g.members) this.memberOf.delete(id);
  }

  // --- bookkeeping --------------------------------------------------------------------------

  private touchItem(id: string): void {
    if (!this.touchedItems.has(id)) this.touchedItems.set(id, this.items.get(id));
  }

  private setItem(item: GraphItem): void {
    this.touchItem(item.id);
    this.items.set(item.id, item);
  }

  private deleteItem(id: string): void {
    this.touchItem(id);
    this.items.delete(id);
  }

  private addEdge(a: string, b: string): void {
    const k = edgeKey(a, b);
    const e = this.edges.get(k);
    if (e) {
      e.n++;
      return;
    }
    this.edges.set(k, { a, b, pair: [a, b], n: 1 });
    this.touchEdge(k, a, b, 1);
  }

  private removeEdge(a: string, b: string): void {
    const k = edgeKey(a, b);
    const e = this.edges.get(k);
    if (!e) return;
    if (--e.n > 0) return;
    this.edges.delete(k);
    this.touchEdge(k, a, b, -1);
  }

  private touchEdge(k: string, a: string, b: string, by: number): void {
    const t = this.touchedEdges.get(k);
    if (t) t.net += by;
    else this.touchedEdges.set(k, { a, b, net: by });
  }

  // --- from scratch ---------------------------------------------------------------------------

  private nonPodItem(e: TopoElement): GraphItem {
    const list = e.k === 'node' ? this.gpusOf.get(e.id) : undefined;
    return elementItem(e, list ? [...list].sort((a, b) => a[0] - b[0]).map(([, g]) => g) : undefined);
  }

  /** The model from scratch; reports what changed since the last flush like an incremental flush. */
  private rebuild(): GraphChanges {
    this.needsRebuild = false;
    const before = { items: this.items, edges: this.edges, touchedItems: this.touchedItems, touchedEdges: this.touchedEdges };
    this.items = new Map();
    this.edges = new Map();
    this.touchedItems = new Map();
    this.touchedEdges = new Map();
    this.memberOf.clear();
    this.groups.clear();
    this.podGroup.clear();
    this.podsOf.clear();
    this.refs.clear();
    this.podEdgesOf.clear();
    const f = this.filters;
    const staticVisible = new Set<string>();
    for (const e of this.elements.values()) {
      if (e.k === 'svc' || !shownByItself(e, f)) continue;
      if (e.k === 'node') staticVisible.add(e.id);
      else addOwnerChain(e.id, this.elements, staticVisible);
    }
    const pods: TopoElement[] = [];
    for (const e of this.elements.values()) if (e.k === 'pod' && this.matches(e)) pods.push(e);
    const visible = new Set(staticVisible);
    for (const p of pods) for (const id of this.contributions(p)) visible.add(id);
    // Services show when something they point at shows (or by their own rules); nothing points
    // at a service, so this never feeds back into the rest.
    for (const e of this.elements.values()) {
      if (e.k !== 'svc' || (f.namespace && e.ns !== f.namespace)) continue;
      const targets = (e.to ?? []).some((t) => visible.has(t));
      if (targets || shownByItself(e, f)) {
        visible.add(e.id);
        staticVisible.add(e.id);
      }
    }
    this.visible = visible;
    this.staticVisible = staticVisible;
    for (const id of visible) {
      const e = this.elements.get(id)!;
      this.items.set(id, this.nonPodItem(e));
      if (e.k === 'svc') for (const t of e.to ?? []) if (visible.has(t)) this.addEdge(id, t);
      if (e.o && visible.has(e.o)) this.addEdge(e.o, id);
    }
    this.building = true;
    for (const p of pods) this.addPod(p);
    this.building = false;
    for (const [key, g] of this.groups) {
      g.collapsed = g.members.size > this.threshold && !this.expanded.has(key);
      if (g.collapsed) {
        for (const id of g.members) this.memberOf.set(id, key);
        this.putGroupItem(key, g);
        this.putGroupEdges(key, g);
      } else for (const id of g.members) this.putPodItem(this.elements.get(id)!);
    }
    const changes = this.sinceFlush(before);
    this.touchedItems.clear();
    this.touchedEdges.clear();
    return changes;
  }

  /**
   * The rebuilt model against the one at the last flush: `before` is the model just before the
   * rebuild, and what changed in it since that flush (to undo). Items that come out the same keep
   * the object the caller already has.
   */
  private sinceFlush(before: {
    items: ReadonlyMap<string, GraphItem>;
    edges: ReadonlyMap<string, { a: string; b: string }>;
    touchedItems: ReadonlyMap<string, GraphItem | undefined>;
    touchedEdges: ReadonlyMap<string, { a: string; b: string; net: number }>;
  }): GraphChanges {
    const { items: itemsNow, edges: edgesNow, touchedItems, touchedEdges } = before;
    const atFlush = (id: string) => (touchedItems.has(id) ? touchedItems.get(id) : itemsNow.get(id));
    let structural = false;
    const updated: GraphItem[] = [];
    for (const [id, item] of this.items) {
      const then = atFlush(id);
      if (!then) structural = true;
      else if (sameItem(then, item)) this.items.set(id, then);
      else updated.push(item);
    }
    for (const id of itemsNow.keys()) if (!this.items.has(id) && atFlush(id)) structural = true;
    for (const [id, then] of touchedItems) if (then && !this.items.has(id)) structural = true;
    // An edge touched since the flush flipped presence once (net +1: absent then, -1: present then).
    const edgeAtFlush = (k: string) => edgesNow.has(k) !== ((touchedEdges.get(k)?.net ?? 0) !== 0);
    const edgesAdded: [string, string][] = [];
    const edgesRemoved: [string, string][] = [];
    for (const [k, { a, b }] of this.edges) if (!edgeAtFlush(k)) edgesAdded.push([a, b]);
    for (const [k, { a, b }] of edgesNow) if (!this.edges.has(k) && edgeAtFlush(k)) edgesRemoved.push([a, b]);
    for (const [k, { a, b, net }] of touchedEdges) if (net < 0 && !edgesNow.has(k) && !this.edges.has(k)) edgesRemoved.push([a, b]);
    return { structural, updated, edgesAdded, edgesRemoved };
  }
}

/** Field-wise equality of two items (a rebuild makes new objects for unchanged items). */
export function sameItem(a: GraphItem, b: GraphItem): boolean {
  if (a.id !== b.id || a.kind !== b.kind || a.label !== b.label || a.sub !== b.sub || a.h !== b.h || a.ns !== b.ns || a.layer !== b.layer || a.sort !== b.sort) return false;
  const g = a.group;
  const h = b.group;
  if (g !== h && (!g || !h || g.count !== h.count || g.ok !== h.ok || g.warning !== h.warning || g.failing !== h.failing || g.unknown !== h.unknown)) return false;
  const x = a.gpus;
  const y = b.gpus;
  if (x === y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i].h !== y[i].h || x[i].by !== y[i].by) return false;
  return true;
}
