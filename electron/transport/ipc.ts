// The contract over Electron IPC (main side). Generic like the HTTP transport: one channel for
// calls, three for streams. Only our own window's top frame may talk to it.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { ContractError } from '../../shared/contract-kit.js';
import type { ContractServer, Session } from '../core/contract-server.js';

export const IPC_CHANNELS = {
  call: 'flightdeck:call',
  subscribe: 'flightdeck:subscribe',
  unsubscribe: 'flightdeck:unsubscribe',
  event: 'flightdeck:event',
} as const;

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };

export interface IpcTransportOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeAllListeners'>;
  server: ContractServer;
  /** True only for the app's own page (file:// of the bundled renderer or the dev server). */
  isTrustedSender: (event: IpcMainInvokeEvent | IpcMainEvent) => boolean;
}

const session: Session = { kind: 'ipc', readOnly: false };

export function registerIpcTransport(options: IpcTransportOptions): () => void {
  const { ipcMain, server, isTrustedSender } = options;
  const subscriptions = new Map<WebContents, Map<string, () => void>>();

  ipcMain.handle(IPC_CHANNELS.call, async (event, method: unknown, payload: unknown): Promise<IpcReply> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'unauthorized', message: 'Untrusted sender.' } };
    if (typeof method !== 'string') return { ok: false, error: { code: 'invalid_request', message: 'Method name must be a string.' } };
    try {
      return { ok: true, result: await server.call(method, payload, session) };
    } catch (error) {
      const e = error instanceof ContractError ? error : new ContractError('internal', String(error));
      return { ok: false, error: e.toJSON() };
    }
  });

  ipcMain.on(IPC_CHANNELS.subscribe, (event, id: unknown, stream: unknown, params: unknown) => {
    if (!isTrustedSender(event) || typeof id !== 'string' || typeof stream !== 'string') return;
    const sender = event.sender;
    let forSender = subscriptions.get(sender);
    if (!forSender) {
      const created = new Map<string, () => void>();
      subscriptions.set(sender, created);
      sender.once('destroyed', () => {
        for (const stop of created.values()) stop();
        subscriptions.delete(sender);
      });
      forSender = created;
    }
    try {
      const stop = server.subscribe(stream, params, session, (data) => {
        if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, id, { op: 'event', data });
      });
      forSender.set(id, stop);
    } catch (error) {
      const e = error instanceof ContractError ? error : new ContractError('internal', String(error));
      sender.send(IPC_CHANNELS.event, id, { op: 'error', error: e.toJSON() });
    }
  });

  ipcMain.on(IPC_CHANNELS.unsubscribe, (event, id: unknown) => {
    if (!isTrustedSender(event) || typeof id !== 'string') return;
    const forSender = subscriptions.get(event.sender);
    forSender?.get(id)?.();
    forSender?.delete(id);
  });

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.call);
    ipcMain.removeAllListeners(IPC_CHANNELS.subscribe);
    ipcMain.removeAllListeners(IPC_CHANNELS.unsubscribe);
    for (const forSender of subscriptions.values()) for (const stop of forSender.values()) stop();
    subscriptions.clear();
  };
}
