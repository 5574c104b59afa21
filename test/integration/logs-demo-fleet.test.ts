// logs.follow against the demo fleet's real Kubernetes API: a workload followed across a rollout
// restart (every pod replaced) loses no line the fleet emitted — its pods write numbered lines
// (flightdeck.dev/log-rate) and say on SIGTERM how many they wrote; a Pending pod shows the API's
// own message (the one kubectl prints); kubectl logs --since-time works against the demo API.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import type { LogEvent } from '../../shared/contract/logs.js';
import { startTestFleet, type TestFleet } from './demo-kubectl-helpers.js';

const run = promisify(execFile);
const NS = 'default';
const session = { kind: 'console' as const, readOnly: false };

let t: TestFleet;
let app: App;
/** The console through a proxy that cuts its long-lived connections (log streams, watches). */
let cutApp: App;
let proxy: { server: net.Server; cutAll(): void };
let cuts = 0;

/** Forwards TCP to the demo API and, every `everyMs`, cuts every connection older than `ageMs`. */
function cuttingProxy(target: number, everyMs: number, ageMs: number): Promise<{ server: net.Server; cutAll(): void }> {
  const open = new Set<{ at: number; a: net.Socket; b: net.Socket }>();
  const server = net.createServer((a) => {
    const b = net.connect(target, '127.0.0.1');
    const pair = { at: Date.now(), a, b };
    open.add(pair);
    a.pipe(b).pipe(a);
    const close = () => {
      open.delete(pair);
      a.destroy();
      b.destroy();
    };
    a.on('error', close).on('close', close);
    b.on('error', close).on('close', close);
  });
  const timer = setInterval(() => {
    for (const pair of open) {
      if (Date.now() - pair.at < ageMs) continue;
      cuts++;
      pair.a.destroy();
      pair.b.destroy();
    }
  }, everyMs);
  server.on('close', () => clearInterval(timer));
  const cutAll = () => {
    for (const pair of open) pair.a.destroy();
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, cutAll })));
}

const kubectl = async (args: string[], input?: string) => {
  const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: t.kubeconfigPath, HOME: t.dir }, timeout: 90_000 });
  if (input !== undefined) {
    child.child.stdin?.write(input);
    child.child.stdin?.end();
  }
  return (await child).stdout;
};

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: loadgen, namespace: ${NS}}
spec:
  replicas: 3
  selector: {matchLabels: {app: loadgen}}
  template:
    metadata:
      labels: {app: loadgen}
      annotations: {flightdeck.dev/log-rate: "40"}
    spec:
      containers: [{name: gen, image: "ghcr.io/flightdeck-demo/loadgen:1.0"}]
`;

beforeAll(async () => {
  t = await startTestFleet({ speed: 10, nodes: 4, pods: 20 });
  app = await createApp({ mode: 'browser', dataDir: t.dir, kubeconfig: { explicitPath: t.kubeconfigPath }, demo: false, version: 'test', log: () => undefined });
  const port = Number(new URL(t.fleet.apiUrl).port);
  proxy = await cuttingProxy(port, 300, 250);
  const cutConfig = join(t.dir, 'kubeconfig-cut');
  writeFileSync(cutConfig, readFileSync(t.kubeconfigPath, 'utf8').replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${(proxy.server.address() as net.AddressInfo).port}`), { mode: 0o600 });
  cutApp = await createApp({ mode: 'browser', dataDir: join(t.dir, 'cut'), kubeconfig: { explicitPath: cutConfig }, demo: false, version: 'test', log: () => undefined });
  await kubectl(['apply', '-f', '-'], DEPLOYMENT);
  await kubectl(['rollout', 'status', '-n', NS, 'deploy/loadgen', '--timeout=60s']);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await cutApp?.stop();
  proxy?.cutAll();
  await new Promise((r) => (proxy ? proxy.server.close(r) : r(undefined)));
  await t?.cleanup();
});

interface Entry {
  seq?: number;
  lines_written?: number;
  msg: string;
}

/**
 * Follows the loadgen Deployment through `consoleApp`, restarts it, and checks every pod's numbered
 * lines: contiguous, none twice; a replaced pod's last line counts what it wrote and all of them
 * arrived; a pod that started while followed from its line 0. Returns the source states seen and
 * how many replaced pods were read to their last line.
 */
async function followAcrossRestart(consoleApp: App, options: { cut: boolean }): Promise<{ states: string[]; complete: number }> {
  const events: LogEvent[] = [];
  const stop = consoleApp.server.subscribe('logs.follow', { context: 'demo-admin', namespace: NS, target: { kind: 'workload', workloadKind: 'Deployment', name: 'loadgen' }, follow: true }, session, (e) => events.push(e as LogEvent));
  try {
    const sources = () => {
      const bySrc = new Map<number, { pod: string; states: string[] }>();
      for (const e of events) if (e.type === 'source') bySrc.set(e.src, { pod: e.pod, states: [...(bySrc.get(e.src)?.states ?? []), e.state] });
      return bySrc;
    };
    const running = new Set((await kubectl(['get', 'pods', '-n', NS, '-l', 'app=loadgen', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(/\s+/));
    await until('the running pods attached', () => [...sources().values()].filter((s) => running.has(s.pod) && s.states.includes('attached')).length === running.size);
    const before = new Set([...sources().values()].map((s) => s.pod));
    await new Promise((r) => setTimeout(r, 1_000));
    await kubectl(['rollout', 'restart', '-n', NS, 'deploy/loadgen']);
    await kubectl(['rollout', 'status', '-n', NS, 'deploy/loadgen', '--timeout=60s']);
    await until('the old pods to end', () => [...sources().values()].filter((s) => before.has(s.pod) && s.states.includes('ended')).length === before.size);
    // A few seconds of the new pods' lines.
    await new Promise((r) => setTimeout(r, 1_500));

    const perSrc = new Map<number, Entry[]>();
    for (const e of events) if (e.type === 'lines') for (const l of e.lines) perSrc.set(l.src, [...(perSrc.get(l.src) ?? []), JSON.parse(l.text) as Entry]);
    const all = sources();
    const after = [...all.entries()].filter(([, s]) => !before.has(s.pod));
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(new Set(after.map(([, s]) => s.pod)).size).toBe(after.length);
    let total = 0;
    let complete = 0;
    for (const [src, s] of all) {
      const entries = perSrc.get(src) ?? [];
      const seqs = entries.filter((e) => e.seq !== undefined).map((e) => e.seq as number);
      total += seqs.length;
      expect(seqs.length, `${s.pod} lines`).toBeGreaterThan(0);
      // Contiguous: no gap, no repeat.
      seqs.forEach((seq, i) => expect(seq, `${s.pod} line ${i}`).toBe(seqs[0] + i));
      if (before.has(s.pod)) {
        // Replaced: its last words say how many lines it wrote; every one of them arrived. With
        // connections cut, a re-attach may come after the kubelet removed the pod (2 simulated
        // seconds after the kill): then the API no longer has its log, and the source says so.
        const last = entries.at(-1);
        const gone = events.some((e) => e.type === 'source' && e.src === src && e.state === 'ended' && /not found/.test(e.message ?? ''));
        if (!(options.cut && gone && last?.msg !== 'received SIGTERM, shutting down')) {
          expect(last?.msg, `${s.pod} shutdown line`).toBe('received SIGTERM, shutting down');
          expect(seqs.at(-1), `${s.pod} last line`).toBe((last?.lines_written ?? 0) - 1);
          complete++;
        }
      } else {
        // Started while followed: read from its first line.
        expect(seqs[0], `${s.pod} first line`).toBe(0);
      }
    }
    expect(total).toBeGreaterThan(500);
    return { states: [...all.values()].flatMap((s) => s.states), complete };
  } finally {
    stop();
  }
}

describe('logs.follow on the demo fleet', () => {
  it('follows a Deployment across a rollout restart: every pod replaced, no line lost, none twice', async () => {
    const { complete } = await followAcrossRestart(app, { cut: false });
    expect(complete).toBeGreaterThanOrEqual(3);
  });

  it('the same with every log stream and watch cut every 0.3 s: re-attached from the last second, still nothing lost or repeated', async () => {
    const before = cuts;
    const { states } = await followAcrossRestart(cutApp, { cut: true });
    expect(cuts - before).toBeGreaterThan(10);
    expect(states.filter((s) => s === 'reattached').length).toBeGreaterThan(5);
  });

  it('a Pending pod: the API’s message as is (what kubectl prints), then nothing else until it starts', async () => {
    await kubectl(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: stuck, namespace: ${NS}}
spec:
  nodeSelector: {flightdeck.dev/no-such-node: "true"}
  containers: [{name: app, image: "ghcr.io/flightdeck-demo/web:1.0"}]
`);
    const kubectlSays = await run('kubectl', ['--context', 'demo-admin', 'logs', '-n', NS, 'stuck'], { env: { ...process.env, KUBECONFIG: t.kubeconfigPath, HOME: t.dir } }).then(
      () => '',
      (error: { stderr: string }) => error.stderr.trim(),
    );
    expect(kubectlSays).toMatch(/^Error from server \(BadRequest\): /);
    const events: LogEvent[] = [];
    const stop = app.server.subscribe('logs.follow', { context: 'demo-admin', namespace: NS, target: { kind: 'pod', pod: 'stuck' }, follow: true }, session, (e) => events.push(e as LogEvent));
    try {
      await until('the waiting message', () => events.some((e) => e.type === 'source'));
      const source = events.find((e) => e.type === 'source');
      expect(source).toMatchObject({ pod: 'stuck', container: 'app', state: 'waiting' });
      expect(kubectlSays).toBe(`Error from server (BadRequest): ${source?.type === 'source' ? source.message : ''}`);
      const sources = await app.server.call('logs.sources', { context: 'demo-admin', namespace: NS, target: { kind: 'pod', pod: 'stuck' } }, session);
      expect(sources).toMatchObject({ sources: [{ pod: 'stuck', container: 'app', phase: 'Pending', state: 'waiting' }] });
    } finally {
      stop();
    }
  });

  it('kubectl logs --since-time and --timestamps against the demo API', async () => {
    const pod = (await kubectl(['get', 'pods', '-n', NS, '-l', 'app=loadgen', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    const lines = (await kubectl(['logs', '-n', NS, pod, '--timestamps', '--tail=200'])).trim().split('\n');
    const middle = lines[100].slice(0, lines[100].indexOf(' '));
    const second = new Date(Math.floor(Date.parse(middle) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const since = (await kubectl(['logs', '-n', NS, pod, '--timestamps', `--since-time=${second}`])).trim().split('\n');
    expect(since.length).toBeGreaterThan(50);
    for (const line of since) expect(Date.parse(line.slice(0, line.indexOf(' ')))).toBeGreaterThanOrEqual(Date.parse(second));
    expect(since).toContain(lines[100]);
  });
});
