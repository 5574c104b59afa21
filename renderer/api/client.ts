// The contract client. In Electron it rides window.flightdeck (the preload bridge); in browser mode
// it calls POST /api/v1/call/<method> and multiplexes streams over one WebSocket that reconnects
// with backoff and resubscribes, reporting its state so the UI can say what is stale and since when.
// Duplex streams (a terminal) are opened with `open` and are never resubscribed: their server side
// (a shell) ended with the connection, so a lost connection is reported to them as an error.
import type { DuplexStreamName, MethodName, MethodRequest, MethodResponse, StreamEvent, StreamInput, StreamName, StreamParams } from '../../shared/contract';
import type { ContractErrorShape } from '../../shared/contract-kit';

export type LinkState = { state: 'connecting' | 'open' | 'closed'; since: number; reason?: string };

export interface FlightdeckApi {
  call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResponse<M>>;
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    onEvent: (event: StreamEvent<S>) => void,
    onError?: (error: ContractErrorShape) => void,
  ): () => void;
  /**
   * A duplex stream: events as with `subscribe`, plus `send` for the client's inputs (validated by
   * the server; a refused input comes back through onError). When the link to the server drops,
   * onError gets `upstream_unavailable` and the stream is over: open it again for a new one.
   */
  open<S extends DuplexStreamName>(
    stream: S,
    params: StreamParams<S>,
    onEvent: (event: StreamEvent<S>) => void,
    onError?: (error: ContractErrorShape) => void,
  ): DuplexHandle<StreamInput<S>>;
  onLinkState(listener: (state: LinkState) => void): () => void;
}

export interface DuplexHandle<Input> {
  send(input: Input): void;
  close(): void;
}

/** The error a duplex stream gets when the connection carrying it is lost. */
export const STREAM_LOST: ContractErrorShape = {
  code: 'upstream_unavailable',
  message: 'The connection to the Flightdeck server was lost; this stream cannot be resumed. Open it again to start a new one.',
};

/** Error thrown by `call`, carrying the contract's code for the UI to branch on. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type BridgeMessage = { op: string; data?: unknown; error?: ContractErrorShape };

interface Bridge {
  call(method: string, payload: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ContractErrorShape }>;
  subscribe(stream: string, params: unknown, onMessage: (message: BridgeMessage) => void): () => void;
  open(stream: string, params: unknown, onMessage: (message: BridgeMessage) => void): { send(data: unknown): void; close(): void };
}

declare global {
  interface Window {
    flightdeck?: Bridge;
  }
}

type StreamMessage = { op: 'event' | 'error'; id: string; data?: unknown; error?: ContractErrorShape };

export function createIpcApi(bridge: Bridge): FlightdeckApi {
  return {
    async call(method, request) {
      const reply = await bridge.call(method, request);
      if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message, reply.error.details);
      return reply.result as never;
    },
    subscribe(stream, params, onEvent, onError) {
      return bridge.subscribe(stream, params, (message) => {
        if (message.op === 'event') onEvent(message.data as never);
        else if (message.error) onError?.(message.error);
      });
    },
    open(stream, params, onEvent, onError) {
      return bridge.open(stream, params, (message) => {
        if (message.op === 'event') onEvent(message.data as never);
        else if (message.error) onError?.(message.error);
      });
    },
    onLinkState(listener) {
      listener({ state: 'open', since: Date.now() });
      return () => undefined;
    },
  };
}

export function createHttpApi(baseUrl: string, token: string): FlightdeckApi {
  const subscriptions = new Map<string, { stream: string; params: unknown; duplex: boolean; onEvent: (e: never) => void; onError?: (e: ContractErrorShape) => void }>();
  const linkListeners = new Set<(state: LinkState) => void>();
  let link: LinkState = { state: 'connecting', since: Date.now() };
  let socket: WebSocket | undefined;
  let attempt = 0;
  let nextId = 0;

  const setLink = (state: LinkState['state'], reason?: string) => {
    if (link.state === state && link.reason === reason) return;
    link = { state, since: link.state === state ? link.since : Date.now(), reason };
    for (const l of linkListeners) l(link);
  };

  const send = (message: unknown) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  function connect(): void {
    const wsUrl = new URL('/api/v1/stream', baseUrl);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    wsUrl.searchParams.set('token', token);
    const ws = new WebSocket(wsUrl);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setLink('open');
      for (const [id, sub] of subscriptions) send({ op: 'subscribe', id, stream: sub.stream, params: sub.params });
    };
    ws.onmessage = (message) => {
      const parsed = JSON.parse(String(message.data)) as StreamMessage;
      const sub = subscriptions.get(parsed.id);
      if (!sub) return;
      if (parsed.op === 'event') sub.onEvent(parsed.data as never);
      else if (parsed.error) sub.onError?.(parsed.error);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      // A duplex stream's server side ended with the socket: tell it, and do not resubscribe it.
      for (const [id, sub] of subscriptions) {
        if (!sub.duplex) continue;
        subscriptions.delete(id);
        sub.onError?.(STREAM_LOST);
      }
      setLink('closed', 'lost the connection to the Flightdeck server; reconnecting');
      // Exponential backoff with jitter, capped at 15 s.
      const delay = Math.min(15_000, 500 * 2 ** attempt++) * (0.75 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  function start(stream: string, params: unknown, duplex: boolean, onEvent: (e: never) => void, onError?: (e: ContractErrorShape) => void): DuplexHandle<unknown> {
    const id = `s${++nextId}`;
    subscriptions.set(id, { stream, params, duplex, onEvent, onError });
    if (!socket) connect();
    else send({ op: 'subscribe', id, stream, params });
    return {
      send(data) {
        // Nothing is queued: inputs sent while the socket is still connecting are dropped (the
        // subscribe goes out when it opens), so a terminal sends keys after its `opened` event.
        if (subscriptions.has(id)) send({ op: 'input', id, data });
      },
      close() {
        if (!subscriptions.delete(id)) return;
        send({ op: 'unsubscribe', id });
      },
    };
  }

  return {
    async call(method, request) {
      let response: Response;
      try {
        response = await fetch(new URL(`/api/v1/call/${method}`, baseUrl), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(request ?? {}),
        });
      } catch (error) {
        throw new ApiError('upstream_unavailable', `The Flightdeck server did not answer: ${error instanceof Error ? error.message : String(error)}`);
      }
      const body = (await response.json().catch(() => ({}))) as { error?: ContractErrorShape };
      if (!response.ok || body.error) {
        const e = body.error ?? { code: 'internal', message: `HTTP ${response.status}` };
        throw new ApiError(e.code, e.message, e.details);
      }
      return body as never;
    },
    subscribe(stream, params, onEvent, onError) {
      return start(stream, params, false, onEvent as (e: never) => void, onError).close;
    },
    open(stream, params, onEvent, onError) {
      return start(stream, params, true, onEvent as (e: never) => void, onError);
    },
    onLinkState(listener) {
      linkListeners.add(listener);
      listener(link);
      return () => linkListeners.delete(listener);
    },
  };
}

const TOKEN_KEY = 'flightdeck.token';

/** Takes ?token= from the page URL once, keeps it in sessionStorage, and removes it from the URL. */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

let api: FlightdeckApi | undefined;

export function getApi(): FlightdeckApi {
  if (api) return api;
  if (window.flightdeck) api = createIpcApi(window.flightdeck);
  else {
    const token = takeToken(window.location, window.sessionStorage, window.history);
    api = createHttpApi(window.location.origin, token ?? '');
  }
  return api;
}
