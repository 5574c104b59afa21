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
  watchPrefix?: string;
}

export interface TopologyState {
  context?: string;
  elements: Map<string, TopoElement>;
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

export const topologyStats: TopologyStats = { elements: 0, latencies: [], frameTimes: [], seen: {} };
declare global {
  interface Window {
    __flightdeckTopology?: TopologyStats;
  }
}
if (typeof window !== 'undefined') window.__flightdeckTopology = topologyStats;

let unsubscribe: (() => void) | undefined;
let pendingPaint: { seq: number; sentAt: number; ids: string[]; synced: boolean }[] = [];
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
    if (prefix) for (const id of p.ids) if (id.includes(prefix) && !(id in topologyStats.seen)) topologyStats.seen[id] = now;
  }
  if (topologyStats.latencies.length > 20_000) topologyStats.latencies.splice(0, 10_000);
}

/** True while a canvas is showing the graph: then only its paints close latency measurements. */
export const graphOnScreen = { current: false };

export const useTopologyStore = create<TopologyState>((set, get) => ({
  elements: new Map(),
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
    set({ context, elements: new Map(), version: get().version + 1, synced: false, offlineAsOf: undefined, error: undefined, selected: undefined, detailsOpen: false, expanded: new Set() });
    if (!context) return;
    topologyStats.subscribedAt = Date.now();
    topologyStats.completeAt = undefined;
    unsubscribe = getApi().subscribe(
      'topology.delta',
      { context },
      (delta: TopologyDelta) => {
        if (get().context !== context) return;
        const elements = delta.full ? new Map<string, TopoElement>() : get().elements;
        for (const id of delta.removals) elements.delete(id);
        for (const e of delta.upserts) elements.set(e.id, e);
        topologyStats.elements = elements.size;
        const seq = ++deltaSeq;
        pendingPaint.push({ seq, sentAt: delta.sentAt, ids: topologyStats.watchPrefix ? delta.upserts.map((e) => e.id) : [], synced: delta.synced });
        for (const listener of deltaListeners) listener(delta, seq);
        if (!paintScheduled && !graphOnScreen.current) {
          paintScheduled = true;
          // Tables repaint with React: the next frame shows the delta.
          requestAnimationFrame(() => {
            paintScheduled = false;
            requestAnimationFrame(() => notePainted());
          });
        }
        set({ elements, version: get().version + 1, synced: delta.synced, offlineAsOf: delta.offlineAsOf, error: undefined });
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
