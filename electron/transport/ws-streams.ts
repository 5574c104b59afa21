// One WebSocket of browser mode: {op:"subscribe",id,stream,params} / {op:"unsubscribe",id} in,
// {op:"event",id,data} / {op:"error",id,error} out. Every message is validated before use, every
// refusal is a clear error frame, and nothing a client sends can throw out of this handler.
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { ContractError, type ContractErrorShape } from '../../shared/contract-kit.js';
import type { ContractServer, Session } from '../core/contract-server.js';
import { TokenBucket, type TransportLimits } from './limits.js';
import { toErrorShape } from './http-io.js';

const idSchema = z.string().min(1).max(256);
const streamMessageSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('subscribe'), id: idSchema, stream: z.string().min(1).max(256), params: z.unknown().optional() }),
  z.object({ op: z.literal('unsubscribe'), id: idSchema }),
]);

/** How long a socket closed for breaking a limit may take to say goodbye before it is cut. */
const CLOSE_GRACE_MS = 1_000;
/** Policy violation (RFC 6455): the close code for sockets dropped for a limit. */
const POLICY_VIOLATION = 1008;

export interface StreamConnection {
  ws: WebSocket;
  session: Session;
  contract: () => Promise<ContractServer>;
  limits: TransportLimits;
  /** Records one refused message of this client; false when it is over its rate. */
  admitRefusal: () => boolean;
  /** For failures that are bugs or limits hit, never for what a client sent wrong. */
  log: (line: string) => void;
}

export function serveStreams(connection: StreamConnection): void {
  const { ws, session, limits, log } = connection;
  const active = new Map<string, () => void>();
  const messageRate = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
  let dropped = false;

  const stopAll = () => {
    for (const [id, stop] of active) {
      try {
        stop();
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

  const send = (message: { op: 'event' | 'error'; id: string | null; data?: unknown; error?: ContractErrorShape }) => {
    if (dropped || ws.readyState !== ws.OPEN) return;
    // A client that does not read would otherwise make this process buffer without bound.
    if (ws.bufferedAmount > limits.maxSendBufferBytes) {
      log(`browser mode: closed a ${session.kind} WebSocket whose client stopped reading (${ws.bufferedAmount} bytes unsent)`);
      return drop(`send buffer over ${limits.maxSendBufferBytes} bytes: the client is not reading`);
    }
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      log(`browser mode: a stream message could not be serialized: ${describe(error)}`);
      text = JSON.stringify({ op: 'error', id: message.id, error: { code: 'internal', message: 'The server could not serialize this event.' } });
    }
    ws.send(text);
  };

  const refuse = (id: string | null, error: ContractErrorShape) => {
    if (!connection.admitRefusal()) {
      send({ op: 'error', id, error: { code: 'rate_limited', message: 'Too many refused stream messages: this connection is closed. Reconnect and send valid messages.' } });
      return drop('rate limited: too many refused messages');
    }
    send({ op: 'error', id, error });
  };

  const handle = async (raw: RawData, isBinary: boolean) => {
    // Messages wait for the core in arrival order (the same memoized promise continues FIFO).
    const server = await connection.contract().catch(() => undefined);
    if (dropped || ws.readyState !== ws.OPEN) return;
    if (!messageRate.take()) {
      return refuse(null, { code: 'rate_limited', message: `More than ${limits.messagesPerSecond} messages per second on this connection: slow down.` });
    }
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
      return refuse(id.data, { code: 'invalid_request', message: 'Expected {op:"subscribe", id, stream, params} or {op:"unsubscribe", id}.' });
    }
    const { id } = message.data;
    if (message.data.op === 'unsubscribe') {
      const stop = active.get(id);
      active.delete(id);
      stop?.();
      return;
    }
    if (active.has(id)) return refuse(id, { code: 'conflict', message: `Subscription id ${id} is in use.` });
    if (active.size >= limits.maxSubscriptionsPerConnection) {
      return refuse(id, {
        code: 'rate_limited',
        message: `This connection already has ${limits.maxSubscriptionsPerConnection} subscriptions (the limit): unsubscribe from one first.`,
      });
    }
    if (!server) return send({ op: 'error', id, error: { code: 'internal', message: 'Flightdeck failed to start; see its terminal output.' } });
    try {
      const stop = server.subscribe(message.data.stream, message.data.params, session, (data) => send({ op: 'event', id, data }));
      active.set(id, stop);
    } catch (error) {
      if (error instanceof ContractError) return refuse(id, error.toJSON());
      log(`browser mode: subscribing to ${message.data.stream} failed unexpectedly: ${describe(error)}`);
      send({ op: 'error', id, error: toErrorShape(error) });
    }
  };

  ws.on('message', (raw, isBinary) => {
    handle(raw, isBinary).catch((error: unknown) => {
      log(`browser mode: a stream message failed unexpectedly: ${describe(error)}`);
      send({ op: 'error', id: null, error: { code: 'internal', message: 'The server failed on this message; see its terminal output.' } });
    });
  });
  ws.on('close', stopAll);
  // Protocol errors (invalid UTF-8, oversized frames) close the socket; the listener keeps them from throwing.
  ws.on('error', stopAll);
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  return Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
