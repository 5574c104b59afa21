// The demo fleet's logs as issue 19 needs them: numbered lines at a set rate (flightdeck.dev/log-rate)
// with a shutdown line that counts them, a terminating pod that stops logging before it is removed,
// sinceTime, strictly ordered timestamps, JSON lines for some services, error bursts during a
// scenario's fault and XID messages on a node with GPU faults.
import { afterEach, describe, expect, it } from 'vitest';
import { createClock, type DemoClock } from '../../electron/demo/clock.js';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { podLogStream, stopLoggingAt } from '../../electron/demo/sim/logs.js';
import { setLogFaults } from '../../electron/demo/controllers/index.js';
import { collect, opts } from './demo-logs.helpers.js';

let clock: DemoClock;
afterEach(() => clock?.stop());

function fleet(speed = 1) {
  clock = createClock(speed);
  const store = new ObjectStore({ nowIso: () => clock.iso() });
  store.setDefaulter(applyDefaults);
  seedFleet(store, { clock, seed: 1 });
  return store;
}

const isRunning = (p: KubeObject) => (p.status as { phase?: string }).phase === 'Running';
const podOf = (store: ObjectStore, prefix: string, ns?: string) => store.list('pods', ns).find((p) => p.metadata.name.startsWith(prefix) && isRunning(p)) as KubeObject;
const withAnnotations = (pod: KubeObject, annotations: Record<string, string>, meta: Record<string, unknown> = {}): KubeObject => ({
  ...pod,
  metadata: { ...pod.metadata, ...meta, annotations: { ...pod.metadata.annotations, ...annotations } },
});
const containerOf = (pod: KubeObject) => (pod.spec as { containers: { name: string }[] }).containers[0].name;

const body = (line: string) => line.slice(line.indexOf(' ') + 1);
const stampOf = (line: string) => line.slice(0, line.indexOf(' '));

/** RFC 3339 nano timestamps compared exactly (string compare breaks on trimmed zeros). */
const exact = (stamp: string) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(stamp)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
};

describe('demo logs for followers', () => {
  it('flightdeck.dev/log-rate: JSON lines numbered from 0 at the rate, timestamps strictly increasing', async () => {
    const store = fleet();
    const pod = withAnnotations(podOf(store, 'llm-gateway-'), { 'flightdeck.dev/log-rate': '2000' });
    const lines = await collect(podLogStream(store, clock, pod, opts({ container: containerOf(pod), timestamps: true, sinceSeconds: 2 })));
    expect(lines.length).toBeGreaterThan(3_000);
    const entries = lines.map((l) => JSON.parse(body(l)) as { seq: number; level: string; pod: string });
    entries.forEach((e, i) => expect(e.seq).toBe(entries[0].seq + i));
    expect(entries[0]).toMatchObject({ level: 'info', pod: pod.metadata.name });
    const stamps = lines.map((l) => exact(stampOf(l)));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i] > stamps[i - 1]).toBe(true);
  });

  it('a terminating pod stops logging the second after the kill with a shutdown line that counts what it wrote', async () => {
    const store = fleet();
    const base = podOf(store, 'llm-gateway-');
    const now = clock.now();
    // Killed 5 s ago with a 30 s grace period: the API rounds deletionTimestamp down to the second.
    const deletion = new Date(now - 5_000 + 30_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const pod = withAnnotations(base, { 'flightdeck.dev/log-rate': '50' }, { deletionTimestamp: deletion, deletionGracePeriodSeconds: 30 });
    const stopAt = stopLoggingAt(pod)!;
    expect(stopAt).toBeLessThanOrEqual(now - 4_000);
    const lines = await collect(podLogStream(store, clock, pod, opts({ container: containerOf(pod), timestamps: true, follow: true })));
    const last = JSON.parse(body(lines.at(-1)!)) as { msg: string; lines_written: number };
    expect(last).toMatchObject({ msg: 'received SIGTERM, shutting down' });
    const seqs = lines.slice(0, -1).map((l) => (JSON.parse(body(l)) as { seq: number }).seq);
    expect(seqs.at(-1)).toBe(last.lines_written - 1);
    for (const l of lines) expect(Date.parse(stampOf(l))).toBeLessThan(stopAt);
  });

  it('follow: a pod marked for deletion while followed ends with its shutdown line; nothing missing in between', async () => {
    const store = fleet(20);
    const base = podOf(store, 'llm-gateway-');
    const pod = withAnnotations(base, { 'flightdeck.dev/log-rate': '200' });
    const stream = podLogStream(store, clock, pod, opts({ container: containerOf(pod), timestamps: true, follow: true, tailLines: 5 }));
    const received: string[] = [];
    const reading = (async () => {
      for await (const line of stream) received.push(line);
    })();
    await new Promise((r) => setTimeout(r, 300));
    const grace = 30;
    store.mutate('pods', base.metadata.namespace, base.metadata.name, (p) => {
      p.metadata.deletionTimestamp = new Date(clock.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      p.metadata.deletionGracePeriodSeconds = grace;
    });
    await reading;
    const entries = received.map((l) => JSON.parse(body(l)) as { seq?: number; msg: string; lines_written?: number });
    const last = entries.at(-1)!;
    expect(last.msg).toBe('received SIGTERM, shutting down');
    const seqs = entries.slice(0, -1).map((e) => e.seq as number);
    seqs.forEach((s, i) => expect(s).toBe(seqs[0] + i));
    expect(seqs.at(-1)).toBe((last.lines_written as number) - 1);
    expect(seqs.length).toBeGreaterThan(50);
  });

  it('sinceTime: lines at or after it', async () => {
    const store = fleet();
    const pod = podOf(store, 'llm-gateway-');
    const all = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', timestamps: true, tailLines: 40 })));
    const from = Date.parse(stampOf(all[20]));
    const since = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', timestamps: true, sinceTime: from })));
    expect(since[0]).toBe(all.find((l) => Date.parse(stampOf(l)) >= from));
    expect(since.at(-1)).toBe(all.at(-1));
  });

  it('the reranker logs JSON (TEI --json-output), the embedder logfmt; every line has a level', async () => {
    const store = fleet();
    const kinds = new Map<string, Set<string>>();
    for (const prefix of ['ranker-', 'embedder-']) {
      const pod = podOf(store, prefix);
      const lines = await collect(podLogStream(store, clock, pod, opts({ container: 'tei', tailLines: 20 })));
      expect(lines.length).toBe(20);
      for (const l of lines) {
        const set = kinds.get(prefix) ?? new Set<string>();
        kinds.set(prefix, set);
        if (l.startsWith('{')) {
          set.add('json');
          expect((JSON.parse(l) as { level?: string }).level).toMatch(/^(info|warn|error|INFO)$/);
        } else {
          set.add('logfmt');
          expect(l).toMatch(/ level=(info|warn|error) /);
        }
      }
    }
    expect(kinds.get('ranker-')).toEqual(new Set(['json']));
    expect(kinds.get('embedder-')).toEqual(new Set(['logfmt']));
  });

  it('a scenario fault brings tracebacks with its 5xx; XID faults show in the node’s device plugin log', async () => {
    const store = fleet();
    const pod = podOf(store, 'llm-gateway-');
    const node = (pod.spec as { nodeName: string }).nodeName;
    setLogFaults(store, {
      errorFault: (_ns, _svc, images) => (images.some((i) => i.includes('vllm')) ? { errorRatio: 0.6 } : undefined),
      xidOf: (n, gpu) => (n === node && gpu === 5 ? 79 : 0),
    });
    const lines = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', sinceSeconds: 50, timestamps: true })));
    const tracebacks = lines.filter((l) => body(l) === 'Traceback (most recent call last):\n');
    expect(tracebacks.length).toBeGreaterThan(3);
    const i = lines.indexOf(tracebacks[0]);
    expect(body(lines[i - 1])).toMatch(/level=error msg="request failed" .* status=500 /);
    expect(stampOf(lines[i - 1])).toBe(stampOf(lines[i]));
    expect(body(lines[i + 5])).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory/);
    const plugin = store.list('pods').find((p) => (p.spec as { nodeName?: string }).nodeName === node && p.metadata.name.startsWith('nvidia-device-plugin')) as KubeObject;
    expect(plugin).toBeTruthy();
    const pluginLines = await collect(podLogStream(store, clock, plugin, opts({ container: containerOf(plugin), sinceSeconds: 300 })));
    expect(pluginLines.some((l) => /XidCriticalError: Xid=79 on Device=GPU-[0-9a-f-]+; marking device as unhealthy\./.test(l))).toBe(true);
  });
});
