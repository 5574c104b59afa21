// Loki's documented wire format (HTTP API: query_range, labels, label values, tail frames), read
// with zod so a proxy's HTML page or a changed field is a clear error, not a crash. Entry times
// are nanosecond strings: kept as strings for exact comparison and `start` arithmetic, turned into
// epoch milliseconds for the viewer.
import { z } from 'zod';
import type { LokiQueryResult } from '../../../shared/contract/logs.js';

const labels = z.record(z.string(), z.string());
const nanos = () => z.string().regex(/^\d{1,20}$/, 'a nanosecond timestamp');
const entry = z.tuple([nanos(), z.string()]);
const lokiStream = z.object({ stream: labels, values: z.array(entry) });

export const queryRangeWire = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({ resultType: z.literal('streams'), result: z.array(lokiStream), stats: z.unknown().optional() }),
    z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labels, values: z.array(z.tuple([z.number(), z.string()])) })), stats: z.unknown().optional() }),
    z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: labels, value: z.tuple([z.number(), z.string()]) })), stats: z.unknown().optional() }),
  ]),
  warnings: z.array(z.string()).optional(),
});

export const stringListWire = z.object({ status: z.literal('success'), data: z.array(z.string()).optional() });

export const tailFrameWire = z.object({
  streams: z.array(lokiStream).optional(),
  dropped_entries: z.array(z.object({ labels, timestamp: nanos() })).nullable().optional(),
});
export type TailFrame = z.infer<typeof tailFrameWire>;

/** Nanosecond string -> epoch milliseconds (the double loses the nanoseconds, which stay in the string). */
export const nsToMs = (ns: string): number => Number(BigInt(ns) / 1000n) / 1000;
/** Epoch milliseconds -> Loki's nanosecond string. */
export const msToNs = (ms: number): string => (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))).toString();
/** The nanosecond after `ns` (a tail's restart point: Loki's `start` is inclusive). */
export const nextNs = (ns: string): string => (BigInt(ns) + 1n).toString();
/** Compares two nanosecond strings exactly. */
export const compareNs = (a: string, b: string): number => {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A stable key for a label set (the same stream across tail frames and reconnects). */
export const labelKey = (set: Record<string, string>): string =>
  Object.keys(set)
    .sort()
    .map((k) => `${k}=${JSON.stringify(set[k])}`)
    .join(',');

const summaryWire = z.object({
  summary: z.object({ totalBytesProcessed: z.number().optional(), totalLinesProcessed: z.number().optional(), execTime: z.number().optional() }).partial().optional(),
});

/** A query_range answer as the contract's result: label sets numbered, lines merged in the query's direction. */
export function toQueryResult(wire: z.infer<typeof queryRangeWire>, direction: 'backward' | 'forward', limit: number, redact: (text: string) => string): LokiQueryResult {
  const stats = summaryWire.safeParse(wire.data.stats ?? {});
  const summary = stats.success ? stats.data.summary : undefined;
  const base = {
    stats: { bytesProcessed: summary?.totalBytesProcessed, linesProcessed: summary?.totalLinesProcessed, execTimeSeconds: summary?.execTime },
    warnings: wire.warnings ?? [],
  };
  if (wire.data.resultType === 'matrix') {
    const series = wire.data.result.map((s) => ({ labels: s.metric, values: s.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number]) }));
    return { resultType: 'matrix', streams: [], lines: [], series, limited: false, ...base };
  }
  if (wire.data.resultType === 'vector') {
    const series = wire.data.result.map((s) => ({ labels: s.metric, values: [[s.value[0] * 1000, Number(s.value[1])] as [number, number]] }));
    return { resultType: 'vector', streams: [], lines: [], series, limited: false, ...base };
  }
  const entries: { ns: bigint; src: number; text: string }[] = [];
  const streams = wire.data.result.map((s, src) => {
    for (const [ns, text] of s.values) entries.push({ ns: BigInt(ns), src, text });
    return { src, labels: s.stream };
  });
  entries.sort((a, b) => (a.ns === b.ns ? 0 : (a.ns < b.ns) === (direction === 'forward') ? -1 : 1));
  const lines = entries.map((e) => ({ src: e.src, t: nsToMs(e.ns.toString()), text: redact(e.text) }));
  return { resultType: 'streams', streams, lines, series: [], limited: lines.length >= limit, ...base };
}
