// The contract over Electron IPC (main side). Generic like the HTTP transport: one channel for
// calls, four for streams (subscribe, unsubscribe, input to a duplex stream, events and errors
// back). Only our own window's top frame may talk to it.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { ContractError } from '../../shared/contract-kit.js';
import type { ContractServer, OpenStream, Session } from '../core/contract-server.js';

export const IPC_CHANNELS = {
  call: 'flightdeck:call',
  subscribe: 'flightdeck:subscribe',
  unsubscribe: 'flightdeck:unsubscribe',
  input: 'flightdeck:input',
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

const asContractError = (error: unknown): ContractError => (error instanceof ContractError ? error : new ContractError('internal', String(error)));

export function registerIpcTransport(options: IpcTransportOptions): () => void {
  const { ipcMain, server, isTrustedSender } = options;
  const subscriptions = new Map<WebContents, Map<string, OpenStream>>();

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
      const created = new Map<string, OpenStream>();
      subscriptions.set(sender, created);
      sender.once('destroyed', () => {
        for (const stream of created.values()) stream.stop();
        subscriptions.delete(sender);
      });
      forSender = created;
    }
    try {
      // Per-client limits (terminal sessions) count per window.
      const opened = server.open(stream, params, { ...session, client: `ipc-${sender.id}` }, (data) => {
        if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, id, { op: 'event', data });
      });
      forSender.set(id, opened);
    } catch (error) {
      sender.send(IPC_CHANNELS.event, id, { op: 'error', error: asContractError(error).toJSON() });
    }
  });

  ipcMain.on(IPC_CHANNELS.unsubscribe, (event, id: unknown) => {
    if (!isTrustedSender(event) || typeof id !== 'string') return;
    const forSender = subscriptions.get(event.sender);
    forSender?.get(id)?.stop();
    forSender?.delete(id);
  });

  ipcMain.on(IPC_CHANNELS.input, (event, id: unknown, data: unknown) => {
    if (!isTrustedSender(event) || typeof id !== 'string') return;
    const sender = event.sender;
    const stream = subscriptions.get(sender)?.get(id);
    try {
      if (!stream) throw new ContractError('not_found', `No subscription ${id} in this window to send input to.`);
      stream.input(data);
    } catch (error) {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, id, { op: 'error', error: asContractError(error).toJSON() });
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.call);
    ipcMain.removeAllListeners(IPC_CHANNELS.subscribe);
    ipcMain.removeAllListeners(IPC_CHANNELS.unsubscribe);
    ipcMain.removeAllListeners(IPC_CHANNELS.input);
    for (const forSender of subscriptions.values()) for (const stream of forSender.values()) stream.stop();
    subscriptions.clear();
  };
}
