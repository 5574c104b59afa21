// PromQL for the GPU heatmap and its callouts, over DCGM exporter metrics (ops-domain.md).
// Each builder accepts both label forms of the node (`Hostname` and `hostname`) by OR-ing the two
// selectors. Plain metrics keep DCGM blank placeholders so a GPU that reports only blanks still has
// its (empty) row - packing turns them into missing cells; arithmetic (memory %) and the callouts'
// aggregations drop them in PromQL, where they would otherwise poison the result.
import type { GpuMetric } from '../contract/gpu.js';

export interface GpuMetricDef {
  title: string;
  unit: string;
  /** Fixed colour scale, or null when it follows the data (power). */
  scale: [number, number] | null;
  expr(selector: string): string;
}

const BLANK = '9.2e18';
const m = (name: string, selector: string) => `(${name}${selector} < ${BLANK})`;

export const GPU_METRICS: Record<GpuMetric, GpuMetricDef> = {
  util: { title: 'GPU utilization', unit: '%', scale: [0, 100], expr: (s) => `DCGM_FI_DEV_GPU_UTIL${s}` },
  memUsedPct: {
    title: 'Memory used',
    unit: '%',
    scale: [0, 100],
    expr: (s) => `100 * ${m('DCGM_FI_DEV_FB_USED', s)} / (${m('DCGM_FI_DEV_FB_USED', s)} + ${m('DCGM_FI_DEV_FB_FREE', s)})`,
  },
  temp: { title: 'Temperature', unit: '°C', scale: [30, 95], expr: (s) => `DCGM_FI_DEV_GPU_TEMP${s}` },
  power: { title: 'Power', unit: 'W', scale: null, expr: (s) => `DCGM_FI_DEV_POWER_USAGE${s}` },
  engineActive: { title: 'Graphics engine active', unit: '%', scale: [0, 100], expr: (s) => `100 * DCGM_FI_PROF_GR_ENGINE_ACTIVE${s}` },
};

/** Escapes a label value for a PromQL string literal. */
export const promString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** The heatmap query; with `node`, only that node's GPUs under either host label. */
export function gpuMetricQuery(metric: GpuMetric, node?: string): string {
  const def = GPU_METRICS[metric];
  if (!node) return def.expr('');
  return `(${def.expr(`{Hostname=${promString(node)}}`)}) or (${def.expr(`{hostname=${promString(node)}}`)})`;
}

/** Thresholds for the callouts (why: NVIDIA data-centre GPUs throttle from ~85 °C). */
export const HOT_CELSIUS = 85;
export const IDLE_UTIL_PERCENT = 10;

const window = (seconds: number) => `${Math.max(60, Math.round(seconds))}s`;

/**
 * Instant queries over the whole range. `*_over_time` reads the stored samples directly (a subquery
 * that filters blanks first costs ~10x more on 8,000 GPUs); a DCGM blank placeholder in the window
 * makes the aggregate huge, and the `< 9.2e18` filter then drops that GPU rather than report a wrong
 * average or maximum.
 */
export const calloutQueries = (rangeSeconds: number) => {
  const over = (fn: string, metric: string) => `(${fn}_over_time(${metric}[${window(rangeSeconds)}]) < ${BLANK})`;
  return {
    /** Mean utilization over the range, one series per (GPU, pod): pods show allocation. */
    meanUtil: over('avg', 'DCGM_FI_DEV_GPU_UTIL'),
    maxTemp: over('max', 'DCGM_FI_DEV_GPU_TEMP'),
    /** DCGM_FI_DEV_XID_ERRORS is the last XID code seen (a gauge, not a count): any non-zero value is an error. */
    xid: `${over('max', 'DCGM_FI_DEV_XID_ERRORS')} > 0`,
    /** Every node seen during the range, and those still reporting at its end. */
    seen: `count by (Hostname, hostname) (last_over_time(DCGM_FI_DEV_GPU_UTIL[${window(rangeSeconds)}]))`,
    /** Plain selector: Prometheus marks a vanished series stale at once, so this drops it within a scrape. */
    current: `count by (Hostname, hostname) (DCGM_FI_DEV_GPU_UTIL)`,
  };
};
