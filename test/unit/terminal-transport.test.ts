// Duplex streams over the real transports (issue 14): a local shell over browser mode's WebSocket
// and over IPC, inputs validated against the stream's schema (a bad one is an error frame, never a
// crash), read-only sessions refused, the shell killed on unsubscribe, and the per-client limit.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../electron/core/app.js';
import { startHttpTransport, type HttpTransport } from '../../electron/transport/http.js';
import { registerIpcTransport } from '../../electron/transport/ipc.js';
import { createTerminalService, REMOTE_SHELL_REFUSED } from '../../electron/core/terminal/index.js';
import { openSocket, type StreamFrame, type TestSocket } from './http-transport-helpers.js';

// Each test starts real shells: generous on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });

let app: App;
let http: HttpTransport;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'terminal-transport-'));
  app = await createApp({ mode: 'browser', dataDir, kubeconfig: { useHomeConfig: false }, demo: false, version: '9.9.9', log: () => undefined });
  http = await startHttpTransport({ server: app.server, log: () => undefined });
});

afterAll(async () => {
  await http.close();
  await app.stop();
});

const streamUrl = (token: string) => `${http.url.replace(/^http/, 'ws')}/api/v1/stream?token=${token}`;
const outputOf = (frames: StreamFrame[], id: string) =>
  frames
    .filter((f) => f.id === id && f.op === 'event' && (f.data as { type: string }).type === 'output')
    .map((f) => (f.data as { data: string }).data)
    .join('');
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('terminal over the WebSocket', () => {
  let socket: TestSocket;

  it('runs a local shell: keys in, output out, acks accepted', async () => {
    socket = await openSocket(streamUrl(http.consoleToken));
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 't1', stream: 'terminal.session', params: { kind: 'local', cols: 100, rows: 30 } }));
    await expect.poll(() => socket.frames.find((f) => f.id === 't1')?.data, { timeout: 10_000 }).toMatchObject({ type: 'opened', title: expect.stringMatching(/^local: /) });
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'data', data: 'echo "size $(stty size) pid $$ sum $((6*7))"\r' } }));
    await expect.poll(() => outputOf(socket.frames, 't1'), { timeout: 10_000 }).toMatch(/size 30 100 pid \d+ sum 42/);
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'resize', cols: 132, rows: 43 } }));
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'ack', chars: outputOf(socket.frames, 't1').length } }));
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'data', data: 'stty size\r' } }));
    await expect.poll(() => outputOf(socket.frames, 't1'), { timeout: 10_000 }).toMatch(/43 132/);
    expect(socket.frames.filter((f) => f.op === 'error')).toEqual([]);
  });

  it('answers a bad input with an error frame and keeps the session', async () => {
    const before = socket.frames.length;
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'resize', cols: -1, rows: 'x' } }));
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'data', data: 'x'.repeat(64 * 1024 + 1) } }));
    socket.ws.send(JSON.stringify({ op: 'input', id: 'nope', data: { type: 'ack', chars: 1 } }));
    await expect.poll(() => socket.frames.slice(before).filter((f) => f.op === 'error').length).toBe(3);
    const errors = socket.frames.slice(before).filter((f) => f.op === 'error');
    expect(errors.map((f) => [f.id, f.error?.code])).toEqual([['t1', 'invalid_request'], ['t1', 'invalid_request'], ['nope', 'not_found']]);
    expect(errors[0].error?.message).toMatch(/Invalid input for stream terminal.session/);
    socket.ws.send(JSON.stringify({ op: 'input', id: 't1', data: { type: 'data', data: 'echo still-$((1+1))\r' } }));
    await expect.poll(() => outputOf(socket.frames, 't1'), { timeout: 10_000 }).toMatch(/still-2/);
  });

  it('refuses input to a stream that takes none', async () => {
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'c1', stream: 'clusters.status', params: {} }));
    await expect.poll(() => socket.frames.some((f) => f.id === 'c1' && f.op === 'event')).toBe(true);
    socket.ws.send(JSON.stringify({ op: 'input', id: 'c1', data: { type: 'ack', chars: 1 } }));
    await expect.poll(() => socket.frames.find((f) => f.id === 'c1' && f.op === 'error')?.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/takes no input/) });
  });

  it('kills the shell on unsubscribe', async () => {
    const pid = Number(/pid (\d+)/.exec(outputOf(socket.frames, 't1'))?.[1]);
    expect(isAlive(pid)).toBe(true);
    socket.ws.send(JSON.stringify({ op: 'unsubscribe', id: 't1' }));
    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
    socket.ws.close();
  });

  it('kills the shell when the client disconnects', async () => {
    const other = await openSocket(streamUrl(http.consoleToken));
    other.ws.send(JSON.stringify({ op: 'subscribe', id: 'd', stream: 'terminal.session', params: { kind: 'local', cols: 80, rows: 24 } }));
    await expect.poll(() => other.frames.some((f) => (f.data as { type?: string } | undefined)?.type === 'opened'), { timeout: 10_000 }).toBe(true);
    other.ws.send(JSON.stringify({ op: 'input', id: 'd', data: { type: 'data', data: 'echo "pid $$"\r' } }));
    await expect.poll(() => outputOf(other.frames, 'd'), { timeout: 10_000 }).toMatch(/pid \d+/);
    const pid = Number(/pid (\d+)/.exec(outputOf(other.frames, 'd'))?.[1]);
    other.ws.terminate();
    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
  });

  it('gives read-only sessions no terminal', async () => {
    const ro = await openSocket(streamUrl(http.readonlyToken));
    ro.ws.send(JSON.stringify({ op: 'subscribe', id: 'r', stream: 'terminal.session', params: { kind: 'local', cols: 80, rows: 24 } }));
    await expect.poll(() => ro.frames.find((f) => f.id === 'r')?.error?.code).toBe('read_only');
    ro.ws.close();
    const caps = await fetch(`${http.url}/api/v1/call/terminal.capabilities`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${http.readonlyToken}` }, body: '{}' });
    expect(await caps.json()).toMatchObject({ local: false, exec: false, localReason: expect.stringMatching(/read-only/) });
    // The attempt is in the audit log, like a read-only session's refused action.
    const refused = readFileSync(join(dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r.method === 'terminal.session' && r.outcome === 'refused');
    expect(refused).toContainEqual(expect.objectContaining({ session: 'readonly', phase: 'refused', params: { kind: 'local' }, error: 'read-only session' }));
  });
});

describe('stream socket keepalive', () => {
  it('pings every socket, keeps one that answers, and cuts one that stopped answering (its shell ends)', async () => {
    const pinging = await startHttpTransport({ server: app.server, log: () => undefined, limits: { pingIntervalMs: 100 } });
    try {
      const url = `${pinging.url.replace(/^http/, 'ws')}/api/v1/stream?token=${pinging.consoleToken}`;
      const alive = await openSocket(url);
      let pings = 0;
      alive.ws.on('ping', () => pings++);
      // A client that answers until it goes away without closing (then it answers nothing).
      const silent = new WebSocket(url, { autoPong: false });
      let answering = true;
      silent.on('ping', (data) => answering && silent.pong(data));
      const frames: StreamFrame[] = [];
      silent.on('message', (m) => frames.push(JSON.parse(m.toString()) as StreamFrame));
      await new Promise((r) => silent.once('open', r));
      silent.send(JSON.stringify({ op: 'subscribe', id: 's', stream: 'terminal.session', params: { kind: 'local', cols: 80, rows: 24 } }));
      await expect.poll(() => frames.some((f) => (f.data as { type?: string } | undefined)?.type === 'opened'), { timeout: 10_000 }).toBe(true);
      silent.send(JSON.stringify({ op: 'input', id: 's', data: { type: 'data', data: 'echo "pid $$"\r' } }));
      await expect.poll(() => outputOf(frames, 's'), { timeout: 10_000 }).toMatch(/pid \d+/);
      const pid = Number(/pid (\d+)/.exec(outputOf(frames, 's'))?.[1]);
      expect(silent.readyState).toBe(WebSocket.OPEN);
      answering = false;
      await expect.poll(() => silent.readyState, { timeout: 5_000 }).toBe(WebSocket.CLOSED);
      await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
      expect(pings).toBeGreaterThanOrEqual(3);
      expect(alive.isClosed()).toBe(false);
      alive.ws.close();
    } finally {
      await pinging.close();
    }
  }, 30_000);
});

describe('terminal over IPC', () => {
  it('carries inputs on the input channel and errors back as error messages', async () => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const ipcMain = { handle: vi.fn(), on: (channel: string, fn: never) => listeners.set(channel, fn), removeHandler: vi.fn(), removeAllListeners: vi.fn() };
    const messages: Array<{ id: string; message: { op: string; data?: { type: string; data?: string }; error?: { code: string } } }> = [];
    const sender = { id: 7, isDestroyed: () => false, once: vi.fn(), send: (_channel: string, id: string, message: never) => messages.push({ id, message }) };
    const stop = registerIpcTransport({ ipcMain: ipcMain as never, server: app.server, isTrustedSender: () => true });
    const event = { sender };
    listeners.get('flightdeck:subscribe')!(event, 'i1', 'terminal.session', { kind: 'local', cols: 80, rows: 24 });
    await expect.poll(() => messages.some((m) => m.message.data?.type === 'opened'), { timeout: 10_000 }).toBe(true);
    listeners.get('flightdeck:input')!(event, 'i1', { type: 'data', data: 'echo ipc-$((2*21))\r' });
    await expect.poll(() => messages.map((m) => m.message.data?.data ?? '').join(''), { timeout: 10_000 }).toMatch(/ipc-42/);
    listeners.get('flightdeck:input')!(event, 'i1', { type: 'bogus' });
    await expect.poll(() => messages.find((m) => m.message.op === 'error')?.message.error?.code).toBe('invalid_request');
    stop();
  });
});

describe('a browser on another machine', () => {
  it('gets pod exec but no local shell, and the attempt is audited', async () => {
    const append = vi.fn();
    const service = createTerminalService({ clusters: app.clusters, audit: { append } as never, dataDir });
    const remote = { session: { kind: 'console' as const, readOnly: false, remote: true, client: 'ws-remote' } };
    expect(() => service.session({ kind: 'local', cols: 80, rows: 24 }, () => undefined, remote)).toThrow(REMOTE_SHELL_REFUSED);
    expect(append).toHaveBeenCalledWith(expect.objectContaining({ method: 'terminal.session', outcome: 'refused', session: 'console', params: { kind: 'local', client: 'ws-remote' } }));
    expect(service.openSessions).toBe(0);
    expect(await service.handlers['terminal.capabilities']({}, remote)).toEqual({ local: false, localReason: REMOTE_SHELL_REFUSED, exec: true });
    // The same token on this machine still gets its shell.
    const here = service.session({ kind: 'local', cols: 80, rows: 24 }, () => undefined, { session: { ...remote.session, remote: false } });
    expect(service.openSessions).toBe(1);
    here.stop();
  });
});

describe('terminal limits', () => {
  it('caps open sessions per client with a clear error, and frees the slot on close', () => {
    const service = createTerminalService({ clusters: app.clusters, audit: { append: vi.fn() } as never, dataDir }, { maxSessionsPerClient: 1 });
    const ctx = { session: { kind: 'console' as const, readOnly: false, client: 'ws-test' } };
    const first = service.session({ kind: 'local', cols: 80, rows: 24 }, () => undefined, ctx);
    expect(() => service.session({ kind: 'local', cols: 80, rows: 24 }, () => undefined, ctx)).toThrow(/1 terminals are already open/);
    // Another client has its own budget.
    const other = service.session({ kind: 'local', cols: 80, rows: 24 }, () => undefined, { session: { ...ctx.session, client: 'ws-other' } });
    first.stop();
    const again = service.session({ kind: 'local', cols: 80, rows: 24 }, () => undefined, ctx);
    expect(service.openSessions).toBe(2);
    service.stop();
    expect(service.openSessions).toBe(0);
    void other;
    void again;
  });
});
