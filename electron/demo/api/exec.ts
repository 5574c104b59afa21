// Pod exec: the upgrade request picks the transport. `Upgrade: websocket` (kubectl >= 1.31,
// client-node, the console) goes to exec-websocket.ts; `Upgrade: SPDY/3.1` (kubectl < 1.31, and
// newer ones falling back) to exec-spdy.ts. Both run the same session (exec-session.ts). Every
// check that can fail happens here, before the upgrade, so failures are plain HTTP Status replies.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ObjectStore } from '../store.js';
import { planExec } from './exec-session.js';
import { SpdyExec, isSpdyUpgrade, negotiateSpdyProtocol } from './exec-spdy.js';
import { WEBSOCKET_EXEC_PROTOCOLS, WebSocketExec } from './exec-websocket.js';
import type { SimHooks } from './sim-hooks.js';
import { badRequest } from './status.js';

export { WEBSOCKET_EXEC_PROTOCOLS as EXEC_PROTOCOLS };

export class ExecServer {
  private readonly websocket: WebSocketExec;
  private readonly spdy: SpdyExec;

  constructor(
    private readonly store: ObjectStore,
    private readonly sim: SimHooks,
  ) {
    this.websocket = new WebSocketExec(store, sim);
    this.spdy = new SpdyExec(store, sim);
  }

  /**
   * Validates the request and upgrades the socket, or throws an ApiError the caller turns into an
   * HTTP reply (authorization is the caller's, done before this).
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, name: string, q: URLSearchParams): void {
    const plan = planExec(this.store, this.sim, namespace, name, q);
    if (isSpdyUpgrade(req)) {
      const protocol = negotiateSpdyProtocol(req);
      this.spdy.upgrade(socket, head, namespace, name, plan, protocol);
      return;
    }
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!offered.some((p) => WEBSOCKET_EXEC_PROTOCOLS.includes(p))) {
      throw badRequest(
        `unable to upgrade connection: the demo fleet speaks WebSocket ${WEBSOCKET_EXEC_PROTOCOLS.join(', ')} or SPDY/3.1 (offered: ${offered.join(', ') || 'none'}, Upgrade: ${req.headers.upgrade ?? 'none'})`,
      );
    }
    this.websocket.upgrade(req, socket, head, namespace, name, plan);
  }

  /** Ends every open exec session (server restart). */
  closeSessions(): void {
    this.websocket.closeSessions();
    this.spdy.closeSessions();
  }

  close(): void {
    this.websocket.close();
    this.spdy.closeSessions();
  }
}
