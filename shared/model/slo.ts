// SLOs for inference services and the multi-window, multi-burn-rate math (Google SRE workbook,
// ops-domain.md): burn rate = error ratio over a window / (1 - objective); a pair of windows fires
// when both exceed factor = budget fraction x period / long window. Pure: the tests pin it against
// Sloth's 30-day windows, the main process evaluates it on Prometheus data, the export turns it into
// rules that promtool accepts.
import { z } from 'zod';
import { promString } from './gpu-queries.js';

export const sloMetricNamesSchema = z
  .object({
    /** Counter of requests with a status `code` label. */
    requests: z.string().default('inference_requests_total'),
    /** Latency histogram buckets (seconds). */
    latencyBucket: z.string().default('inference_request_duration_seconds_bucket'),
    tokens: z.string().default('inference_tokens_generated_total'),
    serviceLabel: z.string().default('service'),
    /** Regular expression over `code` for failed requests. */
    errorCodes: z.string().default('5..'),
  })
  .strict();
export type SloMetricNames = z.infer<typeof sloMetricNamesSchema>;

export const sloFileSchema = z
  .object({
    service: z.string().min(1),
    period: z.string().regex(/^\d+[mhdw]$/).default('30d'),
    availability: z.object({ objectivePercent: z.number().gt(0).lt(100).default(99.9) }).strict().default({ objectivePercent: 99.9 }),
    latency: z
      .object({
        quantile: z.number().gt(0).lt(1).default(0.95),
        thresholdSeconds: z.number().positive().default(2),
        /** The histogram's bucket bounds; found in Prometheus when absent. */
        buckets: z.array(z.number().positive()).optional(),
      })
      .strict()
      .default({ quantile: 0.95, thresholdSeconds: 2 }),
    errorRate: z.object({ maxPercent: z.number().positive().default(0.1) }).strict().default({ maxPercent: 0.1 }),
    metrics: sloMetricNamesSchema.default(sloMetricNamesSchema.parse({})),
  })
  .strict();
export type SloFile = z.infer<typeof sloFileSchema>;

export interface Slo {
  id: string;
  service: string;
  slo: 'availability' | 'latency';
  title: string;
  /** Good ratio, e.g. 0.999. */
  objective: number;
  period: string;
  metrics: SloMetricNames;
  thresholdSeconds?: number;
  /** Bucket bounds of the latency histogram, when known (for interpolation). */
  latencyBuckets?: number[];
  file: string;
}

export interface BurnPair {
  severity: 'page' | 'ticket';
  long: string;
  short: string;
  /** Share of the period's budget this pair lets burn before alerting (2% => 14.4x over 30 days at 1h). */
  budgetPercent: number;
}

/** Sloth's "Google" 30-day windows (fixtures/slo/sloth-google-30d-windows.yaml). */
export const GOOGLE_PAIRS: BurnPair[] = [
  { severity: 'page', long: '1h', short: '5m', budgetPercent: 2 },
  { severity: 'page', long: '6h', short: '30m', budgetPercent: 5 },
  { severity: 'ticket', long: '1d', short: '2h', budgetPercent: 10 },
  { severity: 'ticket', long: '3d', short: '6h', budgetPercent: 10 },
];

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

export function durationSeconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration like 5m, 1h or 30d`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** factor = budget fraction x period / long window; 2% of 30 days over 1 h = 14.4. */
export const burnFactor = (pair: BurnPair, period: string): number =>
  Math.round(((pair.budgetPercent / 100) * durationSeconds(period)) / durationSeconds(pair.long) * 1000) / 1000;

export const burnRate = (errorRatio: number | null, objective: number): number | null =>
  errorRatio === null || !Number.isFinite(errorRatio) ? null : errorRatio / (1 - objective);

export function slosFromFile(file: SloFile, path: string): Slo[] {
  const base = { service: file.service, period: file.period, metrics: file.metrics, file: path };
  return [
    {
      ...base,
      id: `${file.service}-availability`,
      slo: 'availability',
      title: `${file.availability.objectivePercent}% of requests succeed`,
      objective: file.availability.objectivePercent / 100,
    },
    {
      ...base,
      id: `${file.service}-latency`,
      slo: 'latency',
      title: `p${Math.round(file.latency.quantile * 100)} latency under ${file.latency.thresholdSeconds} s`,
      objective: file.latency.quantile,
      thresholdSeconds: file.latency.thresholdSeconds,
      latencyBuckets: file.latency.buckets,
    },
  ];
}

const sel = (slo: Slo, extra = '') => `{${slo.metrics.serviceLabel}=${promString(slo.service)}${extra}}`;

/** The error ratio of an SLO over a window: failed requests, or requests slower than the threshold. */
export function errorRatioQuery(slo: Slo, window: string): string {
  const m = slo.metrics;
  if (slo.slo === 'availability') {
    const errors = `sum(rate(${m.requests}${sel(slo, `,code=~${promString(m.errorCodes)}`)}[${window}]))`;
    const total = `sum(rate(${m.requests}${sel(slo)}[${window}]))`;
    return `(${errors} or vector(0)) / ${total}`;
  }
  // "p95 < 2 s" as a ratio: at least 95% of requests are faster than 2 s. When 2 s is not a bucket
  // bound, count the requests under it by linear interpolation between the neighbouring bounds (what
  // histogram_quantile assumes too).
  const t = slo.thresholdSeconds ?? 2;
  const bucket = (le: number) => `sum(rate(${m.latencyBucket}${sel(slo, `,${leMatcher(le)}`)}[${window}]))`;
  const all = `sum(rate(${m.latencyBucket}${sel(slo, ',le="+Inf"')}[${window}]))`;
  const bounds = (slo.latencyBuckets ?? []).filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
  const lower = [...bounds].reverse().find((b) => b <= t);
  const upper = bounds.find((b) => b >= t);
  let fast = bucket(t);
  if (bounds.length && lower !== t && upper !== undefined) {
    const below = lower === undefined ? '0' : bucket(lower);
    const share = round((t - (lower ?? 0)) / (upper - (lower ?? 0)));
    fast = `(${below} + (${bucket(upper)} - ${below}) * ${share})`;
  }
  return `1 - (${fast} / ${all})`;
}

/** Client libraries write a bound as "2" or "2.0": match both. */
function leMatcher(le: number): string {
  const text = String(le);
  return Number.isInteger(le) ? `le=~${promString(`${text}(\\.0+)?`)}` : `le=${promString(text)}`;
}

export const burnAlertQuery = (slo: Slo, pair: BurnPair): string => {
  const threshold = `(${burnFactor(pair, slo.period)} * ${round(1 - slo.objective)})`;
  return `(${errorRatioQuery(slo, pair.long)}) > ${threshold}\nand\n(${errorRatioQuery(slo, pair.short)}) > ${threshold}`;
};

const round = (v: number) => Math.round(v * 1e9) / 1e9;

export interface WindowEvaluation {
  severity: 'page' | 'ticket';
  long: string;
  short: string;
  factor: number;
  longBurn: number | null;
  shortBurn: number | null;
  firing: boolean;
  query: string;
}

/** Every window an SLO's evaluation needs (the pairs' windows and the period). */
export const windowsNeeded = (slo: Slo, pairs = GOOGLE_PAIRS): string[] => [...new Set([...pairs.flatMap((p) => [p.long, p.short]), slo.period])];

export function evaluateSlo(slo: Slo, ratios: Record<string, number | null>, pairs = GOOGLE_PAIRS) {
  const windows: WindowEvaluation[] = pairs.map((pair) => {
    const factor = burnFactor(pair, slo.period);
    const longBurn = burnRate(ratios[pair.long] ?? null, slo.objective);
    const shortBurn = burnRate(ratios[pair.short] ?? null, slo.objective);
    const firing = longBurn !== null && shortBurn !== null && longBurn > factor && shortBurn > factor;
    return { severity: pair.severity, long: pair.long, short: pair.short, factor, longBurn, shortBurn, firing, query: burnAlertQuery(slo, pair) };
  });
  const periodRatio = ratios[slo.period] ?? null;
  const sli = periodRatio === null || !Number.isFinite(periodRatio) ? null : 1 - periodRatio;
  const budgetRemaining = sli === null ? null : 1 - (1 - sli) / (1 - slo.objective);
  const state: 'ok' | 'ticket' | 'page' | 'no-data' = windows.some((w) => w.firing && w.severity === 'page')
    ? 'page'
    : windows.some((w) => w.firing)
      ? 'ticket'
      : sli === null
        ? 'no-data'
        : 'ok';
  return { windows, sli, budgetRemaining, state };
}
