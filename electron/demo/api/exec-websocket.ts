// Pod exec over WebSocket, the channel protocol kubelet speaks (k8s.io/apimachinery wsstream and
// client-go's websocket executor): every binary frame starts with a channel byte (0 stdin,
// 1 stdout, 2 stderr, 3 error/status, 4 resize); v5 adds [255, channel] to close a stream. The
// session ends with a channel-3 Status (Success, or NonZeroExitCode with the exit code).
// Output waits while the socket's send buffer is over SEND_HIGH_WATER_BYTES (a client that reads
// slowly, or pauses reading for flow control), so streamed output never piles up in this process.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ObjectStore } from '../store.js';
import type { ExecPlan } from './exec-session.js';
import { parseResize, runExec } from './exec-session.js';
import type { SimHooks } from './sim-hooks.js';

export const WEBSOCKET_EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const SEND_HIGH_WATER_BYTES = 1 << 20;

export class WebSocketExec {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => WEBSOCKET_EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(
    private readonly store: ObjectStore,
    private readonly sim: SimHooks,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, name: string, plan: ExecPlan): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.run(ws, namespace, name, plan));
  }

  closeSessions(): void {
    for (const c of this.wss.clients) c.terminate();
  }

  close(): void {
    this.closeSessions();
    this.wss.close();
  }

  private run(ws: WebSocket, namespace: string, name: string, plan: ExecPlan): void {
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    let waiting = false;
    /** Sends one frame; false when the send buffer is full (the session then waits for `sent`). */
    const send = (channel: number, data: Buffer): boolean => {
      if (ws.readyState !== ws.OPEN) return true;
      ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true }, sent);
      if (ws.bufferedAmount <= SEND_HIGH_WATER_BYTES) return true;
      waiting = true;
      return false;
    };
    // Called as each frame reaches the socket: once the buffer has room, output goes on.
    const sent = () => {
      if (waiting && ws.bufferedAmount <= SEND_HIGH_WATER_BYTES / 2) {
        waiting = false;
        control.resumeOutput();
      }
    };
    send(1, Buffer.alloc(0));
    const control = runExec(this.store, this.sim, namespace, name, plan, {
      stdout: (b) => send(1, b),
      stderr: (b) => send(2, b),
      exit: (status) => {
        send(3, Buffer.from(JSON.stringify(status)));
        setImmediate(() => ws.close(1000));
      },
    });
    ws.on('message', (data: Buffer) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as unknown as ArrayBuffer);
      if (!buf.length) return;
      // v4/v5 clients send binary frames; a text frame is read the same way.
      const channel = buf[0];
      const payload = buf.subarray(1);
      if (channel === 0) control.writeStdin(payload);
      else if (channel === 4) {
        // A malformed resize is ignored, as the kubelet does.
        const size = parseResize(payload);
        if (size) control.resize(size.width, size.height);
      } else if (channel === 255 && v5 && payload[0] === 0) control.closeStdin();
    });
    ws.on('close', () => control.kill());
    ws.on('error', () => undefined);
  }
}
