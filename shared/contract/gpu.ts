// The GPU heatmap: rows = GPUs, columns = time, values packed into one Float32 array (base64).
// The grid is a window: every row's labels and range statistics (so sorting, grouping and callouts
// cover the whole fleet) but values only for rows [rowOffset, rowOffset + rowCount); 8,000 GPUs x
// 241 columns would be 7.7 MB of numbers, while a screen shows about a hundred rows.
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';
import { contextName, kubeName } from './limits.js';
import { freshnessSchema, timeRangeSchema } from './metrics.js';

export const gpuMetricIds = ['util', 'memUsedPct', 'temp', 'power', 'engineActive'] as const;
export const gpuMetricSchema = z.enum(gpuMetricIds);
export type GpuMetric = z.infer<typeof gpuMetricSchema>;
export const gpuGroupBySchema = z.enum(['node', 'pool', 'model', 'namespace']);
export type GpuGroupBy = z.infer<typeof gpuGroupBySchema>;
export const gpuSortSchema = z.enum(['mean', 'max', 'variance', 'name']);
export type GpuSort = z.infer<typeof gpuSortSchema>;

export const gpuRowSchema = z.object({
  /** node + "/" + UUID (or GPU index when the UUID label is missing). */
  key: z.string(),
  node: z.string(),
  gpu: z.string(),
  uuid: z.string(),
  model: z.string(),
  pod: z.string().optional(),
  namespace: z.string().optional(),
  container: z.string().optional(),
  group: z.string(),
  mean: z.number().nullable(),
  max: z.number().nullable(),
  /** Null without samples, and unless the grid is sorted by variance (it costs a fleet-wide query). */
  variance: z.number().nullable(),
});
export type GpuRow = z.infer<typeof gpuRowSchema>;

export const gpuCalloutSchema = z.object({
  /** `unallocated-node`: every GPU of a node free (idle capacity); `node-removed`: gone from the cluster during the range. */
  kind: z.enum(['idle', 'hot', 'xid', 'exporter-missing', 'unallocated-node', 'node-removed']),
  severity: z.enum(['info', 'warning', 'critical']),
  node: z.string(),
  gpu: z.string().optional(),
  uuid: z.string().optional(),
  pod: z.string().optional(),
  namespace: z.string().optional(),
  /** One sentence for a person. */
  message: z.string(),
  value: z.number().optional(),
  gpuHoursWasted: z.number().optional(),
  costUsd: z.number().optional(),
  /** Hours of the range the charged series existed (idle: summed over the GPU's idle pods; at most the range per GPU). */
  coverageHours: z.number().optional(),
  /** Every pod the callout is about (idle: the GPU's idle pods in the range, most hours first). */
  pods: z.array(z.string()).optional(),
});
export type GpuCallout = z.infer<typeof gpuCalloutSchema>;

export const gpuHeatmapRequestSchema = z
  .object({
    context: contextName(),
    metric: gpuMetricSchema,
    range: timeRangeSchema,
    groupBy: gpuGroupBySchema.default('node'),
    sort: gpuSortSchema.default('name'),
    /** Only this node's GPUs (drill-down). */
    node: kubeName().optional(),
    /** Skip the callout queries (refreshes of the drill-down, the benchmark). */
    callouts: z.boolean().default(true),
    /** First row (in the sorted order) whose values to send. */
    rowOffset: z.number().int().nonnegative().default(0),
    /** How many rows' values to send; all rows from rowOffset when absent. */
    rowCount: z.number().int().nonnegative().optional(),
    /** `window`: `rows` holds only the rows of the window (a scroll fetch that already has the rest). */
    labels: z.enum(['all', 'window']).default('all'),
  })
  .strict();

export const gpuGridSchema = z.object({
  metric: gpuMetricSchema,
  unit: z.string(),
  title: z.string(),
  /** The exact PromQL the grid was built from. */
  query: z.string(),
  start: z.number(),
  step: z.number(),
  columns: z.number().int().nonnegative(),
  /** All rows in order (labels = 'all'), or the window's rows only (labels = 'window'). */
  rows: z.array(gpuRowSchema),
  /** Index of rows[0] in the full order: 0, or rowOffset for labels = 'window'. */
  rowsFrom: z.number().int().nonnegative(),
  /** Rows in the full order (what sort, groups and the scrollbar count). */
  totalRows: z.number().int().nonnegative(),
  /** The window `values` holds: rows [rowOffset, rowOffset + rowCount) of the full order. */
  rowOffset: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative(),
  /** Request range as used (start/end in unix seconds), to fetch more windows of the same grid. */
  range: z.object({ start: z.number(), end: z.number() }),
  groups: z.array(z.object({ name: z.string(), firstRow: z.number().int(), count: z.number().int() })),
  /** base64 of a little-endian Float32Array, rowCount x columns, row-major; NaN = no sample. */
  values: z.string(),
  /**
   * Colour scale domain. Row mean/max/variance are over the samples in (range.end - range, range.end]
   * from instant `*_over_time` queries, not from the cells, so they exist for rows outside the window.
   */
  scale: z.object({ min: z.number(), max: z.number() }),
  callouts: z.array(gpuCalloutSchema),
  freshness: freshnessSchema,
  timings: z.object({ queryMs: z.number(), packMs: z.number() }),
});
export type GpuGrid = z.infer<typeof gpuGridSchema>;

/**
 * The callouts of a range on their own: the view paints the heatmap from gpu.heatmap (callouts:
 * false) first and asks for these after, so the cells never wait for the callout queries.
 */
export const gpuCalloutsRequestSchema = z
  .object({
    context: contextName(),
    /** The grid's range as gpu.heatmap answered it (`range`), so both describe the same window. */
    range: timeRangeSchema,
    /** Only this node's callouts. */
    node: kubeName().optional(),
  })
  .strict();

export const gpuCalloutsSchema = z.object({
  range: z.object({ start: z.number(), end: z.number() }),
  callouts: z.array(gpuCalloutSchema),
  freshness: freshnessSchema,
  timings: z.object({ queryMs: z.number() }),
});
export type GpuCallouts = z.infer<typeof gpuCalloutsSchema>;

export const gpuContract = {
  'gpu.heatmap': defineMethod({
    request: gpuHeatmapRequestSchema,
    response: gpuGridSchema,
    mutates: false,
    summary: 'GPU heatmap over a time range as a packed grid with row labels and callouts.',
  }),
  'gpu.callouts': defineMethod({
    request: gpuCalloutsRequestSchema,
    response: gpuCalloutsSchema,
    mutates: false,
    summary: 'GPU callouts (idle, hot, XID, missing exporters) over a time range.',
  }),
} as const;
