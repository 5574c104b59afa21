import { describe, expect, it, vi } from 'vitest';
import { buildTopology, TopologyProjection, type ProjectedKind } from '../../shared/model/topology.js';
import type { KubeObject, WatchEventType } from '../../shared/model/kube.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const node = (name: string, gpus: number, ready: boolean, pool = 'NVIDIA-A100'): KubeObject => ({
  kind: 'Node',
  metadata: { name, resourceVersion: String(Math.random()), labels: { 'nvidia.com/gpu.product': pool } },
  status: { capacity: { 'nvidia.com/gpu': String(gpus) }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const deployment = (ns: string, name: string, replicas: number, ready: number): KubeObject => ({
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { replicas, template: { metadata: { labels: { app: name } } } },
  status: { readyReplicas: ready, updatedReplicas: replicas },
});

const replicaSet = (ns: string, deploy: string, hash: string, replicas: number): KubeObject => ({
  kind: 'ReplicaSet',
  metadata: { name: `${deploy}-${hash}`, namespace: ns, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploy, uid: 'u', controller: true }] },
  spec: { replicas },
  status: { readyReplicas: replicas },
});

const service = (ns: string, name: string, app: string): KubeObject => ({ kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app } } });

const pod = (ns: string, name: string, rs: string | undefined, nodeName: string | undefined, gpus: number, phase: string, waiting?: string): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: ns, ownerReferences: rs ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: 'u', controller: true }] : undefined },
  spec: { nodeName, containers: [{ name: 'main', resources: gpus ? { limits: { 'nvidia.com/gpu': String(gpus) } } : {} }] },
  status: { phase, containerStatuses: [{ name: 'main', ready: phase === 'Running' && !waiting, restartCount: waiting ? 7 : 0, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }] },
});

const sorted = (p: TopologyProjection) => p.all().sort((a, b) => a.id.localeCompare(b.id));

describe('topology projection', () => {
  it('incremental apply equals a full rebuild for random event sequences', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = rng(seed);
      const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
      const world: Record<ProjectedKind, Map<string, KubeObject>> = {
        nodes: new Map(), pods: new Map(), services: new Map(), deployments: new Map(), replicasets: new Map(),
        statefulsets: new Map(), daemonsets: new Map(), jobs: new Map(), rollouts: new Map(),
      };
      const incremental = new TopologyProjection();
      const apply = (kind: ProjectedKind, type: WatchEventType, obj: KubeObject) => {
        const k = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
        if (type === 'DELETED') world[kind].delete(k);
        else world[kind].set(k, obj);
        incremental.apply(kind, type, obj);
      };
      const namespaces = ['a', 'b'];
      const nodeNames = ['n1', 'n2', 'n3', 'n4'];
      const apps = ['web', 'train', 'infer'];
      for (let step = 0; step < 300; step++) {
        const roll = random();
        const ns = pick(namespaces);
        const app = pick(apps);
        const existing = (kind: ProjectedKind) => [...world[kind].values()];
        const remove = (kind: ProjectedKind) => {
          const list = existing(kind);
          if (list.length) apply(kind, 'DELETED', pick(list));
        };
        if (roll < 0.1) apply('nodes', world.nodes.has(`/${pick(nodeNames)}`) ? 'MODIFIED' : 'ADDED', node(pick(nodeNames), pick([0, 2, 4, 8]), random() > 0.2));
        else if (roll < 0.13) remove('nodes');
        else if (roll < 0.2) apply('deployments', 'ADDED', deployment(ns, app, 3, Math.floor(random() * 4)));
        else if (roll < 0.22) remove('deployments');
        else if (roll < 0.3) apply('replicasets', 'ADDED', replicaSet(ns, app, pick(['h1', 'h2']), Math.floor(random() * 4)));
        else if (roll < 0.33) apply('services', 'ADDED', service(ns, `${app}-svc`, pick(apps)));
        else if (roll < 0.35) remove('services');
        else if (roll < 0.8) {
          const name = `${app}-${Math.floor(random() * 12)}`;
          const exists = world.pods.has(`${ns}/${name}`);
          apply('pods', exists ? 'MODIFIED' : 'ADDED', pod(ns, name, `${app}-h1`, random() < 0.9 ? pick(nodeNames) : undefined, pick([0, 0, 1, 2]), pick(['Running', 'Running', 'Pending', 'Succeeded']), random() < 0.1 ? 'CrashLoopBackOff' : undefined));
        } else remove('pods');
        if (step % 50 === 49) {
          const full = buildTopology(Object.fromEntries(Object.entries(world).map(([k, m]) => [k, [...m.values()]])));
          expect(sorted(incremental), `seed ${seed} step ${step}`).toEqual(sorted(full));
        }
      }
    }
  });

  it('a pod event touches only that pod and the GPUs of its node', () => {
    const p = buildTopology({
      nodes: [node('n1', 4, true), node('n2', 4, true)],
      pods: [pod('a', 'x', 'web-h1', 'n1', 1, 'Running'), pod('a', 'y', 'web-h1', 'n2', 1, 'Running')],
      deployments: [deployment('a', 'web', 2, 2)],
    });
    p.apply('pods', 'MODIFIED', pod('a', 'x', 'web-h1', 'n1', 1, 'Running', 'CrashLoopBackOff'));
    const { upserts, removals } = p.takeChanges();
    expect(removals).toEqual([]);
    expect(upserts.map((e) => e.id)).toEqual(['pod/a/x']);
    expect(upserts[0]).toMatchObject({ h: 'failing', r: 'CrashLoopBackOff', on: 'node//n1', o: 'rs/a/web-h1', gi: [0] });
  });

  it('draws one GPU element per node GPU and says which pod holds it', () => {
    const p = buildTopology({
      nodes: [node('n1', 4, true)],
      pods: [pod('a', 'x', undefined, 'n1', 2, 'Running'), pod('a', 'y', undefined, 'n1', 1, 'Running'), pod('a', 'done', undefined, 'n1', 1, 'Succeeded')],
    });
    const gpus = p.all().filter((e) => e.k === 'gpu').sort((a, b) => a.id.localeCompare(b.id));
    expect(gpus.map((g) => [g.id, g.by])).toEqual([
      ['gpu//n1/0', 'pod/a/x'],
      ['gpu//n1/1', 'pod/a/x'],
      ['gpu//n1/2', 'pod/a/y'],
      ['gpu//n1/3', undefined],
    ]);
    expect(p.get('pod/a/x')?.gi).toEqual([0, 1]);
  });

  it('links services to the workloads their selector matches, and warns when it matches none', () => {
    const p = buildTopology({ deployments: [deployment('a', 'web', 1, 1)], services: [service('a', 'web', 'web'), service('a', 'ghost', 'nothing')] });
    expect(p.get('svc/a/web')?.to).toEqual(['deploy/a/web']);
    expect(p.get('svc/a/ghost')).toMatchObject({ h: 'warning', r: 'selects no workload' });
    p.apply('deployments', 'DELETED', deployment('a', 'web', 1, 1));
    expect(p.get('svc/a/web')).toMatchObject({ h: 'warning' });
  });

  it('projects a namespace\'s Services once per read, not once per workload event (a list of 2,000 Jobs after 50 Services)', () => {
    const p = new TopologyProjection();
    const projected = vi.spyOn(TopologyProjection.prototype as unknown as { projectService: () => unknown }, 'projectService');
    try {
      for (let i = 0; i < 50; i++) p.apply('services', 'ADDED', service('batch', `svc-${i}`, `job-${i * 40}`));
      const job = (n: number): KubeObject => ({ kind: 'Job', metadata: { name: `job-${n}`, namespace: 'batch' }, spec: { template: { metadata: { labels: { app: `job-${n}` } } } }, status: {} });
      for (let i = 0; i < 2000; i++) p.apply('jobs', 'ADDED', job(i));
      p.apply('deployments', 'ADDED', deployment('other', 'web', 1, 1));
      const before = projected.mock.calls.length;
      expect(p.get('svc/batch/svc-1')?.to).toEqual(['job/batch/job-40']);
      expect(projected.mock.calls.length - before).toBe(50);
      expect(p.takeChanges().upserts.filter((e) => e.k === 'svc')).toHaveLength(50);
      expect(p.get('svc/batch/svc-0')?.to).toEqual(['job/batch/job-0']);
      expect(projected.mock.calls.length - before).toBe(50);
    } finally {
      projected.mockRestore();
    }
  });

  it('links an Argo active/preview Service to its Rollout although the controller pinned a pod-template hash', () => {
    const rollout: KubeObject = { kind: 'Rollout', metadata: { name: 'chat', namespace: 'a' }, spec: { replicas: 2, template: { metadata: { labels: { app: 'chat' } } } }, status: {} };
    const active: KubeObject = { kind: 'Service', metadata: { name: 'chat-active', namespace: 'a' }, spec: { selector: { app: 'chat', 'rollouts-pod-template-hash': '85484cbc47' } } };
    const onlyHash: KubeObject = { kind: 'Service', metadata: { name: 'hash-only', namespace: 'a' }, spec: { selector: { 'rollouts-pod-template-hash': '85484cbc47' } } };
    const p = buildTopology({ rollouts: [rollout], services: [active, onlyHash] });
    expect(p.get('svc/a/chat-active')?.to).toEqual(['ro/a/chat']);
    expect(p.get('svc/a/hash-only')).toMatchObject({ h: 'warning', r: 'selects no workload' });
  });

  it('a NotReady node makes its GPUs fail too', () => {
    const p = buildTopology({ nodes: [node('n1', 2, false)] });
    expect(p.get('node//n1')).toMatchObject({ h: 'failing', r: 'NotReady' });
    expect(p.get('gpu//n1/0')).toMatchObject({ h: 'failing', r: 'NotReady' });
  });
});
