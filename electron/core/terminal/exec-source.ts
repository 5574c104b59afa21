// A shell in a pod over the Kubernetes exec WebSocket (v5.channel.k8s.io, else v4), opened through
// the kube module with the context's own credentials. Without a command it starts `bash` and, when
// the image has none, `sh`. The socket is pinged every `keepaliveMs` so idle sessions survive
// proxies that close quiet connections; a missed pong or a socket closed without the session's
// final Status is a drop: a pod shell cannot be resumed, so the user is told to start a new one.
import type WebSocket from 'ws';
import type { KubeConfig } from '@kubernetes/client-node';
import { openKubeWebSocket } from '../kube/index.js';
import { decodeFrame, encodeCloseStdin, encodeResize, encodeStdin, EXEC_PROTOCOLS, isCommandMissing, type ExecStatus } from './exec-channel.js';
import type { SourceEvents, TerminalSource } from './source.js';

export interface ExecTarget {
  context: string;
  namespace: string;
  pod: string;
  container: string;
  /** Absent: a shell (bash, then sh). */
  command?: string[];
}

export interface ExecOptions {
  cols: number;
  rows: number;
  /** Ping interval; a pong must come back before the next ping. */
  keepaliveMs?: number;
  /** How long a shell attempt may stay silent before it counts as started (no fallback after). */
  settleMs?: number;
}

export const DEFAULT_KEEPALIVE_MS = 25_000;
const DEFAULT_SETTLE_MS = 1_500;
const SHELLS = [['bash'], ['sh']];

export function execPath(target: ExecTarget, command: string[]): string {
  const q = new URLSearchParams({ container: target.container, stdin: 'true', stdout: 'true', stderr: 'false', tty: 'true' });
  for (const word of command) q.append('command', word);
  return `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec?${q}`;
}

export async function openExecShell(kc: KubeConfig, target: ExecTarget, options: ExecOptions, events: SourceEvents): Promise<TerminalSource> {
  const attempts = target.command ? [target.command] : SHELLS;
  let size = { cols: options.cols, rows: options.rows };
  let typed = false;
  let stopped = false;
  let current: Attempt | undefined;

  const title = `${target.pod}/${target.container}`;
  const detail = (command: string[]) => `${target.context} · ${target.namespace}/${target.pod} · ${target.container} · ${command.join(' ')}`;

  const start = async (index: number): Promise<void> => {
    const command = attempts[index];
    const fallback = index + 1 < attempts.length ? () => void start(index + 1).catch((error: unknown) => events.exit(null, messageOf(error))) : undefined;
    const ws = await openKubeWebSocket(kc, execPath(target, command), { protocols: [...EXEC_PROTOCOLS] });
    if (stopped) {
      ws.terminate();
      return;
    }
    current = new Attempt(ws, size, options, {
      ...events,
      opened: () => events.opened({ shell: command[0], title, detail: detail(command) }),
      exit: (status) => {
        // bash missing and nothing shown or typed yet: the same session goes on with sh.
        if (fallback && !typed && !current?.settled && isCommandMissing(status)) return fallback();
        events.exit(status.code, status.ok ? `${command[0]} exited` : status.message);
      },
    });
  };

  await start(0);
  return {
    write(data) {
      typed = true;
      current?.settle();
      current?.write(data);
    },
    resize(cols, rows) {
      size = { cols, rows };
      current?.resize(cols, rows);
    },
    pause: () => current?.pause(),
    resume: () => current?.resume(),
    stop() {
      stopped = true;
      current?.stop();
    },
  };
}

interface AttemptEvents {
  opened(): void;
  data(bytes: Uint8Array): void;
  exit(status: ExecStatus): void;
  dropped(message: string): void;
}

/** One exec socket: one command's run. */
class Attempt {
  /** Output or a long enough silence showed the command started; no fallback from here. */
  settled = false;
  private held: Buffer[] = [];
  private ended = false;
  private paused = false;
  private awaitingPong = false;
  private readonly keepalive: NodeJS.Timeout;
  private readonly settleTimer: NodeJS.Timeout;
  private readonly v5: boolean;

  constructor(
    private readonly ws: WebSocket,
    size: { cols: number; rows: number },
    options: ExecOptions,
    private readonly events: AttemptEvents,
  ) {
    this.v5 = ws.protocol === EXEC_PROTOCOLS[0];
    this.send(encodeResize(size.cols, size.rows));
    ws.on('message', (frame: WebSocket.RawData) => this.onFrame(Buffer.isBuffer(frame) ? frame : Array.isArray(frame) ? Buffer.concat(frame) : Buffer.from(frame)));
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString('utf8')));
    this.keepalive = setInterval(() => this.ping(), options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS);
    this.keepalive.unref();
    this.settleTimer = setTimeout(() => this.settle(), options.settleMs ?? DEFAULT_SETTLE_MS);
    this.settleTimer.unref();
    // openKubeWebSocket hands the socket over paused: the listeners are here now.
    ws.resume();
  }

  /** The command counts as started: say so, and let held output through. */
  settle(): void {
    if (this.settled || this.ended) return;
    this.settled = true;
    clearTimeout(this.settleTimer);
    this.events.opened();
    for (const chunk of this.held) this.events.data(chunk);
    this.held = [];
  }

  write(data: string): void {
    this.send(encodeStdin(data));
  }

  resize(cols: number, rows: number): void {
    this.send(encodeResize(cols, rows));
  }

  pause(): void {
    this.paused = true;
    this.ws.pause();
  }

  resume(): void {
    this.paused = false;
    // Pongs were not read while paused: the next ping starts a fresh round.
    this.awaitingPong = false;
    this.ws.resume();
  }

  stop(): void {
    if (this.ended) return;
    this.end();
    if (this.v5 && this.ws.readyState === this.ws.OPEN) this.ws.send(encodeCloseStdin());
    this.ws.close(1000);
    // A server that does not answer the close handshake is cut.
    setTimeout(() => this.ws.terminate(), 2_000).unref();
  }

  private send(frame: Buffer): void {
    if (!this.ended && this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
  }

  private ping(): void {
    if (this.ended || this.paused) return;
    if (this.awaitingPong) {
      this.end();
      this.ws.terminate();
      this.events.dropped('The connection to the pod stopped answering (no reply to a keepalive ping). A pod shell cannot be resumed: reconnect to start a new session.');
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  private onFrame(frame: Buffer): void {
    if (this.ended) return;
    const decoded = decodeFrame(frame);
    if (decoded.channel === 'stdout' || decoded.channel === 'stderr') {
      if (decoded.data.length === 0) return;
      if (this.settled) this.events.data(decoded.data);
      else {
        this.held.push(Buffer.from(decoded.data));
        this.settle();
      }
    } else if (decoded.channel === 'status') {
      const fallbackPossible = !this.settled;
      this.end();
      this.ws.close(1000);
      if (!fallbackPossible || !isCommandMissing(decoded.status)) this.flushHeld();
      this.events.exit(decoded.status);
    }
  }

  private flushHeld(): void {
    if (!this.settled) {
      this.settled = true;
      this.events.opened();
    }
    for (const chunk of this.held) this.events.data(chunk);
    this.held = [];
  }

  private onClose(code: number, reason: string): void {
    if (this.ended) return;
    this.end();
    this.flushHeld();
    this.events.dropped(
      `The connection to the pod was lost (WebSocket ${code}${reason ? `: ${reason}` : ''}). A pod shell cannot be resumed: reconnect to start a new session.`,
    );
  }

  private end(): void {
    this.ended = true;
    clearInterval(this.keepalive);
    clearTimeout(this.settleTimer);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
