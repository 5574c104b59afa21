// Shared pieces for the clusters/topology integration tests: a TCP proxy that can take the demo
// API "down" (a real outage as the client sees it: refused connections, cut streams), a small
// seeded fleet when the demo has not seeded one, and object-by-object comparison with the server.
import net from 'node:net';
import YAML from 'yaml';
import type { ObjectStore } from '../../electron/demo/store.js';
import { WATCHED_KINDS, type ResourceCaches } from '../../shared/model/kube.js';
import { WATCHED_KIND_INFO } from '../../electron/core/kube/index.js';

export interface Proxy {
  port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1');
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return { port, down, up: listen, close: down };
}

/** The demo kubeconfig pointed at another port (the proxy). */
export function kubeconfigVia(kubeconfig: string, port: number): string {
  const doc = YAML.parse(kubeconfig) as { clusters: { cluster: { server: string } }[] };
  for (const c of doc.clusters) {
    const url = new URL(c.cluster.server);
    url.port = String(port);
    c.cluster.server = url.toString().replace(/\/$/, '');
  }
  return YAML.stringify(doc);
}

export const STORE_RESOURCE: Record<string, string> = {
  namespaces: 'namespaces', nodes: 'nodes', pods: 'pods', services: 'services', events: 'events',
  deployments: 'deployments.apps', replicasets: 'replicasets.apps', statefulsets: 'statefulsets.apps', daemonsets: 'daemonsets.apps',
  jobs: 'jobs.batch', rollouts: 'rollouts.argoproj.io',
};

/** Differences between the caches and the server, as readable lines (empty = equal). */
export function diffCaches(caches: ResourceCaches, store: ObjectStore): string[] {
  const problems: string[] = [];
  for (const kind of WATCHED_KINDS) {
    const server = new Map(store.list(STORE_RESOURCE[kind]).map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion]));
    const cached = new Map(caches.list(kind).map((o) => [`${WATCHED_KIND_INFO[kind].namespaced ? o.metadata.namespace ?? '' : ''}/${o.metadata.name}`, o.metadata.resourceVersion]));
    for (const [k, rv] of server) {
      if (!cached.has(k)) problems.push(`${kind} ${k} missing from the cache`);
      else if (cached.get(k) !== rv) problems.push(`${kind} ${k} at rv ${cached.get(k)} in the cache, ${rv} on the server`);
    }
    for (const k of cached.keys()) if (!server.has(k)) problems.push(`${kind} ${k} in the cache but deleted on the server`);
  }
  return problems;
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A few GPU nodes, a deployment with its ReplicaSet and pods, a service: only if the fleet has none. */
export function seedSmallFleet(store: ObjectStore, pods = 12): void {
  if (store.count('pods') > 0) return;
  if (!store.peekOne('namespaces', undefined, 'ml')) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } });
  for (let i = 0; i < 3; i++) {
    store.create('nodes', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: `gpu-node-${i}`, labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } },
      status: { capacity: { 'nvidia.com/gpu': '8' }, allocatable: { 'nvidia.com/gpu': '8' }, conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  const template = { metadata: { labels: { app: 'trainer' } }, spec: { containers: [{ name: 'main', image: 'trainer:1', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } };
  const deploy = store.create('deployments.apps', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'trainer', namespace: 'ml' }, spec: { replicas: pods, selector: { matchLabels: { app: 'trainer' } }, template }, status: { replicas: pods, readyReplicas: pods, updatedReplicas: pods } });
  const rs = store.create('replicasets.apps', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'trainer-abc12', namespace: 'ml', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'trainer', uid: deploy.metadata.uid ?? '', controller: true }] },
    spec: { replicas: pods, selector: { matchLabels: { app: 'trainer' } }, template }, status: { replicas: pods, readyReplicas: pods },
  });
  store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'trainer', namespace: 'ml' }, spec: { selector: { app: 'trainer' }, ports: [{ port: 80 }] } });
  for (let i = 0; i < pods; i++) {
    store.create('pods', {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `trainer-abc12-p${i}`, namespace: 'ml', labels: { app: 'trainer' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'trainer-abc12', uid: rs.metadata.uid ?? '', controller: true }] },
      spec: { nodeName: `gpu-node-${i % 3}`, containers: template.spec.containers },
      status: { phase: i % 5 === 4 ? 'Pending' : 'Running', containerStatuses: [{ name: 'main', ready: i % 5 !== 4, restartCount: 0 }] },
    });
  }
}

const PRODUCTS = ['NVIDIA-A100-SXM4-80GB', 'NVIDIA-H100-80GB-HBM3', 'NVIDIA-L4'];

/**
 * A fleet of `nodes` GPU nodes and about `pods` pods in deployments across a few namespaces, with
 * the usual trouble (a crash-looping pod, an unschedulable one, a NotReady node): only used while
 * the demo fleet seeds nothing itself (its seeder wins when present).
 */
export function seedFleet(store: ObjectStore, opts: { nodes: number; pods: number }): void {
  if (store.count('pods') > 0) return;
  const namespaces = ['ml-training', 'inference', 'web'];
  for (const name of namespaces) if (!store.peekOne('namespaces', undefined, name)) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (let i = 0; i < opts.nodes; i++) {
    store.create('nodes', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: `gpu-node-${String(i).padStart(4, '0')}`, labels: { 'nvidia.com/gpu.product': PRODUCTS[i % PRODUCTS.length] } },
      status: { capacity: { 'nvidia.com/gpu': '8' }, allocatable: { 'nvidia.com/gpu': '8' }, conditions: [{ type: 'Ready', status: i === 1 ? 'False' : 'True' }] },
    });
  }
  const replicas = [24, 12, 6, 3];
  let made = 0;
  for (let d = 0; made < opts.pods; d++) {
    const ns = namespaces[d % namespaces.length];
    const name = `${ns === 'web' ? 'frontend' : ns === 'inference' ? 'llm-serve' : 'trainer'}-${d}`;
    const n = Math.min(replicas[d % replicas.length], opts.pods - made);
    const gpu = ns === 'web' ? 0 : ns === 'inference' ? 1 : 2;
    const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: `registry.example/${name}:1.${d}`, resources: gpu ? { limits: { 'nvidia.com/gpu': String(gpu) } } : {} }] } };
    const deploy = store.create('deployments.apps', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: n, selector: { matchLabels: { app: name } }, template }, status: { replicas: n, readyReplicas: n, updatedReplicas: n, availableReplicas: n } });
    const rsName = `${name}-7d9f8`;
    const rs = store.create('replicasets.apps', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: rsName, namespace: ns, labels: { app: name }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deploy.metadata.uid ?? '', controller: true }] },
      spec: { replicas: n, selector: { matchLabels: { app: name } }, template }, status: { replicas: n, readyReplicas: n },
    });
    store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });
    for (let i = 0; i < n; i++, made++) {
      const crash = made === 5;
      const unschedulable = made === 7;
      store.create('pods', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `${rsName}-${String(i).padStart(4, '0')}`, namespace: ns, labels: { app: name }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid ?? '', controller: true }] },
        spec: { nodeName: unschedulable ? undefined : `gpu-node-${String(made % opts.nodes).padStart(4, '0')}`, containers: template.spec.containers },
        status: unschedulable
          ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] }
          : { phase: 'Running', containerStatuses: [{ name: 'main', ready: !crash, restartCount: crash ? 9 : 0, state: crash ? { waiting: { reason: 'CrashLoopBackOff' } } : { running: {} } }] },
      });
    }
  }
}
