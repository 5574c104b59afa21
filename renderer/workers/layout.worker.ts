// The topology graph off the UI thread: this worker mirrors the elements (fed the same deltas as
// the store), builds the graph model for the current filters/grouping/expanded groups, lays it out
// when its shape changed, and posts items, edges and positions back. The UI thread only draws.
import type { TopologyDelta, TopoElement } from '../../shared/contract/topology';
import { buildGraph, NO_FILTERS, type Filters, type GroupBy } from '../../shared/model/topology-graph';
import { layeredLayout } from '../../shared/model/layered-layout';
import type { GraphItem } from '../../shared/model/topology-graph';

export type WorkerRequest =
  | { type: 'delta'; delta: TopologyDelta; seq: number }
  | { type: 'view'; filters: Filters; groupBy: GroupBy; expanded: string[]; sizes: Record<GraphItem['kind'], [number, number]> };

/** Same items and edges as the last graph, some items changed (health, counts): only those. */
export interface WorkerPatch {
  type: 'patch';
  seq: number;
  changes: [number, GraphItem][];
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
}

const elements = new Map<string, TopoElement>();
let view: Extract<WorkerRequest, { type: 'view' }> | undefined;
let seq = 0;
let scheduled = false;
let lastShape = '';
let lastSignatures: string[] = [];

function rebuild(): void {
  scheduled = false;
  const v = view;
  if (!v) return;
  const started = performance.now();
  const model = buildGraph(elements, v.filters ?? NO_FILTERS, v.groupBy, new Set(v.expanded));
  const built = performance.now();
  // Re-layout only when items or edges changed, not when a health colour did.
  let shape = `${model.items.length}:${model.edges.length}`;
  for (const item of model.items) shape += `|${item.id}`;
  for (const [a, b] of model.edges) shape += `|${a}>${b}`;
  const signatures = model.items.map((item) => JSON.stringify(item));
  if (shape === lastShape) {
    const changes: [number, GraphItem][] = [];
    signatures.forEach((sig, i) => {
      if (sig !== lastSignatures[i]) changes.push([i, model.items[i]]);
    });
    lastSignatures = signatures;
    const patch: WorkerPatch = { type: 'patch', seq, changes };
    (self as unknown as Worker).postMessage(patch);
    return;
  }
  lastShape = shape;
  lastSignatures = signatures;
  const positions = new Float64Array(model.items.length * 2);
  const out = layeredLayout({ items: model.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: v.sizes[i.kind][0], h: v.sizes[i.kind][1] })), edges: model.edges });
  positions.set(out.positions);
  const message: WorkerGraph = {
    type: 'graph',
    seq,
    items: model.items,
    edges: model.edges,
    positions,
    buildMs: built - started,
    layoutMs: performance.now() - built,
  };
  (self as unknown as Worker).postMessage(message, [positions.buffer]);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(rebuild, 0);
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === 'delta') {
    const { delta } = message;
    if (delta.full) elements.clear();
    for (const id of delta.removals) elements.delete(id);
    for (const e of delta.upserts) elements.set(e.id, e);
    seq = message.seq;
  } else {
    view = message;
  }
  schedule();
};
