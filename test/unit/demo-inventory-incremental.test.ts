// The DCGM inventory and the inference traffic model follow store events per changed node/pod
// instead of rebuilding from every pod: after any sequence of changes they must equal a full
// rebuild from the store.
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject } from '../../electron/demo/store.js';
import { createClock } from '../../electron/demo/clock.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { GpuInventory, buildInventory } from '../../electron/demo/metrics/gpu-inventory.js';
import type { GpuNode } from '../../electron/demo/metrics/gpu-inventory.js';
import { ServiceModel } from '../../electron/demo/metrics/service-model.js';
import { FaultRegistry } from '../../electron/demo/metrics/faults.js';
import { createRandom } from '../../electron/demo/random.js';

const view = (nodes: readonly GpuNode[]) => nodes.map((n) => ({ name: n.name, ready: n.ready, gpus: n.gpus.map((g) => ({ labels: g.labels, holder: g.holder, uuid: g.uuid })) }));
const gpuPods = (store: ObjectStore) => [...store.peek('pods')].filter((p) => JSON.stringify(p.spec).includes('nvidia.com/gpu'));
const nodeOf = (p: KubeObject) => (p.spec as { nodeName?: string }).nodeName;

function seeded() {
  const clock = createClock(1, Date.parse('2026-11-24T12:00:00Z'));
  const store = new ObjectStore({ nowIso: () => clock.iso() });
  seedFleet(store, { nodes: 24, pods: 300, clock });
  return { store, clock };
}

describe('incremental GPU inventory', () => {
  it('equals a full rebuild after random pod and node changes, and reports changes only when the exporter sees one', () => {
    const { store, clock } = seeded();
    const rng = createRandom(7);
    const inventory = new GpuInventory(store, 1);
    expect(view(inventory.take().nodes)).toEqual(view(buildInventory(store, 1)));
    expect(inventory.take().changed).toBe(false);

    // An annotation on a pod that holds no GPU changes nothing the exporter shows.
    const plain = [...store.peek('pods')].find((p) => !JSON.stringify(p.spec).includes('nvidia.com/gpu') && nodeOf(p));
    store.mutate('pods', plain?.metadata.namespace, plain?.metadata.name ?? '', (p) => {
      p.metadata.annotations = { ...(p.metadata.annotations ?? {}), touched: 'yes' };
    });
    const before = inventory.take();
    expect(before.changed).toBe(false);
    // Nor does one on a GPU pod (the holder is the same), but the pod's newest version is kept.
    const holder = gpuPods(store).find((p) => nodeOf(p));
    store.mutate('pods', holder?.metadata.namespace, holder?.metadata.name ?? '', (p) => {
      p.metadata.annotations = { ...(p.metadata.annotations ?? {}), touched: 'yes' };
    });
    expect(inventory.take().changed).toBe(false);
    expect(view(inventory.take().nodes)).toEqual(view(buildInventory(store, 1)));

    const nodes = [...store.peek('nodes')].map((n) => n.metadata.name);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 8; i++) {
        const pods = gpuPods(store);
        const pod = pods[rng.int(0, pods.length - 1)];
        const { namespace, name } = pod.metadata;
        const action = rng.int(0, 5);
        if (action === 0) store.delete('pods', namespace, name);
        else if (action === 1) {
          store.mutate('pods', namespace, name, (p) => {
            (p.status as { phase?: string }).phase = rng.chance(0.5) ? 'Succeeded' : 'Pending';
          });
        } else if (action === 2) {
          store.mutate('pods', namespace, name, (p) => {
            (p.spec as { nodeName?: string }).nodeName = nodes[rng.int(0, nodes.length - 1)];
            delete p.metadata.annotations?.['flightdeck.dev/gpu-devices'];
          });
        } else if (action === 3) {
          store.mutate('pods', namespace, name, (p) => {
            p.metadata.labels = { ...(p.metadata.labels ?? {}), 'flightdeck.dev/gpu-idle': String(rng.chance(0.5)) };
          });
        } else if (action === 4) {
          const copy = store.get('pods', namespace, name) as KubeObject;
          copy.metadata = { name: `${name}-copy${round}${i}`, namespace, labels: copy.metadata.labels };
          (copy.spec as { nodeName?: string }).nodeName = nodes[rng.int(0, nodes.length - 1)];
          store.create('pods', copy);
        } else {
          const node = nodes[rng.int(0, nodes.length - 1)];
          store.mutate('nodes', undefined, node, (n) => {
            const conditions = (n.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
            for (const c of conditions) if (c.type === 'Ready') c.status = c.status === 'True' ? 'False' : 'True';
          });
        }
      }
      if (round === 10) store.delete('nodes', undefined, nodes.pop() as string);
      const { nodes: incremental, changed } = inventory.take();
      expect(view(incremental), `round ${round}`).toEqual(view(buildInventory(store, 1)));
      expect(changed).toBe(true);
      expect(inventory.take().changed).toBe(false);
    }
    inventory.close();
    clock.stop();
  });
});

describe('incremental inference traffic pods', () => {
  it('renders the same series as a model built fresh from the store, after pod and service changes', () => {
    const { store, clock } = seeded();
    const t0 = clock.now();
    const faults = new FaultRegistry();
    const live = new ServiceModel(store, 1, faults);
    live.advanceTo(t0);
    const rng = createRandom(11);
    const inference = () => [...store.peek('pods')].filter((p) => p.metadata.namespace === 'inference');
    const series = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' '))).sort();
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 5; i++) {
        const pods = inference();
        const pod = pods[rng.int(0, pods.length - 1)];
        const { namespace, name } = pod.metadata;
        if (i === 0) store.delete('pods', namespace, name);
        else {
          store.mutate('pods', namespace, name, (p) => {
            const conditions = (p.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
            for (const c of conditions) if (c.type === 'Ready') c.status = c.status === 'True' ? 'False' : 'True';
          });
        }
      }
      if (round === 3) {
        const svc = [...store.peek('services')].find((s) => s.metadata.namespace === 'inference');
        store.mutate('services', svc?.metadata.namespace, svc?.metadata.name ?? '', (s) => {
          s.metadata.name = `${s.metadata.name}`;
          (s.spec as { selector?: Record<string, string> }).selector = { app: 'nothing-matches' };
        });
      }
      const at = t0 + (round + 1) * 1000;
      const fresh = new ServiceModel(store, 1, faults);
      expect(series(live.render(at)), `round ${round}`).toEqual(series(fresh.render(at)));
      fresh.close();
    }
    live.close();
    clock.stop();
  });
});
