// Live topology of the active context: the elements from `topology.delta` (kept in a Map outside
// React state; a version number tells views to redraw), plus the view's own state (filters,
// grouping, expanded groups, selection). Also records the figures the benchmark reads.
import { create } from 'zustand';
import type { TopoElement, TopologyDelta } from '../../shared/contract/topology';
import { getApi } from '../api/client';
import { NO_FILTERS, type Filters, type GroupBy } from '../../shared/model/topology-graph';

export type TopologyTab = 'graph' | 'pods' | 'nodes' | 'workloads' | 'events';

/** Figures for test/bench/topology.ts, read through `window.__flightdeckTopology`. */
export interface TopologyStats {
  subscribedAt?: number;
  /** Painted frame after the first delta that reported every cache synced: the complete graph. */
  completeAt?: number;
  elements: number;
  /** Per applied delta: server send time -> painted frame time (ms). */
  latencies: number[];
  frameTimes: number[];
  /** Element id -> time its first delta was painted (ids matching `watchPrefix` only). */
  seen: Record<string, number>;
  /** Element id -> server send time of the delta that first carried it (same ids as `seen`). */
  sentOf: Record<string, number>;
  /** Element id -> console time the oldest change of that delta arrived from the cluster. */
  consoleGotOf: Record<string, number>;
  watchPrefix?: string;
  /** Per delta, for the benchmark's stage split: [sent, received by the page, in the model and placed, painted] (ms since epoch). */
  stages: [number, number, number, number][];
  /** Graph model updates on the UI thread: new shapes (sent to the layout worker) and patches; their costs (ms). */
  worker: { graphs: number; patches: number; buildMs: number[]; layoutMs: number[] };
}

/** Toolbar figures kept per delta (O(changed)) instead of a pass over 20,000 elements per change. */
export interface TopologySummary {
  pods: number;
  nodes: number;
  gpus: number;
  failing: number;
  /** Namespace / GPU pool -> how many elements name it (a name shows while its count is > 0). */
  namespaces: Map<string, number>;
  pools: Map<string, number>;
}

const emptySummary = (): TopologySummary => ({ pods: 0, nodes: 0, gpus: 0, failing: 0, namespaces: new Map(), pools: new Map() });

function count(summary: TopologySummary, e: TopoElement, by: 1 | -1): void {
  if (e.k === 'pod') summary.pods += by;
  else if (e.k === 'node') {
    summary.nodes += by;
    if (e.pool) bump(summary.pools, e.pool, by);
  } else if (e.k === 'gpu') summary.gpus += by;
  if (e.h === 'failing' && e.k !== 'gpu') summary.failing += by;
  if (e.ns) bump(summary.namespaces, e.ns, by);
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

export interface TopologyState {
  context?: string;
  elements: Map<string, TopoElement>;
  summary: TopologySummary;
  version: number;
  synced: boolean;
  offlineAsOf?: string;
  error?: string;
  filters: Filters;
  groupBy: GroupBy;
  expanded: Set<string>;
  selected?: string;
  detailsOpen: boolean;
  tab: TopologyTab;
  focusRequest: number;
  connect(context: string | undefined): void;
  setFilters(patch: Partial<Filters>): void;
  setGroupBy(groupBy: GroupBy): void;
  toggleGroup(id: string): void;
  expand(id: string): void;
  select(id: string | undefined, open?: boolean): void;
  closeDetails(): void;
  setTab(tab: TopologyTab): void;
  requestFocus(): void;
}

export const topologyStats: TopologyStats = { elements: 0, latencies: [], frameTimes: [], seen: {}, sentOf: {}, consoleGotOf: {}, stages: [], worker: { graphs: 0, patches: 0, buildMs: [], layoutMs: [] } };
declare global {
  interface Window {
    __flightdeckTopology?: TopologyStats;
  }
}
if (typeof window !== 'undefined') window.__flightdeckTopology = topologyStats;

let unsubscribe: (() => void) | undefined;
let pendingPaint: { seq: number; sentAt: number; firstEventAt?: number; receivedAt: number; builtAt: number; ids: string[]; synced: boolean }[] = [];
let paintScheduled = false;
let deltaSeq = 0;
const deltaListeners = new Set<(delta: TopologyDelta, seq: number) => void>();

/**
 * Every applied delta, numbered; a new listener first gets the current graph as a `full` delta.
 * The graph worker mirrors the elements this way instead of receiving all of them per change.
 */
export function onTopologyDelta(listener: (delta: TopologyDelta, seq: number) => void): () => void {
  const { elements, synced, offlineAsOf } = useTopologyStore.getState();
  listener({ full: true, upserts: [...elements.values()], removals: [], synced, offlineAsOf, sentAt: Date.now() }, deltaSeq);
  deltaListeners.add(listener);
  return () => deltaListeners.delete(listener);
}

/**
 * Called after a frame is painted: closes the latency measurements of the deltas that frame shows
 * (`upToSeq`: the newest delta included in what was drawn; all of them when nothing draws a graph).
 */
export function notePainted(upToSeq = Infinity): void {
  if (!pendingPaint.length || pendingPaint[0].seq > upToSeq) return;
  const now = Date.now();
  const prefix = topologyStats.watchPrefix;
  const done = pendingPaint.filter((p) => p.seq <= upToSeq);
  pendingPaint = pendingPaint.filter((p) => p.seq > upToSeq);
  for (const p of done) {
    if (p.synced && topologyStats.completeAt === undefined) topologyStats.completeAt = now;
    topologyStats.latencies.push(now - p.sentAt);
    topologyStats.stages.push([p.sentAt, p.receivedAt, p.builtAt || now, now]);
    if (prefix) {
      for (const id of p.ids) {
        if (!id.includes(prefix) || id in topologyStats.seen) continue;
        topologyStats.seen[id] = now;
        topologyStats.sentOf[id] = p.sentAt;
        if (p.firstEventAt !== undefined) topologyStats.consoleGotOf[id] = p.firstEventAt;
      }
    }
  }
  if (topologyStats.latencies.length > 20_000) topologyStats.latencies.splice(0, 10_000);
  if (topologyStats.stages.length > 20_000) topologyStats.stages.splice(0, 10_000);
}

/** Every delta up to `seq` is in the graph model and placed (stage timestamps for the benchmark). */
export function noteBuilt(seq: number): void {
  const now = Date.now();
  for (const p of pendingPaint) if (p.seq <= seq && !p.builtAt) p.builtAt = now;
}

/** True while a canvas is showing the graph: then only its paints close latency measurements. */
export const graphOnScreen = { current: false };

export const useTopologyStore = create<TopologyState>((set, get) => ({
  elements: new Map(),
  summary: emptySummary(),
  version: 0,
  synced: false,
  filters: NO_FILTERS,
  groupBy: 'namespace',
  expanded: new Set(),
  detailsOpen: false,
  tab: 'graph',
  focusRequest: 0,

  connect(context) {
    if (context === get().context && unsubscribe) return;
    unsubscribe?.();
    unsubscribe = undefined;
    set({ context, elements: new Map(), summary: emptySummary(), version: get().version + 1, synced: false, offlineAsOf: undefined, error: undefined, selected: undefined, detailsOpen: false, expanded: new Set() });
    if (!context) return;
    topologyStats.subscribedAt = Date.now();
    topologyStats.completeAt = undefined;
    unsubscribe = getApi().subscribe(
      'topology.delta',
      { context },
      (delta: TopologyDelta) => {
        if (get().context !== context) return;
        const receivedAt = Date.now();
        const elements = delta.full ? new Map<string, TopoElement>() : get().elements;
        const summary = delta.full ? emptySummary() : get().summary;
        for (const id of delta.removals) {
          const before = elements.get(id);
          if (before) count(summary, before, -1);
          elements.delete(id);
        }
        for (const e of delta.upserts) {
          const before = elements.get(e.id);
          if (before) count(summary, before, -1);
          count(summary, e, 1);
          elements.set(e.id, e);
        }
        topologyStats.elements = elements.size;
        const seq = ++deltaSeq;
        pendingPaint.push({ seq, sentAt: delta.sentAt, firstEventAt: delta.firstEventAt, receivedAt, builtAt: 0, ids: topologyStats.watchPrefix ? delta.upserts.map((e) => e.id) : [], synced: delta.synced });
        for (const listener of deltaListeners) listener(delta, seq);
        if (!paintScheduled && !graphOnScreen.current) {
          paintScheduled = true;
          // Tables repaint with React: the next frame shows the delta.
          requestAnimationFrame(() => {
            paintScheduled = false;
            requestAnimationFrame(() => notePainted());
          });
        }
        set({ elements, summary, version: get().version + 1, synced: delta.synced, offlineAsOf: delta.offlineAsOf, error: undefined });
      },
      (error) => set({ error: error.message }),
    );
  },
  setFilters(patch) {
    set({ filters: { ...get().filters, ...patch } });
  },
  setGroupBy(groupBy) {
    set({ groupBy, expanded: new Set() });
  },
  toggleGroup(id) {
    const expanded = new Set(get().expanded);
    if (expanded.has(id)) expanded.delete(id);
    else expanded.add(id);
    set({ expanded });
  },
  expand(id) {
    if (get().expanded.has(id)) return;
    set({ expanded: new Set([...get().expanded, id]) });
  },
  select(id, open = true) {
    set({ selected: id, detailsOpen: open && id !== undefined });
  },
  closeDetails() {
    set({ detailsOpen: false });
  },
  setTab(tab) {
    set({ tab });
  },
  requestFocus() {
    set({ focusRequest: get().focusRequest + 1 });
  },
}));
