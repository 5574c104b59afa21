// One WebSocket of browser mode: {op:"subscribe",id,stream,params} / {op:"unsubscribe",id} /
// {op:"input",id,data} (duplex streams: a terminal's keys, resizes, acks) in, {op:"event",id,data} /
// {op:"error",id,error} out. Every message is validated before use, every refusal is a clear error
// frame, and nothing a client sends can throw out of this handler.
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { ContractError, type ContractErrorShape } from '../../shared/contract-kit.js';
import type { ContractServer, OpenStream, Session } from '../core/contract-server.js';
import { TokenBucket, type TransportLimits } from './limits.js';
import { toErrorShape } from './http-io.js';

const idSchema = z.string().min(1).max(256);
const streamMessageSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('subscribe'), id: idSchema, stream: z.string().min(1).max(256), params: z.unknown().optional() }),
  z.object({ op: z.literal('unsubscribe'), id: idSchema }),
  z.object({ op: z.literal('input'), id: idSchema, data: z.unknown() }),
]);

/** How long a socket closed for breaking a limit may take to say goodbye before it is cut. */
const CLOSE_GRACE_MS = 1_000;
/** Policy violation (RFC 6455): the close code for sockets dropped for a limit. */
const POLICY_VIOLATION = 1008;
/** Bytes of messages queued on one socket while earlier ones are handled. */
const MAX_WAITING_BYTES = 1 << 20;

let connections = 0;

export interface StreamConnection {
  ws: WebSocket;
  session: Session;
  contract: () => Promise<ContractServer>;
  limits: TransportLimits;
  /** Records one refused message of this client; false when it is over its rate. */
  admitRefusal: () => boolean;
  /** Records one subscription started by this client; false when it is over its rate. */
  admitSubscription: () => boolean;
  /** For failures that are bugs or limits hit, never for what a client sent wrong. */
  log: (line: string) => void;
}

export function serveStreams(connection: StreamConnection): void {
  const { ws, limits, log } = connection;
  // Per-client limits of stream handlers (terminal sessions) count per socket.
  const session: Session = { ...connection.session, client: `ws-${++connections}` };
  const active = new Map<string, OpenStream>();
  // Every frame passes the generous frame rate; subscribe/unsubscribe also the message rate and
  // inputs the input rate, so typing and flow-control acks never starve (or loosen) the others.
  const frameRate = new TokenBucket(limits.inputBurst, limits.inputsPerSecond);
  const messageRate = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
  const inputRate = new TokenBucket(limits.inputBurst, limits.inputsPerSecond);
  let dropped = false;

  const stopAll = () => {
    for (const [id, stream] of active) {
      try {
        stream.stop();
      } catch (error) {
        log(`browser mode: stopping stream subscription ${id} failed: ${describe(error)}`);
      }
    }
    active.clear();
  };

  const drop = (reason: string) => {
    if (dropped) return;
    dropped = true;
    stopAll();
    ws.close(POLICY_VIOLATION, reason.slice(0, 120));
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  };

  /** Sends one message; false, so that refusals can `return send(...)` from the handler. */
  const send = (message: { op: 'event' | 'error'; id: string | null; data?: unknown; error?: ContractErrorShape }): false => {
    if (dropped || ws.readyState !== ws.OPEN) return false;
    // A client that does not read would otherwise make this process buffer without bound.
    if (ws.bufferedAmount > limits.maxSendBufferBytes) {
      log(`browser mode: closed a ${session.kind} WebSocket whose client stopped reading (${ws.bufferedAmount} bytes unsent)`);
      drop(`send buffer over ${limits.maxSendBufferBytes} bytes: the client is not reading`);
      return false;
    }
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      log(`browser mode: a stream message could not be serialized: ${describe(error)}`);
      text = JSON.stringify({ op: 'error', id: message.id, error: { code: 'internal', message: 'The server could not serialize this event.' } });
    }
    ws.send(text);
    return false;
  };

  const refuse = (id: string | null, error: ContractErrorShape): false => {
    if (!connection.admitRefusal()) {
      send({ op: 'error', id, error: { code: 'rate_limited', message: 'Too many refused stream messages: this connection is closed. Reconnect and send valid messages.' } });
      drop('rate limited: too many refused messages');
      return false;
    }
    return send({ op: 'error', id, error });
  };

  /** Handles one message; true when it started a subscription (a snapshot was built and sent). */
  const handle = (server: ContractServer | undefined, raw: RawData, isBinary: boolean): boolean => {
    if (isBinary) return refuse(null, { code: 'invalid_request', message: 'Stream messages are JSON text frames, not binary.' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(toBuffer(raw).toString('utf8'));
    } catch {
      return refuse(null, { code: 'invalid_request', message: 'Stream messages must be JSON.' });
    }
    const message = streamMessageSchema.safeParse(parsed);
    if (!message.success) {
      const id = idSchema.safeParse((parsed as { id?: unknown } | null)?.id);
      if (!id.success) return refuse(null, { code: 'invalid_request', message: 'Every stream message needs a string id (1 to 256 characters).' });
      return refuse(id.data, { code: 'invalid_request', message: 'Expected {op:"subscribe", id, stream, params}, {op:"unsubscribe", id} or {op:"input", id, data}.' });
    }
    const { id } = message.data;
    if (message.data.op === 'input') {
      if (!inputRate.take()) return refuse(id, { code: 'rate_limited', message: `More than ${limits.inputsPerSecond} inputs per second on this connection: batch them.` });
      const stream = active.get(id);
      // Not a refusal: inputs sent while an unsubscribe was on its way are the client's race, not abuse.
      if (!stream) return send({ op: 'error', id, error: { code: 'not_found', message: `No subscription ${id} on this connection to send input to.` } });
      try {
        stream.input(message.data.data);
      } catch (error) {
        if (error instanceof ContractError) return refuse(id, error.toJSON());
        log(`browser mode: an input to ${id} failed unexpectedly: ${describe(error)}`);
        return send({ op: 'error', id, error: toErrorShape(error) });
      }
      return false;
    }
    if (!messageRate.take()) {
      return refuse(id, { code: 'rate_limited', message: `More than ${limits.messagesPerSecond} messages per second on this connection: slow down.` });
    }
    if (message.data.op === 'unsubscribe') {
      const stream = active.get(id);
      active.delete(id);
      stream?.stop();
      return false;
    }
    if (active.has(id)) return refuse(id, { code: 'conflict', message: `Subscription id ${id} is in use.` });
    if (active.size >= limits.maxSubscriptionsPerConnection) {
      return refuse(id, {
        code: 'rate_limited',
        message: `This connection already has ${limits.maxSubscriptionsPerConnection} subscriptions (the limit): unsubscribe from one first.`,
      });
    }
    if (!connection.admitSubscription()) {
      return refuse(id, { code: 'rate_limited', message: `Subscribing faster than ${limits.subscribesPerSecond} per second (after ${limits.subscribeBurst} at once): wait a moment.` });
    }
    if (!server) return send({ op: 'error', id, error: { code: 'internal', message: 'Flightdeck failed to start; see its terminal output.' } });
    try {
      const stream = server.open(message.data.stream, message.data.params, session, (data) => send({ op: 'event', id, data }));
      active.set(id, stream);
      return true;
    } catch (error) {
      if (error instanceof ContractError) return refuse(id, error.toJSON());
      log(`browser mode: subscribing to ${message.data.stream} failed unexpectedly: ${describe(error)}`);
      return send({ op: 'error', id, error: toErrorShape(error) });
    }
  };

  // Messages are handled in arrival order, one queue per socket. Each subscription builds and
  // sends a whole snapshot: the queue yields to the event loop after each, so one client's burst
  // of subscribe messages cannot hold every other client's requests.
  const pending: Array<{ raw: RawData; isBinary: boolean }> = [];
  let pendingBytes = 0;
  let draining = false;
  const drain = async () => {
    draining = true;
    try {
      const server = await connection.contract().catch(() => undefined);
      while (pending.length && !dropped && ws.readyState === ws.OPEN) {
        const { raw, isBinary } = pending.shift()!;
        pendingBytes -= byteLength(raw);
        let subscribed = false;
        try {
          subscribed = handle(server, raw, isBinary);
        } catch (error) {
          log(`browser mode: a stream message failed unexpectedly: ${describe(error)}`);
          send({ op: 'error', id: null, error: { code: 'internal', message: 'The server failed on this message; see its terminal output.' } });
        }
        if (subscribed) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      draining = false;
      if (dropped) {
        pending.length = 0;
        pendingBytes = 0;
      }
    }
  };

  ws.on('message', (raw, isBinary) => {
    // A flood keeps arriving until the close handshake ends: ignored at the cost of parsing frames.
    if (dropped) return;
    if (!frameRate.take()) {
      return void refuse(null, { code: 'rate_limited', message: `More than ${limits.inputsPerSecond} messages per second on this connection: slow down.` });
    }
    if (pendingBytes + byteLength(raw) > MAX_WAITING_BYTES) {
      return void refuse(idOf(raw), { code: 'rate_limited', message: `More than ${MAX_WAITING_BYTES} bytes of messages waiting on this connection: wait for the answers.` });
    }
    pending.push({ raw, isBinary });
    pendingBytes += byteLength(raw);
    if (!draining) void drain();
  });
  // Keepalive: a pong (any frame would do, but browsers answer pings by themselves) within two
  // intervals, or the socket is cut and its subscriptions stop.
  let unanswered = 0;
  const keepalive = setInterval(() => {
    if (dropped || ws.readyState !== ws.OPEN) return;
    if (++unanswered > 2) {
      log(`browser mode: closed a ${session.kind} WebSocket that stopped answering pings`);
      ws.terminate();
      return;
    }
    ws.ping();
  }, limits.pingIntervalMs);
  keepalive.unref();
  ws.on('pong', () => (unanswered = 0));
  ws.on('message', () => (unanswered = 0));
  ws.on('close', () => {
    clearInterval(keepalive);
    stopAll();
  });
  // Protocol errors (invalid UTF-8, oversized frames) close the socket; the listener keeps them from throwing.
  ws.on('error', stopAll);
}

const byteLength = (raw: RawData): number => (Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw.byteLength);

/** The id of a message, when it has a usable one (to say which message a refusal is about). */
function idOf(raw: RawData): string | null {
  try {
    const id = idSchema.safeParse((JSON.parse(toBuffer(raw).toString('utf8')) as { id?: unknown } | null)?.id);
    return id.success ? id.data : null;
  } catch {
    return null;
  }
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  return Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
