// Small clients for the HTTP transport tests: a WebSocket that records what it receives, a raw
// HTTP request (custom Host, bodies fetch refuses to send), and a fake core with test streams.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import WebSocket from 'ws';
import { ContractError } from '../../shared/contract-kit.js';
import type { ContractServer } from '../../electron/core/contract-server.js';

export interface StreamFrame {
  op: string;
  id: string | null;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface TestSocket {
  ws: WebSocket;
  frames: StreamFrame[];
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
}

/** Opens a stream socket; rejects with `status <code> <body>` when the upgrade is refused. */
export function openSocket(url: string, options: { headers?: Record<string, string>; origin?: string; ca?: string } = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: options.headers, origin: options.origin, ca: options.ca });
    const frames: StreamFrame[] = [];
    let closedFlag = false;
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on('close', (code, reason) => {
        closedFlag = true;
        done({ code, reason: reason.toString() });
      }),
    );
    ws.on('message', (m) => frames.push(JSON.parse(m.toString()) as StreamFrame));
    ws.on('error', (error) => reject(error));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => reject(new Error(`status ${res.statusCode} ${body}`)));
    });
    // Closing counts as closed: a socket dropped for a limit is not read by the server any more.
    ws.on('open', () => resolve({ ws, frames, closed, isClosed: () => closedFlag || ws.readyState !== WebSocket.OPEN }));
  });
}

/** Waits until `frames` has more than `count` entries or the socket closes. */
export async function nextFrameOrClose(socket: TestSocket, count: number, timeoutMs = 5_000): Promise<'frame' | 'closed'> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (socket.frames.length > count) return 'frame';
    if (socket.isClosed()) return 'closed';
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`no answer within ${timeoutMs} ms (frames: ${socket.frames.length})`);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP(S) request with full control over the headers (Host included). */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: string; skipTlsNameCheck?: boolean } = {}): Promise<RawResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  // TLS checks the certificate against the name in Host when there is one, as a browser would.
  const named = options.headers?.Host?.replace(/:\d+$/, '');
  const servername = named && !isIP(named) ? named : undefined;
  return new Promise((resolve, reject) => {
    const req = send(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers: options.headers, ca: options.ca, servername, ...(options.skipTlsNameCheck ? { checkServerIdentity: () => undefined } : {}) },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface FakeCore extends ContractServer {
  /** Subscriptions started and stopped, by stream name. */
  started: string[];
  stopped: string[];
}

/**
 * A core with `app.info` and test streams: `test.firehose` emits a 64 KiB event every ms,
 * `test.quiet` emits once, `test.throws` throws a bug (not a ContractError) on subscribe, and
 * `test.bad-stop` throws when stopped.
 */
export function fakeCore(): FakeCore {
  const started: string[] = [];
  const stopped: string[] = [];
  const chunk = 'x'.repeat(64 * 1024);
  const subscribe: ContractServer['subscribe'] = (stream, _params, _session, emit) => {
    if (stream === 'test.throws') throw new TypeError("Cannot read properties of null (reading 'id')");
    if (!stream.startsWith('test.')) throw new ContractError('unknown_method', `no stream ${stream}`);
    started.push(stream);
    let timer: NodeJS.Timeout | undefined;
    if (stream === 'test.firehose') timer = setInterval(() => emit({ chunk }), 1);
    else emit({ hello: stream });
    return () => {
      clearInterval(timer);
      stopped.push(stream);
      if (stream === 'test.bad-stop') throw new Error('stop failed');
    };
  };
  return {
    started,
    stopped,
    async call(method) {
      if (method === 'app.info') return { name: 'Flightdeck' };
      throw new ContractError('unknown_method', `no ${method}`);
    },
    subscribe,
    open: (stream, params, session, emit) => ({
      stop: subscribe(stream, params, session, emit),
      input: () => {
        throw new ContractError('invalid_request', `The stream ${stream} takes no input.`);
      },
    }),
  };
}

/** Deterministic hostile frames: JSON that is not a message, binary, invalid UTF-8, huge frames. */
export function hostileFrames(count: number, seed = 11): Array<{ data: string | Buffer; binary: boolean }> {
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const makers: Array<() => string | Buffer> = [
    () => 'null',
    () => String(Math.floor(random() * 1e9)),
    () => '[]',
    () => JSON.stringify([{ op: 'subscribe', id: 'a' }]),
    () => '"' + 'x'.repeat(200_000) + '"',
    () => 'true',
    () => '{',
    () => '{"op":"subscribe","id":null}',
    () => JSON.stringify({ op: 'subscribe', id: {}, stream: 'clusters.status' }),
    () => JSON.stringify({ op: 'subscribe', id: 'x'.repeat(1000), stream: 'clusters.status' }),
    () => JSON.stringify({ op: 'subscribe', id: 'p', stream: 'clusters.status', params: null }),
    () => JSON.stringify({ op: 'subscribe', id: 'q', stream: 42 }),
    () => JSON.stringify({ op: 'subscribe', id: 'r', stream: 'no.such.stream' }),
    () => JSON.stringify({ op: 'explode', id: 's' }),
    () => '{"__proto__":{"id":"t"},"op":"subscribe"}',
    () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))),
    () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28]),
    () => ' '.repeat((1 << 20) - 10) + 'null',
    () => 'y'.repeat((1 << 20) + 1),
  ];
  return Array.from({ length: count }, (_, i) => {
    const kind = i < makers.length ? i : Math.floor(random() * makers.length);
    const data = makers[kind]();
    // Binary frames of random bytes, and text frames of invalid UTF-8 (the sender does not check).
    return { data, binary: kind === 15 };
  });
}
