// The Electron binary cannot run on our machines, so the shell's security surface is pinned here
// with `electron` mocked: window settings, the trusted-sender check, the preload's exposed API and
// the IPC transport's behaviour.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const ipcRendererMock = { invoke: vi.fn(), on: vi.fn(), send: vi.fn(), removeListener: vi.fn() };

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: ipcRendererMock,
  app: { requestSingleInstanceLock: vi.fn(), whenReady: vi.fn(), getPath: vi.fn(), getVersion: vi.fn(), on: vi.fn(), quit: vi.fn(), exit: vi.fn() },
  BrowserWindow: vi.fn(),
  ipcMain: { handle: vi.fn(), on: vi.fn() },
  Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn() },
  session: {},
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));

describe('Electron window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security on', async () => {
    const { secureWindowOptions } = await import('../../electron/window-options.js');
    const prefs = secureWindowOptions('/app/preload.cjs').webPreferences ?? {};
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('trusts only the top frame of the bundled page', async () => {
    const { isTrustedSender } = await import('../../electron/main.js');
    const ours = 'app://flightdeck/index.html';
    const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as never;
    expect(isTrustedSender(event(ours))).toBe(true);
    expect(isTrustedSender(event(`${ours}#/rollouts`))).toBe(true);
    expect(isTrustedSender(event('https://evil.example/'))).toBe(false);
    expect(isTrustedSender(event('app://other/index.html'))).toBe(false);
    expect(isTrustedSender(event('file:///tmp/index.html'))).toBe(false);
    expect(isTrustedSender(event(ours, {}))).toBe(false);
    expect(isTrustedSender({ senderFrame: null } as never)).toBe(false);
    // The first import of electron/main transforms the whole main process: over 5 s on a busy machine.
  }, 30_000);

  it('has a CSP that loads nothing from outside the app', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../electron/transport/security-headers.js');
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('preload', () => {
  beforeEach(() => vi.clearAllMocks());

  it('exposes exactly call, subscribe and open as window.flightdeck', async () => {
    await import('../../electron/preload.js');
    const api = exposed.flightdeck as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'open', 'subscribe']);
    expect(Object.keys(exposed)).toEqual(['flightdeck']);
  });

  it('routes calls and stream events through fixed channels', async () => {
    await import('../../electron/preload.js');
    const api = exposed.flightdeck as { call(m: string, p: unknown): unknown; subscribe(s: string, p: unknown, cb: (m: unknown) => void): () => void };
    api.call('app.info', {});
    expect(ipcRendererMock.invoke).toHaveBeenCalledWith('flightdeck:call', 'app.info', {});
    const received: unknown[] = [];
    const stop = api.subscribe('clusters.status', {}, (m) => received.push(m));
    const [channel, listener] = ipcRendererMock.on.mock.calls[0] as [string, (e: unknown, id: string, m: unknown) => void];
    const id = (ipcRendererMock.send.mock.calls[0] as unknown[])[1] as string;
    expect(channel).toBe('flightdeck:event');
    listener({}, 'other', 'not mine');
    listener({}, id, { op: 'event', data: 1 });
    expect(received).toEqual([{ op: 'event', data: 1 }]);
    stop();
    expect(ipcRendererMock.send).toHaveBeenLastCalledWith('flightdeck:unsubscribe', id);
  });

  it('sends a duplex stream\'s inputs on the input channel until it is closed', async () => {
    await import('../../electron/preload.js');
    const api = exposed.flightdeck as { open(s: string, p: unknown, cb: (m: unknown) => void): { send(d: unknown): void; close(): void } };
    const stream = api.open('terminal.session', { kind: 'local', cols: 80, rows: 24 }, () => undefined);
    const id = (ipcRendererMock.send.mock.calls[0] as unknown[])[1] as string;
    stream.send({ type: 'data', data: 'ls\r' });
    expect(ipcRendererMock.send).toHaveBeenLastCalledWith('flightdeck:input', id, { type: 'data', data: 'ls\r' });
    stream.close();
    stream.send({ type: 'data', data: 'late' });
    expect(ipcRendererMock.send).toHaveBeenLastCalledWith('flightdeck:unsubscribe', id);
  });
});

describe('IPC transport', () => {
  it('serves the contract to trusted senders only and returns typed errors', async () => {
    const { registerIpcTransport } = await import('../../electron/transport/ipc.js');
    const { ContractError } = await import('../../shared/contract-kit.js');
    const handlers = new Map<string, (...args: unknown[]) => unknown>();
    const ipcMain = { handle: (c: string, fn: never) => handlers.set(c, fn), on: vi.fn(), removeHandler: vi.fn(), removeAllListeners: vi.fn() };
    const server = {
      call: vi.fn(async (method: string) => {
        if (method === 'bad') throw new ContractError('invalid_request', 'nope');
        return { ok: method };
      }),
      subscribe: vi.fn(),
      open: vi.fn(),
    };
    let trusted = true;
    registerIpcTransport({ ipcMain: ipcMain as never, server, isTrustedSender: () => trusted });
    const call = handlers.get('flightdeck:call') as (e: unknown, m: unknown, p: unknown) => Promise<unknown>;
    await expect(call({}, 'app.info', {})).resolves.toEqual({ ok: true, result: { ok: 'app.info' } });
    await expect(call({}, 'bad', {})).resolves.toEqual({ ok: false, error: { code: 'invalid_request', message: 'nope' } });
    await expect(call({}, 42, {})).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    trusted = false;
    await expect(call({}, 'app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(server.call).toHaveBeenCalledTimes(2);
  });
});
