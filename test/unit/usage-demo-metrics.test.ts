// The demo fleet's metrics.k8s.io figures: fixed by the seed (the same fleet reads the same), a
// node's usage is its running pods' plus system overhead (never above allocatable), and only
// running pods have PodMetrics, as metrics-server reports them.
import { describe, expect, it } from 'vitest';
import { createClock } from '../../electron/demo/clock.js';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { milliCpu } from '../../electron/demo/sim/quantity.js';
import { METRICS_RESOURCES, metricsAnswer, nodeUsage, podUsage } from '../../electron/demo/api/metrics-api.js';

const clock = createClock(1);
clock.stop();
const store = new ObjectStore({ nowIso: () => clock.iso() });
store.setDefaulter(applyDefaults);
seedFleet(store, { clock, nodes: 4, pods: 40, seed: 9 });
const [nodesDef, podsDef] = METRICS_RESOURCES;
const phase = (p: KubeObject) => (p.status as { phase?: string }).phase;

describe('demo metrics API', () => {
  it('answers the same figures for the same seed, and others for another seed', () => {
    const read = (seed: number) => JSON.stringify(metricsAnswer({ store, seed, now: 1_000_000, r: podsDef }));
    expect(read(9)).toBe(read(9));
    expect(read(9)).not.toBe(read(10));
  });

  it('gives each node its running pods’ usage plus overhead, within allocatable', () => {
    const pods = [...store.peek('pods')];
    for (const node of store.peek('nodes')) {
      const own = pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === node.metadata.name && phase(p) === 'Running');
      const sum = own.flatMap((p) => podUsage(9, p)).reduce((s, c) => s + c.usage.cpu, 0);
      const used = nodeUsage(9, node, pods);
      const allocatable = milliCpu((node.status as { allocatable: { cpu: string } }).allocatable.cpu) * 1e6;
      expect(allocatable).toBeGreaterThan(0);
      expect(used.cpu).toBeGreaterThan(Math.min(sum, allocatable) - 1);
      expect(used.cpu).toBeLessThanOrEqual(allocatable);
      expect(used.cpu - sum).toBeLessThanOrEqual(380e6);
    }
  });

  it('lists only running pods, and answers a 404 naming podmetrics for an unknown one', () => {
    const list = metricsAnswer({ store, seed: 9, now: 1_000_000, r: podsDef }) as { items: { metadata: { name: string } }[] };
    const running = [...store.peek('pods')].filter((p) => phase(p) === 'Running' && !p.metadata.deletionTimestamp);
    expect(list.items.length).toBe(running.length);
    expect(() => metricsAnswer({ store, seed: 9, now: 0, r: podsDef, namespace: 'default', name: 'nope' })).toThrow('podmetrics.metrics.k8s.io "nope" not found');
    const node = metricsAnswer({ store, seed: 9, now: 1_000_000, r: nodesDef, name: [...store.peek('nodes')][0].metadata.name }) as { kind: string; window: string; timestamp: string };
    expect(node).toMatchObject({ kind: 'NodeMetrics', window: '15s', timestamp: '1970-01-01T00:16:30Z' });
  });
});
