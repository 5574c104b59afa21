// Pod exec over WebSocket, the channel protocol kubelet speaks (k8s.io/apimachinery wsstream and
// client-go's websocket executor): every binary frame starts with a channel byte (0 stdin,
// 1 stdout, 2 stderr, 3 error/status, 4 resize); v5 adds [255, channel] to close a stream. The
// session ends with a channel-3 Status (Success, or NonZeroExitCode with the exit code).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ObjectStore } from '../store.js';
import { pickContainer } from './logs.js';
import type { SimHooks } from './sim-hooks.js';
import { ApiError, badRequest, statusBody } from './status.js';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export class ExecServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(
    private readonly store: ObjectStore,
    private readonly sim: SimHooks,
  ) {}

  /** Validates the request, throwing an ApiError the caller turns into an HTTP reply before upgrading. */
  prepare(namespace: string, name: string, q: URLSearchParams, offered: string[]): { container: string; command: string[]; tty: boolean; stdin: boolean } {
    const pod = this.store.peekOne('pods', namespace, name);
    if (!pod) throw new ApiError(statusBody(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    if (!offered.some((p) => EXEC_PROTOCOLS.includes(p))) {
      throw badRequest(`unable to upgrade connection: the demo fleet speaks ${EXEC_PROTOCOLS.join(', ')} only (offered: ${offered.join(', ') || 'none'})`);
    }
    const command = q.getAll('command');
    if (!command.length) throw badRequest('you must specify at least 1 command');
    const container = pickContainer(pod, q.get('container'), false);
    const phase = (pod as { status?: { phase?: string } }).status?.phase;
    if (phase !== 'Running') {
      throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
    }
    if (!this.sim.openExecSession) {
      throw new ApiError(statusBody(503, 'ServiceUnavailable', 'exec is not available: the demo fleet was started without its workload simulation'));
    }
    const flag = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
    return { container, command, tty: flag('tty'), stdin: flag('stdin') };
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, name: string, plan: { container: string; command: string[]; tty: boolean; stdin: boolean }): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.run(ws, namespace, name, plan));
  }

  /** Ends every open exec session (server restart). */
  closeSessions(): void {
    for (const c of this.wss.clients) c.terminate();
  }

  close(): void {
    this.closeSessions();
    this.wss.close();
  }

  private run(ws: WebSocket, namespace: string, name: string, plan: { container: string; command: string[]; tty: boolean; stdin: boolean }): void {
    const pod = this.store.get('pods', namespace, name);
    if (!pod || !this.sim.openExecSession) {
      ws.close(1011, 'pod vanished');
      return;
    }
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    const send = (channel: number, data: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
    };
    let session;
    try {
      session = this.sim.openExecSession(this.store, pod, plan.container, plan.command, { tty: plan.tty });
    } catch (e) {
      send(3, Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', message: (e as Error).message, reason: 'InternalError', code: 500 })));
      ws.close(1000);
      return;
    }
    let done = false;
    send(1, Buffer.alloc(0));
    session.onStdout((b) => send(1, b));
    session.onStderr((b) => send(2, b));
    session.onExit((code) => {
      if (done) return;
      done = true;
      const status =
        code === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: error executing command [${plan.command.join(' ')}], exit code ${code}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
            };
      send(3, Buffer.from(JSON.stringify(status)));
      setImmediate(() => ws.close(1000));
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as unknown as ArrayBuffer);
      if (!buf.length) return;
      // v1-style text frames are not spoken by v4/v5 clients; treat them as binary anyway.
      void isBinary;
      const channel = buf[0];
      const payload = buf.subarray(1);
      if (channel === 0) session.writeStdin(payload);
      else if (channel === 4) {
        try {
          const size = JSON.parse(payload.toString('utf8')) as { Width?: number; Height?: number; width?: number; height?: number };
          session.resize(Number(size.Width ?? size.width ?? 80), Number(size.Height ?? size.height ?? 24));
        } catch {
          // a malformed resize is ignored, as the kubelet does
        }
      } else if (channel === 255 && v5 && payload[0] === 0) session.closeStdin();
    });
    ws.on('close', () => {
      if (!done) {
        done = true;
        session.kill();
      }
    });
    ws.on('error', () => undefined);
    if (!plan.stdin) session.closeStdin();
  }
}
