// Packs DCGM range-query series into the heatmap grid: one row per GPU (series of the same GPU with
// different pods merge into one row), one column per step, values in one Float32Array (NaN = no
// sample). Pure: the main process packs, the tests pin it, the renderer only draws.
import type { GpuGroupBy, GpuRow, GpuSort } from '../contract/gpu.js';
import { gpuIdentity, gpuKey, sampleValue } from './gpu-labels.js';

export interface MatrixSeries {
  labels: Record<string, string>;
  /** Prometheus `values`: [unix seconds, "value"]. */
  values: Array<[number, string]>;
}

/** The same series decoded into typed arrays (what the Prometheus client returns). */
export interface CompactSeries {
  labels: Record<string, string>;
  times: ArrayLike<number>;
  /** Sample values as numbers: NaN, ±Inf and DCGM blanks included as they came. */
  samples: ArrayLike<number>;
}

export type AnySeries = MatrixSeries | CompactSeries;

/** Calls `fn(t, value)` for each sample of either series form. */
export function forEachSample(s: AnySeries, fn: (t: number, v: number) => void): void {
  if ('samples' in s) {
    for (let k = 0; k < s.times.length; k++) fn(s.times[k], s.samples[k]);
  } else {
    for (const [t, raw] of s.values) fn(t, Number(raw));
  }
}

/** How rows are grouped and ordered. */
export interface RowOrderOptions {
  groupBy: GpuGroupBy;
  sort: GpuSort;
  /** Node -> pool name, from node labels when the cluster is reachable. */
  pools?: Record<string, string>;
}

export interface PackOptions extends RowOrderOptions {
  start: number;
  step: number;
  columns: number;
}

/** A run of consecutive rows under one group heading. */
export interface RowGroup {
  name: string;
  firstRow: number;
  count: number;
}

export interface PackedGrid {
  rows: GpuRow[];
  groups: RowGroup[];
  values: Float32Array;
  /** Series without a node label: counted, not drawn (the view says so). */
  unlabelled: number;
  observed: { min: number; max: number } | null;
}

/** Pool of a node without pool labels: its name without the trailing ordinal ("gpu-a100-07" -> "gpu-a100"). */
export const poolFromName = (node: string): string => node.replace(/[-_.]?\d+$/, '') || node;

export function columnsFor(start: number, end: number, step: number): number {
  return Math.max(0, Math.floor((end - start) / step + 1e-9) + 1);
}

interface Building {
  row: GpuRow;
  cells: Float32Array;
  lastSeen: number;
}

export function packGrid(series: AnySeries[], options: PackOptions): PackedGrid {
  const { start, step, columns } = options;
  const byKey = new Map<string, Building>();
  let unlabelled = 0;
  for (const s of series) {
    const id = gpuIdentity(s.labels);
    if (!id) {
      unlabelled++;
      continue;
    }
    const key = gpuKey(id);
    let b = byKey.get(key);
    if (!b) {
      b = {
        row: { key, node: id.node, gpu: id.gpu, uuid: id.uuid, model: id.model, group: '', mean: null, max: null, variance: null },
        cells: new Float32Array(columns).fill(Number.NaN),
        lastSeen: -Infinity,
      };
      byKey.set(key, b);
    }
    let last = -Infinity;
    const cells = b.cells;
    forEachSample(s, (t, raw) => {
      const col = Math.round((t - start) / step);
      if (col < 0 || col >= columns) return;
      const v = sampleValue(raw);
      if (Number.isFinite(v)) cells[col] = v;
      last = t;
    });
    // The pod shown is the one on the GPU most recently (a GPU is reused as pods come and go).
    if (last >= b.lastSeen) {
      b.lastSeen = last;
      b.row.pod = id.pod;
      b.row.namespace = id.namespace;
      b.row.container = id.container;
    }
  }

  const built = [...byKey.values()];
  let min = Infinity;
  let max = -Infinity;
  for (const b of built) {
    const st = stats(b.cells);
    b.row.mean = st.mean;
    b.row.max = st.max;
    b.row.variance = st.variance;
    if (st.min !== null && st.min < min) min = st.min;
    if (st.max !== null && st.max > max) max = st.max;
    b.row.group = groupOf(b.row, options);
  }

  const ordered = orderRows(built, options.sort);
  const values = new Float32Array(ordered.length * columns);
  ordered.forEach((b, i) => values.set(b.cells, i * columns));
  const rows = ordered.map((b) => b.row);
  return { rows, groups: groupRuns(rows), values, unlabelled, observed: min <= max ? { min, max } : null };
}

/** The runs of consecutive rows with the same group (rows already ordered by orderRows). */
export function groupRuns(rows: GpuRow[]): RowGroup[] {
  const groups: RowGroup[] = [];
  rows.forEach((row, i) => {
    const g = groups[groups.length - 1];
    if (g && g.name === row.group) g.count++;
    else groups.push({ name: row.group, firstRow: i, count: 1 });
  });
  return groups;
}

export function groupOf(row: GpuRow, options: Pick<PackOptions, 'groupBy' | 'pools'>): string {
  switch (options.groupBy) {
    case 'node':
      return row.node;
    case 'pool':
      return options.pools?.[row.node] ?? poolFromName(row.node);
    case 'model':
      return row.model;
    case 'namespace':
      return row.namespace ?? '(unallocated)';
  }
}

export function stats(cells: ArrayLike<number>): { mean: number | null; max: number | null; min: number | null; variance: number | null } {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (n === 0) return { mean: null, max: null, min: null, variance: null };
  const mean = sum / n;
  return { mean, max, min, variance: Math.max(0, sumSq / n - mean * mean) };
}

// One collator for every comparison: localeCompare with options builds a new one per call.
const collator = new Intl.Collator('en', { numeric: true });
const naturalCompare = (a: string, b: string) => collator.compare(a, b);

/**
 * Rows stay together in their group. Sorting by a statistic orders the groups by their highest row
 * and the rows inside each group, highest first, so the busiest (or most erratic) GPUs come up top.
 */
export function orderRows<B extends { row: GpuRow }>(built: B[], sort: GpuSort): B[] {
  const key = (b: B) => (sort === 'name' ? 0 : (b.row[sort] ?? -Infinity));
  const byGroup = new Map<string, B[]>();
  for (const b of built) {
    const list = byGroup.get(b.row.group);
    if (list) list.push(b);
    else byGroup.set(b.row.group, [b]);
  }
  const byName = (a: B, b: B) => naturalCompare(a.row.node, b.row.node) || naturalCompare(a.row.gpu, b.row.gpu) || naturalCompare(a.row.uuid, b.row.uuid);
  const groups = [...byGroup.entries()].map(([name, rows]) => {
    rows.sort((a, b) => (sort === 'name' ? byName(a, b) : key(b) - key(a) || byName(a, b)));
    return { name, rows, top: sort === 'name' ? 0 : Math.max(...rows.map(key)) };
  });
  groups.sort((a, b) => (sort === 'name' ? naturalCompare(a.name, b.name) : b.top - a.top || naturalCompare(a.name, b.name)));
  return groups.flatMap((g) => g.rows);
}
