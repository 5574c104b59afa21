// The exec source against a small in-process server speaking the exec channel protocol: the
// subprotocol offered (v5, then v4), the bash -> sh fallback when bash is missing, resize frames,
// a missed keepalive pong and a closed socket reported as `dropped`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { KubeConfig } from '@kubernetes/client-node';
import { openExecShell } from '../../electron/core/terminal/exec-source.js';
import type { SourceEvents } from '../../electron/core/terminal/source.js';

interface Exec {
  ws: WebSocket;
  command: string[];
  protocol: string;
  received: Buffer[];
}

let server: Server | undefined;
let wss: WebSocketServer | undefined;

afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = wss = undefined;
});

async function execServer(onExec: (exec: Exec) => void, options: { autoPong?: boolean; protocol?: string } = {}): Promise<KubeConfig> {
  server = createServer();
  const pick = (offered: Set<string>) => (options.protocol ? (offered.has(options.protocol) ? options.protocol : false) : ([...offered][0] ?? false));
  wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true, handleProtocols: pick });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    wss!.handleUpgrade(req, socket, head, (ws) => {
      const exec: Exec = { ws, command: url.searchParams.getAll('command'), protocol: ws.protocol, received: [] };
      ws.on('message', (m: Buffer) => exec.received.push(m));
      onExec(exec);
    });
  });
  return listen(server);
}

/** Listens on a loopback port; the kubeconfig of a context whose API server is that port. */
async function listen(on: Server): Promise<KubeConfig> {
  await new Promise<void>((r) => on.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(on.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

function recorder() {
  const seen: Array<{ type: string; value?: unknown }> = [];
  const events: SourceEvents = {
    opened: (info) => seen.push({ type: 'opened', value: info.shell }),
    data: (bytes) => seen.push({ type: 'data', value: Buffer.from(bytes).toString() }),
    exit: (code, reason) => seen.push({ type: 'exit', value: { code, reason } }),
    dropped: (message) => seen.push({ type: 'dropped', value: message }),
  };
  return { seen, events };
}

const target = { context: 'ctx', namespace: 'ml', pod: 'p', container: 'c' };
const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);

describe('exec source', () => {
  it('falls back from bash to sh when the image has no bash, in the same session', async () => {
    const execs: Exec[] = [];
    const kc = await execServer((exec) => {
      execs.push(exec);
      if (exec.command[0] === 'bash') {
        exec.ws.send(frame(3, JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'exec: "bash": executable file not found in $PATH' })));
        exec.ws.close(1000);
      } else exec.ws.send(frame(1, '# '));
    });
    const { seen, events } = recorder();
    const source = await openExecShell(kc, target, { cols: 120, rows: 40 }, events);
    await expect.poll(() => seen.map((s) => s.type)).toEqual(['opened', 'data']);
    expect(seen).toEqual([{ type: 'opened', value: 'sh' }, { type: 'data', value: '# ' }]);
    expect(execs.map((e) => e.command)).toEqual([['bash'], ['sh']]);
    expect(execs[0].protocol).toBe('v5.channel.k8s.io');
    // The size in the params went to each attempt; a resize goes to the live one.
    expect(JSON.parse(execs[1].received[0].subarray(1).toString())).toEqual({ Width: 120, Height: 40 });
    source.resize(90, 20);
    source.write('ls\r');
    await expect.poll(() => execs[1].received.length).toBe(3);
    expect(execs[1].received[1][0]).toBe(4);
    expect(execs[1].received[2].toString()).toBe('\0ls\r');
    source.stop();
    // v5: stdin is closed with [255, 0] before the socket closes.
    await expect.poll(() => execs[1].received.some((b) => b[0] === 255 && b[1] === 0)).toBe(true);
  });

  it('speaks v4 to a server without v5, and then sends no v5 close frame', async () => {
    const execs: Exec[] = [];
    const kc = await execServer(
      (exec) => {
        execs.push(exec);
        exec.ws.send(frame(1, '$ '));
      },
      { protocol: 'v4.channel.k8s.io' },
    );
    const { seen, events } = recorder();
    const source = await openExecShell(kc, target, { cols: 80, rows: 24 }, events);
    await expect.poll(() => seen.map((s) => s.type)).toEqual(['opened', 'data']);
    expect(execs[0].protocol).toBe('v4.channel.k8s.io');
    source.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(execs[0].received.map((b) => b[0])).toEqual([4]); // the resize only: no [255, 0]
  });

  it('reports the exit code of a command that ran', async () => {
    const kc = await execServer((exec) => {
      exec.ws.send(frame(1, 'out'));
      exec.ws.send(frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'exit 2', details: { causes: [{ reason: 'ExitCode', message: '2' }] } })));
    });
    const { seen, events } = recorder();
    await openExecShell(kc, { ...target, command: ['false'] }, { cols: 80, rows: 24 }, events);
    await expect.poll(() => seen.at(-1)?.type).toBe('exit');
    expect(seen).toEqual([{ type: 'opened', value: 'false' }, { type: 'data', value: 'out' }, { type: 'exit', value: { code: 2, reason: 'exit 2' } }]);
  });

  it('says a lost socket is dropped and cannot be resumed', async () => {
    const kc = await execServer((exec) => {
      exec.ws.send(frame(1, '$ '));
      setTimeout(() => exec.ws.terminate(), 50);
    });
    const { seen, events } = recorder();
    await openExecShell(kc, target, { cols: 80, rows: 24 }, events);
    await expect.poll(() => seen.at(-1)?.type).toBe('dropped');
    expect(String(seen.at(-1)?.value)).toMatch(/lost .*cannot be resumed/);
  });

  it('pings idle sessions and drops one whose pongs stop', async () => {
    let pings = 0;
    const kc = await execServer(
      (exec) => {
        exec.ws.on('ping', () => pings++);
        exec.ws.send(frame(1, '$ '));
      },
      { autoPong: false },
    );
    const { seen, events } = recorder();
    await openExecShell(kc, target, { cols: 80, rows: 24, keepaliveMs: 100 }, events);
    await expect.poll(() => seen.at(-1)?.type, { timeout: 3_000 }).toBe('dropped');
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(String(seen.at(-1)?.value)).toMatch(/stopped answering.*keepalive/);
  });

  it('keeps a session whose pongs come back alive', async () => {
    let pings = 0;
    const kc = await execServer((exec) => {
      exec.ws.on('ping', () => pings++);
      exec.ws.send(frame(1, '$ '));
    });
    const { seen, events } = recorder();
    const source = await openExecShell(kc, target, { cols: 80, rows: 24, keepaliveMs: 50 }, events);
    await expect.poll(() => pings, { timeout: 3_000 }).toBeGreaterThanOrEqual(5);
    expect(seen.map((s) => s.type)).toEqual(['opened', 'data']);
    source.stop();
  });

  it('turns a refused upgrade into the API server\'s message', async () => {
    server = createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'pods "p" not found' }));
    });
    const kc = await listen(server);
    const { events } = recorder();
    await expect(openExecShell(kc, target, { cols: 80, rows: 24 }, events)).rejects.toThrow(/pods "p" not found/);
  });
});
