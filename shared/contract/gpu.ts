// The GPU heatmap: rows = GPUs, columns = time, values packed into one Float32 array (base64) so
// 8,000 GPUs x 240 columns travel as ~7.7 MB of numbers instead of millions of JSON objects.
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';
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
  variance: z.number().nullable(),
});
export type GpuRow = z.infer<typeof gpuRowSchema>;

export const gpuCalloutSchema = z.object({
  kind: z.enum(['idle', 'hot', 'xid', 'exporter-missing']),
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
});
export type GpuCallout = z.infer<typeof gpuCalloutSchema>;

export const gpuHeatmapRequestSchema = z
  .object({
    context: z.string().min(1),
    metric: gpuMetricSchema,
    range: timeRangeSchema,
    groupBy: gpuGroupBySchema.default('node'),
    sort: gpuSortSchema.default('name'),
    /** Only this node's GPUs (drill-down). */
    node: z.string().optional(),
    /** Skip the callout queries (refreshes of the drill-down, the benchmark). */
    callouts: z.boolean().default(true),
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
  rows: z.array(gpuRowSchema),
  groups: z.array(z.object({ name: z.string(), firstRow: z.number().int(), count: z.number().int() })),
  /** base64 of a little-endian Float32Array, rows x columns, row-major; NaN = no sample. */
  values: z.string(),
  /** Colour scale domain. */
  scale: z.object({ min: z.number(), max: z.number() }),
  callouts: z.array(gpuCalloutSchema),
  freshness: freshnessSchema,
  timings: z.object({ queryMs: z.number(), packMs: z.number() }),
});
export type GpuGrid = z.infer<typeof gpuGridSchema>;

export const gpuContract = {
  'gpu.heatmap': defineMethod({
    request: gpuHeatmapRequestSchema,
    response: gpuGridSchema,
    mutates: false,
    summary: 'GPU heatmap over a time range as a packed grid with row labels and callouts.',
  }),
} as const;
