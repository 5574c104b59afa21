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

const durationText = z.string().regex(/^\d+[smhdw]$/, 'must be a duration like 5m, 1h or 30d');

/** One window pair in Sloth's AlertWindows shape: alert when both windows burn faster than the budget share allows. */
const windowSpecSchema = z
  .object({ errorBudgetPercent: z.number().gt(0).max(100), shortWindow: durationText, longWindow: durationText })
  .strict();
const severityWindowsSchema = z.object({ quick: windowSpecSchema, slow: windowSpecSchema }).strict();
export const alertWindowsSchema = z.object({ page: severityWindowsSchema, ticket: severityWindowsSchema }).strict();
export type AlertWindows = z.infer<typeof alertWindowsSchema>;

const DAY = 86_400;
/** Periods whose window pairs are standard (the SRE workbook's, as Sloth ships them for 28 and 30 days). */
const STANDARD_PERIODS_SECONDS = [28 * DAY, 30 * DAY];

export const sloFileSchema = z
  .object({
    service: z.string().min(1),
    period: z.string().regex(/^\d+[mhdw]$/).default('30d'),
    availability: z.object({ objectivePercent: z.number().gt(0).lt(100).default(99.9) }).strict().default({ objectivePercent: 99.9 }),
    latency: z
      .object({
        quantile: z.number().gt(0).lt(1).default(0.95),
        /**
         * Must be one of the histogram's bucket bounds (an `le` value): the SLI counts the requests in
         * that bucket. 2.5 s is one of the client libraries' default buckets (2 s is not).
         */
        thresholdSeconds: z.number().positive().default(2.5),
        /** The histogram's bucket bounds; read from Prometheus when absent. */
        buckets: z.array(z.number().positive()).optional(),
      })
      .strict()
      .default({ quantile: 0.95, thresholdSeconds: 2.5 }),
    /** Burn-rate window pairs; required unless the period is 28d or 30d (as Sloth requires). */
    windows: alertWindowsSchema.optional(),
    /** Never used: the availability objective sets the error budget. Refused with an explanation. */
    errorRate: z.unknown().optional(),
    metrics: sloMetricNamesSchema.default(sloMetricNamesSchema.parse({})),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.errorRate !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['errorRate'],
        message: `is not used: the error budget is 100 − availability.objectivePercent (${round(100 - file.availability.objectivePercent)} %); remove errorRate`,
      });
    }
    const period = durationSeconds(file.period);
    if (!file.windows) {
      if (!STANDARD_PERIODS_SECONDS.includes(period)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['windows'],
          message: `a ${file.period} period has no standard burn-rate windows (only 28d and 30d do): list windows.page/ticket.quick/slow with errorBudgetPercent, shortWindow and longWindow, as in Sloth's AlertWindows`,
        });
      }
    } else {
      for (const severity of ['page', 'ticket'] as const) {
        for (const speed of ['quick', 'slow'] as const) {
          const w = file.windows[severity][speed];
          const path = ['windows', severity, speed];
          if (durationSeconds(w.longWindow) > period) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, 'longWindow'], message: `${w.longWindow} is longer than the ${file.period} period` });
          }
          if (durationSeconds(w.shortWindow) >= durationSeconds(w.longWindow)) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, 'shortWindow'], message: `${w.shortWindow} must be shorter than longWindow ${w.longWindow}` });
          }
        }
      }
    }
    const { buckets, thresholdSeconds } = file.latency;
    if (buckets && !isBucketBound(thresholdSeconds, buckets)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['latency', 'thresholdSeconds'], message: `${thresholdSeconds} is not one of the listed buckets (${formatBounds(buckets)})` });
    }
  });
export type SloFile = z.infer<typeof sloFileSchema>;

export interface Slo {
  id: string;
  service: string;
  slo: 'availability' | 'latency';
  title: string;
  /** Good ratio, e.g. 0.999. */
  objective: number;
  period: string;
  /** Burn-rate window pairs for this period (standard for 28d/30d, else from the file). */
  pairs: BurnPair[];
  metrics: SloMetricNames;
  thresholdSeconds?: number;
  /** Bucket bounds of the latency histogram, when known (from the file or Prometheus' `le` values). */
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

/** Sloth's "Google" 28- and 30-day windows (fixtures/slo/sloth-google-30d-windows.yaml). */
export const GOOGLE_PAIRS: BurnPair[] = [
  { severity: 'page', long: '1h', short: '5m', budgetPercent: 2 },
  { severity: 'page', long: '6h', short: '30m', budgetPercent: 5 },
  { severity: 'ticket', long: '1d', short: '2h', budgetPercent: 10 },
  { severity: 'ticket', long: '3d', short: '6h', budgetPercent: 10 },
];

/** The file's window pairs, in GOOGLE_PAIRS' order, or the standard ones. */
export function burnPairs(windows: AlertWindows | undefined): BurnPair[] {
  if (!windows) return GOOGLE_PAIRS;
  return (['page', 'ticket'] as const).flatMap((severity) =>
    (['quick', 'slow'] as const).map((speed) => {
      const w = windows[severity][speed];
      return { severity, long: w.longWindow, short: w.shortWindow, budgetPercent: w.errorBudgetPercent };
    }),
  );
}

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
  const base = { service: file.service, period: file.period, pairs: burnPairs(file.windows), metrics: file.metrics, file: path };
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

/** Bounds compare as numbers: Prometheus' `le` may be "2" or "2.0". */
export const isBucketBound = (threshold: number, bounds: number[]): boolean => bounds.some((b) => Math.abs(b - threshold) <= 1e-9 * Math.max(1, threshold));

const formatBounds = (bounds: number[]) =>
  [...new Set(bounds)]
    .sort((a, b) => a - b)
    .map((b) => (Number.isFinite(b) ? String(b) : '+Inf'))
    .join(', ');

/**
 * Why a latency SLO cannot be evaluated: its threshold is not a bucket bound, so no `le` series
 * counts exactly the requests under it (null when it is, or when the bounds are not known).
 */
export function latencyThresholdProblem(slo: Slo): string | null {
  if (slo.slo !== 'latency' || !slo.latencyBuckets?.length || slo.thresholdSeconds === undefined) return null;
  if (isBucketBound(slo.thresholdSeconds, slo.latencyBuckets)) return null;
  return (
    `The latency threshold ${slo.thresholdSeconds} s is not a bucket bound of ${slo.metrics.latencyBucket}{${slo.metrics.serviceLabel}=${promString(slo.service)}}; ` +
    `its bounds are ${formatBounds(slo.latencyBuckets)} s. Set latency.thresholdSeconds to one of them.`
  );
}

const sel = (slo: Slo, extra = '') => `{${slo.metrics.serviceLabel}=${promString(slo.service)}${extra}}`;

/** The SLI's denominator: every request the SLO counts. */
const requestsSelector = (slo: Slo): string =>
  slo.slo === 'availability' ? `${slo.metrics.requests}${sel(slo)}` : `${slo.metrics.latencyBucket}${sel(slo, ',le="+Inf"')}`;

/** The error ratio of an SLO over a window: failed requests, or requests slower than the threshold. */
export function errorRatioQuery(slo: Slo, window: string): string {
  const m = slo.metrics;
  if (slo.slo === 'availability') {
    const errors = `sum(rate(${m.requests}${sel(slo, `,code=~${promString(m.errorCodes)}`)}[${window}]))`;
    const total = `sum(rate(${requestsSelector(slo)}[${window}]))`;
    return `(${errors} or vector(0)) / ${total}`;
  }
  // "p95 < 2.5 s" as a ratio: at least 95% of requests fall in the le="2.5" bucket. The threshold must be
  // a bucket bound (latencyThresholdProblem): a count estimated between bounds is not one to page on.
  const fast = `sum(rate(${m.latencyBucket}${sel(slo, `,${leMatcher(slo.thresholdSeconds ?? 2.5)}`)}[${window}]))`;
  return `1 - (${fast} / sum(rate(${requestsSelector(slo)}[${window}])))`;
}

/**
 * Unix time of the first request sample within the period: how much of the period the budget is
 * based on. Looked up on a 5-minute grid (as the 5-minute recording samples), so up to 5 minutes
 * late; data younger than the last grid point is looked up on a 10-second grid instead.
 */
export const firstSampleQuery = (slo: Slo): string => {
  const stamps = `timestamp(${requestsSelector(slo)})`;
  return `min(min_over_time(${stamps}[${slo.period}:${COVERAGE_GRID_SECONDS / 60}m]) or min_over_time(${stamps}[5m:10s]))`;
};

/** The grid the first sample is looked up on: coverage reads up to this much short. */
const COVERAGE_GRID_SECONDS = 300;

/** Client libraries write a bound as "2" or "2.0": match both. */
function leMatcher(le: number): string {
  const text = String(le);
  return Number.isInteger(le) ? `le=~${promString(`${text}(\\.0+)?`)}` : `le=${promString(text)}`;
}

export const burnAlertQuery = (slo: Slo, pair: BurnPair): string => {
  const threshold = `(${burnFactor(pair, slo.period)} * ${round(1 - slo.objective)})`;
  return `(${errorRatioQuery(slo, pair.long)}) > ${threshold}\nand\n(${errorRatioQuery(slo, pair.short)}) > ${threshold}`;
};

function round(v: number) {
  return Math.round(v * 1e9) / 1e9;
}

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
export const windowsNeeded = (slo: Slo): string[] => [...new Set([...slo.pairs.flatMap((p) => [p.long, p.short]), slo.period])];

export interface ErrorBudget {
  /** Seconds of the period with data (from the first sample to now, at most the period). */
  coverageSeconds: number | null;
  periodSeconds: number;
  /** Less data than the shortest alerting window: no budget figure is given. */
  enoughData: boolean;
  /** Share of the whole period's budget spent so far (above 1 = overspent). */
  consumed: number | null;
  /** 1 − consumed, at least 0; null without enough data. */
  remaining: number | null;
}

/**
 * The budget of the period is (1 − objective) × the period's requests. With data for only part of
 * the period, the errors so far are a share of that budget: error ratio / (1 − objective) × coverage
 * / period, assuming the traffic seen so far is the period's usual rate. Less data than the shortest
 * long alerting window (1 h) gives no figure: a few minutes say nothing about a month.
 */
export function errorBudget(slo: Slo, periodErrorRatio: number | null, coverageSeconds: number | null): ErrorBudget {
  const periodSeconds = durationSeconds(slo.period);
  // Data from the period's first grid point on covers the whole period.
  const coverage =
    coverageSeconds === null || !Number.isFinite(coverageSeconds) ? null : coverageSeconds >= periodSeconds - COVERAGE_GRID_SECONDS ? periodSeconds : Math.max(0, coverageSeconds);
  const minimum = Math.min(...slo.pairs.map((p) => durationSeconds(p.long)));
  const enoughData = coverage !== null && coverage >= minimum && periodErrorRatio !== null && Number.isFinite(periodErrorRatio);
  if (!enoughData || periodErrorRatio === null) return { coverageSeconds: coverage, periodSeconds, enoughData: false, consumed: null, remaining: null };
  // Rounded so that a ratio equal to the budget reads as exactly spent (0.001 / (1 − 0.999) is 0.999…).
  const consumed = round((periodErrorRatio / (1 - slo.objective)) * (coverage / periodSeconds));
  return { coverageSeconds: coverage, periodSeconds, enoughData, consumed, remaining: Math.max(0, 1 - consumed) };
}

export type SloState = 'ok' | 'ticket' | 'page' | 'exhausted' | 'not-enough-data' | 'no-data' | 'invalid';

export function evaluateSlo(slo: Slo, ratios: Record<string, number | null>, coverageSeconds: number | null = null) {
  const windows: WindowEvaluation[] = slo.pairs.map((pair) => {
    const factor = burnFactor(pair, slo.period);
    const longBurn = burnRate(ratios[pair.long] ?? null, slo.objective);
    const shortBurn = burnRate(ratios[pair.short] ?? null, slo.objective);
    const firing = longBurn !== null && shortBurn !== null && longBurn > factor && shortBurn > factor;
    return { severity: pair.severity, long: pair.long, short: pair.short, factor, longBurn, shortBurn, firing, query: burnAlertQuery(slo, pair) };
  });
  const periodRatio = ratios[slo.period] ?? null;
  const sli = periodRatio === null || !Number.isFinite(periodRatio) ? null : 1 - periodRatio;
  const budget = errorBudget(slo, sli === null ? null : periodRatio, coverageSeconds);
  // A page outranks everything (act now); a spent budget outranks a slow burn; "within budget" needs a budget.
  const state: SloState = windows.some((w) => w.firing && w.severity === 'page')
    ? 'page'
    : budget.consumed !== null && budget.consumed >= 1
      ? 'exhausted'
      : windows.some((w) => w.firing)
        ? 'ticket'
        : sli === null
          ? 'no-data'
          : !budget.enoughData
            ? 'not-enough-data'
            : 'ok';
  return { windows, sli, budget, state };
}

/** "40 min", "5.5 h" or "12.3" (days, the period's unit) of "30 d"; "no data" without a sample. */
export function coverageText(budget: Pick<ErrorBudget, 'coverageSeconds' | 'periodSeconds'>): string {
  const period = `${round1(budget.periodSeconds / DAY)} d`;
  const s = budget.coverageSeconds;
  if (s === null) return 'no data';
  if (s >= DAY) return `${round1(s / DAY)} of ${period}`;
  if (s >= 3600) return `${round1(s / 3600)} h of ${period}`;
  return s < 60 ? `< 1 min of ${period}` : `${Math.round(s / 60)} min of ${period}`;
}

/** The budget for a person: "62.5 % left", "1.4 % consumed so far", "overspent ×3.0", never below −100 %. */
export function budgetText(budget: Pick<ErrorBudget, 'consumed' | 'remaining' | 'coverageSeconds' | 'periodSeconds'>): string {
  if (budget.consumed === null || budget.remaining === null) return 'not enough data';
  if (budget.consumed > 1) return `overspent ×${budget.consumed >= 10 ? Math.round(budget.consumed) : round1(budget.consumed).toFixed(1)}`;
  const full = budget.coverageSeconds !== null && budget.coverageSeconds >= budget.periodSeconds;
  return full ? `${(budget.remaining * 100).toFixed(1)} % left` : `${(budget.consumed * 100).toFixed(1)} % consumed so far`;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
