// Benchmark bookkeeping for the topology view: when each delta arrived, was placed and was
// painted, and frame costs. test/bench/topology.ts (and startup.ts) read it through
// `window.__flightdeckTopology`; the store only reports deltas here, the canvas reports paints.
import type { TopologyDelta } from '../../shared/contract/topology';

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

export const topologyStats: TopologyStats = { elements: 0, latencies: [], frameTimes: [], seen: {}, sentOf: {}, consoleGotOf: {}, stages: [], worker: { graphs: 0, patches: 0, buildMs: [], layoutMs: [] } };
declare global {
  interface Window {
    __flightdeckTopology?: TopologyStats;
  }
}
if (typeof window !== 'undefined') window.__flightdeckTopology = topologyStats;

let pendingPaint: { seq: number; sentAt: number; firstEventAt?: number; receivedAt: number; builtAt: number; ids: string[]; synced: boolean }[] = [];
let paintScheduled = false;

/** True while a canvas is showing the graph: then only its paints close latency measurements. */
export const graphOnScreen = { current: false };

/** A new subscription: time to graph starts again. */
export function noteSubscribed(): void {
  topologyStats.subscribedAt = Date.now();
  topologyStats.completeAt = undefined;
}

/** Delta `seq` is applied (the store holds `elements` elements now); it waits for a paint. */
export function noteDelta(delta: TopologyDelta, seq: number, receivedAt: number, elements: number): void {
  topologyStats.elements = elements;
  pendingPaint.push({ seq, sentAt: delta.sentAt, firstEventAt: delta.firstEventAt, receivedAt, builtAt: 0, ids: topologyStats.watchPrefix ? delta.upserts.map((e) => e.id) : [], synced: delta.synced });
  if (!paintScheduled && !graphOnScreen.current) {
    paintScheduled = true;
    // Tables repaint with React: the next frame shows the delta.
    requestAnimationFrame(() => {
      paintScheduled = false;
      requestAnimationFrame(() => notePainted());
    });
  }
}

/** Every delta up to `seq` is in the graph model and placed (stage timestamps for the benchmark). */
export function noteBuilt(seq: number): void {
  const now = Date.now();
  for (const p of pendingPaint) if (p.seq <= seq && !p.builtAt) p.builtAt = now;
}

/** A frame the canvas drew took `ms` to draw. */
export function noteFrameTime(ms: number): void {
  topologyStats.frameTimes.push(ms);
  if (topologyStats.frameTimes.length > 20_000) topologyStats.frameTimes.splice(0, 10_000);
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
