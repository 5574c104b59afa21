// `kubectl top` on the demo fleet: the aggregated resource metrics API (metrics.k8s.io/v1beta1)
// is discovered (aggregated and legacy discovery) and its NodeMetrics and PodMetrics are what the
// machine's kubectl prints, percentages against each node's allocatable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet } from './demo-kubectl-helpers.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;

interface Usage { cpu: string; memory: string }
interface NodeMetrics { metadata: { name: string }; usage: Usage; window: string; timestamp: string }
interface PodMetrics { metadata: { name: string; namespace: string }; containers: { name: string; usage: Usage }[] }

beforeAll(async () => {
  t = await startTestFleet({ nodes: 4, pods: 40, seed: 11 });
  k = kubectlRunner(t);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

// kubectl top prints CPU in whole millicores (rounded up) and memory in whole MiB (rounded down).
const milli = (nanocores: string) => Math.ceil(Number(nanocores.replace(/n$/, '')) / 1e6);
const mebi = (kibi: string) => Math.floor(Number(kibi.replace(/Ki$/, '')) / 1024);
const rows = (out: string) => out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));

describe('kubectl top on the demo fleet', () => {
  it('lists metrics.k8s.io in aggregated and legacy discovery', async () => {
    expect(await k.ok(['api-resources', '--api-group=metrics.k8s.io'])).toMatch(/^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$[\s\S]*^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
    const legacy = JSON.parse(await k.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1'])) as { resources: { name: string; kind: string; verbs: string[] }[] };
    expect(legacy.resources.map((r) => [r.name, r.kind, r.verbs])).toEqual([['nodes', 'NodeMetrics', ['get', 'list']], ['pods', 'PodMetrics', ['get', 'list']]]);
    expect(JSON.parse(await k.ok(['get', '--raw', '/apis'])).groups.map((g: { name: string }) => g.name)).toContain('metrics.k8s.io');
  });

  it('kubectl top nodes prints every node with the NodeMetrics usage', async () => {
    const api = JSON.parse(await k.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes'])) as { items: NodeMetrics[] };
    const nodes = [...t.fleet.store.peek('nodes')].map((n) => n.metadata.name).sort();
    expect(api.items.map((i) => i.metadata.name)).toEqual(nodes);
    for (const i of api.items) {
      expect(i.window).toBe('15s');
      expect(i.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // The fleet is live: a pod starting between two reads changes its node's usage. Compare
    // kubectl's figures with an API read taken just before and found unchanged just after.
    let out = '';
    let stable = api;
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = await k.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
      out = await k.ok(['top', 'nodes']);
      const after = await k.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
      stable = JSON.parse(before) as { items: NodeMetrics[] };
      const usage = (text: string) => JSON.stringify((JSON.parse(text) as { items: NodeMetrics[] }).items.map((i) => i.usage));
      if (usage(before) === usage(after)) break;
    }
    expect(out.split('\n')[0]).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    const printed = new Map(rows(out).map((r) => [r[0], r]));
    expect([...printed.keys()].sort()).toEqual(nodes);
    for (const i of stable.items) {
      const row = printed.get(i.metadata.name)!;
      expect(row[1]).toBe(`${milli(i.usage.cpu)}m`);
      expect(row[3]).toBe(`${mebi(i.usage.memory)}Mi`);
      expect(Number(row[1].replace('m', ''))).toBeGreaterThan(0);
    }
  });

  it('kubectl top pods -A prints every running pod with the sum of its containers, and --containers each one', async () => {
    const api = JSON.parse(await k.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/pods'])) as { items: PodMetrics[] };
    const runningPods = [...t.fleet.store.peek('pods')].filter((p) => (p.status as { phase?: string }).phase === 'Running').length;
    expect(api.items.length).toBe(runningPods);
    expect(runningPods).toBeGreaterThan(10);
    const out = await k.ok(['top', 'pods', '-A']);
    const printed = new Map(rows(out).map((r) => [`${r[0]}/${r[1]}`, r]));
    // The fleet keeps running between the two reads (a CronJob may start a pod): compare the pods in both.
    const both = api.items.filter((p) => printed.has(`${p.metadata.namespace}/${p.metadata.name}`));
    expect(both.length).toBeGreaterThanOrEqual(api.items.length - 2);
    for (const p of both) {
      const row = printed.get(`${p.metadata.namespace}/${p.metadata.name}`)!;
      const cpu = p.containers.reduce((s, c) => s + Number(c.usage.cpu.replace(/n$/, '')), 0);
      const mem = p.containers.reduce((s, c) => s + Number(c.usage.memory.replace(/Ki$/, '')), 0);
      expect(row[2]).toBe(`${Math.ceil(cpu / 1e6)}m`);
      expect(row[3]).toBe(`${Math.floor(mem / 1024)}Mi`);
    }
    const containers = rows(await k.ok(['top', 'pods', '-n', 'monitoring', '--containers']));
    expect(containers.some((r) => r[1] === 'prometheus')).toBe(true);
  });

  it('filters by label and names what it cannot find as the metrics API does', async () => {
    const out = await k.ok(['top', 'pods', '-n', 'inference', '-l', 'app=recommender']);
    const names = rows(out).map((r) => r[0]);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^recommender/);
    // Readable by a viewer, as metrics-server's aggregated-metrics-reader role grants through view.
    expect(rows(await k.ok(['top', 'nodes'], { context: 'demo-viewer' })).length).toBe(t.fleet.store.count('nodes'));
    const missing = await k.run(['top', 'node', 'no-such-node']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nodemetrics.metrics.k8s.io "no-such-node" not found');
  });
});
