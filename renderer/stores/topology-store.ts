// Live topology of the active context: the elements from `topology.delta` (kept in a Map outside
// React state; a version number tells views to redraw), plus the view's own state (filters,
// grouping, expanded groups, selection). The benchmark's figures live in topology-bench-hook.ts.
import { create } from 'zustand';
import type { TopoElement, TopologyDelta } from '../../shared/contract/topology';
import { getApi } from '../api/client';
import { NO_FILTERS, type Filters, type GroupBy } from '../../shared/model/topology-graph';
import { noteDelta, noteSubscribed } from './topology-bench-hook';

export type TopologyTab = 'graph' | 'pods' | 'nodes' | 'workloads' | 'events';

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

let unsubscribe: (() => void) | undefined;
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
    noteSubscribed();
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
        const seq = ++deltaSeq;
        noteDelta(delta, seq, receivedAt, elements.size);
        for (const listener of deltaListeners) listener(delta, seq);
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
