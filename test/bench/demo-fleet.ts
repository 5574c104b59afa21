// Demo fleet at scale (issues 3, 16): `npm run bench -- demo-fleet`. Starts the fleet in this process
// at 1,000 nodes / 10,000 pods, then measures, as clients see it:
// - listing every pod with the real kubectl (JSON and table) and client-node;
// - watch latency: a writer thread patches pods through the HTTPS API (merge patch of a marker
//   annotation, change `seq` on one of BENCH_TARGET_PODS bare pods labelled for the watchers) at
//   BENCH_RATE changes/s for BENCH_SECONDS; BENCH_WATCHERS @kubernetes/client-node informers (list
//   then watch, label selector, their own parsing and caches) on BENCH_WATCHER_THREADS other
//   threads (default 2). Latency = the
//   store's commit of the change (the API accepted the write) -> the informer's update handler
//   ran with it, over every (change, informer) pair; a change an informer never got within 30 s
//   of the last write is lost and counts as +inf in the percentiles;
// - produced/s (changes the API accepted) and delivered/s (update events the informers handled).
// One line per figure: `demo-fleet.<metric> <value> <unit>`, `target ...` under those with one.
// Smaller runs: BENCH_NODES, BENCH_PODS, BENCH_WATCHERS, BENCH_RATE, BENCH_SECONDS;
// BENCH_SKIP_LISTS=1 measures only the watch path.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { percentile } from './_percentile.js';
import { caOfKubeconfig, kubeClient } from './_kube-client.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const NODES = env('BENCH_NODES', 1000);
const PODS = env('BENCH_PODS', 10000);
const WATCHERS = env('BENCH_WATCHERS', 50);
const RATE = env('BENCH_RATE', 1000);
const SECONDS = env('BENCH_SECONDS', 60);
const TARGET_PODS = env('BENCH_TARGET_PODS', 500);
const WATCHER_THREADS = env('BENCH_WATCHER_THREADS', 2);
const SKIP_LISTS = process.env.BENCH_SKIP_LISTS === '1';
const MARKER = 'bench.flightdeck.dev/seq';
const SELECTOR_KEY = 'bench.flightdeck.dev/watched';
const NAMESPACE = 'bench';

const figure = (metric: string, value: number, unit: string) => console.log(`demo-fleet.${metric} ${Number.isInteger(value) || !Number.isFinite(value) ? (value === Infinity ? 'inf' : value) : value.toFixed(1)} ${unit}`);
const target = (metric: string, op: string, value: number) => console.log(`target ${metric} ${op} ${value}`);

/** Runs kubectl with -v=6; returns its wall time and the server time it logged for its requests. */
function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<{ wall: number; server: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile('kubectl', [...args, '-v=6'], { env, maxBuffer: 512 * 1024 * 1024, timeout: 180_000 }, (err, _stdout, stderr) => {
      if (err) return reject(err);
      const server = [...String(stderr).matchAll(/ OK in (\d+) milliseconds/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      resolve({ wall: performance.now() - t0, server });
    });
  });
}

/** Sends `msg` to a worker and resolves with its first message of type `reply`. */
function ask<T>(worker: Worker, msg: object, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      worker.off('message', on);
      worker.off('error', reject);
      resolve(m as T);
    };
    worker.on('message', on);
    worker.once('error', reject);
    worker.postMessage(msg);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-fleet-'));
  const t0 = performance.now();
  const fleet = await startDemoFleet({ nodes: NODES, pods: PODS, kubeconfigOut: join(dir, 'kubeconfig'), prometheus: false, log: () => undefined });
  figure('startup', performance.now() - t0, 'ms');
  // Pods of a fresh fleet start (schedule, pull, run) for a while: measure the API once the
  // controllers' churn falls below 100 changes/s (at most 90 s).
  const settleStart = performance.now();
  for (let last = fleet.store.latestRv(); performance.now() - settleStart < 90_000; ) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = fleet.store.latestRv();
    if ((now - last) / 2 < 100) break;
    last = now;
  }
  figure('settle', performance.now() - settleStart, 'ms');
  figure('pods', fleet.store.count('pods'), 'pods');
  figure('nodes', fleet.store.count('nodes'), 'nodes');
  const env = { ...process.env, HOME: join(dir, 'home'), KUBECACHEDIR: join(dir, 'home', 'cache'), KUBECONFIG: join(dir, 'kubeconfig') };
  // The informers on WATCHER_THREADS threads (as separate controllers would not share one event loop).
  const threads = Math.max(1, Math.min(WATCHER_THREADS, WATCHERS));
  const informers = Array.from(
    { length: threads },
    (_, i) =>
      new Worker(new URL('./_demo-fleet-informers.mjs', import.meta.url), {
        workerData: { kubeconfig: fleet.kubeconfig, watchers: Math.floor(WATCHERS / threads) + (i < WATCHERS % threads ? 1 : 0), marker: MARKER, selector: `${SELECTOR_KEY}=1` },
      }),
  );
  try {
    if (!SKIP_LISTS) {
      await kubectl(['get', 'ns'], env); // warm the discovery cache
      const json = await kubectl(['get', 'pods', '-A', '-o', 'json'], env);
      figure('kubectl-list-pods-json', json.wall, 'ms');
      figure('kubectl-list-pods-json-server-time', json.server, 'ms');
      const table = await kubectl(['get', 'pods', '-A'], env);
      figure('kubectl-list-pods-table', table.wall, 'ms');
      figure('kubectl-list-pods-table-server-time', table.server, 'ms');
      const cn = await ask<{ ms: number }>(informers[0], { type: 'client-node-list' }, 'listed');
      figure('client-node-list-pods', cn.ms, 'ms');
    }
    await watch(fleet, informers);
  } finally {
    await Promise.all(informers.map((w) => w.terminate()));
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pods the writer patches: bare, bound to nodes (the kubelet simulation runs them), labelled for the informers. */
async function createTargets(fleet: DemoFleet): Promise<string[]> {
  const client = kubeClient(fleet, 16);
  try {
    await client.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    const nodes = [...fleet.store.peek('nodes')].map((n) => n.metadata.name);
    const names = Array.from({ length: TARGET_PODS }, (_, i) => `watched-${i}`);
    for (let i = 0; i < names.length; i += 16) {
      await Promise.all(
        names.slice(i, i + 16).map((name, j) =>
          client.ok('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name, namespace: NAMESPACE, labels: { [SELECTOR_KEY]: '1' } },
            spec: { nodeName: nodes[(i + j) % nodes.length], containers: [{ name: 'c', image: 'registry.local/bench/watched:1' }] },
          }),
        ),
      );
    }
    return names;
  } finally {
    client.close();
  }
}

async function watch(fleet: DemoFleet, informers: Worker[]): Promise<void> {
  const targets = await createTargets(fleet);
  await new Promise((r) => setTimeout(r, 3000)); // their kubelet start-up writes, before the informers list
  const syncStarted = performance.now();
  await Promise.all(informers.map((w) => ask(w, { type: 'start' }, 'started')));
  figure('informers-synced', performance.now() - syncStarted, 'ms');
  const total = Math.round(RATE * SECONDS);
  await Promise.all(informers.map((w) => ask(w, { type: 'expect', seqs: total }, 'expecting')));

  // When the API accepted each change: the store's commit of the write that set its marker.
  const committedAt = new Float64Array(total).fill(NaN);
  const unsubscribe = fleet.store.subscribe((e) => {
    if (e.resource !== 'pods' || e.object.metadata.namespace !== NAMESPACE) return;
    const marker = e.object.metadata.annotations?.[MARKER];
    if (marker === undefined || marker === e.old?.metadata.annotations?.[MARKER]) return;
    const seq = Number(marker);
    if (seq >= 0 && seq < total && Number.isNaN(committedAt[seq])) committedAt[seq] = performance.timeOrigin + performance.now();
  });
  const cpu0 = mainThreadCpuMs();
  const writer = new Worker(new URL('./_demo-fleet-writer.mjs', import.meta.url), {
    workerData: { apiUrl: fleet.apiUrl, token: fleet.adminToken, ca: caOfKubeconfig(fleet.kubeconfig), namespace: NAMESPACE, pods: targets, marker: MARKER, rate: RATE, seconds: SECONDS, inFlight: 64 },
  });
  const written = await new Promise<{ sent: number; ok: number; failed: number; ms: number }>((resolve, reject) => {
    writer.once('message', resolve);
    writer.once('error', reject);
  });
  const cpu1 = mainThreadCpuMs();
  type Collected = { arrivals: Float64Array[]; events: number[]; errors: number };
  const parts = await Promise.all(informers.map((w) => ask<Collected>(w, { type: 'collect', waitMs: 30_000 }, 'collected')));
  const result = { arrivals: parts.flatMap((p) => p.arrivals), errors: parts.reduce((sum, p) => sum + p.errors, 0) };
  unsubscribe();
  await writer.terminate();

  const committed: number[] = [];
  for (let seq = 0; seq < total; seq++) if (!Number.isNaN(committedAt[seq])) committed.push(seq);
  const latencies: number[] = [];
  let lost = 0;
  let lastArrival = 0;
  let delivered = 0;
  for (const arrivals of result.arrivals) {
    for (const seq of committed) {
      if (Number.isNaN(arrivals[seq])) {
        lost++;
        latencies.push(Infinity);
      } else {
        delivered++;
        lastArrival = Math.max(lastArrival, arrivals[seq]);
        latencies.push(arrivals[seq] - committedAt[seq]);
      }
    }
  }
  const firstCommit = committed.length ? committedAt[committed[0]] : NaN;
  const lastCommit = committed.length ? Math.max(...committed.map((s) => committedAt[s])) : NaN;
  figure('changes_requested', total, 'changes');
  figure('changes_accepted', committed.length, 'changes');
  figure('writes_failed', written.failed, 'writes');
  figure('produced_per_s', (committed.length / Math.max(1, lastCommit - firstCommit)) * 1000, 'changes/s');
  figure('delivered_per_s', (delivered / Math.max(1, lastArrival - firstCommit)) * 1000, 'events/s');
  figure('watchers', WATCHERS, 'informers');
  figure('watch_latency_p50_ms', percentile(latencies, 50), 'ms');
  figure('watch_latency_p95_ms', percentile(latencies, 95), 'ms');
  target('watch_latency_p95_ms', '<=', 100);
  figure('watch_latency_p99_ms', percentile(latencies, 99), 'ms');
  target('watch_latency_p99_ms', '<=', 250);
  figure('changes_lost', lost, 'changes');
  target('changes_lost', '<=', 0);
  figure('informer_errors', result.errors, 'errors');
  if (cpu0 !== undefined && cpu1 !== undefined && committed.length) figure('server_cpu_per_1000_changes', ((cpu1 - cpu0) / committed.length) * 1000, 'ms');
  figure('server-rss', process.memoryUsage().rss / 1024 / 1024, 'MiB');
}

/**
 * CPU time (user + system, ms) of this process's main thread, where the fleet and its API run: on
 * a shared, loaded machine it says what the server's work costs, which wall-clock rates can not.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return undefined;
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
