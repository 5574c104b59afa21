// Demo fleet at scale (issue 3): `npx tsx test/bench/demo-fleet.ts` (or `npm run bench -- demo-fleet`).
// Starts the fleet in this process at --nodes 1000 --pods 10000, then measures listing every pod
// with the real kubectl (JSON and table) and client-node, watch throughput to 50 watchers at
// 1,000 events/s, and this process's RSS (the server's). Clients run in a worker thread or in
// their own processes. One line per figure: `demo-fleet.<metric> <value> <unit>`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import YAML from 'yaml';
import { startDemoFleet } from '../../electron/demo/index.js';
import { percentile } from './_percentile.js';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 10000);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 50);
const RATE = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** BENCH_SKIP_LISTS=1 measures only the watch path (profiling runs). */
const SKIP_LISTS = process.env.BENCH_SKIP_LISTS === '1';
const MARKER = 'bench.flightdeck.dev/seq';

/**
 * BENCH_MODE=churn: instead of changing existing pods, create bare pods (bound to a node, so the
 * kubelet simulation runs them) and delete them ~2 s later, half and half, as the topology bench
 * does; the watchers' latency is measured on the creations.
 */
const CHURN = process.env.BENCH_MODE === 'churn';
const suffix = `${CHURN ? '-churn' : ''}${process.env.BENCH_HTTP === '1' ? '-http' : ''}`;
const figure = (metric: string, value: number, unit: string) => console.log(`demo-fleet.${metric}${suffix} ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);
const target = (metric: string, op: string, value: number) => console.log(`target ${metric}${suffix} ${op} ${value}`);

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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-fleet-'));
  const t0 = performance.now();
  const plainHttp = process.env.BENCH_HTTP === '1';
  const fleet = await startDemoFleet({ nodes: NODES, pods: PODS, kubeconfigOut: join(dir, 'kubeconfig'), insecureHttp: plainHttp });
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
  const worker = new Worker(new URL('./_demo-fleet-watchers.mjs', import.meta.url), {
    workerData: { apiUrl: fleet.apiUrl, token: fleet.adminToken, ca: caOf(fleet.kubeconfig), watchers: WATCHERS, marker: MARKER },
  });
  const ask = <T>(msg: object, reply: string): Promise<T> =>
    new Promise((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type === reply) {
          worker.off('message', on);
          resolve(m as T);
        }
      };
      worker.on('message', on);
      worker.postMessage(msg);
    });
  try {
    if (!SKIP_LISTS) await lists();
    await watch();
  } finally {
    worker.postMessage({ type: 'stop' });
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  async function lists(): Promise<void> {
    await kubectl(['get', 'ns'], env); // warm the discovery cache
    const json = await kubectl(['get', 'pods', '-A', '-o', 'json'], env);
    figure('kubectl-list-pods-json', json.wall, 'ms');
    figure('kubectl-list-pods-json-server-time', json.server, 'ms');
    const table = await kubectl(['get', 'pods', '-A'], env);
    figure('kubectl-list-pods-table', table.wall, 'ms');
    figure('kubectl-list-pods-table-server-time', table.server, 'ms');
    const cn = await ask<{ ms: number; items: number }>({ type: 'client-node-list', kubeconfig: fleet.kubeconfig }, 'listed');
    figure('client-node-list-pods', cn.ms, 'ms');
  }

  async function watch(): Promise<void> {
    // Watch throughput: 50 watchers, RATE pod changes per second for SECONDS seconds.
    const total = RATE * SECONDS;
    // Which change creates (and carries marker `k`) and which deletes, decided up front.
    const plan: number[] = [];
    let markers = 0;
    for (let i = 0, live = 0; i < total; i++) {
      const create = !CHURN || i % 2 === 0 || live < 2_000;
      plan.push(create ? markers++ : -1);
      live += create ? 1 : -1;
    }
    if (CHURN && !fleet.store.peekOne('namespaces', undefined, 'bench')) fleet.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const nodes = [...fleet.store.peek('nodes')].map((n) => n.metadata.name);
    const livePods: string[] = [];
    await ask({ type: 'watch', rv: fleet.store.currentResourceVersion(), finalSeq: markers - 1 }, 'watching');
    const pods = [...fleet.store.peek('pods')].slice(0, 2000).map((p) => [p.metadata.namespace, p.metadata.name] as const);
    let seq = 0;
    const producedAt = new Float64Array(markers);
    const change = (i: number) => {
      const marker = plan[i];
      if (!CHURN) {
        const [ns, name] = pods[i % pods.length];
        fleet.store.mutate('pods', ns, name, (p) => {
          p.metadata.annotations = { ...(p.metadata.annotations ?? {}), [MARKER]: String(marker) };
        });
      } else if (marker >= 0) {
        const name = `bench-${marker}`;
        fleet.store.create('pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'bench', annotations: { [MARKER]: String(marker) } },
          spec: { nodeName: nodes[marker % nodes.length], containers: [{ name: 'c', image: 'bench' }] },
          status: { phase: 'Running' },
        });
        livePods.push(name);
      } else {
        fleet.store.delete('pods', 'bench', livePods.shift() as string);
      }
      if (marker >= 0) producedAt[marker] = performance.timeOrigin + performance.now();
    };
    // Store writes the changes cause (kubelet status, Events, their eviction): deterministic,
    // unlike CPU time on a shared machine, so a cut in writes per change shows whatever the load.
    let podWrites = 0;
    let otherWrites = 0;
    // Counted without building a key string per event: this listener runs on the server thread.
    const byResource = new Map<string, Record<string, number>>();
    const unsubscribe = fleet.store.subscribe((e) => {
      if (e.resource === 'pods') podWrites++;
      else otherWrites++;
      let counts = byResource.get(e.resource);
      if (!counts) byResource.set(e.resource, (counts = { ADDED: 0, MODIFIED: 0, DELETED: 0 }));
      counts[e.type]++;
    });
    const cpu0 = mainThreadCpuMs();
    const proc0 = process.cpuUsage();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
        for (; seq < due; seq++) change(seq);
        if (seq >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const produced = performance.now() - started;
    const result = await ask<{ counts: number[]; complete: number; lastAt: number; arrivals: Float64Array[] }>({ waitMs: 60_000 }, 'counts');
    const cpu1 = mainThreadCpuMs();
    const proc1 = process.cpuUsage(proc0);
    unsubscribe();
    figure('watch-pod-writes-per-1000-changes', (podWrites / total) * 1000, 'writes');
    figure('watch-other-writes-per-1000-changes', (otherWrites / total) * 1000, 'writes');
    const writes = [...byResource].flatMap(([r, counts]) => Object.entries(counts).filter(([, n]) => n > 0).map(([t, n]) => [`${r}:${t}`, n] as const));
    console.log(`# writes by resource: ${writes.sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}=${n}`).join(' ')}`);
    const delivered = result.counts.reduce((a, b) => a + b, 0);
    const elapsed = result.lastAt - (performance.timeOrigin + started);
    figure('watch-events-produced-per-s', (total / produced) * 1000, 'events/s');
    figure('watch-events-delivered-per-s', (delivered / elapsed) * 1000, 'events/s');
    target('watch-events-delivered-per-s', '>=', RATE * WATCHERS);
    figure('watch-watchers-complete', result.complete, 'watchers');
    figure('watch-drain-lag', Math.max(0, elapsed - produced), 'ms');
    // Change -> arrival at each watcher (store write to the chunk that carried it), over every
    // change and watcher: the rate can be sustained only if this stays flat.
    const latencies: number[] = [];
    let missing = 0;
    for (const arrivals of result.arrivals) {
      for (let i = 0; i < markers; i++) {
        if (Number.isNaN(arrivals[i])) missing++;
        else latencies.push(arrivals[i] - producedAt[i]);
      }
    }
    figure('watch-latency-p50', percentile(latencies, 50), 'ms');
    figure('watch-latency-p95', percentile(latencies, 95), 'ms');
    figure('watch-latency-p99', percentile(latencies, 99), 'ms');
    figure('watch-changes-not-seen', missing, 'changes');
    // Server thread CPU from the first change until every watcher had the last one (plus <= 20 ms).
    if (cpu0 !== undefined && cpu1 !== undefined) {
      figure('watch-server-cpu-per-1000-changes', ((cpu1 - cpu0) / total) * 1000, 'ms');
      // Every other thread of this process: mostly the watchers' worker (50 TLS streams decrypted
      // and scanned), plus V8's GC helpers and libuv: the client side sharing the same two cores.
      const others = (proc1.user + proc1.system) / 1000 - (cpu1 - cpu0);
      figure('watch-other-threads-cpu-per-1000-changes', (others / total) * 1000, 'ms');
    }
    figure('server-rss', process.memoryUsage().rss / 1024 / 1024, 'MiB');
  }
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

function caOf(kubeconfig: string): string | undefined {
  const doc = YAML.parse(kubeconfig) as { clusters: { cluster: { 'certificate-authority-data'?: string } }[] };
  const data = doc.clusters[0].cluster['certificate-authority-data'];
  return data ? Buffer.from(data, 'base64').toString() : undefined;
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
