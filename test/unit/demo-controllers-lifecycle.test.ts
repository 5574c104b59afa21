import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../electron/demo/store.js';
import { killContainer, resetImageBehaviours, setContainerReady, setImageBehaviour, setNodeReady } from '../../electron/demo/controllers/index.js';
import { deployment, ownedBy, startFleet, status, waitFor, type Fleet } from './demo-controllers.helpers.js';

const DEPLOY = 'deployments.apps';
let fleet: Fleet;
afterEach(() => fleet?.stop());

type CS = { restartCount: number; state: { waiting?: { reason: string; message?: string }; running?: unknown }; lastState: { terminated?: { exitCode: number } } };
const containerStatus = (p: KubeObject | undefined) => ((p?.status as { containerStatuses?: CS[] })?.containerStatuses ?? [])[0];
const podsOf = (f: Fleet, name: string) => f.store.list('pods', 'default').filter((p) => p.metadata.name.startsWith(`${name}-`));
const eventsFor = (f: Fleet, name: string) => f.store.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === name);

describe('pod lifecycle and scheduling', () => {
  it('a crashing image goes into CrashLoopBackOff with a growing restart count and back-off', async () => {
    fleet = startFleet({ speed: 2000 });
    const { store } = fleet;
    store.create(DEPLOY, deployment('bad', { replicas: 1, image: 'ghcr.io/acme/bad:crash-1', probe: false }));
    const pod = await waitFor('crash loop', () => {
      const p = podsOf(fleet, 'bad')[0];
      return containerStatus(p)?.state.waiting?.reason === 'CrashLoopBackOff' && p;
    });
    expect(containerStatus(pod).lastState.terminated?.exitCode).toBe(1);
    expect(containerStatus(pod).state.waiting?.message).toMatch(/^back-off 10s restarting failed container=bad pod=bad-\w+-\w+_default\(/);
    const later = await waitFor('two restarts', () => {
      const p = podsOf(fleet, 'bad')[0];
      return (containerStatus(p)?.restartCount ?? 0) >= 2 && containerStatus(p)?.state.waiting?.reason === 'CrashLoopBackOff' && p;
    }, 8000);
    expect(containerStatus(later).state.waiting?.message).toMatch(/^back-off (20|40|80)s /);
    const reasons = eventsFor(fleet, later.metadata.name).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'BackOff']));
    expect(status(store.get(DEPLOY, 'default', 'bad')).availableReplicas ?? 0).toBe(0);
  });

  it('the scheduler never hands out more GPUs than a node has; the rest wait Unschedulable with a FailedScheduling event', async () => {
    fleet = startFleet({ nodes: ['a100', 'cpu'] });
    const { store } = fleet;
    store.create(DEPLOY, deployment('gpu', { replicas: 3, gpus: 3, probe: false }));
    await waitFor('two running', () => podsOf(fleet, 'gpu').filter((p) => (p.status as { phase: string }).phase === 'Running').length === 2);
    const pending = await waitFor('one unschedulable', () =>
      podsOf(fleet, 'gpu').find((p) => (p.status as { conditions?: { type: string; reason?: string }[] }).conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')),
    );
    expect((pending.spec as { nodeName?: string }).nodeName).toBeUndefined();
    const cond = (pending.status as { conditions: { type: string; status: string; message: string }[] }).conditions.find((c) => c.type === 'PodScheduled');
    expect(cond?.status).toBe('False');
    // The CPU node has no GPUs at all: it is "Insufficient" too, as kube-scheduler says.
    expect(cond?.message).toMatch(/^0\/2 nodes are available: 2 Insufficient nvidia\.com\/gpu\. preemption: /);
    const ev = await waitFor('FailedScheduling', () => eventsFor(fleet, pending.metadata.name).find((e) => e.reason === 'FailedScheduling'));
    expect(ev.type).toBe('Warning');
    const held = podsOf(fleet, 'gpu').flatMap((p) => p.metadata.annotations?.['flightdeck.dev/gpu-devices']?.split(',') ?? []);
    expect(new Set(held).size).toBe(6);
    // Freeing a GPU pod lets the pending one in.
    store.mutate(DEPLOY, 'default', 'gpu', (d) => {
      (d.spec as { replicas: number }).replicas = 2;
    });
    store.create(DEPLOY, deployment('one', { replicas: 1, gpus: 2, probe: false }));
    await waitFor('freed capacity used', () => podsOf(fleet, 'one').some((p) => (p.status as { phase: string }).phase === 'Running'), 5000);
  });

  it('a Job runs its pod to completion and reports Complete', async () => {
    fleet = startFleet({ speed: 2000 });
    const { store } = fleet;
    store.create('jobs.batch', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: 'default' },
      spec: { template: { metadata: { annotations: { 'flightdeck.dev/sim-duration-seconds': '5' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
    });
    const job = await waitFor('complete', () => {
      const j = store.get('jobs.batch', 'default', 'once');
      return (j?.status as { conditions?: { type: string }[] })?.conditions?.some((c) => c.type === 'Complete') && j;
    });
    expect(status(job).succeeded).toBe(1);
    expect((job.status as { completionTime?: string }).completionTime).toBeTruthy();
    const pod = podsOf(fleet, 'once')[0];
    expect((pod.status as { phase: string }).phase).toBe('Succeeded');
    expect(pod.metadata.labels?.['job-name']).toBe('once');
  });

  it('a Job whose pods keep failing stops at backoffLimit and reports Failed', async () => {
    fleet = startFleet({ speed: 2000 });
    const { store } = fleet;
    store.create('jobs.batch', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'flaky', namespace: 'default' },
      spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'acme/job:crash' }] } } },
    });
    const job = await waitFor('failed', () => {
      const j = store.get('jobs.batch', 'default', 'flaky');
      return (j?.status as { conditions?: { type: string }[] })?.conditions?.some((c) => c.type === 'Failed') && j;
    }, 8000);
    expect(status(job).failed).toBe(2);
    expect((job.status as { conditions: { type: string; reason: string }[] }).conditions.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    expect(podsOf(fleet, 'flaky').every((p) => (p.status as { phase: string }).phase === 'Failed')).toBe(true);
  });

  it('a DaemonSet runs one pod per matching node; a StatefulSet creates ordinal pods in order', async () => {
    fleet = startFleet({ nodes: ['a100', 'h100', 'cpu'] });
    const { store } = fleet;
    store.create('daemonsets.apps', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { 'nvidia.com/gpu.present': 'true' }, containers: [{ name: 'agent', image: 'agent:1' }] } } },
    });
    const ds = await waitFor('ds ready', () => {
      const d = store.get('daemonsets.apps', 'default', 'agent');
      return status(d).numberReady === 2 && d;
    });
    expect(status(ds).desiredNumberScheduled).toBe(2);
    expect(new Set(podsOf(fleet, 'agent').map((p) => (p.spec as { nodeName: string }).nodeName)).size).toBe(2);
    store.create('statefulsets.apps', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } },
    });
    await waitFor('sts ready', () => status(store.get('statefulsets.apps', 'default', 'db')).readyReplicas === 3);
    const pods = podsOf(fleet, 'db').map((p) => p.metadata.name).sort();
    expect(pods).toEqual(['db-0', 'db-1', 'db-2']);
    const rvOf = (n: string) => Number(store.list('events', 'default').find((e) => e.message === `create Pod ${n} in StatefulSet db successful`)?.metadata.resourceVersion);
    expect(rvOf('db-0')).toBeLessThan(rvOf('db-1'));
    expect(rvOf('db-1')).toBeLessThan(rvOf('db-2'));
  });

  it('a NotReady node marks its pods not Ready without evicting them, and recovers', async () => {
    fleet = startFleet({ nodes: ['cpu'] });
    const { store } = fleet;
    store.create(DEPLOY, deployment('web', { replicas: 2, probe: false }));
    await waitFor('web ready', () => status(store.get(DEPLOY, 'default', 'web')).availableReplicas === 2);
    const node = store.list('nodes')[0].metadata.name;
    expect(setNodeReady(store, node, false)).toBe(true);
    await waitFor('pods unready', () => podsOf(fleet, 'web').every((p) => (p.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status === 'False'));
    expect(podsOf(fleet, 'web')).toHaveLength(2);
    expect(podsOf(fleet, 'web').every((p) => (p.status as { phase: string }).phase === 'Running')).toBe(true);
    await waitFor('deployment sees it', () => (status(store.get(DEPLOY, 'default', 'web')).availableReplicas ?? 0) === 0);
    setNodeReady(store, node, true);
    await waitFor('ready again', () => status(store.get(DEPLOY, 'default', 'web')).availableReplicas === 2);
  });

  it('deleting a Deployment garbage-collects its ReplicaSets and pods', async () => {
    fleet = startFleet({ speed: 2000 });
    const { store } = fleet;
    store.create(DEPLOY, deployment('tmp', { replicas: 2, probe: false }));
    const d = await waitFor('tmp', () => {
      const x = store.get(DEPLOY, 'default', 'tmp');
      return status(x).availableReplicas === 2 && x;
    });
    expect(ownedBy(store, 'replicasets.apps', d)).toHaveLength(1);
    store.delete(DEPLOY, 'default', 'tmp');
    await waitFor('gone', () => store.list('replicasets.apps', 'default').length === 0 && podsOf(fleet, 'tmp').length === 0);
  });

  it('scenario hooks: killContainer restarts it, setContainerReady flips readiness, setImageBehaviour makes new pods crash', async () => {
    fleet = startFleet({ speed: 1000 });
    const { store } = fleet;
    store.create(DEPLOY, deployment('svc', { replicas: 1, probe: false, image: 'acme/svc:1.0' }));
    await waitFor('svc ready', () => status(store.get(DEPLOY, 'default', 'svc')).availableReplicas === 1);
    const pod = podsOf(fleet, 'svc')[0];
    expect(killContainer(store, 'default', pod.metadata.name, undefined, 137, 'OOMKilled')).toBe(true);
    const restarted = await waitFor('restarted', () => {
      const p = store.get('pods', 'default', pod.metadata.name);
      return containerStatus(p)?.restartCount === 1 && !!containerStatus(p)?.state.running && p;
    });
    expect(containerStatus(restarted).lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(setContainerReady(store, 'default', pod.metadata.name, false)).toBe(true);
    await waitFor('unavailable', () => (status(store.get(DEPLOY, 'default', 'svc')).availableReplicas ?? 0) === 0);
    setContainerReady(store, 'default', pod.metadata.name, true);
    await waitFor('available again', () => status(store.get(DEPLOY, 'default', 'svc')).availableReplicas === 1);
    try {
      setImageBehaviour('acme/svc:2.0', 'crash');
      store.mutate(DEPLOY, 'default', 'svc', (d) => {
        (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'acme/svc:2.0';
      });
      await waitFor('new pod crash-looping', () => podsOf(fleet, 'svc').some((p) => containerStatus(p)?.state.waiting?.reason === 'CrashLoopBackOff'));
    } finally {
      resetImageBehaviours();
    }
  });
});
