// The contract over HTTP + WebSocket: browser mode, war-room screens and the scripting API.
//   POST /api/v1/call/<method>   JSON body -> JSON response, or {"error":{code,message}} + status
//   GET  /api/v1/stream          WebSocket; {op:"subscribe",id,stream,params} / {op:"unsubscribe",id}
// Every API request needs a token (Authorization: Bearer, or ?token= on the WebSocket URL): the
// console token can do everything, the read-only token nothing that mutates. Static files of the
// renderer are served without a token: they hold no data. Off loopback it serves HTTPS only; every
// request must name a served host (DNS rebinding), and the limits of limits.ts bound what one
// client can cost. A failure while answering one request is logged, never fatal.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ContractError, type ErrorCode } from '../../shared/contract-kit.js';
import type { ContractServer, Session } from '../core/contract-server.js';
import { bearer, discardBody, errorResponseBytes, readJson, safeEqual, sendError, sendJson, setCommonHeaders, toErrorShape } from './http-io.js';
import { hostPolicy, isLoopbackAddress, isLoopbackHost, servedHostnames, shownAddress, urlHost, type HostPolicy } from './host-check.js';
import { ClientBuckets, ConnectionCounter, DEFAULT_LIMITS, type TransportLimits } from './limits.js';
import { serveStatic } from './static-files.js';
import type { TlsMaterial } from './tls.js';
import { serveStreams } from './ws-streams.js';

export type { TransportLimits } from './limits.js';
export { DEFAULT_LIMITS } from './limits.js';

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
  /** Shorthand for `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
  /** What one client may cost; DEFAULT_LIMITS for what is not given. */
  limits?: Partial<TransportLimits>;
  /** Certificate and key (PEM): serve HTTPS with them, on any address. */
  tls?: TlsMaterial;
  /** Where the self-signed certificate for a non-loopback address is kept (the data directory). */
  tlsDir?: string;
  /** Unexpected failures and limits hit (console.error by default). */
  log?: (line: string) => void;
}

export interface HttpTransport {
  url: string;
  consoleUrl: string;
  readonlyUrl: string;
  consoleToken: string;
  readonlyToken: string;
  /** Set when serving HTTPS: the certificate, its SHA-256 fingerprint, and whether it was made now. */
  tls?: { cert: string; fingerprint: string; selfSigned: boolean; created: boolean };
  close(): Promise<void>;
}

/** Refusals a client causes by misuse; they draw from its refusal rate (RBAC and conflicts do not). */
const REFUSAL_CODES = new Set<ErrorCode>(['unauthorized', 'invalid_request', 'unknown_method', 'read_only', 'too_large']);

export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpTransport> {
  const host = options.host ?? '127.0.0.1';
  const consoleToken = options.consoleToken ?? randomBytes(32).toString('base64url');
  const readonlyToken = options.readonlyToken ?? randomBytes(32).toString('base64url');
  const limits: TransportLimits = { ...DEFAULT_LIMITS, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}), ...options.limits };
  const log = options.log ?? ((line: string) => console.error(line));
  const contract = (): Promise<ContractServer> => (typeof options.server === 'function' ? options.server() : Promise.resolve(options.server));
  // Only refusals draw from a client's refusal bucket, so its good calls are never refused for its bad ones.
  const refusals = new ClientBuckets(limits.refusalBurst, limits.refusalsPerSecond);
  const subscriptions = new ClientBuckets(limits.subscribeBurst, limits.subscribesPerSecond);
  const connections = new ConnectionCounter(limits.maxConnectionsPerToken);

  const names = servedHostnames(host);
  const tls = await tlsFor(host, [...names], options);
  if (tls) for (const name of await import('./tls.js').then((m) => m.certificateNames(tls.cert))) names.add(name.toLowerCase());
  // Set once listening (the port may be chosen by the system); until then every host is refused.
  let policy: HostPolicy = { refuseHost: () => 'Flightdeck is starting.', refuseOrigin: () => 'Flightdeck is starting.' };

  const sessionFor = (token: string | undefined | null, req: IncomingMessage): Session | undefined => {
    if (!token) return undefined;
    const remote = !isLoopbackAddress(req.socket.remoteAddress);
    if (safeEqual(token, consoleToken)) return { kind: 'console', readOnly: false, remote };
    if (safeEqual(token, readonlyToken)) return { kind: 'readonly', readOnly: true, remote };
    return undefined;
  };
  const clientOf = (req: IncomingMessage, session: Session | undefined) => `${req.socket.remoteAddress ?? '?'}|${session?.kind ?? 'none'}`;
  const rateLimited = () => new ContractError('rate_limited', 'Too many refused requests from this client: wait a moment, then send valid requests.');

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log(`browser mode: ${req.method} ${req.url?.slice(0, 200)} failed unexpectedly: ${describe(error)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, new ContractError('internal', `Request failed: ${error instanceof Error ? error.message : String(error)}`));
    });
  };
  const http = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest) : createHttpServer(onRequest);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCommonHeaders(res);
    const hostRefused = policy.refuseHost(req.headers.host);
    if (hostRefused) return sendError(res, new ContractError('forbidden', hostRefused));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendError(res, new ContractError('invalid_request', 'The request path is malformed.'));
    }
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, new ContractError('invalid_request', 'Method not allowed.'), 405);
    serveStatic(options.staticDir, url.pathname, res);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const session = sessionFor(bearer(req), req);
    const client = clientOf(req, session);
    const refuse = (error: unknown, status?: number) => {
      const shape = toErrorShape(error);
      if (REFUSAL_CODES.has(shape.code) && !refusals.take(client)) {
        res.setHeader('Retry-After', String(refusals.retryAfterSeconds(client)));
        return sendError(res, rateLimited());
      }
      sendError(res, error, status);
    };
    if (!session) {
      return refuse(new ContractError('unauthorized', 'A valid token is required: use the console or readonly URL printed at start-up.'));
    }
    const match = /^\/api\/v1\/call\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
    if (!match) return refuse(new ContractError('unknown_method', `No API route ${url.pathname.slice(0, 200)}.`));
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return refuse(new ContractError('invalid_request', 'Use POST with a JSON body.'), 405);
    }
    let payload: unknown;
    try {
      payload = await readJson(req, limits.maxBodyBytes);
    } catch (error) {
      if (error instanceof ContractError && error.code === 'too_large') discardBody(req, res);
      return refuse(error instanceof ContractError ? error : new ContractError('invalid_request', String(error)));
    }
    const server = await contract();
    // Over its refusal rate, a read-only client's mutations are answered here: the core would
    // append each refusal to the audit log.
    if (session.readOnly && refusals.isExhausted(client) && (await mutates(match[1]))) return refuse(new ContractError('read_only', 'read-only session'));
    try {
      sendJson(res, 200, await server.call(match[1], payload, session));
    } catch (error) {
      refuse(error);
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets during the handshake must not throw out of here.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (error) {
      log(`browser mode: a WebSocket upgrade failed unexpectedly: ${describe(error)}`);
      socket.destroy();
    }
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (error: ContractError, headers?: Record<string, string>) => {
      socket.end(errorResponseBytes(error, headers));
    };
    const hostRefused = policy.refuseHost(req.headers.host) ?? policy.refuseOrigin(req.headers.origin);
    if (hostRefused) return reject(new ContractError('forbidden', hostRefused));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return reject(new ContractError('invalid_request', 'The request path is malformed.'));
    }
    const session = sessionFor(url.searchParams.get('token') ?? bearer(req), req);
    const refusal = !session
      ? new ContractError('unauthorized', 'A valid token is required: use the console or readonly URL printed at start-up.')
      : url.pathname !== '/api/v1/stream'
        ? new ContractError('not_found', `No WebSocket at ${url.pathname.slice(0, 200)}; streams are at /api/v1/stream.`)
        : undefined;
    if (refusal || !session) {
      const client = clientOf(req, session);
      if (!refusals.take(client)) return reject(rateLimited(), { 'Retry-After': String(refusals.retryAfterSeconds(client)) });
      return reject(refusal ?? new ContractError('unauthorized', 'A valid token is required.'));
    }
    if (connections.isFull(session.kind)) {
      log(`browser mode: refused a ${session.kind} WebSocket: ${limits.maxConnectionsPerToken} are open with that token`);
      return reject(new ContractError('rate_limited', `${limits.maxConnectionsPerToken} WebSockets are already open with this token (the limit): close another tab or screen first.`));
    }
    const client = clientOf(req, session);
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections.opened(session.kind);
      ws.once('close', () => connections.closed(session.kind));
      serveStreams({ ws, session, contract, limits, admitRefusal: () => refusals.take(client), admitSubscription: () => subscriptions.take(client), log });
    });
  }

  // Malformed HTTP (bad request line, header overflow) is answered 400 and the socket closed.
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    socket.end(errorResponseBytes(new ContractError('invalid_request', 'Malformed HTTP request.')));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  // After start-up an error of the listening socket (e.g. out of file descriptors) is logged.
  http.on('error', (error) => log(`browser mode: server error: ${describe(error)}`));
  const address = http.address() as AddressInfo;
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://${urlHost(shownAddress(host))}:${address.port}`;
  policy = hostPolicy({ names, port: address.port, scheme, shownUrl: url });
  return {
    url,
    consoleUrl: `${url}/?token=${consoleToken}`,
    readonlyUrl: `${url}/?token=${readonlyToken}`,
    consoleToken,
    readonlyToken,
    tls: tls && { cert: tls.cert, fingerprint: tls.fingerprint, selfSigned: tls.selfSigned, created: tls.created },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** HTTPS material: the given certificate, or off loopback the self-signed one kept in `tlsDir`. */
async function tlsFor(host: string, names: string[], options: HttpTransportOptions): Promise<(NonNullable<HttpTransport['tls']> & TlsMaterial) | undefined> {
  if (!options.tls && isLoopbackHost(host)) return undefined;
  const { fingerprintOf, selfSignedCertificate } = await import('./tls.js');
  if (options.tls) return { ...options.tls, fingerprint: fingerprintOf(options.tls.cert), selfSigned: false, created: false };
  if (!options.tlsDir) {
    throw new Error(`serving ${host} (not loopback) needs HTTPS: give a certificate (--tls-cert/--tls-key) or a data directory for a self-signed one`);
  }
  const made = await selfSignedCertificate(options.tlsDir, names);
  return { ...made, fingerprint: fingerprintOf(made.cert), selfSigned: true };
}

async function mutates(method: string): Promise<boolean> {
  const { isMethodName, methods } = await import('../../shared/contract.js');
  return isMethodName(method) && methods[method].mutates;
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

