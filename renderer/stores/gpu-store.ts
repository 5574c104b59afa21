// GPU view state: what to show (metric, range, grouping, sort), the grid (every row's labels and
// statistics, values for the rows fetched so far), the scroll position, the drill-down node with its
// own small grid, and the refresh loop with backoff. Values arrive a window of rows at a time: a
// refresh fetches the rows on screen plus a page of overscan, a scroll fetches the pages it reaches.
import { create } from 'zustand';
import type { GpuCallout, GpuGrid, GpuGroupBy, GpuMetric, GpuSort } from '../../shared/contract/gpu';
import { getApi } from '../api/client';
import { refreshDelayMs, resolveRange, type RangeChoice } from './time-range';
import { missingSpan, pageWindow, rowsMatch } from '../../shared/model/gpu-pages';

export interface DecodedGrid extends Omit<GpuGrid, 'values' | 'rowsFrom' | 'rowOffset' | 'rowCount'> {
  /** totalRows x columns, row-major; NaN = no sample. Rows not fetched yet (loaded[row] = 0) hold zeros: read `loaded` first. */
  values: Float32Array;
  /** 1 for each row whose values are fetched. */
  loaded: Uint8Array;
  /** Size of what crossed the wire for this grid so far (base64 values + labels), for the footer and the benchmark. */
  bytes: number;
  receivedAt: number;
}

type WithFromBase64 = typeof Uint8Array & { fromBase64?: (base64: string) => Uint8Array<ArrayBuffer> };

export function decodeValues(base64: string): Float32Array {
  // Native decoding (Chromium 140+, so Electron 38) is ~10x faster than atob plus a per-byte loop;
  // the loop stays for older engines.
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

/** Lets the page paint and handle input between parsing an answer and drawing it. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** How long a grid stays before its callouts are asked for (about the time to pick another range). */
export const CALLOUTS_AFTER_MS = 500;

/** Rows the heatmap shows at once, and how many more are fetched below them. */
export const VISIBLE_ROWS = 96;
export const OVERSCAN_ROWS = 64;

/** Places a window answer's values into the full-size grid arrays. */
function place(grid: Pick<DecodedGrid, 'values' | 'loaded' | 'columns'>, answer: GpuGrid): void {
  const values = decodeValues(answer.values);
  grid.values.set(values.subarray(0, answer.rowCount * answer.columns), answer.rowOffset * answer.columns);
  grid.loaded.fill(1, answer.rowOffset, answer.rowOffset + answer.rowCount);
}

/**
 * About what crossed the wire: the base64 values plus the row labels (their text, and ~150 bytes a row
 * for field names, punctuation and statistics). Summing lengths is ~1 ms; JSON.stringify of 8,000 rows was ~14 ms of the refresh task.
 */
function wireBytes(answer: GpuGrid): number {
  let bytes = answer.values.length;
  for (const r of answer.rows) bytes += r.key.length + r.node.length + r.gpu.length + r.uuid.length + r.model.length + r.group.length + (r.pod?.length ?? 0) + (r.namespace?.length ?? 0) + (r.container?.length ?? 0) + 150;
  return bytes;
}

/** Callouts of a grid's range, and which context and range choice they were asked for. */
export interface GridCallouts {
  list: GpuCallout[];
  /** `calloutsKey` of the request: the panel marks older ones as being updated. */
  key: string;
  /** Why the last request for these failed (the list is then the previous one). */
  error?: string;
}

/** What callouts depend on: the context and the range choice (not the metric, grouping or sort). */
export const calloutsKey = (context: string, range: RangeChoice): string => JSON.stringify([context, range.preset, range.start, range.end]);

export interface GpuState {
  metric: GpuMetric;
  range: RangeChoice;
  groupBy: GpuGroupBy;
  sort: GpuSort;
  grid?: DecodedGrid;
  /** First row on screen. */
  offset: number;
  loading: boolean;
  error?: { code: string; message: string; since: number };
  failures: number;
  node?: string;
  /** The drill-down node's GPUs over the grid's range (all its rows, with values). */
  drill?: DecodedGrid & { node: string };
  fetches: number;
  /** The callouts, fetched after the grid they belong to is on screen (undefined until the first). */
  callouts?: GridCallouts;
  set(patch: Partial<Pick<GpuState, 'metric' | 'range' | 'groupBy' | 'sort' | 'node'>>): void;
  setOffset(offset: number): void;
  load(context: string): Promise<void>;
  /** Fetches the values of rows [from, to) that are not fetched yet (whole pages). */
  ensureRows(context: string, from: number, to: number): Promise<void>;
  loadNode(context: string, node: string): Promise<void>;
}

let inflight = 0;
const pending = new Set<string>();

export const useGpuStore = create<GpuState>((set, get) => ({
  metric: 'util',
  range: { preset: '1h' },
  groupBy: 'node',
  sort: 'name',
  offset: 0,
  loading: false,
  failures: 0,
  fetches: 0,
  set(patch) {
    // A new sort or grouping puts other rows on screen: start from the top.
    const top = patch.sort !== undefined || patch.groupBy !== undefined ? { offset: 0 } : {};
    const drill = 'node' in patch && patch.node !== get().node ? { drill: undefined } : {};
    set({ ...patch, ...top, ...drill });
  },
  setOffset(offset) {
    const total = get().grid?.totalRows ?? 0;
    set({ offset: Math.max(0, Math.min(Math.max(0, total - VISIBLE_ROWS), Math.round(offset))) });
  },
  async load(context) {
    const { metric, range, groupBy, sort, offset } = get();
    const ticket = ++inflight;
    set({ loading: true, fetches: get().fetches + 1 });
    try {
      const window = pageWindow(offset, VISIBLE_ROWS + OVERSCAN_ROWS);
      // The callouts are asked for once the grid is here (below): their fleet-wide queries used to
      // delay every cell of the heatmap.
      const answer = await getApi().call('gpu.heatmap', { context, metric, range: resolveRange(range), groupBy, sort, callouts: false, ...window, labels: 'all' });
      // Three tasks, each under the long-task bar: parsing the answer (above), placing its values, drawing.
      await nextTask();
      if (ticket !== inflight) return;
      const total = answer.totalRows;
      const grid: DecodedGrid = {
        ...answer,
        // Not filled with NaN: filling 1.9M cells cost ~20 ms of the refresh task; `loaded` says which rows are real.
        values: new Float32Array(total * answer.columns),
        loaded: new Uint8Array(total),
        bytes: wireBytes(answer),
        receivedAt: Date.now(),
      };
      place(grid, answer);
      await nextTask();
      if (ticket !== inflight) return;
      set({
        grid,
        offset: Math.min(get().offset, Math.max(0, total - VISIBLE_ROWS)),
        loading: false,
        error: answer.freshness.stale && answer.freshness.error ? { ...answer.freshness.error, since: Date.parse(answer.freshness.since ?? answer.freshness.fetchedAt) } : undefined,
        failures: answer.freshness.stale ? get().failures + 1 : 0,
      });
      // Callouts for a range the user stays on: flipping through ranges must not leave their
      // fleet-wide queries (seconds of Prometheus CPU for a large fleet) running behind the next grid.
      const key = calloutsKey(context, range);
      setTimeout(() => {
        if (ticket === inflight) void loadCallouts(context, key, answer.range, ticket);
      }, CALLOUTS_AFTER_MS);
    } catch (error) {
      if (ticket !== inflight) return;
      const e = error as { code?: string; message?: string };
      const previous = get().error;
      set({ loading: false, failures: get().failures + 1, error: { code: e.code ?? 'internal', message: e.message ?? String(error), since: previous?.since ?? Date.now() } });
    }
  },
  async ensureRows(context, from, to) {
    const grid = get().grid;
    if (!grid) return;
    const span = missingSpan(grid.loaded, from, to, (page) => pending.has(`${grid.receivedAt}|${page}`));
    if (!span) return;
    const pages = span.pages.map((p) => `${grid.receivedAt}|${p}`);
    pages.forEach((p) => pending.add(p));
    try {
      const { metric, groupBy, sort } = get();
      const answer = await getApi().call('gpu.heatmap', {
        context,
        metric,
        range: { ...grid.range, step: grid.step },
        groupBy,
        sort,
        callouts: false,
        rowOffset: span.rowOffset,
        rowCount: span.rowCount,
        labels: 'window',
      });
      const current = get().grid;
      if (current !== grid) return; // a refresh replaced the grid meanwhile
      if (!rowsMatch(grid, answer)) {
        // The main process laid the rows out again (its layout expired): this grid's order is gone.
        if (!answer.freshness.stale) void get().load(context);
        return;
      }
      place(grid, answer);
      set({ grid: { ...grid, bytes: grid.bytes + wireBytes(answer) } });
    } catch {
      // The next scroll or refresh asks again; the refresh reports Prometheus errors.
    } finally {
      pages.forEach((p) => pending.delete(p));
    }
  },
  async loadNode(context, node) {
    const grid = get().grid;
    if (!grid) return;
    const { metric, groupBy, sort } = get();
    try {
      const answer = await getApi().call('gpu.heatmap', { context, metric, range: { ...grid.range, step: grid.step }, groupBy, sort, node, callouts: false, rowOffset: 0, labels: 'all' });
      if (get().node !== node || get().grid?.receivedAt !== grid.receivedAt) return;
      const values = decodeValues(answer.values);
      set({ drill: { ...answer, node, values, loaded: new Uint8Array(answer.totalRows).fill(1), bytes: wireBytes(answer), receivedAt: Date.now() } });
    } catch {
      // The drill-down keeps showing what it had; the main grid reports Prometheus errors.
    }
  },
}));

/** The callouts of the grid just loaded (its exact range); dropped when a newer load started meanwhile. */
async function loadCallouts(context: string, key: string, range: { start: number; end: number }, ticket: number): Promise<void> {
  try {
    const answer = await getApi().call('gpu.callouts', { context, range });
    if (ticket === inflight) useGpuStore.setState({ callouts: { list: answer.callouts, key } });
  } catch (error) {
    // The panel keeps the callouts it had and says why they are not this range's.
    if (ticket !== inflight) return;
    const message = (error as { message?: string }).message ?? String(error);
    useGpuStore.setState({ callouts: { list: useGpuStore.getState().callouts?.list ?? [], key, error: message } });
  }
}

export const nextRefreshMs = () => refreshDelayMs(useGpuStore.getState().failures);
