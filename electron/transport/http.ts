// The contract over HTTP + WebSocket: browser mode, war-room screens and the scripting API.
//   POST /api/v1/call/<method>   JSON body -> JSON response, or {"error":{code,message}} + status
//   GET  /api/v1/stream          WebSocket; {op:"subscribe",id,stream,params} / {op:"unsubscribe",id}
// Every API request needs a token (Authorization: Bearer, or ?token= on the WebSocket URL): the
// console token can do everything, the read-only token nothing that mutates. Static files of the
// renderer are served without a token: they hold no data.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ContractError, ERROR_STATUS, type ContractErrorShape } from '../../shared/contract-kit.js';
import type { ContractServer, Session } from '../core/contract-server.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

export interface HttpTransportOptions {
  /**
   * The core, or a function that starts it on first use: the page can then be served and painted
   * before the heavy core loads (its module evaluation blocks the event loop for about a second).
   */
  server: ContractServer | (() => Promise<ContractServer>);
  host?: string;
  port?: number;
  /** Built renderer (dist/renderer); when absent only the API is served. */
  staticDir?: string;
  /** Fixed tokens (tests); random 32-byte tokens otherwise. */
  consoleToken?: string;
  readonlyToken?: string;
  maxBodyBytes?: number;
}

export interface HttpTransport {
  url: string;
  consoleUrl: string;
  readonlyUrl: string;
  consoleToken: string;
  readonlyToken: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpTransport> {
  const host = options.host ?? '127.0.0.1';
  const consoleToken = options.consoleToken ?? randomBytes(32).toString('base64url');
  const readonlyToken = options.readonlyToken ?? randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const contract = (): Promise<ContractServer> => (typeof options.server === 'function' ? options.server() : Promise.resolve(options.server));

  const sessionFor = (token: string | undefined): Session | undefined => {
    if (!token) return undefined;
    if (safeEqual(token, consoleToken)) return { kind: 'console', readOnly: false };
    if (safeEqual(token, readonlyToken)) return { kind: 'readonly', readOnly: true };
    return undefined;
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error) => {
      sendError(res, new ContractError('internal', `Request failed: ${error instanceof Error ? error.message : String(error)}`));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    setCommonHeaders(res);
    if (url.pathname.startsWith('/api/')) {
      const session = sessionFor(bearer(req));
      if (!session) {
        return sendError(res, new ContractError('unauthorized', 'A valid token is required: use the console or readonly URL printed at start-up.'));
      }
      const match = /^\/api\/v1\/call\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
      if (!match) return sendError(res, new ContractError('unknown_method', `No API route ${url.pathname}.`));
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendError(res, new ContractError('invalid_request', 'Use POST with a JSON body.'), 405);
      }
      let payload: unknown;
      try {
        payload = await readJson(req, maxBody);
      } catch (error) {
        return sendError(res, error instanceof ContractError ? error : new ContractError('invalid_request', String(error)));
      }
      try {
        const result = await (await contract()).call(match[1], payload, session);
        sendJson(res, 200, result);
      } catch (error) {
        sendError(res, error);
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, new ContractError('invalid_request', 'Method not allowed.'), 405);
    serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const root = options.staticDir;
    if (!root || !existsSync(root)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The renderer is not built: run `npm run build`. The API is at /api/v1/.');
      return;
    }
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = join(root, relative);
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    // Client-side routes fall back to index.html.
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const session = sessionFor(url.searchParams.get('token') ?? bearer(req));
    if (url.pathname !== '/api/v1/stream' || !session) {
      const status = session ? 404 : 401;
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveStreams(ws, session));
  });

  function serveStreams(ws: WebSocket, session: Session): void {
    const active = new Map<string, () => void>();
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // Messages wait for the core in arrival order (the same memoized promise continues FIFO).
    ws.on('message', async (raw) => {
      const server = await contract().catch(() => undefined);
      let message: { op?: unknown; id?: unknown; stream?: unknown; params?: unknown };
      try {
        message = JSON.parse(raw.toString()) as typeof message;
      } catch {
        return send({ op: 'error', id: null, error: { code: 'invalid_request', message: 'Stream messages must be JSON.' } });
      }
      const id = typeof message.id === 'string' ? message.id : null;
      if (!id) return send({ op: 'error', id: null, error: { code: 'invalid_request', message: 'Every stream message needs a string id.' } });
      if (message.op === 'unsubscribe') {
        active.get(id)?.();
        active.delete(id);
        return;
      }
      if (message.op !== 'subscribe' || typeof message.stream !== 'string') {
        return send({ op: 'error', id, error: { code: 'invalid_request', message: 'Expected {op:"subscribe", id, stream, params}.' } });
      }
      if (active.has(id)) return send({ op: 'error', id, error: { code: 'conflict', message: `Subscription id ${id} is in use.` } });
      if (!server) return send({ op: 'error', id, error: { code: 'internal', message: 'Flightdeck failed to start; see its terminal output.' } });
      try {
        const stop = server.subscribe(message.stream, message.params, session, (data) => send({ op: 'event', id, data }));
        active.set(id, stop);
      } catch (error) {
        send({ op: 'error', id, error: toErrorShape(error) });
      }
    });
    const cleanup = () => {
      for (const stop of active.values()) stop();
      active.clear();
    };
    ws.on('close', cleanup);
    ws.on('error', cleanup);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  return {
    url,
    consoleUrl: `${url}/?token=${consoleToken}`,
    readonlyUrl: `${url}/?token=${readonlyToken}`,
    consoleToken,
    readonlyToken,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1].trim();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ContractError('invalid_request', `Request body over ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ContractError('invalid_request', 'The request body is not valid JSON.'));
      }
    });
  });
}

function toErrorShape(error: unknown): ContractErrorShape {
  if (error instanceof ContractError) return error.toJSON();
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown, status?: number): void {
  const shape = toErrorShape(error);
  sendJson(res, status ?? ERROR_STATUS[shape.code], { error: shape });
}
