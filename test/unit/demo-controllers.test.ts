import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../electron/demo/store.js';
import { deployment, ownedBy, startFleet, status, waitFor, type Fleet } from './demo-controllers.helpers.js';

const RS = 'replicasets.apps';
const DEPLOY = 'deployments.apps';
let fleet: Fleet;
afterEach(() => fleet?.stop());

const complete = (d: KubeObject | undefined, replicas: number) => {
  const s = status(d);
  return !!d && s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas && d;
};

describe('deployment controller', () => {
  it('creates a ReplicaSet named <deploy>-<hash> with revision 1 and running pods it owns', async () => {
    fleet = startFleet();
    const { store } = fleet;
    store.create(DEPLOY, deployment('web', { replicas: 3 }));
    const d = await waitFor('web available', () => complete(store.get(DEPLOY, 'default', 'web'), 3));
    const [rs] = ownedBy(store, RS, d);
    expect(rs.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'create web',
    });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true });
    const pods = ownedBy(store, 'pods', rs);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name.startsWith(`web-${hash}-`)).toBe(true);
      expect(p.metadata.labels?.['pod-template-hash']).toBe(hash);
      expect(status(p).phase).toBe('Running');
    }
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const conds = status(d).conditions ?? [];
    expect(conds.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(conds.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    const events = store.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === 'web');
    expect(events.map((e) => e.message)).toContain(`Scaled up replica set ${rs.metadata.name} to 3 from 0`);
  });

  it('rolls out with maxSurge 1 / maxUnavailable 0 without ever dropping below the desired available count', async () => {
    fleet = startFleet();
    const { store } = fleet;
    store.create(DEPLOY, deployment('api', { replicas: 4, maxSurge: 1, maxUnavailable: 0 }));
    await waitFor('api available', () => complete(store.get(DEPLOY, 'default', 'api'), 4));
    let minAvailable = Infinity;
    let maxPods = 0;
    const unsubscribe = store.subscribe(() => {
      const d = store.get(DEPLOY, 'default', 'api');
      const rsList = ownedBy(store, RS, d);
      const available = rsList.reduce((n, rs) => n + (status(rs).availableReplicas ?? 0), 0);
      const podCount = rsList.reduce((n, rs) => n + ((rs.spec as { replicas: number }).replicas ?? 0), 0);
      minAvailable = Math.min(minAvailable, available);
      maxPods = Math.max(maxPods, podCount);
    });
    store.mutate(DEPLOY, 'default', 'api', (d) => {
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.26';
    });
    const done = await waitFor('api rolled out', () => {
      const d = store.get(DEPLOY, 'default', 'api');
      return d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && complete(d, 4);
    });
    unsubscribe();
    expect(minAvailable).toBe(4);
    expect(maxPods).toBe(5);
    const rsList = ownedBy(store, RS, done);
    expect(rsList).toHaveLength(2);
    const byRev = Object.fromEntries(rsList.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs]));
    expect((byRev['1'].spec as { replicas: number }).replicas).toBe(0);
    expect((byRev['2'].spec as { replicas: number }).replicas).toBe(4);
  });

  it('undo to the previous template reuses the old ReplicaSet and records revision-history', async () => {
    fleet = startFleet();
    const { store } = fleet;
    store.create(DEPLOY, deployment('ui', { replicas: 2 }));
    await waitFor('ui v1', () => complete(store.get(DEPLOY, 'default', 'ui'), 2));
    const [first] = ownedBy(store, RS, store.get(DEPLOY, 'default', 'ui'));
    store.mutate(DEPLOY, 'default', 'ui', (d) => {
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.27';
    });
    await waitFor('ui v2', () => {
      const d = store.get(DEPLOY, 'default', 'ui');
      return d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && complete(d, 2);
    });
    // What kubectl rollout undo sends: the old ReplicaSet's template without pod-template-hash.
    const template = JSON.parse(JSON.stringify((first.spec as { template: KubeObject }).template));
    delete template.metadata.labels['pod-template-hash'];
    store.mutate(DEPLOY, 'default', 'ui', (d) => {
      (d.spec as { template: unknown }).template = template;
    });
    const d = await waitFor('ui undone', () => {
      const x = store.get(DEPLOY, 'default', 'ui');
      return x?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && complete(x, 2);
    });
    const rsList = ownedBy(store, RS, d);
    expect(rsList).toHaveLength(2);
    const reused = store.get(RS, 'default', first.metadata.name);
    expect(reused?.metadata.uid).toBe(first.metadata.uid);
    expect(reused?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(reused?.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect((reused?.spec as { replicas: number }).replicas).toBe(2);
  });

  it('a restart annotation on the template starts a new revision', async () => {
    fleet = startFleet();
    const { store } = fleet;
    store.create(DEPLOY, deployment('r', { replicas: 2 }));
    await waitFor('r', () => complete(store.get(DEPLOY, 'default', 'r'), 2));
    store.mutate(DEPLOY, 'default', 'r', (d) => {
      const t = (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
      t.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-11-24T19:00:00Z' };
    });
    await waitFor('r restarted', () => {
      const d = store.get(DEPLOY, 'default', 'r');
      return d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && complete(d, 2);
    });
  });

  it('paused deployments report DeploymentPaused and hold template changes until resumed', async () => {
    fleet = startFleet();
    const { store } = fleet;
    store.create(DEPLOY, deployment('p', { replicas: 2 }));
    await waitFor('p', () => complete(store.get(DEPLOY, 'default', 'p'), 2));
    store.mutate(DEPLOY, 'default', 'p', (d) => {
      (d.spec as { paused?: boolean }).paused = true;
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.28';
    });
    await waitFor('paused condition', () => status(store.get(DEPLOY, 'default', 'p')).conditions?.find((c) => c.type === 'Progressing' && c.reason === 'DeploymentPaused'));
    await new Promise((r) => setTimeout(r, 50));
    expect(ownedBy(store, RS, store.get(DEPLOY, 'default', 'p'))).toHaveLength(1);
    store.mutate(DEPLOY, 'default', 'p', (d) => {
      delete (d.spec as { paused?: boolean }).paused;
    });
    await waitFor('resumed rollout', () => {
      const d = store.get(DEPLOY, 'default', 'p');
      return d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && complete(d, 2);
    });
  });

  it('marks ProgressDeadlineExceeded when new pods never become ready', async () => {
    fleet = startFleet({ speed: 1000 });
    const { store } = fleet;
    store.create(DEPLOY, deployment('slow', { replicas: 2, progressDeadlineSeconds: 30 }));
    await waitFor('slow', () => complete(store.get(DEPLOY, 'default', 'slow'), 2));
    store.mutate(DEPLOY, 'default', 'slow', (d) => {
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:never-ready';
    });
    const cond = await waitFor('deadline', () =>
      status(store.get(DEPLOY, 'default', 'slow')).conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded'),
    5000);
    expect(cond.status).toBe('False');
    expect(cond.message).toMatch(/^ReplicaSet "slow-\w+" has timed out progressing\.$/);
    // Old pods keep serving: availability never fell below replicas - maxUnavailable.
    expect(status(store.get(DEPLOY, 'default', 'slow')).availableReplicas).toBeGreaterThanOrEqual(2);
  });

  it('trims scaled-down ReplicaSets beyond revisionHistoryLimit', async () => {
    fleet = startFleet({ speed: 1000 });
    const { store } = fleet;
    const d0 = deployment('h', { replicas: 1, probe: false });
    (d0.spec as { revisionHistoryLimit: number }).revisionHistoryLimit = 1;
    store.create(DEPLOY, d0);
    await waitFor('h 0', () => complete(store.get(DEPLOY, 'default', 'h'), 1));
    for (const tag of ['1', '2', '3']) {
      store.mutate(DEPLOY, 'default', 'h', (d) => {
        (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = `nginx:${tag}`;
      });
      await waitFor(`h ${tag}`, () => {
        const d = store.get(DEPLOY, 'default', 'h');
        return d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === String(Number(tag) + 1) && complete(d, 1);
      });
    }
    await waitFor('trimmed', () => ownedBy(store, RS, store.get(DEPLOY, 'default', 'h')).length === 2);
  });

  it('Recreate stops every old pod before the new ReplicaSet scales up', async () => {
    fleet = startFleet({ speed: 1000 });
    const { store } = fleet;
    const d0 = deployment('rc', { replicas: 3, probe: false });
    (d0.spec as { strategy: unknown }).strategy = { type: 'Recreate' };
    store.create(DEPLOY, d0);
    await waitFor('rc', () => complete(store.get(DEPLOY, 'default', 'rc'), 3));
    let overlap = false;
    const unsubscribe = store.subscribe(() => {
      const pods = store.list('pods', 'default').filter((p) => p.metadata.name.startsWith('rc-'));
      const hashes = new Set(pods.map((p) => p.metadata.labels?.['pod-template-hash']));
      if (hashes.size > 1) overlap = true;
    });
    store.mutate(DEPLOY, 'default', 'rc', (d) => {
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.29';
    });
    await waitFor('rc v2', () => {
      const d = store.get(DEPLOY, 'default', 'rc');
      return d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && complete(d, 3);
    });
    unsubscribe();
    expect(overlap).toBe(false);
  });
});
