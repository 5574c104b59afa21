// The one way Flightdeck talks to a Prometheus: validated answers, `query_range` split under the
// 11,000-points-per-series limit, a concurrency limit, timeouts, retries with backoff for transient
// failures, and a cache keyed by (query, step-aligned range, step).
import { ContractError } from '../../../shared/contract-kit.js';
import type { CompactSeries } from '../../../shared/model/gpu-grid.js';
import { decodeMatrixFast } from './matrix-decoder.js';
import { prometheusRequest, type PrometheusEndpoint } from './prometheus-http.js';
import { checkVector, decodeAnswer, instantDataSchema, parseMatrix } from './prometheus-response.js';
import { describeIssues } from '../../../shared/contract-kit.js';
import type { z } from 'zod';

/** Prometheus refuses range queries with more points than this per series. */
export const MAX_POINTS = 11_000;

export interface ClientOptions {
  timeoutMs?: number;
  concurrency?: number;
  /** Extra attempts after a connection failure or a 502/503/504 from a proxy. */
  retries?: number;
  backoffMs?: number;
  cacheTtlMs?: number;
  cacheEntries?: number;
  now?: () => number;
}

export interface RangeAnswer {
  series: CompactSeries[];
  warnings: string[];
  start: number;
  end: number;
  step: number;
}

export type InstantData = z.infer<typeof instantDataSchema>;

export interface PrometheusClient {
  readonly endpoint: PrometheusEndpoint;
  queryRange(query: string, start: number, end: number, step: number): Promise<RangeAnswer>;
  query(query: string, time?: number): Promise<{ data: InstantData; warnings: string[] }>;
  labelValues(label: string): Promise<string[]>;
  /** `/api/v1/status/buildinfo`: answers with the version when Prometheus is healthy. */
  health(): Promise<{ version?: string }>;
  /** The range chunks a query_range is split into (exposed for tests). */
  chunks(start: number, end: number, step: number): Array<[number, number]>;
}

/** Splits [start, end] so no chunk has more than MAX_POINTS points; chunks meet without overlap. */
export function splitRange(start: number, end: number, step: number, maxPoints = MAX_POINTS): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const span = step * (maxPoints - 1);
  for (let s = start; s <= end; s += span + step) out.push([s, Math.min(end, s + span)]);
  return out;
}

export function createPrometheusClient(endpoint: PrometheusEndpoint, options: ClientOptions = {}): PrometheusClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 300;
  const now = options.now ?? Date.now;
  const cacheTtlMs = options.cacheTtlMs ?? 5_000;
  const cacheEntries = options.cacheEntries ?? 200;
  const where = endpoint.label ?? endpoint.url;
  const limit = semaphore(options.concurrency ?? 4);
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();

  const cached = <T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttl) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    value.catch(() => cache.delete(key));
    if (cache.size > cacheEntries) cache.delete(cache.keys().next().value as string);
    return value;
  };

  const send = async (path: string, form?: URLSearchParams) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await limit(() => prometheusRequest(endpoint, path, form, timeoutMs));
        if ([502, 503, 504].includes(answer.status) && attempt < retries && !answer.body.includes('"errorType"')) {
          await sleep(backoffMs * 3 ** attempt);
          continue;
        }
        return answer;
      } catch (error) {
        const transient = error instanceof ContractError && error.code === 'upstream_unavailable';
        if (!transient || attempt >= retries) throw error;
        await sleep(backoffMs * 3 ** attempt);
      }
    }
  };

  const call = async (path: string, form?: URLSearchParams) => decodeAnswer(await send(path, form), where);

  const rangeChunk = async (query: string, start: number, end: number, step: number) => {
    const form = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step), timeout: `${Math.ceil(timeoutMs / 1000)}s` });
    const answer = await send('api/v1/query_range', form);
    if (answer.status === 200) {
      const fast = decodeMatrixFast(answer.body);
      if (fast) return fast;
    }
    const decoded = decodeAnswer(answer, where);
    const series = parseMatrix(decoded.data, where).map((s) => ({
      labels: s.labels,
      times: Float64Array.from(s.values, (p) => p[0]),
      samples: Float64Array.from(s.values, (p) => Number(p[1])),
    }));
    return { series, warnings: decoded.warnings };
  };

  const client: PrometheusClient = {
    endpoint,
    chunks: (start, end, step) => splitRange(start, end, step),
    queryRange(query, start, end, step) {
      if (!(step > 0)) throw new ContractError('invalid_request', 'The step of a range query must be a positive number of seconds.');
      const s = Math.floor(start / step) * step;
      const e = Math.floor(end / step) * step;
      // An aligned range whose end is in the past cannot change: keep it as long as the cache allows.
      const ttl = e < now() / 1000 - 2 * step ? 10 * cacheTtlMs : Math.min(cacheTtlMs, step * 500);
      return cached(`range|${query}|${s}|${e}|${step}`, ttl, async () => {
        const parts = await Promise.all(splitRange(s, e, step).map(([a, b]) => rangeChunk(query, a, b, step)));
        return { ...mergeSeries(parts.map((p) => p.series)), warnings: [...new Set(parts.flatMap((p) => p.warnings))], start: s, end: e, step };
      });
    },
    query(query, time) {
      const t = time ?? now() / 1000;
      return cached(`query|${query}|${Math.floor(t)}`, cacheTtlMs, async () => {
        const form = new URLSearchParams({ query, time: String(t), timeout: `${Math.ceil(timeoutMs / 1000)}s` });
        const decoded = await call('api/v1/query', form);
        const vector = checkVector(decoded.data);
        if (vector) return { data: vector, warnings: decoded.warnings };
        const parsed = instantDataSchema.safeParse(decoded.data);
        if (!parsed.success) throw new ContractError('upstream_error', `${where} answered a query in an unexpected shape (${describeIssues(parsed.error)}).`);
        return { data: parsed.data, warnings: decoded.warnings };
      });
    },
    labelValues(label) {
      return cached(`label|${label}`, 60_000, async () => {
        const decoded = await call(`api/v1/label/${encodeURIComponent(label)}/values`);
        if (!Array.isArray(decoded.data) || decoded.data.some((v) => typeof v !== 'string')) {
          throw new ContractError('upstream_error', `${where} answered label values in an unexpected shape.`);
        }
        return decoded.data as string[];
      });
    },
    async health() {
      const decoded = await call('api/v1/status/buildinfo');
      const version = (decoded.data as { version?: unknown } | undefined)?.version;
      return { version: typeof version === 'string' ? version : undefined };
    },
  };
  return client;
}

function mergeSeries(parts: CompactSeries[][]): { series: CompactSeries[] } {
  if (parts.length === 1) return { series: parts[0] };
  const byLabels = new Map<string, { labels: Record<string, string>; times: number[]; samples: number[] }>();
  for (const part of parts) {
    for (const s of part) {
      const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
      let found = byLabels.get(key);
      if (!found) byLabels.set(key, (found = { labels: s.labels, times: [], samples: [] }));
      for (let k = 0; k < s.times.length; k++) {
        found.times.push(s.times[k]);
        found.samples.push(s.samples[k]);
      }
    }
  }
  return { series: [...byLabels.values()].map((s) => ({ labels: s.labels, times: Float64Array.from(s.times), samples: Float64Array.from(s.samples) })) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function semaphore(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
