// Shared set-up for the demo controller tests: a store on a fast simulated clock, a few nodes,
// the controllers running, and a polling wait.
import { createClock, type DemoClock } from '../../electron/demo/clock.js';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { startControllers, type RunningControllers } from '../../electron/demo/controllers/index.js';
import { buildNamespace, buildNode, type Pool } from '../../electron/demo/sim/fleet-nodes.js';
import { createRandom } from '../../electron/demo/random.js';

export interface Fleet {
  store: ObjectStore;
  clock: DemoClock;
  controllers: RunningControllers;
  stop(): void;
}

export function startFleet(opts: { speed?: number; nodes?: Pool[] } = {}): Fleet {
  const clock = createClock(opts.speed ?? 500);
  const store = new ObjectStore({ nowIso: () => clock.iso() });
  const rng = createRandom(7);
  for (const ns of ['default', 'kube-system']) store.create('namespaces', buildNamespace(ns, clock.iso()));
  const pools = opts.nodes ?? ['a100', 'cpu'];
  pools.forEach((pool, i) => store.create('nodes', buildNode(pool, i + 1, i, rng, clock.iso())));
  const controllers = startControllers(store, clock, { seed: 1 });
  return {
    store,
    clock,
    controllers,
    stop() {
      controllers.stop();
      clock.stop();
    },
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function deployment(name: string, opts: { replicas?: number; image?: string; gpus?: number; maxSurge?: number | string; maxUnavailable?: number | string; progressDeadlineSeconds?: number; probe?: boolean } = {}): KubeObject {
  const resources: Record<string, Record<string, string>> = { requests: { cpu: '100m', memory: '128Mi' } };
  if (opts.gpus) resources.limits = { 'nvidia.com/gpu': String(opts.gpus) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', annotations: { 'kubernetes.io/change-cause': `create ${name}` } },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name,
              image: opts.image ?? 'nginx:1.25',
              resources,
              ...(opts.probe === false ? {} : { readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 2 } }),
            },
          ],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: opts.maxSurge ?? '25%', maxUnavailable: opts.maxUnavailable ?? '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: opts.progressDeadlineSeconds ?? 600,
    },
  };
}

export const status = (obj: KubeObject | undefined) => (obj?.status ?? {}) as Record<string, number | undefined> & { conditions?: { type: string; status: string; reason: string; message: string }[] };

export function ownedBy(store: ObjectStore, resource: string, owner: KubeObject | undefined): KubeObject[] {
  return store.list(resource, owner?.metadata.namespace).filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === owner?.metadata.uid));
}
