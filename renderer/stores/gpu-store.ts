// GPU view state: what to show (metric, range, grouping, sort), the last grid with its values
// decoded into a Float32Array, the drill-down node, and the refresh loop with backoff.
import { create } from 'zustand';
import type { GpuGrid, GpuGroupBy, GpuMetric, GpuSort } from '../../shared/contract/gpu';
import { getApi } from '../api/client';
import { refreshDelayMs, resolveRange, type RangeChoice } from './time-range';

export interface DecodedGrid extends Omit<GpuGrid, 'values'> {
  values: Float32Array;
  /** Size of what crossed the wire (base64 values + labels), for the footer and the benchmark. */
  bytes: number;
  receivedAt: number;
}

type WithFromBase64 = typeof Uint8Array & { fromBase64?: (base64: string) => Uint8Array<ArrayBuffer> };

export function decodeValues(base64: string): Float32Array {
  // Native decoding (Chromium 140+, so Electron 38) is ~10x faster than atob plus a per-byte loop
  // over 10 MB of base64; the loop stays for older engines.
  const fromBase64 = (Uint8Array as WithFromBase64).fromBase64;
  if (fromBase64) {
    const bytes = fromBase64(base64);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/** Lets the page paint and handle input between parsing a large answer and drawing it. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface GpuState {
  metric: GpuMetric;
  range: RangeChoice;
  groupBy: GpuGroupBy;
  sort: GpuSort;
  grid?: DecodedGrid;
  loading: boolean;
  error?: { code: string; message: string; since: number };
  failures: number;
  node?: string;
  fetches: number;
  set(patch: Partial<Pick<GpuState, 'metric' | 'range' | 'groupBy' | 'sort' | 'node'>>): void;
  load(context: string): Promise<void>;
}

let inflight = 0;

export const useGpuStore = create<GpuState>((set, get) => ({
  metric: 'util',
  range: { preset: '1h' },
  groupBy: 'node',
  sort: 'name',
  loading: false,
  failures: 0,
  fetches: 0,
  set(patch) {
    set(patch);
  },
  async load(context) {
    const { metric, range, groupBy, sort } = get();
    const ticket = ++inflight;
    set({ loading: true, fetches: get().fetches + 1 });
    try {
      const grid = await getApi().call('gpu.heatmap', { context, metric, range: resolveRange(range), groupBy, sort, callouts: true });
      if (ticket !== inflight) return;
      const bytes = grid.values.length + JSON.stringify(grid.rows).length;
      const values = decodeValues(grid.values);
      // The answer was parsed in this task; drawing it in the next keeps each under the long-task bar.
      await nextTask();
      if (ticket !== inflight) return;
      set({
        grid: { ...grid, values, bytes, receivedAt: Date.now() },
        loading: false,
        error: grid.freshness.stale && grid.freshness.error ? { ...grid.freshness.error, since: Date.parse(grid.freshness.since ?? grid.freshness.fetchedAt) } : undefined,
        failures: grid.freshness.stale ? get().failures + 1 : 0,
      });
    } catch (error) {
      if (ticket !== inflight) return;
      const e = error as { code?: string; message?: string };
      const previous = get().error;
      set({ loading: false, failures: get().failures + 1, error: { code: e.code ?? 'internal', message: e.message ?? String(error), since: previous?.since ?? Date.now() } });
    }
  },
}));

export const nextRefreshMs = () => refreshDelayMs(useGpuStore.getState().failures);
