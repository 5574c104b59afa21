// The topology layout off the UI thread. The graph model itself is kept on the UI thread
// (shared/model/topology-graph-live.ts, O(changed) per delta): measured under load, a message to
// this worker waited 50-2,500 ms for the worker thread to run (Chromium schedules it behind the
// page), so per-delta patches must not ride through here. Only when items appear or disappear (a
// group forms, a filter changes) does the UI thread ask for new positions, once per shape.
import type { LayoutInput } from '../../shared/model/layered-layout';
import { layeredLayout } from '../../shared/model/layered-layout';

export interface LayoutRequest {
  type: 'layout';
  /** Echoed back: the UI thread keeps only the answer to its newest request. */
  token: number;
  items: LayoutInput['items'];
  edges: LayoutInput['edges'];
}

export interface LayoutAnswer {
  type: 'layout';
  token: number;
  /** x, y per requested item, in request order. */
  positions: Float64Array;
  layoutMs: number;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { token, items, edges } = event.data;
  const started = performance.now();
  const out = layeredLayout({ items, edges });
  const answer: LayoutAnswer = { type: 'layout', token, positions: out.positions, layoutMs: performance.now() - started };
  (self as unknown as Worker).postMessage(answer, [out.positions.buffer]);
};
