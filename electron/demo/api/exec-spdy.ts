// Pod exec over SPDY/3.1, what kubectl < 1.31 speaks (and 1.31+ when its WebSocket upgrade fails
// or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false). The handshake is HTTP `Upgrade: SPDY/3.1` with the
// channel protocols offered in `X-Stream-Protocol-Version`; we answer 101 naming one. Then the
// client opens one SPDY stream per channel, tagged by a `streamtype` header (error, stdin, stdout,
// stderr, resize), waiting for our SYN_REPLY to each. Once the streams the query asked for are
// there, the shell runs; output goes on stdout/stderr, the final Status on the error stream
// (v4: JSON metav1.Status; v1-v3: the failure message as text), each half-closed with FIN.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ObjectStore } from '../store.js';
import type { ExecControl, ExecPlan, ExecStatus } from './exec-session.js';
import { parseResize, runExec } from './exec-session.js';
import type { SimHooks } from './sim-hooks.js';
import { SpdyConnection } from './spdy/connection.js';
import type { HeaderMap } from './spdy/headers.js';
import { ApiError, statusBody } from './status.js';

/** Channel protocols we speak over SPDY, best first (the kubelet's list minus nothing). */
export const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';
const STREAM_TYPES = new Set<string>(['error', 'stdin', 'stdout', 'stderr', 'resize']);

/** How long the client has to open its streams (the kubelet allows 30 s too). */
const STREAM_WAIT_MS = 30_000;
/**
 * After the Status we wait for the client to hang up: spdystream discards frames it has read but
 * not yet handled when the socket ends, so closing first could lose the Status. This is the
 * fallback for a client that never does.
 */
const LINGER_MS = 10_000;
/** stdin a client may send before its last stream is open (client-go sends none). */
const MAX_EARLY_STDIN = 1024 * 1024;

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return /^spdy\/3\.1$/i.test(String(req.headers.upgrade ?? '').trim());
}

/** Picks our best protocol the client offered; throws the kubelet's 403 when none fits. */
export function negotiateSpdyProtocol(req: IncomingMessage): string {
  const raw = req.headers['x-stream-protocol-version'];
  const offered = (Array.isArray(raw) ? raw : [raw ?? '']).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  // A client that names no protocol is a pre-1.4 one speaking the unversioned channel protocol.
  if (!offered.length) return 'channel.k8s.io';
  const chosen = SPDY_EXEC_PROTOCOLS.find((p) => offered.includes(p));
  if (chosen) return chosen;
  throw new ApiError(
    statusBody(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(SPDY_EXEC_PROTOCOLS)}`),
  );
}

export class SpdyExec {
  private readonly live = new Set<SpdyConnection>();

  constructor(
    private readonly store: ObjectStore,
    private readonly sim: SimHooks,
  ) {}

  upgrade(socket: Duplex, head: Buffer, namespace: string, name: string, plan: ExecPlan, protocol: string): void {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
    const session = new SpdyExecSession(this.store, this.sim, namespace, name, plan, protocol);
    const conn = new SpdyConnection(socket, session.handlers(() => this.live.delete(conn)), head);
    session.attach(conn);
    this.live.add(conn);
  }

  closeSessions(): void {
    for (const c of [...this.live]) c.destroy();
    this.live.clear();
  }
}

/** One exec over one SPDY connection. */
class SpdyExecSession {
  private conn: SpdyConnection | undefined;
  private readonly ids = new Map<StreamType, number>();
  private readonly types = new Map<number, StreamType>();
  private control: ExecControl | undefined;
  private waitTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private resizeBuffer = '';
  /** stdin that arrived before the last expected stream did. */
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private earlyEnd = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly sim: SimHooks,
    private readonly namespace: string,
    private readonly name: string,
    private readonly plan: ExecPlan,
    private readonly protocol: string,
  ) {}

  attach(conn: SpdyConnection): void {
    this.conn = conn;
    this.waitTimer = setTimeout(() => conn.goAway(), STREAM_WAIT_MS).unref();
  }

  handlers(onClose: () => void) {
    return {
      stream: (id: number, headers: HeaderMap) => this.onStream(id, headers),
      data: (id: number, data: Buffer) => this.onData(id, data),
      end: (id: number) => {
        if (this.types.get(id) !== 'stdin') return;
        if (this.control) this.control.closeStdin();
        else this.earlyEnd = true;
      },
      close: () => {
        clearTimeout(this.waitTimer);
        clearTimeout(this.lingerTimer);
        this.control?.kill();
        onClose();
      },
    };
  }

  /** The streams the kubelet waits for: error always, the others as the query asked. */
  private expected(): StreamType[] {
    const want: StreamType[] = ['error'];
    if (this.plan.stdin) want.push('stdin');
    if (this.plan.stdout) want.push('stdout');
    if (this.plan.stderr && !this.plan.tty) want.push('stderr');
    if (this.plan.tty && this.protocol !== 'channel.k8s.io' && this.protocol !== 'v2.channel.k8s.io') want.push('resize');
    return want;
  }

  private onStream(id: number, headers: HeaderMap): void {
    const conn = this.conn!;
    const type = headers.get('streamtype')?.[0] ?? '';
    if (!STREAM_TYPES.has(type) || this.ids.has(type as StreamType)) {
      // Not a client we understand: end this connection, nothing else.
      conn.destroy(new Error(`exec over SPDY: unexpected stream type ${JSON.stringify(type)} on stream ${id}`));
      return;
    }
    this.ids.set(type as StreamType, id);
    this.types.set(id, type as StreamType);
    conn.reply(id);
    if (!this.control && this.expected().every((t) => this.ids.has(t))) this.start();
  }

  private start(): void {
    clearTimeout(this.waitTimer);
    const conn = this.conn!;
    const write = (type: StreamType) => (b: Buffer) => {
      const id = this.ids.get(type);
      if (id !== undefined) conn.write(id, b);
    };
    this.control = runExec(this.store, this.sim, this.namespace, this.name, this.plan, {
      stdout: write('stdout'),
      // On a tty the shell already merges stderr into stdout; without a stderr stream it is dropped, as by the kubelet.
      stderr: write('stderr'),
      exit: (status) => this.finish(status),
    });
    for (const b of this.early) this.control.writeStdin(b);
    this.early = [];
    if (this.earlyEnd) this.control.closeStdin();
  }

  private finish(status: ExecStatus): void {
    const conn = this.conn!;
    for (const t of ['stdout', 'stderr'] as const) {
      const id = this.ids.get(t);
      if (id !== undefined) conn.end(id);
    }
    const errorId = this.ids.get('error')!;
    const body = this.protocol === 'v4.channel.k8s.io' ? JSON.stringify(status) : status.status === 'Success' ? '' : (status.message ?? 'command failed');
    if (body) conn.write(errorId, Buffer.from(body));
    conn.end(errorId);
    this.lingerTimer = setTimeout(() => conn.goAway(), LINGER_MS).unref();
  }

  private onData(id: number, data: Buffer): void {
    const type = this.types.get(id);
    if (type === 'stdin') {
      if (this.control) this.control.writeStdin(data);
      else {
        this.earlyBytes += data.length;
        if (this.earlyBytes > MAX_EARLY_STDIN) {
          this.conn?.destroy(new Error(`exec over SPDY: more than ${MAX_EARLY_STDIN} bytes of stdin before the client opened its streams`));
          return;
        }
        this.early.push(data);
      }
    } else if (type === 'resize') {
      this.onResize(data);
    }
  }

  /** client-go sends one JSON object per resize, each ending in a newline; a piece may hold several or half of one. */
  private onResize(data: Buffer): void {
    const pieces = (this.resizeBuffer + data.toString('utf8')).split('\n');
    let rest = pieces.pop() ?? '';
    if (rest.trim() && parseResize(Buffer.from(rest))) {
      pieces.push(rest);
      rest = '';
    }
    this.resizeBuffer = rest.length > 4096 ? '' : rest;
    for (const piece of pieces) {
      const size = piece.trim() ? parseResize(Buffer.from(piece)) : undefined;
      if (size) this.control?.resize(size.width, size.height);
    }
  }
}
