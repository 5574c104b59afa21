// The console's Loki client against a server replaying Loki's documented wire format (no Loki can
// be installed here): query_range, labels, label values, the tail WebSocket with dropped_entries
// and a dropped socket, and Loki's 400 and 429 answers, through the contract as the renderer calls it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import { startLokiTail } from '../../electron/core/logs/index.js';
import type { LogEvent, LokiQueryResult } from '../../shared/contract/logs.js';
import { startLokiReplay, type LokiReplay, type ReplayStream } from '../support/loki-replay.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/loki/streams.json', import.meta.url), 'utf8')) as { streams: ReplayStream[] };
const BASE_MS = Date.UTC(2025, 11, 2, 10, 0, 0);
const session = { kind: 'console' as const, readOnly: false };

let loki: LokiReplay;
let app: App;
let dataDir: string;

beforeAll(async () => {
  loki = await startLokiReplay(fixture.streams);
  dataDir = mkdtempSync(join(tmpdir(), 'fd-loki-'));
  app = await createApp({ mode: 'browser', dataDir, kubeconfig: { useHomeConfig: false }, demo: false, version: 'test', probeIntervalMs: 3_600_000, log: () => undefined });
  await app.server.call('settings.set', { logStoreUrls: { prod: loki.url } }, session);
  await app.server.call('settings.setAuth', { context: 'prod', service: 'logs', auth: { kind: 'bearer', token: 'loki-token' } }, session);
});
afterAll(async () => {
  await app?.stop();
  await loki?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  loki.rateLimit(0);
  loki.delay(0);
});

const query = (req: Record<string, unknown>) => app.server.call('logs.lokiQuery', { context: 'prod', start: BASE_MS, end: BASE_MS + 3_600_000, ...req }, session) as Promise<LokiQueryResult>;

describe('Loki range queries', () => {
  it('query_range: streams numbered, lines merged newest first, limit flagged, stats passed on, secrets masked', async () => {
    const result = await query({ query: '{namespace="inference"}', limit: 50 });
    expect(result.resultType).toBe('streams');
    expect(result.streams.map((s) => s.labels.pod).sort()).toEqual(['embedder-5d8b-klmno', 'llm-gateway-7c9f-abcde', 'llm-gateway-7c9f-fghij']);
    expect(result.lines).toHaveLength(50);
    expect(result.limited).toBe(true);
    const times = result.lines.map((l) => l.t);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(result.stats.linesProcessed).toBe(120);
    const all = await query({ query: '{app="llm-gateway"} |= "password"', limit: 1000, direction: 'forward' });
    expect(all.lines).toHaveLength(1);
    expect(all.lines[0].text).not.toContain('hunter2');
    expect(all.lines[0].text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(all.lines[0].text).toMatch(/password=<redacted: 7 chars #[0-9a-f]+>/);
    expect(all.lines[0].t).toBeCloseTo(BASE_MS + 11 * 1500, 0);
    const sent = loki.requests.find((r) => r.startsWith('/loki/api/v1/query_range'))!;
    expect(new URL(sent, 'http://x').searchParams.get('start')).toBe(`${BASE_MS}000000`);
  });

  it('labels and label values', async () => {
    const labels = (await app.server.call('logs.lokiLabels', { context: 'prod', start: BASE_MS, end: BASE_MS + 3_600_000 }, session)) as { labels: string[] };
    expect(labels.labels).toEqual(['app', 'container', 'job', 'namespace', 'pod']);
    const values = (await app.server.call('logs.lokiLabelValues', { context: 'prod', name: 'pod', query: '{app="llm-gateway"}' }, session)) as { values: string[] };
    expect(values.values).toEqual(['llm-gateway-7c9f-abcde', 'llm-gateway-7c9f-fghij']);
  });

  it('a LogQL mistake is Loki’s own message (400), as invalid_request', async () => {
    await expect(query({ query: 'namespace="inference"' })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^Loki rejected the query: parse error at line 1, col 1: syntax error/) });
  });

  it('429: retried with backoff and answered when Loki lets up; said to be rate limiting when it does not', async () => {
    loki.rateLimit(2);
    const before = loki.requests.length;
    const ok = await query({ query: '{app="prometheus"}', limit: 5 });
    expect(ok.lines).toHaveLength(5);
    expect(loki.requests.length - before).toBe(3);
    loki.rateLimit(100);
    const started = Date.now();
    await expect(query({ query: '{app="prometheus"}', limit: 5 })).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/is rate limiting \(429: too many outstanding requests\); retried 3 times/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
  }, 20_000);

  it('the credential stays in the main process and the source says only the origin', async () => {
    const source = (await app.server.call('logs.lokiSource', { context: 'prod' }, session)) as Record<string, unknown>;
    expect(source).toMatchObject({ configured: true, url: loki.url, auth: 'bearer' });
    expect(JSON.stringify(source)).not.toContain('loki-token');
    await expect(app.server.call('logs.lokiSource', { context: 'other' }, session)).resolves.toMatchObject({ configured: false });
    await expect(query({ context: 'other', query: '{a="b"}' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('Loki live tail', () => {
  const collect = () => {
    const events: LogEvent[] = [];
    const lines = () => events.flatMap((e) => (e.type === 'lines' ? e.lines : []));
    return { events, lines, emit: (e: LogEvent) => events.push(e) };
  };
  const until = async (what: string, check: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('history then live entries; dropped_entries counted; a cut socket reconnects from the last entry + 1 ns without repeats', async () => {
    const c = collect();
    const stop = startLokiTail({
      endpoint: { url: loki.url, auth: { kind: 'bearer', token: 'loki-token' } },
      query: '{app="prometheus"}',
      limit: 100,
      delayFor: 0,
      start: BASE_MS,
      emit: c.emit,
      redact: (t) => t,
      reconnectDelaysMs: [50],
      batchIntervalMs: 5,
    });
    try {
      await until('the stored entries', () => c.lines().length === 40);
      expect(c.events.find((e) => e.type === 'lokiStream')).toMatchObject({ src: 0, labels: { app: 'prometheus', pod: 'prometheus-0' } });
      const labels = fixture.streams[3].stream;
      const ns = (i: number) => String(BigInt(BASE_MS + 100_000 + i) * 1_000_000n);
      loki.dropNext(3);
      loki.push(labels, [[ns(1), 'live one'], [ns(2), 'live two']]);
      await until('live entries', () => c.lines().length === 42);
      expect(c.events.find((e) => e.type === 'dropped')).toMatchObject({ count: 3 });
      const lastNs = BigInt(ns(2));
      loki.cutTails();
      await until('the reconnect', () => loki.tailStarts.length === 2 && loki.openTails() === 1);
      expect(loki.tailStarts[1]).toBe(String(lastNs + 1n));
      expect(c.events.some((e) => e.type === 'notice' && /dropped/.test(e.message) && /reconnecting/.test(e.message))).toBe(true);
      loki.push(labels, [[ns(3), 'after the drop']]);
      await until('the entry after the drop', () => c.lines().length === 43);
      const texts = c.lines().map((l) => l.text);
      expect(texts.slice(-3)).toEqual(['live one', 'live two', 'after the drop']);
      expect(new Set(texts).size).toBe(texts.length);
    } finally {
      stop();
    }
  }, 20_000);

  it('a bad query ends the tail with Loki’s message; a rate-limited handshake is retried', async () => {
    const bad = collect();
    const stopBad = startLokiTail({ endpoint: { url: loki.url }, query: 'oops', limit: 10, delayFor: 0, emit: bad.emit, redact: (t) => t, reconnectDelaysMs: [50] });
    await until('the end', () => bad.events.some((e) => e.type === 'end'));
    expect(bad.events.find((e) => e.type === 'end')).toMatchObject({ reason: expect.stringMatching(/^Loki rejected the query: parse error/) });
    stopBad();

    loki.rateLimit(1);
    const limited = collect();
    const stop = startLokiTail({ endpoint: { url: loki.url }, query: '{app="embedder"}', limit: 10, delayFor: 0, start: BASE_MS, emit: limited.emit, redact: (t) => t, reconnectDelaysMs: [50], batchIntervalMs: 5 });
    try {
      await until('entries after the 429', () => limited.lines().length === 10);
      expect(limited.events.some((e) => e.type === 'notice' && /rate limiting the tail \(429/.test(e.message))).toBe(true);
    } finally {
      stop();
    }
  });

  it('Loki down: says it is not reachable and keeps retrying', async () => {
    const down = collect();
    const stop = startLokiTail({ endpoint: { url: 'http://127.0.0.1:9' }, query: '{a="b"}', limit: 10, delayFor: 0, emit: down.emit, redact: (t) => t, reconnectDelaysMs: [30] });
    try {
      await until('two attempts', () => down.events.filter((e) => e.type === 'notice').length >= 2);
      expect(down.events[0]).toMatchObject({ type: 'notice', level: 'warning', message: expect.stringMatching(/is not reachable for the tail; reconnecting in 30 ms/) });
    } finally {
      stop();
    }
  });

  it('a slow Loki times out with a message naming it', async () => {
    loki.delay(1_500);
    const { createLokiClient } = await import('../../electron/core/logs/index.js');
    const client = createLokiClient({ url: loki.url }, { timeoutMs: 300 });
    await expect(client.get('loki/api/v1/labels', new URLSearchParams())).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/^Loki at http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.3 s/) });
  });
});
