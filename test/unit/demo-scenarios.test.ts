import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DemoClock } from '../../electron/demo/clock.js';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { DcgmExporter } from '../../electron/demo/metrics/dcgm-exporter.js';
import { FaultRegistry } from '../../electron/demo/metrics/faults.js';
import { defaultRulesDir } from '../../electron/demo/metrics/rules.js';
import { createRolloutsController, type ReplicaSet, type Rollout } from '../../electron/demo/rollouts/index.js';
import { createScenarioRunner, defaultScenarioDir, parseScenario } from '../../electron/demo/scenarios/index.js';

const T0 = Date.parse('2026-11-24T12:00:00Z');

/** A simulated clock advanced by hand: timers fire in time order as `advance` passes them. */
function manualClock(start = T0): DemoClock & { advance(ms: number): void } {
  let t = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  return {
    speed: 1,
    now: () => t,
    iso: () => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    after(ms, fn) {
      const id = seq++;
      timers.set(id, { at: t + ms, fn });
      return () => timers.delete(id);
    },
    every(ms, fn) {
      const id = seq++;
      timers.set(id, { at: t + ms, fn, every: ms });
      return () => timers.delete(id);
    },
    stop: () => timers.clear(),
    advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        const [id, timer] = due;
        t = timer.at;
        if (timer.every) timer.at += timer.every;
        else timers.delete(id);
        timer.fn();
      }
      t = end;
    },
  };
}

function gpuNode(name: string, product: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'nvidia.com/gpu.product': product } },
    status: { allocatable: { 'nvidia.com/gpu': '8' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
  };
}

function gpuFleet(): ObjectStore {
  const store = new ObjectStore();
  for (let i = 0; i < 4; i++) store.create('nodes', gpuNode(`gpu-a100-${i}`, 'NVIDIA-A100-SXM4-80GB'));
  for (let i = 0; i < 2; i++) store.create('nodes', gpuNode(`gpu-h100-${i}`, 'NVIDIA-H100-80GB-HBM3'));
  return store;
}

const readyOf = (store: ObjectStore, name: string) =>
  ((store.get('nodes', undefined, name)?.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status);

describe('bundled scenarios', () => {
  const names = readdirSync(defaultScenarioDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.replace('.yaml', ''));

  it('are the four the demo promises, all valid', () => {
    expect(names.sort()).toEqual(['bad-canary', 'error-rate-spike', 'gpu-node-failure', 'steady']);
    for (const name of names) expect(() => parseScenario(readFileSync(join(defaultScenarioDir(), `${name}.yaml`), 'utf8'), name)).not.toThrow();
  });

  it('promise only alerts that the bundled rules define', () => {
    const alerts = new Set<string>();
    for (const file of readdirSync(defaultRulesDir())) {
      const doc = parse(readFileSync(join(defaultRulesDir(), file), 'utf8')) as { groups: { rules: { alert?: string }[] }[] };
      for (const g of doc.groups) for (const r of g.rules) if (r.alert) alerts.add(r.alert);
    }
    for (const name of names) {
      const s = parseScenario(readFileSync(join(defaultScenarioDir(), `${name}.yaml`), 'utf8'), name);
      expect(s.alerts.length, name).toBeGreaterThan(0);
      for (const a of s.alerts) expect(alerts, `${name} promises ${a}`).toContain(a);
    }
  });

  it('explains what is wrong with an invalid scenario', () => {
    expect(() => parseScenario('name: x\ndescription: y\nsteps:\n  - at: soon\n    action: gpuXid\n', 'x.yaml')).toThrow(/x\.yaml is invalid: steps\.0/);
  });
});

describe('scenario timelines', () => {
  let clock: ReturnType<typeof manualClock>;
  let faults: FaultRegistry;
  beforeEach(() => {
    clock = manualClock();
    faults = new FaultRegistry();
  });

  it('gpu-node-failure: XIDs on a seeded a100 node, then NotReady and a silent exporter, then healed', () => {
    const store = gpuFleet();
    const dcgm = new DcgmExporter(store, 5, faults, () => 0.5);
    const runner = createScenarioRunner({ store, clock, faults, seed: 5, log: () => {} });
    runner.run('gpu-node-failure');
    clock.advance(29_000);
    const picked = /picked node (\S+)/.exec(runner.log[0].message)?.[1] as string;
    expect(picked).toMatch(/^gpu-a100-/);
    expect(faults.xidOf(picked, 2)).toBe(0);
    clock.advance(2_000);
    expect(faults.xidOf(picked, 2)).toBe(48);
    clock.advance(30_000);
    expect(faults.xidOf(picked, 5)).toBe(79);
    expect(dcgm.nodeMetrics(picked, clock.now()).status).toBe('ok');
    clock.advance(5 * 60_000);
    expect(readyOf(store, picked)).toBe('Unknown');
    expect(dcgm.nodeMetrics(picked, clock.now()).status).toBe('down');
    expect(runner.active()).toHaveLength(1);
    clock.advance(7 * 60_000);
    expect(readyOf(store, picked)).toBe('True');
    expect(faults.xidOf(picked, 5)).toBe(0);
    expect(dcgm.nodeMetrics(picked, clock.now()).status).toBe('ok');
    expect(runner.active()).toHaveLength(0);
    expect(runner.log.some((l) => l.error)).toBe(false);
  });

  it('picks the same node for a seed, and seeds spread over the pool', () => {
    const pick = (seed: number) => {
      const c = manualClock();
      const runner = createScenarioRunner({ store: gpuFleet(), clock: c, faults: new FaultRegistry(), seed, log: () => {} });
      runner.run('gpu-node-failure');
      c.advance(11_000);
      return runner.log[0].message;
    };
    expect(pick(11)).toBe(pick(11));
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(pick)).size).toBeGreaterThan(1);
  });

  it('error-rate-spike: llm-gateway fails 30% from 1m to 11m', () => {
    const runner = createScenarioRunner({ store: new ObjectStore(), clock, faults, seed: 1, log: () => {} });
    runner.run('error-rate-spike');
    clock.advance(59_000);
    expect(faults.errorFault('inference', 'llm-gateway', [])).toBeUndefined();
    clock.advance(2_000);
    expect(faults.errorFault('inference', 'llm-gateway', [])).toEqual({ errorRatio: 0.3, latencyFactor: 2 });
    expect(faults.errorFault('inference', 'embedder', [])).toBeUndefined();
    clock.advance(10 * 60_000);
    expect(faults.errorFault('inference', 'llm-gateway', [])).toBeUndefined();
  });

  it('bad-canary: ships a failing image through the Rollout, aborts it, then rolls back to Healthy', () => {
    const store = new ObjectStore({ nowIso: () => clock.iso() });
    const ctl = createRolloutsController(store, clock);
    const settle = () => {
      for (let i = 0; i < 10; i++) {
        ctl.reconcileAll();
        for (const rs of store.list('replicasets.apps') as ReplicaSet[]) {
          const n = rs.spec.replicas ?? 0;
          if (rs.status?.availableReplicas === n && rs.status?.replicas === n) continue;
          store.mutate('replicasets.apps', rs.metadata.namespace, rs.metadata.name, (o) => {
            o.status = { replicas: n, readyReplicas: n, availableReplicas: n };
          }, { subresource: 'status' });
        }
      }
    };
    store.create('rollouts.argoproj.io', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'recommender', namespace: 'inference' },
      spec: {
        replicas: 5, selector: { matchLabels: { app: 'recommender' } },
        template: { metadata: { labels: { app: 'recommender' } }, spec: { containers: [{ name: 'recommender', image: 'registry.demo/recommender:2.3.1' }] } },
        strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '5m' } }] } },
      },
    });
    settle();
    const get = () => store.get('rollouts.argoproj.io', 'inference', 'recommender') as Rollout;
    const image = () => (get().spec.template.spec as { containers: { image: string }[] }).containers[0].image;
    const runner = createScenarioRunner({ store, clock, faults, seed: 1, log: () => {} });
    runner.run('bad-canary');
    clock.advance(31_000);
    settle();
    expect(image()).toBe('registry.demo/recommender:2.4.0-rc1');
    expect(faults.errorFault('inference', 'recommender', [image()])?.errorRatio).toBe(0.4);
    expect(faults.errorFault('inference', 'recommender', ['registry.demo/recommender:2.3.1'])).toBeUndefined();
    expect(get().status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    clock.advance(10 * 60_000);
    settle();
    expect(get().status).toMatchObject({ phase: 'Degraded', abort: true });
    clock.advance(60_000);
    settle();
    expect(image()).toBe('registry.demo/recommender:2.3.1');
    expect(get().status).toMatchObject({ phase: 'Healthy', currentStepIndex: 4 });
    expect(get().status?.abort).toBeUndefined();
    clock.advance(60_000);
    expect(faults.errorFault('inference', 'recommender', ['registry.demo/recommender:2.4.0-rc1'])).toBeUndefined();
    expect(runner.log.filter((l) => l.error)).toEqual([]);
  });

  it('stop() cancels steps that have not run yet', () => {
    const runner = createScenarioRunner({ store: new ObjectStore(), clock, faults, seed: 1, log: () => {} });
    runner.run('error-rate-spike');
    runner.stop();
    clock.advance(20 * 60_000);
    expect(faults.errorFault('inference', 'llm-gateway', [])).toBeUndefined();
    expect(runner.log).toEqual([]);
  });
});
