// The topology graph off the UI thread: this worker mirrors the elements (fed the same deltas as
// the store) in an incremental graph model (shared/model/topology-graph-live.ts): a pod delta
// updates its own item or its group's counts, and the UI thread gets just those items and edges.
// The layout runs again only when items appear or disappear (a group forms, a small group's pod
// comes or goes, a filter changes); then the whole graph is sent once with its positions.
import type { TopologyDelta } from '../../shared/contract/topology';
import { LiveGraph } from '../../shared/model/topology-graph-live';
import { type Filters, type GraphItem, type GroupBy } from '../../shared/model/topology-graph';
import { layeredLayout } from '../../shared/model/layered-layout';

export type WorkerRequest =
  | { type: 'delta'; delta: TopologyDelta; seq: number }
  | { type: 'view'; filters: Filters; groupBy: GroupBy; expanded: string[]; sizes: Record<GraphItem['kind'], [number, number]> };

/** Same items as the last graph; some changed (health, counts) and some edges came or went. */
export interface WorkerPatch {
  type: 'patch';
  seq: number;
  /** [index in the last graph's items, the item now]. */
  changes: [number, GraphItem][];
  edgesAdded: [string, string][];
  edgesRemoved: [string, string][];
  buildMs: number;
  /** When the newest delta reached the worker, and when this answer left (latency figures). */
  gotAt: number;
  postedAt: number;
}

export interface WorkerGraph {
  type: 'graph';
  /** Newest delta this graph includes (for event-to-screen figures). */
  seq: number;
  items: GraphItem[];
  edges: [string, string][];
  /** x, y per item, in item order. */
  positions: Float64Array;
  buildMs: number;
  layoutMs: number;
  gotAt: number;
  postedAt: number;
}

const live = new LiveGraph();
let view: Extract<WorkerRequest, { type: 'view' }> | undefined;
let seq = 0;
let gotAt = 0;
let scheduled = false;
/** Item id -> its index in the items the UI thread holds (patches address items by index). */
let indexOf = new Map<string, number>();

function post(message: WorkerGraph | WorkerPatch, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

function flush(): void {
  scheduled = false;
  const v = view;
  if (!v) return;
  const started = performance.now();
  const changes = live.flush();
  const built = performance.now();
  if (!changes.structural) {
    const patch: WorkerPatch = { type: 'patch', seq, changes: [], edgesAdded: changes.edgesAdded, edgesRemoved: changes.edgesRemoved, buildMs: built - started, gotAt, postedAt: Date.now() };
    for (const item of changes.updated) patch.changes.push([indexOf.get(item.id)!, item]);
    // Sent even when empty: it tells the canvas which delta it now shows.
    post(patch);
    return;
  }
  const model = live.model();
  indexOf = new Map(model.items.map((item, i) => [item.id, i]));
  const out = layeredLayout({ items: model.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: v.sizes[i.kind][0], h: v.sizes[i.kind][1] })), edges: model.edges });
  const message: WorkerGraph = { type: 'graph', seq, items: model.items, edges: model.edges, positions: out.positions, buildMs: built - started, layoutMs: performance.now() - built, gotAt, postedAt: Date.now() };
  post(message, [out.positions.buffer]);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(flush, 0);
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === 'delta') {
    live.applyDelta(message.delta);
    seq = message.seq;
    gotAt = Date.now();
  } else {
    view = message;
    live.setView(message.filters, message.groupBy, new Set(message.expanded));
  }
  schedule();
};
