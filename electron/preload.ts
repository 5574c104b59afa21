// Preload (sandboxed): exposes exactly three functions to the page as window.flightdeck. No Node,
// no ipcRenderer, no arbitrary channels reach the renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL = 'flightdeck:call';
const SUBSCRIBE = 'flightdeck:subscribe';
const UNSUBSCRIBE = 'flightdeck:unsubscribe';
const INPUT = 'flightdeck:input';
const EVENT = 'flightdeck:event';

let nextId = 0;

export const flightdeckBridge = {
  call(method: string, payload: unknown): Promise<unknown> {
    return ipcRenderer.invoke(CALL, method, payload);
  },
  subscribe(stream: string, params: unknown, onMessage: (message: unknown) => void): () => void {
    return flightdeckBridge.open(stream, params, onMessage).close;
  },
  /** A duplex stream (a terminal): `send` delivers one input, `close` unsubscribes. */
  open(stream: string, params: unknown, onMessage: (message: unknown) => void): { send(data: unknown): void; close(): void } {
    const id = `s${++nextId}`;
    const listener = (_event: IpcRendererEvent, eventId: string, message: unknown) => {
      if (eventId === id) onMessage(message);
    };
    ipcRenderer.on(EVENT, listener);
    ipcRenderer.send(SUBSCRIBE, id, stream, params);
    let closed = false;
    return {
      send(data: unknown) {
        if (!closed) ipcRenderer.send(INPUT, id, data);
      },
      close() {
        if (closed) return;
        closed = true;
        ipcRenderer.send(UNSUBSCRIBE, id);
        ipcRenderer.removeListener(EVENT, listener);
      },
    };
  },
};

contextBridge.exposeInMainWorld('flightdeck', flightdeckBridge);
