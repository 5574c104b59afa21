// A small server that replays Loki's documented wire format, for testing the console's Loki client
// (no Loki can be installed here). It holds streams of entries (nanosecond string timestamps) and
// answers the HTTP API the console uses: query_range (`streams` result, stats), labels, label
// values, and the tail WebSocket (frames `{streams, dropped_entries}`). Errors come as Loki sends
// them: 400 with the LogQL parse error as plain text, 429 with its rate-limit text. Tests can push
// live entries, make the next frame report dropped entries, cut every tail socket, answer slowly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Labels = Record<string, string>;
export interface ReplayStream {
  stream: Labels;
  values: [string, string][];
}

interface Selector {
  matchers: { name: string; op: '=' | '!=' | '=~' | '!~'; value: string }[];
  contains: string[];
}

/** `{a="x", b!="y"} |= "text"`: the part of LogQL the replay understands; undefined when it does not parse. */
export function parseSelector(query: string): Selector | undefined {
  const m = /^\s*\{([^}]*)\}((?:\s*\|=\s*"[^"]*")*)\s*$/.exec(query);
  if (!m) return undefined;
  const matchers: Selector['matchers'] = [];
  for (const part of m[1].split(',').map((p) => p.trim()).filter(Boolean)) {
    const pm = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"$/.exec(part);
    if (!pm) return undefined;
    matchers.push({ name: pm[1], op: pm[2] as Selector['matchers'][number]['op'], value: pm[3] });
  }
  if (matchers.length === 0) return undefined;
  const contains = [...m[2].matchAll(/\|=\s*"([^"]*)"/g)].map((c) => c[1]);
  return { matchers, contains };
}

const matches = (sel: Selector, labels: Labels) =>
  sel.matchers.every(({ name, op, value }) => {
    const v = labels[name] ?? '';
    if (op === '=') return v === value;
    if (op === '!=') return v !== value;
    const re = new RegExp(`^(?:${value})$`);
    return op === '=~' ? re.test(v) : !re.test(v);
  });

export interface LokiReplay {
  url: string;
  /** Requests seen (path and query), for assertions. */
  requests: string[];
  /** Tail connections' `start` parameters, in order. */
  tailStarts: string[];
  /** Appends live entries to a stream and sends them to matching tails. */
  push(stream: Labels, values: [string, string][]): void;
  /** The next tail frame reports this many dropped entries. */
  dropNext(count: number): void;
  /** Closes every tail socket abruptly (a dropped connection). */
  cutTails(): void;
  /** The next `count` HTTP requests and tail handshakes answer 429. */
  rateLimit(count: number): void;
  /** Every answer waits this long first (a slow Loki). */
  delay(ms: number): void;
  openTails(): number;
  close(): Promise<void>;
}

const PARSE_ERROR = (query: string) => `parse error at line 1, col 1: syntax error: unexpected IDENTIFIER, expecting { (query: ${query})`;
const RATE_LIMITED = 'too many outstanding requests';

export async function startLokiReplay(streams: ReplayStream[]): Promise<LokiReplay> {
  const data = streams.map((s) => ({ stream: { ...s.stream }, values: s.values.map((v) => [...v] as [string, string]) }));
  const requests: string[] = [];
  const tailStarts: string[] = [];
  let limited = 0;
  let delayMs = 0;
  let dropped = 0;
  const tails = new Set<{ ws: WebSocket; sel: Selector }>();

  const select = (sel: Selector, from: bigint, to: bigint) =>
    data
      .filter((s) => matches(sel, s.stream))
      .map((s) => ({ stream: s.stream, values: s.values.filter(([ns, line]) => BigInt(ns) >= from && BigInt(ns) < to && sel.contains.every((c) => line.includes(c))) }))
      .filter((s) => s.values.length > 0);

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const text = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(body + '\n');
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loki');
    requests.push(`${url.pathname}${url.search}`);
    setTimeout(() => {
      if (limited > 0) {
        limited--;
        text(res, 429, RATE_LIMITED);
        return;
      }
      const q = url.searchParams;
      const now = BigInt(Date.now()) * 1_000_000n;
      const start = q.has('start') ? BigInt(q.get('start') as string) : now - 3_600_000_000_000n;
      const end = q.has('end') ? BigInt(q.get('end') as string) : now + 1n;
      if (url.pathname === '/loki/api/v1/query_range') {
        const query = q.get('query') ?? '';
        const sel = parseSelector(query);
        if (!sel) return text(res, 400, PARSE_ERROR(query));
        const limit = Number(q.get('limit') ?? 100);
        const forward = q.get('direction') === 'forward';
        // Loki keeps the `limit` entries nearest the start (forward) or the end (backward), over all streams.
        const all = select(sel, start, end).flatMap((s) => s.values.map((v) => ({ s: s.stream, v })));
        all.sort((a, b) => (BigInt(a.v[0]) < BigInt(b.v[0]) ? -1 : 1) * (forward ? 1 : -1));
        const kept = all.slice(0, limit);
        const byStream = new Map<string, ReplayStream>();
        for (const { s, v } of kept) {
          const key = JSON.stringify(s);
          if (!byStream.has(key)) byStream.set(key, { stream: s, values: [] });
          byStream.get(key)?.values.push(v);
        }
        const bytes = kept.reduce((n, e) => n + e.v[1].length, 0);
        return json(res, 200, {
          status: 'success',
          data: {
            resultType: 'streams',
            result: [...byStream.values()],
            stats: { summary: { bytesProcessedPerSecond: bytes * 10, linesProcessedPerSecond: kept.length * 10, totalBytesProcessed: bytes, totalLinesProcessed: all.length, execTime: 0.1 } },
          },
        });
      }
      if (url.pathname === '/loki/api/v1/labels') {
        const names = new Set<string>();
        for (const s of data) if (s.values.some(([ns]) => BigInt(ns) >= start && BigInt(ns) < end)) for (const k of Object.keys(s.stream)) names.add(k);
        return json(res, 200, { status: 'success', data: [...names].sort() });
      }
      const valuesPath = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(url.pathname);
      if (valuesPath) {
        const name = decodeURIComponent(valuesPath[1]);
        const sel = q.get('query') ? parseSelector(q.get('query') as string) : undefined;
        if (q.get('query') && !sel) return text(res, 400, PARSE_ERROR(q.get('query') as string));
        const values = new Set<string>();
        for (const s of data) if (s.stream[name] !== undefined && (!sel || matches(sel, s.stream))) values.add(s.stream[name]);
        return json(res, 200, { status: 'success', data: [...values].sort() });
      }
      text(res, 404, '404 page not found');
    }, delayMs);
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://loki');
    requests.push(`${url.pathname}${url.search}`);
    const refuse = (status: number, body: string) => {
      socket.end(`HTTP/1.1 ${status} ${status === 429 ? 'Too Many Requests' : 'Bad Request'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    if (url.pathname !== '/loki/api/v1/tail') return refuse(400, 'not a tail');
    if (limited > 0) {
      limited--;
      return refuse(429, RATE_LIMITED);
    }
    const query = url.searchParams.get('query') ?? '';
    const sel = parseSelector(query);
    if (!sel) return refuse(400, PARSE_ERROR(query));
    const start = url.searchParams.get('start') ?? String(BigInt(Date.now() - 3_600_000) * 1_000_000n);
    tailStarts.push(start);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const tail = { ws, sel };
      tails.add(tail);
      ws.on('close', () => tails.delete(tail));
      // What the store holds from `start` on (the last `limit` entries), then live entries.
      const history = select(sel, BigInt(start), 1n << 80n);
      const entries = history.flatMap((s) => s.values.map((v) => ({ s: s.stream, v }))).sort((a, b) => (BigInt(a.v[0]) < BigInt(b.v[0]) ? -1 : 1)).slice(-limit);
      if (entries.length > 0) ws.send(JSON.stringify(frame(entries.map((e) => ({ stream: e.s, values: [e.v] })))));
    });
  });

  const frame = (parts: ReplayStream[]) => {
    const body: { streams: ReplayStream[]; dropped_entries: { labels: Labels; timestamp: string }[] | null } = { streams: parts, dropped_entries: null };
    if (dropped > 0) {
      body.dropped_entries = Array.from({ length: dropped }, (_, i) => ({ labels: parts[0]?.stream ?? {}, timestamp: String(BigInt(Date.now()) * 1_000_000n + BigInt(i)) }));
      dropped = 0;
    }
    return body;
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tailStarts,
    push(stream, values) {
      const key = JSON.stringify(stream);
      let target = data.find((s) => JSON.stringify(s.stream) === key);
      if (!target) data.push((target = { stream: { ...stream }, values: [] }));
      target.values.push(...values);
      for (const { ws, sel } of tails) {
        if (!matches(sel, stream)) continue;
        const kept = values.filter(([, line]) => sel.contains.every((c) => line.includes(c)));
        if (kept.length > 0) ws.send(JSON.stringify(frame([{ stream, values: kept }])));
      }
    },
    dropNext: (count) => void (dropped = count),
    cutTails() {
      for (const { ws } of tails) ws.terminate();
    },
    rateLimit: (count) => void (limited = count),
    delay: (ms) => void (delayMs = ms),
    openTails: () => tails.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const { ws } of tails) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
