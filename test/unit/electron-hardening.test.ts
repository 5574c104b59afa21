// Electron hardening that runs without the Electron binary: the packaged binary's fuses (read from
// the builder config and checked against electron-builder's own schema), the app-wide navigation
// guard, the app:// protocol that serves the renderer, and startShell's wiring of all three.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type Mock } from 'vitest';
import { parse } from 'yaml';

const electron = vi.hoisted(() => {
  const order: string[] = [];
  const windows: { loadURL: Mock; loadFile: Mock }[] = [];
  return { order, windows };
});

vi.mock('electron', () => {
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  class FakeWindow {
    loadURL = vi.fn(async (url: string) => void electron.order.push(`loadURL ${url}`));
    loadFile = vi.fn(async () => undefined);
    once = vi.fn();
    webContents = {};
    constructor() {
      electron.windows.push(this);
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      whenReady: vi.fn(async () => void electron.order.push('ready')),
      getPath: () => tmpdir(),
      getVersion: () => '0.0.0-test',
      on: vi.fn((event: string, listener: (...args: unknown[]) => void) => {
        electron.order.push(`app.on ${event}`);
        appListeners.set(event, listener);
      }),
      quit: vi.fn(),
      exit: vi.fn(),
      listeners: appListeners,
    },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: vi.fn(), on: vi.fn() },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => void electron.order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(() => void electron.order.push('protocol.handle')),
    },
  };
});
vi.mock('../../electron/core/app.js', () => ({ createApp: vi.fn(async () => ({ server: { call: vi.fn(), subscribe: vi.fn() }, stop: vi.fn() })) }));
vi.mock('../../electron/demo-launch.js', () => ({ startDemoIfAsked: vi.fn(async () => undefined) }));

const repo = join(__dirname, '..', '..');

describe('packaged binary fuses (build/electron-builder.yml)', () => {
  const config = parse(readFileSync(join(repo, 'build/electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, unknown> };
  const fuses = config.electronFuses ?? {};

  it('turns off run-as-node, NODE_OPTIONS and --inspect; turns on cookie encryption and asar-only loading with integrity', () => {
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('uses only keys electron-builder knows (a misspelt fuse would be silently ignored)', () => {
    const schema = JSON.parse(readFileSync(join(repo, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
      properties: Record<string, unknown>;
      definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } };
    };
    expect(schema.properties).toHaveProperty('electronFuses');
    const known = schema.definitions.FuseOptionsV1.properties;
    for (const [key, value] of Object.entries(fuses)) {
      expect(known, `unknown fuse ${key}`).toHaveProperty(key);
      expect(typeof value).toBe(known[key].type);
    }
  });
});

describe('navigation guard', () => {
  function fakeContents() {
    const handlers = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: ((details: unknown) => { action: string }) | undefined;
    return {
      handlers,
      openHandler: () => openHandler,
      contents: {
        on: (event: string, handler: (event: { preventDefault(): void }) => void) => void handlers.set(event, handler),
        setWindowOpenHandler: (handler: (details: unknown) => { action: string }) => void (openHandler = handler),
      },
    };
  }

  it('guards every web contents created after installation, not just the first window', async () => {
    const { installNavigationGuard } = await import('../../electron/shell/navigation-guard.js');
    const listeners = new Map<string, (event: unknown, contents: unknown) => void>();
    installNavigationGuard({ on: (event: string, listener: never) => listeners.set(event, listener) } as never);
    const created = listeners.get('web-contents-created');
    expect(created).toBeTypeOf('function');
    for (let i = 0; i < 3; i++) {
      const later = fakeContents();
      created?.({}, later.contents);
      for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) {
        const preventDefault = vi.fn();
        later.handlers.get(event)?.({ preventDefault });
        expect(preventDefault, event).toHaveBeenCalledOnce();
      }
      expect(later.openHandler()?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    }
  });
});

describe('app:// renderer protocol', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'fd-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>ours</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
    mkdirSync(join(base, 'renderer-evil'));
    writeFileSync(join(base, 'renderer-evil', 'x.txt'), 'sibling with the same prefix');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = async (url: string) => {
    const { serveRendererRequest } = await import('../../electron/shell/renderer-protocol.js');
    const response = await serveRendererRequest(root, new Request(url));
    return { status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), body: await response.text() };
  };

  it('serves index.html and the assets with their MIME types and the CSP', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../electron/transport/security-headers.js');
    const index = await get('app://flightdeck/index.html');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', csp: CONTENT_SECURITY_POLICY, body: '<!doctype html><title>ours</title>' });
    expect(await get('app://flightdeck/')).toMatchObject({ status: 200, body: index.body });
    expect(await get('app://flightdeck/assets/index-abc.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await get('app://flightdeck/assets/index-abc.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
  });

  it('refuses paths that leave the renderer folder, literal or encoded, and other hosts', async () => {
    const { rendererFilePath } = await import('../../electron/shell/renderer-protocol.js');
    for (const url of [
      'app://x/../../etc/passwd',
      'app://flightdeck/../../etc/passwd',
      'app://flightdeck/..%2f..%2f..%2fetc%2fpasswd',
      'app://flightdeck/..%2fsecret.txt',
      'app://flightdeck/%2e%2e%2fsecret.txt',
      'app://flightdeck/..%5csecret.txt',
      'app://flightdeck/..%2frenderer-evil%2fx.txt',
      'app://flightdeck/index.html%00.js',
      'app://other/index.html',
    ]) {
      const answer = await get(url);
      expect(answer.status, url).toBe(404);
      expect(answer.body, url).not.toMatch(/outside|sibling|root:|ours/);
    }
    // The raw string (no Request normalisation in between) is refused by the path check itself.
    expect(rendererFilePath(root, 'app://flightdeck/..%2fsecret.txt')).toBeUndefined();
    expect(rendererFilePath(root, 'app://flightdeck/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it('answers 404 for missing files and folders, 405 for writes', async () => {
    expect((await get('app://flightdeck/nope.js')).status).toBe(404);
    expect((await get('app://flightdeck/assets')).status).toBe(404);
    const { serveRendererRequest } = await import('../../electron/shell/renderer-protocol.js');
    expect((await serveRendererRequest(root, new Request('app://flightdeck/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('startShell wiring', () => {
  it('registers app:// before ready, guards web contents before any window, serves the protocol, loads app://flightdeck/', async () => {
    const { startShell } = await import('../../electron/main.js');
    await startShell(['--data-dir', join(tmpdir(), 'fd-shell-test')]);
    const { order, windows } = electron;
    const at = (step: string) => order.indexOf(step);
    expect(at('registerSchemesAsPrivileged')).toBeGreaterThanOrEqual(0);
    expect(at('registerSchemesAsPrivileged')).toBeLessThan(at('ready'));
    expect(at('app.on web-contents-created')).toBeLessThan(at('ready'));
    expect(at('protocol.handle')).toBeGreaterThan(at('ready'));
    expect(at('protocol.handle')).toBeLessThan(at('loadURL app://flightdeck/index.html'));
    expect(windows).toHaveLength(1);
    expect(windows[0].loadURL).toHaveBeenCalledWith('app://flightdeck/index.html');
    expect(windows[0].loadFile).not.toHaveBeenCalled();
    const { protocol } = await import('electron');
    // Exactly these: no bypassCSP, corsEnabled or service workers.
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});
