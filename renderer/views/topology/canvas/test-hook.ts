// The window hooks e2e tests and benchmarks read the topology canvas through. Names and shapes
// are fixed: test/e2e/topology*.test.ts use __flightdeckGraph, test/bench/{startup,topology}.ts
// set __flightdeckPaintProbe.
import type { GraphItem } from '../../../../shared/model/topology-graph';
import type { Box } from '../../../../shared/model/layered-layout';

/** A label as drawn: text, size and, zoomed out, its box on screen (CSS px). */
export interface DrawnLabel {
  id: string;
  text: string;
  px: number;
  x?: number;
  y?: number;
  w?: number;
  h?: number;
}

export interface GraphHook {
  clientPoint(id: string): { x: number; y: number } | undefined;
  visibleIds(): string[];
  item(id: string): { label: string; count?: number } | undefined;
  /** The labels the last full frame drew: text and on-screen size (CSS px). */
  labels(): DrawnLabel[];
  /** Whether the last frame drew this item dimmed (a search not matching it). */
  dimmed(id: string): boolean;
  /** Frames drawn whole and frames repainted only where something changed. */
  repaints: { full: number; partial: number };
  scale(): number;
}

declare global {
  interface Window {
    __flightdeckGraph?: GraphHook;
    /** Benchmark hook (test/bench/startup.ts, topology.ts): called after each frame the canvas drew, with what it drew from. */
    __flightdeckPaintProbe?: (items: readonly GraphItem[], placed: ReadonlyMap<string, Box>) => void;
  }
}

export function installGraphHook(hook: GraphHook): () => void {
  window.__flightdeckGraph = hook;
  return () => {
    if (window.__flightdeckGraph === hook) delete window.__flightdeckGraph;
  };
}

/** Tells a benchmark's probe, if one is set, what the frame just drawn showed. */
export function probePaint(items: readonly GraphItem[], placed: ReadonlyMap<string, Box>): void {
  window.__flightdeckPaintProbe?.(items, placed);
}
