// The heatmap's rows without their values: every GPU of the range with its labels and statistics,
// built from instant `*_over_time` answers (8,000 numbers each) instead of the 1.9M-cell range
// answer, so sorting, grouping and the scrollbar cover the whole fleet while only the rows on screen
// have their values fetched. Pure: the main process lays out, the tests pin it.
import type { GpuRow } from '../contract/gpu.js';
import { groupOf, groupRuns, orderRows, type PackedGrid, type RowGroup, type RowOrderOptions } from './gpu-grid.js';
import { gpuIdentity, gpuKey, sampleValue } from './gpu-labels.js';

export interface InstantValue {
  labels: Record<string, string>;
  value: string;
}

/** Answers of gpuStatQueries (and gpuCountQuery), one sample per series. */
export interface StatAnswers {
  /** Every series of the range, valued with its maximum (blanks kept) when listHoldsMax, else its sample count. */
  list: InstantValue[];
  listHoldsMax: boolean;
  /** Absent when the means were not asked for: rows then have mean (and variance) null, max from the list. */
  avg?: InstantValue[];
  /** Maximum with blanks dropped (when the list holds counts). */
  max?: InstantValue[];
  /** Absent when variance was not asked for: rows then have variance null. */
  stddev?: InstantValue[];
  /** The series still there at the end; only those of GPUs with several series matter (which pod is shown). */
  present: InstantValue[];
  /** Sample counts, for the series of GPUs with more than one series (when the list holds maxima). */
  count?: InstantValue[];
}

export type LayoutOptions = RowOrderOptions;

export interface GpuLayout {
  rows: GpuRow[];
  groups: RowGroup[];
  /** Series without a node label: counted, not drawn. */
  unlabelled: number;
  /** Highest row maximum (the power scale follows it). */
  observedMax: number | null;
}

/** A series' identity across answers: its labels without the metric name (`*_over_time` drops it). */
export function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
}

interface Accumulating {
  row: GpuRow;
  current: boolean;
  n: number;
  sum: number;
  sumSq: number;
  max: number;
}

const byKey = (answer: InstantValue[]) => new Map(answer.map((s) => [seriesKey(s.labels), sampleValue(s.value)]));

/** GPUs with more than one series in the list (a GPU that changed pods): whose counts to ask for. */
export function gpusWithSeveralSeries(list: InstantValue[]): Array<{ node: string; uuid: string }> {
  const seen = new Map<string, { node: string; uuid: string; n: number }>();
  for (const s of list) {
    const id = gpuIdentity(s.labels);
    if (!id) continue;
    const key = gpuKey(id);
    const g = seen.get(key);
    if (g) g.n++;
    else seen.set(key, { node: id.node, uuid: id.uuid, n: 1 });
  }
  return [...seen.values()].filter((g) => g.n > 1).map(({ node, uuid }) => ({ node, uuid }));
}

/**
 * One row per GPU. A GPU reused by several pods has one series per pod: their statistics merge
 * weighted by sample count (mean and variance from per-series count, mean and standard deviation).
 * The pod shown is the one whose series is still there at the end of the range; a GPU with none
 * (gone silent) shows its first series' pod. A series with a DCGM blank in the range has no
 * statistics (PromQL drops it rather than average a placeholder), but its GPU still has a row.
 */
export function layoutRows(answers: StatAnswers, options: LayoutOptions): GpuLayout {
  const avg = answers.avg ? byKey(answers.avg) : undefined;
  const max = byKey(answers.listHoldsMax ? answers.list : (answers.max ?? []));
  const counts = byKey(answers.listHoldsMax ? (answers.count ?? []) : answers.list);
  const sd = answers.stddev ? byKey(answers.stddev) : undefined;
  const present = new Set(answers.present.map((s) => seriesKey(s.labels)));
  const gpus = new Map<string, Accumulating>();
  let unlabelled = 0;
  for (const s of answers.list) {
    const id = gpuIdentity(s.labels);
    if (!id) {
      unlabelled++;
      continue;
    }
    const key = gpuKey(id);
    const sk = seriesKey(s.labels);
    let a = gpus.get(key);
    if (!a) {
      a = {
        row: { key, node: id.node, gpu: id.gpu, uuid: id.uuid, model: id.model, pod: id.pod, namespace: id.namespace, container: id.container, group: '', mean: null, max: null, variance: null },
        current: false,
        n: 0,
        sum: 0,
        sumSq: 0,
        max: -Infinity,
      };
      gpus.set(key, a);
    }
    if (!a.current && present.has(sk)) {
      a.current = true;
      a.row.pod = id.pod;
      a.row.namespace = id.namespace;
      a.row.container = id.container;
    }
    const m = max.get(sk) ?? Number.NaN;
    if (!avg) {
      if (Number.isFinite(m) && m > a.max) a.max = m;
      continue;
    }
    // A GPU with one series needs no count: any weight gives its own statistics.
    const n = counts.get(sk) ?? 1;
    const mean = avg.get(sk) ?? Number.NaN;
    if (!(n > 0) || !Number.isFinite(mean)) continue;
    const deviation = sd?.get(sk) ?? Number.NaN;
    a.n += n;
    a.sum += n * mean;
    a.sumSq += n * ((Number.isFinite(deviation) ? deviation * deviation : 0) + mean * mean);
    if (Number.isFinite(m) && m > a.max) a.max = m;
  }

  let observedMax = -Infinity;
  const built = [...gpus.values()];
  for (const a of built) {
    if (a.n > 0) {
      const mean = a.sum / a.n;
      a.row.mean = mean;
      a.row.variance = sd ? Math.max(0, a.sumSq / a.n - mean * mean) : null;
    }
    if (Number.isFinite(a.max)) {
      a.row.max = a.max;
      if (a.max > observedMax) observedMax = a.max;
    }
    a.row.group = groupOf(a.row, options);
  }
  const ordered = orderRows(built, options.sort).map((a) => a.row);
  return { rows: ordered, groups: groupRuns(ordered), unlabelled, observedMax: Number.isFinite(observedMax) ? observedMax : null };
}

/** Rows [offset, offset + count) of the full order, clamped to what exists. */
export function windowOf(total: number, offset: number, count?: number): { rowOffset: number; rowCount: number } {
  const rowOffset = Math.min(Math.max(0, Math.floor(offset)), total);
  const rowCount = Math.max(0, Math.min(total - rowOffset, count ?? total));
  return { rowOffset, rowCount };
}

/**
 * The window's values in the window's row order, from a grid packed out of the window query's
 * answer (which may hold extra GPUs, or lack a GPU that stopped reporting: its cells stay NaN).
 */
export function placeWindow(windowRows: GpuRow[], packed: PackedGrid, columns: number): Float32Array {
  const index = new Map(packed.rows.map((r, i) => [r.key, i]));
  const values = new Float32Array(windowRows.length * columns).fill(Number.NaN);
  windowRows.forEach((row, i) => {
    const at = index.get(row.key);
    if (at !== undefined) values.set(packed.values.subarray(at * columns, (at + 1) * columns), i * columns);
  });
  return values;
}
