// Topology at fleet scale (issue 5): `npx tsx test/bench/topology.ts --nodes 1000 --pods 10000`.
// Runs the demo fleet in this process and the built console (browser mode) as a child, like a user:
// - time to the first complete graph in Chromium (subscribe -> painted with every cache synced)
//   versus `kubectl get pods -A -o json` against the same server;
// - event-to-screen latency: pods created in the server's store at `--rate` events/s (half
//   creations, half deletions), from the store write to the first painted frame that includes it;
// - frame time p95 while updating (requestAnimationFrame intervals in the page);
// - the console process's RSS (peak while updating).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { launchBrowser, ROOT, stopChild } from '../e2e/harness.js';
import { startDemoFleet } from '../../electron/demo/index.js';
import { percentile } from './_percentile.js';

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const NODES = arg('nodes', 1000);
const PODS = arg('pods', 10000);
const RATE = arg('rate', 1000);
const SECONDS = arg('seconds', 10);
/** `--console <dir>`: run the console built in another tree (<dir>/dist), e.g. a copy of the previous build, to compare runs interleaved. */
const consoleAt = process.argv.indexOf('--console');
const CONSOLE_ROOT = consoleAt > 0 ? process.argv[consoleAt + 1] : ROOT;

const print = (metric: string, value: number, unit: string, target?: string) => {
  console.log(`topology.${metric} ${Number.isFinite(value) ? Math.round(value * 100) / 100 : 'NaN'} ${unit}`);
  if (target) console.log(`target ${metric} ${target}`);
};
const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

interface PageStats {
  subscribedAt?: number;
  completeAt?: number;
  elements: number;
  seen: Record<string, number>;
  watchPrefix?: string;
}
type PageGlobals = { __flightdeckTopology?: PageStats; __benchFrames?: number[]; __benchFramesOn?: boolean };


let consoleProfileFrom = 0;
let consoleProfileTo = Infinity;

/** Top self times of the console's CPU profile, counting only samples taken while updating. */
function summarizeConsoleProfile(profDir: string): void {
  for (const file of readdirSync(profDir)) {
    const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { startTime: number; nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    // Profile clocks are monotonic microseconds; line them up with the wall clock at the end.
    let t = profile.startTime;
    const times = profile.timeDeltas.map((d) => (t += d));
    const wallOffset = Date.now() * 1000 - t;
    profile.samples.forEach((id, i) => {
      const at = (times[i] + wallOffset) / 1000;
      if (at < consoleProfileFrom || at > consoleProfileTo) return;
      const f = byId.get(id)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.error(`# console profile ${Math.round(ms)} ms ${key}`);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-topology-'));
  const fleetStarted = performance.now();
  const fleet = await startDemoFleet({ nodes: NODES, pods: PODS, prometheus: false, log: () => undefined });
  console.error(`# demo fleet: ${fleet.store.count('nodes')} nodes, ${fleet.store.count('pods')} pods in ${Math.round(performance.now() - fleetStarted)} ms`);
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);

  const kubectlRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'json'], { maxBuffer: 1 << 30 });
    kubectlRuns.push(performance.now() - t);
  }
  const kubectlMs = percentile(kubectlRuns, 50);

  // --console-profile: a CPU profile of the console process over the whole run (written at exit).
  const consoleProfile = process.argv.includes('--console-profile');
  const profDir = join(dir, 'console-prof');
  const child = spawn(process.execPath, [...(consoleProfile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), join(CONSOLE_ROOT, 'dist/electron/cli.js'), '--serve', '--data-dir', dir, '--kubeconfig', kubeconfig], {
    env: { ...process.env, HOME: dir, KUBECONFIG: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^console (\S+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`console exited ${code}: ${out}`)));
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${url}#/topology`);
    const podsNow = fleet.store.count('pods');
    const deadline = Date.now() + 180_000;
    let stats: PageStats | undefined;
    for (;;) {
      stats = await page.evaluate(() => (globalThis as unknown as PageGlobals).__flightdeckTopology);
      if (stats?.completeAt) break;
      if (Date.now() > deadline) throw new Error('the topology never completed');
      await new Promise((r) => setTimeout(r, 50));
    }
    const timeToGraph = stats.completeAt! - stats.subscribedAt!;
    const counts = (await page.getByTestId('topology-counts').textContent()) ?? '';
    console.error(`# graph: ${counts} (server has ${podsNow} pods)`);
    const idleRss = rssMb(child.pid!);

    // Updates: creations and deletions of bare pods at RATE events/s for SECONDS (pods live ~4 s,
    // far longer than any latency we accept, so none is deleted before it could be painted).
    if (!fleet.store.peekOne('namespaces', undefined, 'bench')) fleet.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const nodes = fleet.store.list('nodes').map((n) => n.metadata.name);
    // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
    await page.evaluate(`(() => {
      window.__flightdeckTopology.watchPrefix = 'pod/bench/';
      window.__benchFrames = [];
      window.__benchFramesOn = true;
      let last = 0;
      const tick = (t) => {
        if (last) window.__benchFrames.push(t - last);
        last = t;
        if (window.__benchFramesOn) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    // --profile: a CPU profile of the page while updating, summarized as the top self times.
    const profiling = process.argv.includes('--profile');
    const cdp = profiling ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const created = new Map<string, number>();
    const live: string[] = [];
    let seq = 0;
    let peakRss = idleRss;
    const started = Date.now();
    let done = 0;
    // This process serves the demo API: a busy event loop here delays every watch event.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    // --demo-profile: a CPU profile of this process (the demo API and its controllers) while updating.
    const demoSession = process.argv.includes('--demo-profile') ? new Session() : undefined;
    if (demoSession) {
      demoSession.connect();
      await demoSession.post('Profiler.enable');
      await demoSession.post('Profiler.start');
    }
    // Catch up to RATE x elapsed on every tick: a busy event loop makes bursts, not a lower rate.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - started;
        if (elapsed >= SECONDS * 1000) {
          clearInterval(timer);
          resolve();
          return;
        }
        const due = Math.floor((RATE * elapsed) / 1000);
        for (; done < due; done++) {
          if (done % 2 === 0 || live.length < 2_000) {
            const name = `bench-${seq++}`;
            fleet.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'bench' }, spec: { nodeName: nodes[seq % nodes.length], containers: [{ name: 'c', image: 'bench' }] }, status: { phase: 'Running' } });
            created.set(name, Date.now());
            live.push(name);
          } else {
            fleet.store.delete('pods', 'bench', live.shift()!);
          }
        }
      }, 5);
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(child.pid!))), 250);
      setTimeout(() => clearInterval(sampler), SECONDS * 1000 + 2000);
    });
    loopDelay.disable();
    if (demoSession) {
      const { profile } = await demoSession.post('Profiler.stop');
      demoSession.disconnect();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      (profile.samples ?? []).forEach((id, i) => {
        const f = byId.get(id)!.callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
      });
      for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.error(`# demo profile ${Math.round(ms)} ms ${key}`);
    }
    console.error(`# demo API process (this one) event-loop delay while updating: p50 ${Math.round(loopDelay.percentile(50) / 1e6)} ms, p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, max ${Math.round(loopDelay.max / 1e6)} ms`);
    await new Promise((r) => setTimeout(r, 2000));
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const f = byId.get(id)!.callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      });
      for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`# profile ${Math.round(ms)} ms ${key}`);
    }
    consoleProfileFrom = started;
    consoleProfileTo = started + SECONDS * 1000 + 2000;
    const result = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.__benchFramesOn = false;
      const t = g.__flightdeckTopology as unknown as { latencies: number[]; sentOf?: Record<string, number>; stages?: [number, number, number, number][]; frameTimes: number[] };
      return { seen: g.__flightdeckTopology!.seen, frames: g.__benchFrames!, sendToPaint: t.latencies.slice(-2_000), sentOf: t.sentOf ?? {}, consoleGotOf: (t as unknown as { consoleGotOf?: Record<string, number> }).consoleGotOf ?? {}, stages: (t.stages ?? []).slice(-2_000), draws: t.frameTimes.slice(-5_000), worker: (t as unknown as { worker?: { graphs: number; patches: number; buildMs: number[]; layoutMs: number[] } }).worker };
    });
    const latencies: number[] = [];
    const toSent: number[] = [];
    const toConsole: number[] = [];
    let unseen = 0;
    for (const [name, at] of created) {
      const shown = result.seen[`pod/bench/${name}`];
      if (shown === undefined) unseen++;
      else latencies.push(shown - at);
      const sent = result.sentOf[`pod/bench/${name}`];
      if (sent !== undefined) toSent.push(sent - at);
      const got = result.consoleGotOf[`pod/bench/${name}`];
      if (got !== undefined) toConsole.push(got - at);
    }
    // Where the time goes, per stage (p50 / p95): store write -> console sends the delta (demo API,
    // console watch + projection, coalescing), then per delta: send -> page has parsed it, -> the
    // worker's graph for it is back, -> painted. Draw = the canvas draw call alone.
    const stage = (name: string, xs: number[]) => console.error(`# stage ${name}: p50 ${Math.round(percentile(xs, 50))} ms, p95 ${Math.round(percentile(xs, 95))} ms (n=${xs.length})`);
    stage('write -> console send', toSent);
    stage('write -> console got its batch\'s first change (lower bound of the demo API + watch)', toConsole);
    stage('send -> page received', result.stages.map((s) => s[1] - s[0]));
    stage('received -> in the graph model and placed', result.stages.map((s) => s[2] - s[1]));
    stage('model -> painted', result.stages.map((s) => s[3] - s[2]));
    stage('canvas draw', result.draws);
    if (result.worker) {
      console.error(`# graph model: ${result.worker.graphs} new shapes (laid out in the worker), ${result.worker.patches} patches`);
      stage('model update (UI thread)', result.worker.buildMs.slice(-1_000));
      stage('layout (worker)', result.worker.layoutMs.slice(-1_000));
    }
    const achievedRate = done / SECONDS;
    console.error(`# updates: ${done} store writes (${seq} pods created), ${Math.round(achievedRate)} events/s; ${unseen} created pods never painted (deleted before any frame or lost)`);

    print('time_to_graph_ms', timeToGraph, 'ms');
    print('kubectl_get_pods_json_ms', kubectlMs, 'ms');
    print('time_to_graph_vs_kubectl', timeToGraph / kubectlMs, 'x', '<= 1.5');
    print('event_to_screen_p50_ms', percentile(latencies, 50), 'ms');
    print('event_to_screen_p95_ms', percentile(latencies, 95), 'ms', '<= 250');
    print('send_to_paint_p95_ms', percentile(result.sendToPaint, 95), 'ms');
    print('frame_time_p95_ms', percentile(result.frames, 95), 'ms', '<= 33');
    print('main_rss_idle_mb', idleRss, 'MB');
    print('main_rss_mb', peakRss, 'MB', '<= 400');
  } finally {
    await browser.close();
    await stopChild(child);
    if (consoleProfile) summarizeConsoleProfile(profDir);
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
