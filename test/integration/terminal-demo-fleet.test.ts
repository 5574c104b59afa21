// Issue 14 on the demo fleet through the real browser-mode transport, as the renderer drives it:
// exec into a GPU pod and run nvidia-smi, a resize that reaches the remote TTY, `kubectl get pods`
// in the local shell against the fleet, a dropped exec socket, and memory that stays flat while a
// large volume of output flows through each kind of session with an acking consumer.
// FLIGHTDECK_TERMINAL_FLOW_MB sets that volume: 200 MB by default, so the suite stays fast on a
// loaded 2-core machine; FLIGHTDECK_TERMINAL_FLOW_MB=1000 is the 1 GB (a minute or two).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createApp, type App } from '../../electron/core/app.js';
import { startHttpTransport, type HttpTransport } from '../../electron/transport/http.js';
import type { TerminalEvent, TerminalParams } from '../../shared/contract/terminal.js';
import { waitForRunningGpuPod } from './demo-kubectl-helpers.js';
import { requireTool } from '../require-tool.js';

const CONTEXT = 'demo-admin';
const FLOW_MB = Number(process.env.FLIGHTDECK_TERMINAL_FLOW_MB ?? 200);
const FLOW_CHARS = FLOW_MB * 1_000_000;
const MAX_GROWTH_MB = 150;

let dir: string;
let fleet: DemoFleet;
let app: App;
let http: HttpTransport;
let kubectlDir: string;

/** A terminal as the renderer holds one: events in order, keys out, every output acked at once. */
class Terminal {
  readonly events: TerminalEvent[] = [];
  readonly errors: string[] = [];
  text = '';
  chars = 0;
  keep = true;
  private constructor(private readonly ws: WebSocket) {}

  static async open(params: TerminalParams, options: { keepText?: boolean } = {}): Promise<Terminal> {
    const ws = new WebSocket(`${http.url.replace(/^http/, 'ws')}/api/v1/stream?token=${http.consoleToken}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const terminal = new Terminal(ws);
    terminal.keep = options.keepText ?? true;
    ws.on('message', (raw) => terminal.onMessage(raw.toString()));
    ws.send(JSON.stringify({ op: 'subscribe', id: 't', stream: 'terminal.session', params }));
    return terminal;
  }

  private onMessage(raw: string): void {
    const frame = JSON.parse(raw) as { op: string; data?: TerminalEvent; error?: { message: string } };
    if (frame.op === 'error') this.errors.push(frame.error?.message ?? '?');
    if (!frame.data) return;
    const event = frame.data;
    if (event.type === 'output') {
      this.chars += event.data.length;
      if (this.keep) this.text += event.data;
      else this.text = (this.text + event.data).slice(-4096);
      this.send({ type: 'ack', chars: event.data.length });
    } else this.events.push(event);
  }

  send(data: unknown): void {
    this.ws.send(JSON.stringify({ op: 'input', id: 't', data }));
  }

  type(keys: string): void {
    this.send({ type: 'data', data: keys });
  }

  async opened(): Promise<void> {
    await expect.poll(() => this.events[0]?.type ?? this.errors[0], { timeout: 20_000 }).toBe('opened');
  }

  async waitFor(pattern: RegExp, timeout = 20_000): Promise<void> {
    await expect.poll(() => this.text, { timeout }).toMatch(pattern);
  }

  close(): void {
    this.ws.close();
  }
}

describe('terminal sessions on the demo fleet', () => {
  let gpu: { namespace: string; name: string; container: string };

  beforeAll(async () => {
    // The local shell's kubectl is the machine's (the Google Cloud SDK's, see test/setup).
    kubectlDir = dirname(requireTool('kubectl', 'the integration tests need kubectl >= 1.27 on PATH'));
    dir = mkdtempSync(join(tmpdir(), 'fd-terminal-'));
    fleet = await startDemoFleet({ log: () => undefined });
    app = await createApp({ mode: 'browser', dataDir: dir, kubeconfig: { demoKubeconfig: fleet.kubeconfig }, demo: true, version: 'test', log: () => undefined });
    http = await startHttpTransport({ server: app.server, log: () => undefined });
    gpu = await waitForRunningGpuPod(fleet);
  }, 120_000);

  afterAll(async () => {
    await http?.close();
    await app?.stop();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const execParams = (): TerminalParams => ({ kind: 'exec', context: CONTEXT, namespace: gpu.namespace, pod: gpu.name, cols: 120, rows: 40 });

  it('execs into a GPU pod, runs nvidia-smi, and a resize reaches the remote TTY', async () => {
    const t = await Terminal.open(execParams());
    await t.opened();
    expect(t.events[0]).toMatchObject({ type: 'opened', shell: 'bash', title: `${gpu.name}/${gpu.container}` });
    await t.waitFor(/# $/);
    t.type('nvidia-smi\r');
    await t.waitFor(/NVIDIA-SMI \d+/);
    t.type('stty size\r');
    await t.waitFor(/40 120/);
    t.send({ type: 'resize', cols: 133, rows: 41 });
    t.type('stty size; tput cols\r');
    await t.waitFor(/41 133\r\n133/);
    t.type('exit 3\r');
    await expect.poll(() => t.events.at(-1)).toEqual({ type: 'exit', code: 3, reason: expect.any(String) });
    t.close();
    // Start and end are in the audit log, with the pod; the keys typed are not.
    const audit = (await app.server.call('audit.list', { limit: 20 }, { kind: 'console', readOnly: false })) as { records: Array<{ method?: string; params?: Record<string, unknown>; target?: unknown }> };
    const records = audit.records.filter((r) => r.method === 'terminal.session');
    expect(records.map((r) => r.params?.event)).toEqual(expect.arrayContaining(['start', 'stop']));
    expect(records[0].target).toEqual({ kind: 'Pod', namespace: gpu.namespace, name: gpu.name });
    expect(JSON.stringify(records)).not.toMatch(/nvidia-smi|stty/);
  });

  it('runs kubectl against the demo fleet in the local shell', async () => {
    const t = await Terminal.open({ kind: 'local', context: CONTEXT, cols: 200, rows: 50 });
    await t.opened();
    t.type(`export PATH="${kubectlDir}:$PATH"; echo "KC=[$KUBECONFIG]"; kubectl get pods -n inference\r`);
    const names = (fleet.store.peek('pods') as Iterable<{ metadata: { namespace?: string; name: string } }>);
    const inference = [...names].filter((p) => p.metadata.namespace === 'inference').map((p) => p.metadata.name);
    expect(inference.length).toBeGreaterThan(0);
    await t.waitFor(new RegExp(`NAME +READY +STATUS[\\s\\S]*${inference[0]}`), 30_000);
    // The typed line echoes `KC=[$KUBECONFIG]`; the shell's answer has the path.
    const file = /KC=\[(\/[^\]]+)\]/.exec(t.text)?.[1] ?? '';
    expect(file.startsWith(join(dir, 'terminal'))).toBe(true);
    t.type('exit\r');
    await expect.poll(() => t.events.at(-1)?.type).toBe('exit');
    t.close();
  });

  it('says a dropped exec socket is dropped and cannot be resumed', async () => {
    const t = await Terminal.open(execParams());
    await t.opened();
    await t.waitFor(/# $/);
    await fleet.restart(); // the API server goes away and comes back: every exec socket is cut
    await expect.poll(() => t.events.at(-1), { timeout: 20_000 }).toMatchObject({ type: 'dropped', message: expect.stringMatching(/cannot be resumed/) });
    t.close();
    // Reconnecting is a new session.
    const again = await Terminal.open(execParams());
    await again.opened();
    again.close();
  });

  const flow = async (kind: 'local' | 'exec') => {
    const t = await Terminal.open(kind === 'local' ? { kind: 'local', cols: 200, rows: 50 } : execParams(), { keepText: false });
    await t.opened();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const unit = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01\n'; // 64 characters a line
    t.type(
      kind === 'local'
        ? `head -c ${FLOW_CHARS} /dev/zero | tr '\\0' 'a'; echo; echo FLOW-DONE\r`
        : `yes ${unit.trim()} | head -c ${FLOW_CHARS}\r`,
    );
    await expect.poll(() => t.chars, { timeout: 300_000, interval: 200 }).toBeGreaterThanOrEqual(FLOW_CHARS);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const growthMb = (peak - before) / 1e6;
    const mbPerS = t.chars / 1e6 / seconds;
    console.log(`terminal ${kind}: ${(t.chars / 1e6).toFixed(0)} M chars in ${seconds.toFixed(1)} s = ${mbPerS.toFixed(1)} MB/s; RSS ${(before / 1e6).toFixed(0)} MB -> peak ${(peak / 1e6).toFixed(0)} MB (growth ${growthMb.toFixed(1)} MB)`);
    expect(t.errors).toEqual([]);
    expect(growthMb).toBeLessThan(MAX_GROWTH_MB);
    t.close();
  };

  it(`keeps memory bounded while ${FLOW_MB} MB flow through a local shell`, () => flow('local'), 320_000);
  it(`keeps memory bounded while ${FLOW_MB} MB flow through a pod exec`, () => flow('exec'), 320_000);
});
