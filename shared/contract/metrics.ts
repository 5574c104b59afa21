// Metrics, GPU heatmaps and SLOs, all read from Prometheus. The renderer asks for grids and panels,
// never raw PromQL result objects (DESIGN.md §2); every answer says how fresh it is, so a view can
// keep the last good data on screen marked stale, with the reason and since when.
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';
import { LIMITS, contextName } from './limits.js';
import { contractErrorSchema } from '../contract-kit.js';

export const freshnessSchema = z.object({
  /** ISO time the data was fetched from Prometheus. */
  fetchedAt: z.string(),
  /** True when Prometheus failed and this is the last good answer. */
  stale: z.boolean(),
  /** ISO time the failures began (set when stale). */
  since: z.string().optional(),
  error: contractErrorSchema.optional(),
});
export type Freshness = z.infer<typeof freshnessSchema>;

export const prometheusSourceSchema = z.object({
  context: z.string(),
  /** Where the URL came from: the user's setting, the demo fleet, an in-cluster service found through the API server proxy. */
  kind: z.enum(['settings', 'demo', 'service-proxy', 'none']),
  url: z.string().optional(),
  /** What was found or tried, for a person ("monitoring/prometheus-operated:9090 via the API server"). */
  detail: z.string(),
  healthy: z.boolean(),
  message: z.string().optional(),
  version: z.string().optional(),
  checkedAt: z.string(),
  auth: z.enum(['none', 'bearer', 'basic']),
});
export type PrometheusSource = z.infer<typeof prometheusSourceSchema>;

export const timeRangeSchema = z
  .object({
    /** Unix seconds. */
    start: z.number().finite(),
    end: z.number().finite(),
    /** Seconds between columns; chosen for ~300 columns when absent. */
    step: z.number().positive().max(86_400).optional(),
  })
  .refine((r) => r.end > r.start, { message: 'end must be after start' })
  .refine((r) => r.end - r.start <= 90 * 86_400, { message: 'a range longer than 90 days is not supported' });
export type TimeRange = z.infer<typeof timeRangeSchema>;

const labelsSchema = z.record(z.string(), z.string());

export const seriesSchema = z.object({
  labels: labelsSchema,
  /** One value per column (`start + i*step`); null = no sample, NaN or ±Inf (see `special`). */
  values: z.array(z.number().nullable()),
  /** Columns whose sample was NaN or ±Inf, which JSON cannot carry as numbers. */
  special: z.record(z.string(), z.enum(['NaN', '+Inf', '-Inf'])).optional(),
});
export type Series = z.infer<typeof seriesSchema>;

export const rangeResultSchema = z.object({
  query: z.string(),
  start: z.number(),
  step: z.number(),
  columns: z.number().int().nonnegative(),
  series: z.array(seriesSchema),
  warnings: z.array(z.string()),
  freshness: freshnessSchema,
});
export type RangeResult = z.infer<typeof rangeResultSchema>;

export const instantResultSchema = z.object({
  query: z.string(),
  resultType: z.enum(['vector', 'matrix', 'scalar', 'string']),
  time: z.number(),
  rows: z.array(z.object({ labels: labelsSchema, value: z.string(), time: z.number() })),
  warnings: z.array(z.string()),
  freshness: freshnessSchema,
});
export type InstantResult = z.infer<typeof instantResultSchema>;

export const servicePanelIds = ['requestRate', 'errorRate', 'p50', 'p95', 'p99', 'tokensPerSec', 'costPer1k'] as const;
export const servicePanelSchema = z.object({
  id: z.enum(servicePanelIds),
  title: z.string(),
  unit: z.string(),
  query: z.string(),
  /** One line per service. */
  series: z.array(z.object({ service: z.string(), values: z.array(z.number().nullable()) })),
});
export type ServicePanel = z.infer<typeof servicePanelSchema>;

export const burnWindowSchema = z.object({
  severity: z.enum(['page', 'ticket']),
  long: z.string(),
  short: z.string(),
  factor: z.number(),
  longBurn: z.number().nullable(),
  shortBurn: z.number().nullable(),
  firing: z.boolean(),
  /** The alert expression for this pair, exactly as exported. */
  query: z.string(),
});
export type BurnWindow = z.infer<typeof burnWindowSchema>;

export const sloStatusSchema = z.object({
  service: z.string(),
  slo: z.enum(['availability', 'latency']),
  title: z.string(),
  /** Objective as a ratio (0.999). */
  objective: z.number(),
  period: z.string(),
  /** Good ratio over the period; null with no traffic. */
  sli: z.number().nullable(),
  /** The error budget: consumed over the data there is, never extrapolated from minutes of data. */
  budget: z.object({
    /** Seconds of the period with data (first request sample to now, at most the period); null with none. */
    coverageSeconds: z.number().nullable(),
    periodSeconds: z.number(),
    /** False with less data than the shortest long alerting window (no budget figure then). */
    enoughData: z.boolean(),
    /** Share of the whole period's budget spent so far; above 1 when overspent. */
    consumed: z.number().nullable(),
    /** 1 − consumed, never below 0. */
    remaining: z.number().nullable(),
  }),
  windows: z.array(burnWindowSchema),
  /** exhausted: budget spent with no page firing; invalid: the SLO cannot be evaluated (see problem). */
  state: z.enum(['ok', 'ticket', 'page', 'exhausted', 'not-enough-data', 'no-data', 'invalid']),
  /** Why an invalid SLO cannot be evaluated, for a person. */
  problem: z.string().optional(),
  queries: z.object({ sli: z.string(), errorRatio: z.string(), firstSample: z.string() }),
  file: z.string(),
});
export type SloStatus = z.infer<typeof sloStatusSchema>;

const contextRequest = z.object({ context: contextName() });

/** CPU (cores) and working-set memory (bytes) one node or pod uses now. */
export const usageSchema = z.object({ cpu: z.number().nonnegative(), memory: z.number().nonnegative() });
export type Usage = z.infer<typeof usageSchema>;

export const clusterUsageSchema = z.object({
  /** metrics-api: metrics.k8s.io (as kubectl top); prometheus: cAdvisor/node-exporter series; none: neither answered. */
  source: z.enum(['metrics-api', 'prometheus', 'none']),
  /** Where the figures came from, or why there are none, for a person. */
  detail: z.string(),
  /** By node name. */
  nodes: z.record(z.string(), usageSchema),
  /** By `namespace/name`. */
  pods: z.record(z.string(), usageSchema),
  fetchedAt: z.string(),
});
export type ClusterUsage = z.infer<typeof clusterUsageSchema>;

export const metricsContract = {
  'metrics.source': defineMethod({
    request: contextRequest.extend({ recheck: z.boolean().optional() }).strict(),
    response: prometheusSourceSchema,
    mutates: false,
    summary: 'Which Prometheus serves this context (setting, demo or in-cluster service) and whether it answers.',
  }),
  'metrics.setAuth': defineMethod({
    request: contextRequest
      .extend({
        auth: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('none') }),
          z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(LIMITS.secret) }),
          z.object({ kind: z.literal('basic'), username: z.string().min(1).max(LIMITS.identifier), password: z.string().max(LIMITS.secret) }),
        ]),
      })
      .strict(),
    response: z.object({ auth: z.enum(['none', 'bearer', 'basic']) }),
    mutates: true,
    summary: 'Stores credentials for this context’s Prometheus in the main process (never sent back).',
  }),
  'metrics.query': defineMethod({
    request: contextRequest.extend({ query: z.string().min(1).max(20_000), time: z.number().optional() }).strict(),
    response: instantResultSchema,
    mutates: false,
    summary: 'Runs an instant PromQL query (explorer table).',
  }),
  'metrics.queryRange': defineMethod({
    request: contextRequest.extend({ query: z.string().min(1).max(20_000), range: timeRangeSchema }).strict(),
    response: rangeResultSchema,
    mutates: false,
    summary: 'Runs a PromQL range query, split over Prometheus’ 11,000-points limit, as aligned columns.',
  }),
  'metrics.usage': defineMethod({
    request: contextRequest.strict(),
    response: clusterUsageSchema,
    mutates: false,
    summary: 'CPU and memory each node and pod uses: the metrics API (metrics.k8s.io, as kubectl top), else Prometheus.',
  }),
  'metrics.names': defineMethod({
    request: contextRequest.strict(),
    response: z.object({ names: z.array(z.string()) }),
    mutates: false,
    summary: 'Metric names for PromQL completion.',
  }),
  'metrics.services': defineMethod({
    request: contextRequest.extend({ range: timeRangeSchema }).strict(),
    response: z.object({
      start: z.number(),
      step: z.number(),
      columns: z.number(),
      services: z.array(z.string()),
      panels: z.array(servicePanelSchema),
      gpuHourPriceUsd: z.number(),
      freshness: freshnessSchema,
    }),
    mutates: false,
    summary: 'Request rate, errors, latency quantiles, tokens/s and GPU cost per 1k requests, per inference service.',
  }),
  'slo.status': defineMethod({
    request: contextRequest.strict(),
    response: z.object({ slos: z.array(sloStatusSchema), problems: z.array(z.string()), freshness: freshnessSchema }),
    mutates: false,
    summary: 'Each SLO: SLI, the error budget consumed over the data’s coverage of the period, and the multi-window multi-burn-rate state with its PromQL.',
  }),
  'slo.rules': defineMethod({
    /** With a context, services found in its Prometheus without a file are included with default SLOs. */
    request: z.object({ context: contextName().optional() }).strict(),
    response: z.object({ yaml: z.string(), groups: z.number(), rules: z.number() }),
    mutates: false,
    summary: 'Prometheus recording and alerting rules for every SLO (passes promtool check rules).',
  }),
} as const;
