// PromQL for the GPU heatmap and its callouts, over DCGM exporter metrics (ops-domain.md).
// Each builder accepts both label forms of the node (`Hostname` and `hostname`) by OR-ing the two
// selectors. Plain metrics keep DCGM blank placeholders so a GPU that reports only blanks still has
// its (empty) row - packing turns them into missing cells; arithmetic (memory %) and the callouts'
// aggregations drop them in PromQL, where they would otherwise poison the result.
import type { GpuMetric } from '../contract/gpu.js';
import { NODE_LABELS } from './gpu-labels.js';

export interface GpuMetricDef {
  title: string;
  unit: string;
  /** Fixed colour scale, or null when it follows the data (power). */
  scale: [number, number] | null;
  expr(selector: string): string;
  /**
   * `fn`_over_time of the metric over a window, in the metric's unit, blanks dropped (`count` and
   * `listMax` keep them: they enumerate every series seen). Memory % divides by the mean total
   * (used + free), which is exact while the GPU's memory size does not change; it has no `listMax`.
   */
  overTime(fn: StatFn, selector: string, window: string): string | null;
}

/** `listMax`: the maximum with DCGM blanks kept (>= 2^63 when the series had one), or null when the metric cannot say. */
export type StatFn = 'count' | 'avg' | 'max' | 'stddev' | 'listMax';

const plain = (name: string, scale = '') => (fn: StatFn, s: string, w: string) =>
  fn === 'count' ? `count_over_time(${name}${s}[${w}])` : fn === 'listMax' ? `${scale}max_over_time(${name}${s}[${w}])` : `${scale}(${fn}_over_time(${name}${s}[${w}]) < ${BLANK})`;

const BLANK = '9.2e18';
const m = (name: string, selector: string) => `(${name}${selector} < ${BLANK})`;

export const GPU_METRICS: Record<GpuMetric, GpuMetricDef> = {
  util: { title: 'GPU utilization', unit: '%', scale: [0, 100], expr: (s) => `DCGM_FI_DEV_GPU_UTIL${s}`, overTime: plain('DCGM_FI_DEV_GPU_UTIL') },
  memUsedPct: {
    title: 'Memory used',
    unit: '%',
    scale: [0, 100],
    expr: (s) => `100 * ${m('DCGM_FI_DEV_FB_USED', s)} / (${m('DCGM_FI_DEV_FB_USED', s)} + ${m('DCGM_FI_DEV_FB_FREE', s)})`,
    overTime: (fn, s, w) =>
      fn === 'count'
        ? `count_over_time(DCGM_FI_DEV_FB_USED${s}[${w}])`
        : fn === 'listMax'
          ? null
          : `100 * (${fn}_over_time(DCGM_FI_DEV_FB_USED${s}[${w}]) < ${BLANK}) / ((avg_over_time(DCGM_FI_DEV_FB_USED${s}[${w}]) < ${BLANK}) + (avg_over_time(DCGM_FI_DEV_FB_FREE${s}[${w}]) < ${BLANK}))`,
  },
  temp: { title: 'Temperature', unit: '°C', scale: [30, 95], expr: (s) => `DCGM_FI_DEV_GPU_TEMP${s}`, overTime: plain('DCGM_FI_DEV_GPU_TEMP') },
  power: { title: 'Power', unit: 'W', scale: null, expr: (s) => `DCGM_FI_DEV_POWER_USAGE${s}`, overTime: plain('DCGM_FI_DEV_POWER_USAGE') },
  engineActive: { title: 'Graphics engine active', unit: '%', scale: [0, 100], expr: (s) => `100 * DCGM_FI_PROF_GR_ENGINE_ACTIVE${s}`, overTime: plain('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '100 * ') },
};

/** Escapes a label value for a PromQL string literal. */
export const promString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Selectors for the whole fleet, or one node's GPUs under either host label. */
const nodeSelectors = (node?: string): string[] => (node ? [`{Hostname=${promString(node)}}`, `{hostname=${promString(node)}}`] : ['']);

/** `build(selector)` for each selector, OR-ed (one selector needs no parentheses). */
const anyOf = (selectors: string[], build: (selector: string) => string): string =>
  selectors.length === 1 ? build(selectors[0]) : selectors.map((s) => `(${build(s)})`).join(' or ');

/** The heatmap query; with `node`, only that node's GPUs under either host label. */
export function gpuMetricQuery(metric: GpuMetric, node?: string): string {
  return anyOf(nodeSelectors(node), GPU_METRICS[metric].expr);
}

/** Escapes a literal for an RE2 regular expression (Prometheus anchors `=~` at both ends). */
export const regexLiteral = (value: string): string => value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** What selects one GPU's series: its UUID (either label form), or its node when it has none. */
export interface GpuSelectorKey {
  node: string;
  uuid: string;
}

/**
 * The heatmap query for just these GPUs (a window of rows): a regex set on `UUID`/`uuid`, and for
 * GPUs without a UUID their nodes under every node label gpuIdentity reads. May select more series
 * than asked (another GPU of such a node): the caller keeps only the rows it asked for.
 */
export function gpuWindowQuery(metric: GpuMetric, gpus: GpuSelectorKey[]): string {
  const selectors = gpuSelectors(gpus);
  return selectors.length ? anyOf(selectors, GPU_METRICS[metric].expr) : '';
}

function gpuSelectors(gpus: GpuSelectorKey[]): string[] {
  const set = (values: Iterable<string>) => [...new Set(values)].map(regexLiteral).join('|');
  const uuids = set(gpus.filter((g) => g.uuid).map((g) => g.uuid));
  const nodes = set(gpus.filter((g) => !g.uuid).map((g) => g.node));
  const selectors: string[] = [];
  if (uuids) selectors.push(`{UUID=~${promString(uuids)}}`, `{uuid=~${promString(uuids)}}`);
  if (nodes) for (const label of NODE_LABELS) selectors.push(`{${label}=~${promString(`(?:${nodes})(?::[0-9]+)?`)}}`);
  return selectors;
}

export interface StatQueries {
  /**
   * Every GPU series of the range and the lookback before it: its maximum (listHoldsMax; so a row's
   * max may come from up to 5 min before the range, as its first cells do) or its sample count.
   */
  list: string;
  listHoldsMax: boolean;
  /** Null unless `stats`: the rows' means are shown (drill-down) or sorted by. */
  avg: string | null;
  /** The maximum, blanks dropped; null when `list` holds it (or unless `stats`, like avg). */
  max: string | null;
  /** Only asked for when sorting by variance (each fleet-wide query costs Prometheus ~0.2 s of CPU for 8,000 GPUs). */
  stddev: string | null;
  /**
   * The plain metric at the end: the series still there (whose pod is the current one). Only a GPU
   * with several series needs it (which pod to show), so the layout asks it for those GPUs alone.
   */
  present: string;
}

/**
 * Instant queries (at the range's end, over the range) that list every GPU series of the range with
 * its statistics, so rows can be sorted and grouped without fetching their values. As few as
 * possible: for plain metrics the unfiltered maximum lists the series and gives their maximum at
 * once (a DCGM blank shows as >= 2^63), `avg` drops series with a blank. Sample counts, needed only
 * to merge the means of a GPU that changed pods, come from gpuCountQuery for just those GPUs. Each
 * fleet-wide query costs Prometheus ~0.3 s of CPU for 8,000 GPUs over an hour: `stats` = false
 * (rows ordered by name, means shown nowhere) leaves the list alone.
 */
export function gpuStatQueries(metric: GpuMetric, rangeSeconds: number, node?: string, variance = true, stats = true): StatQueries {
  const def = GPU_METRICS[metric];
  const w = window(rangeSeconds);
  const stat = (fn: StatFn, over = w) => anyOf(nodeSelectors(node), (s) => def.overTime(fn, s, over) ?? '');
  const listHoldsMax = def.overTime('listMax', '', w) !== null;
  // The list reaches back one lookback period (5 min) before the range: the range query fills the
  // first columns from samples that old, so a GPU silent since then still has cells, hence a row.
  const listed = window(rangeSeconds + LOOKBACK_SECONDS);
  return {
    list: listHoldsMax ? stat('listMax', listed) : stat('count', listed),
    listHoldsMax,
    avg: stats || variance ? stat('avg') : null,
    max: listHoldsMax || !(stats || variance) ? null : stat('max'),
    stddev: variance ? stat('stddev') : null,
    present: gpuMetricQuery(metric, node),
  };
}

/** Prometheus' default lookback delta (--query.lookback-delta). */
export const LOOKBACK_SECONDS = 300;

/** Sample counts over the range of these GPUs' series (by UUID, or node without one). */
export function gpuCountQuery(metric: GpuMetric, gpus: GpuSelectorKey[], rangeSeconds: number): string {
  const w = window(rangeSeconds);
  const selectors = gpuSelectors(gpus);
  return selectors.length ? anyOf(selectors, (s) => GPU_METRICS[metric].overTime('count', s, w) ?? '') : '';
}

/** Mean utilization below which an allocated GPU counts as idle. */
export const IDLE_UTIL_PERCENT = 10;

const window = (seconds: number) => `${Math.max(60, Math.round(seconds))}s`;

/** Whole divisors of minutes and hours, so a pod's hours come out as they are. */
const COVERAGE_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * The step at which callouts measure how long each series existed: ~100 points per range (charges
 * to ~1% of the range; 300 points cost 3x the evaluations for nothing a bill needs), at least 5 s.
 */
export const coverageStep = (rangeSeconds: number): number => COVERAGE_STEPS.find((s) => s >= rangeSeconds / 100) ?? Math.ceil(rangeSeconds / 100 / 3600) * 3600;

/**
 * Instant queries over the whole range (exactly the range: a 60 s floor would reach back before it
 * and report an XID from before its start). `*_over_time` reads the stored samples directly (a
 * subquery that filters blanks first costs ~10x more on 8,000 GPUs); a DCGM blank placeholder in the
 * window makes the aggregate huge, and the `< 9.2e18` filter then drops that GPU rather than report a
 * wrong average or maximum.
 */
/** Label that tells the parts of a batched callout query apart (label_replace adds it, the reader strips it). */
export const CALLOUT_PART_LABEL = 'flightdeck_callout_part';

export type CalloutPart = 'meanUtil' | BatchedCalloutPart;
/** The parts sent in the batches (meanUtil goes on its own, shared with the utilization heatmap's row statistics). */
export type BatchedCalloutPart = 'utilPoints' | 'maxTemp' | 'slowdownTemp' | 'shutdownTemp' | 'xidLast' | 'xidNow' | 'xidAtStart' | 'xidChanges' | 'xidCount';

export const calloutQueries = (rangeSeconds: number) => {
  const w = `${Math.max(1, Math.round(rangeSeconds))}s`;
  const over = (fn: string, metric: string) => `(${fn}_over_time(${metric}[${w}]) < ${BLANK})`;
  const step = coverageStep(rangeSeconds);
  const parts: Record<BatchedCalloutPart, string> = {
    /**
     * Per (GPU, pod) series, at how many points `step` apart it existed in the range: x step = the
     * time that pod held the GPU, so a GPU used in turn by three pods is not charged three times.
     * Prometheus ends a vanished series at once (staleness marker), so a pod's series stops counting
     * when the pod goes.
     */
    utilPoints: `count_over_time(DCGM_FI_DEV_GPU_UTIL[${w}:${step}s])`,
    maxTemp: over('max', 'DCGM_FI_DEV_GPU_TEMP'),
    /**
     * Per-GPU thermal limits, when the exporter collects them (not in its default counters). Constants
     * of the GPU: the latest sample is enough (no range read); a GPU gone by the end uses its model's.
     */
    slowdownTemp: `DCGM_FI_DEV_SLOWDOWN_TEMP < ${BLANK}`,
    shutdownTemp: `DCGM_FI_DEV_SHUTDOWN_TEMP < ${BLANK}`,
    /**
     * DCGM_FI_DEV_XID_ERRORS is the last XID code seen, kept until the exporter or the driver
     * restarts: a non-zero value says nothing about this range. What does: the code at the end
     * (`xidLast`, per series; `xidNow` for the series still there) differs from the code at the start
     * (`xidAtStart`), or it changed within the range (`xidChanges`; with err_code labels a new code is
     * a new series, seen as a difference).
     */
    xidLast: `${over('last', 'DCGM_FI_DEV_XID_ERRORS')} > 0`,
    xidNow: `(DCGM_FI_DEV_XID_ERRORS < ${BLANK}) > 0`,
    // Non-zero only: the code compared with it never is 0, and the zeros were every GPU of the fleet
    // (1.5 MB of JSON for 8,000 GPUs, to parse and drop).
    xidAtStart: `((DCGM_FI_DEV_XID_ERRORS offset ${w}) < ${BLANK}) > 0`,
    xidChanges: `changes(DCGM_FI_DEV_XID_ERRORS[${w}]) > 0`,
    /** The exporter's count of XIDs per code (label `xid`) in its window, where it exports it. */
    xidCount: `max_over_time(DCGM_EXP_XID_ERRORS_COUNT{xid!="",xid!="0"}[${w}]) > 0`,
  };
  const batch = (names: BatchedCalloutPart[]) => names.map((n) => `label_replace(${parts[n]}, "${CALLOUT_PART_LABEL}", "${n}", "__name__", ".*")`).join(' or ');
  return {
    parts,
    /**
     * Mean utilization over the range, one series per (GPU, pod): pods show allocation. Sent on its
     * own: for a range of 60 s or more it is the very query the utilization heatmap's rows send for
     * their average (the same function builds both), so a request's shared instant-query cache sends
     * it once; in a batch it cost Prometheus a second read of every utilization sample of the range.
     */
    meanUtil: GPU_METRICS.util.overTime('avg', '', w) ?? over('avg', 'DCGM_FI_DEV_GPU_UTIL'),
    coverageStepSeconds: step,
    /**
     * The parts in three round trips, each part's series tagged with CALLOUT_PART_LABEL: nine
     * separate queries queued behind the layout's under the client's concurrency limit, and a slow
     * Prometheus then took a timeout round per wave.
     */
    batches: [batch(['utilPoints']), batch(['maxTemp', 'slowdownTemp', 'shutdownTemp']), batch(['xidLast', 'xidNow', 'xidAtStart', 'xidChanges', 'xidCount'])],
    /**
     * Every node seen during the range (and the 5 min lookback before it), and those still reporting
     * at its end (per series, not aggregated: the utilization heatmap's row listing runs the same two
     * queries, so they are shared).
     */
    seen: gpuStatQueries('util', rangeSeconds).list,
    /** Plain selector: Prometheus marks a vanished series stale at once, so this drops it within a scrape. */
    current: gpuStatQueries('util', rangeSeconds).present,
  };
};
