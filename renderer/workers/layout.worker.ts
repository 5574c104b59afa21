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
const lastPositions = new Map<string, [number, number]>();

function rebuild(): void {
  scheduled = false;
  if (!view) return;
  const started = performance.now();
  const model = buildGraph(elements, view.filters ?? NO_FILTERS, view.groupBy, new Set(view.expanded));
  const built = performance.now();
  // Re-layout only when items or edges changed, not when a health colour did.
  let shape = `${model.items.length}:${model.edges.length}`;
  for (const item of model.items) shape += `|${item.id}`;
  for (const [a, b] of model.edges) shape += `|${a}>${b}`;
  const positions = new Float64Array(model.items.length * 2);
  if (shape !== lastShape) {
    lastShape = shape;
    const out = layeredLayout({ items: model.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: view!.sizes[i.kind][0], h: view!.sizes[i.kind][1] })), edges: model.edges });
    lastPositions.clear();
    model.items.forEach((item, i) => {
      positions[i * 2] = out.positions[i * 2];
      positions[i * 2 + 1] = out.positions[i * 2 + 1];
      lastPositions.set(item.id, [out.positions[i * 2], out.positions[i * 2 + 1]]);
    });
  } else {
    model.items.forEach((item, i) => {
      const p = lastPositions.get(item.id)!;
      positions[i * 2] = p[0];
      positions[i * 2 + 1] = p[1];
    });
  }
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
