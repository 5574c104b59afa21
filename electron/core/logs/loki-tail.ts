// Loki's live tail (/loki/api/v1/tail over WebSocket). Frames carry streams and the entries Loki
// dropped (`dropped_entries`, counted and said). When the socket drops, the tail reconnects with
// `start` = the last delivered entry's nanosecond + 1 (Loki's start is inclusive), and a replay
// guard drops anything at or before what was delivered, so no entry is shown twice.
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { LogEvent } from '../../../shared/contract/logs.js';
import { LineBatcher } from './line-batcher.js';
import { lokiMessage, where, type LokiEndpoint } from './loki-client.js';
import { labelKey, msToNs, nextNs, tailFrameWire, type TailFrame } from './loki-wire.js';
import { ReattachDedupe } from './reattach-dedupe.js';
import type { LogTime } from './log-time.js';

export interface LokiTailOptions {
  endpoint: LokiEndpoint;
  query: string;
  limit: number;
  delayFor: number;
  /** Epoch ms; default one hour ago, as Loki's own default. */
  start?: number;
  emit(event: LogEvent): void;
  redact(text: string): string;
  reconnectDelaysMs?: number[];
  batchIntervalMs?: number;
  /** Tests: a socket that is silent this long counts as dropped. */
  idleMs?: number;
}

const DEFAULT_RECONNECT_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];

const timeOfNs = (ns: string): LogTime => {
  const big = BigInt(ns);
  return { ms: Number(big / 1_000_000n), sub: Number(big % 1_000_000n) };
};

function tailUrl(endpoint: LokiEndpoint, params: URLSearchParams): URL {
  const base = new URL(endpoint.url.endsWith('/') ? endpoint.url : endpoint.url + '/');
  const url = new URL(`loki/api/v1/tail?${params.toString()}`, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.username = '';
  url.password = '';
  return url;
}

function authHeader(endpoint: LokiEndpoint): string | undefined {
  const auth = endpoint.auth;
  if (auth?.kind === 'bearer') return `Bearer ${auth.token}`;
  if (auth?.kind === 'basic') return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const base = new URL(endpoint.url);
  if (base.username) return `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  return undefined;
}

/** Starts the tail; returns its stop function. */
export function startLokiTail(o: LokiTailOptions): () => void {
  const batcher = new LineBatcher({ emit: o.emit, intervalMs: o.batchIntervalMs });
  const send = (event: LogEvent) => {
    if (stopped) return;
    batcher.flush();
    o.emit(event);
  };
  const delays = o.reconnectDelaysMs ?? DEFAULT_RECONNECT_MS;
  const label = o.endpoint.label ?? where(o.endpoint.url);
  const srcOf = new Map<string, number>();
  const dedupe = new ReattachDedupe();
  let lastNs: string | undefined;
  let stopped = false;
  let socket: WebSocket | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const onFrame = (frame: TailFrame) => {
    for (const stream of frame.streams ?? []) {
      const key = labelKey(stream.stream);
      let src = srcOf.get(key);
      if (src === undefined) {
        src = srcOf.size;
        srcOf.set(key, src);
        send({ type: 'lokiStream', src, labels: stream.stream });
      }
      for (const [ns, line] of stream.values) {
        const time = timeOfNs(ns);
        if (!dedupe.accept(time, `${src}\u0000${line}`)) continue;
        if (!lastNs || BigInt(ns) > BigInt(lastNs)) lastNs = ns;
        batcher.add({ src, t: time.ms + time.sub / 1e6, text: o.redact(line) });
      }
    }
    const dropped = frame.dropped_entries?.length ?? 0;
    if (dropped > 0) send({ type: 'dropped', count: dropped, message: `Loki dropped ${dropped} entr${dropped === 1 ? 'y' : 'ies'} from the tail (it could not keep up): narrow the query, or use a range query for everything.` });
  };

  const retry = (why: string, level: 'warning' | 'error' = 'warning') => {
    if (stopped) return;
    const delay = delays[Math.min(failures++, delays.length - 1)];
    send({ type: 'notice', level, message: `${why}; reconnecting in ${delay < 1000 ? `${delay} ms` : `${delay / 1000} s`}${lastNs ? ' from the last entry shown' : ''}.` });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
  };

  const giveUp = (message: string) => {
    send({ type: 'notice', level: 'error', message });
    send({ type: 'end', reason: message });
    stop();
  };

  function connect(): void {
    if (stopped) return;
    const params = new URLSearchParams({ query: o.query, limit: String(o.limit), delay_for: String(o.delayFor) });
    params.set('start', lastNs ? nextNs(lastNs) : msToNs(o.start ?? Date.now() - 3_600_000));
    const headers: Record<string, string> = {};
    const authorization = authHeader(o.endpoint);
    if (authorization) headers.Authorization = authorization;
    const ws = new WebSocket(tailUrl(o.endpoint, params), { headers, handshakeTimeout: 10_000 });
    socket = ws;
    let opened = false;
    /** The handshake was refused: its answer decides (retry or give up), not the close. */
    let refused = false;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (!o.idleMs) return;
      clearTimeout(idle);
      idle = setTimeout(() => ws.terminate(), o.idleMs);
    };
    ws.on('open', () => {
      opened = true;
      if (lastNs) dedupe.startReplay();
      if (failures > 0) send({ type: 'notice', level: 'info', message: `Loki tail at ${label} reconnected.` });
      failures = 0;
      armIdle();
    });
    ws.on('message', (data: WebSocket.RawData) => {
      armIdle();
      let frame: TailFrame;
      try {
        frame = tailFrameWire.parse(JSON.parse(data.toString()));
      } catch (error) {
        send({ type: 'notice', level: 'warning', message: `Loki sent a tail frame that could not be read (${error instanceof Error ? error.message.slice(0, 200) : String(error)}); skipped.` });
        return;
      }
      onFrame(frame);
    });
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      refused = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        ws.terminate();
        const status = res.statusCode ?? 0;
        const message = lokiMessage(Buffer.concat(chunks).toString('utf8'));
        if (status === 400) giveUp(`Loki rejected the query: ${message}`);
        else if (status === 401 || status === 403) giveUp(`Loki at ${label} refused the credentials (${status}: ${message}). Check the log store's auth in Settings.`);
        else if (status === 429) retry(`Loki at ${label} is rate limiting the tail (429: ${message})`);
        else retry(`Loki at ${label} answered ${status} to the tail: ${message}`);
      });
    });
    ws.on('error', () => {
      // 'close' follows with what to do; a failed handshake (unexpected-response) is handled there.
    });
    ws.on('close', (code, reason) => {
      clearTimeout(idle);
      if (stopped || socket !== ws) return;
      socket = undefined;
      if (refused || retryTimer) return;
      const why = opened ? `The Loki tail connection to ${label} dropped (${code}${reason.length ? `: ${reason.toString()}` : ''})` : `Loki at ${label} is not reachable for the tail`;
      retry(why);
    });
  }

  const stop = () => {
    if (stopped) return;
    batcher.flush();
    stopped = true;
    clearTimeout(retryTimer);
    batcher.stop();
    socket?.terminate();
    socket = undefined;
  };

  connect();
  return stop;
}
