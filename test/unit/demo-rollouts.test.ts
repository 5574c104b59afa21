import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { createRolloutsController, type ReplicaSet, type Rollout } from '../../electron/demo/rollouts/index.js';

const RO = 'rollouts.argoproj.io';
const RS = 'replicasets.apps';
const NS = 'inference';

// A hand-driven clock and a stand-in for the ReplicaSet controller: every ReplicaSet instantly has
// as many ready pods as it wants, so each test pins the Rollout controller's reaction alone.
let t = Date.parse('2026-11-24T12:00:00Z');
const clock = { now: () => t };
let store: ObjectStore;
let ctl: ReturnType<typeof createRolloutsController>;

function settle(rounds = 12, podsReady = true): void {
  for (let i = 0; i < rounds; i++) {
    ctl.reconcileAll();
    if (!podsReady) continue;
    for (const rs of store.list(RS) as ReplicaSet[]) {
      const n = rs.spec.replicas ?? 0;
      if (rs.status?.replicas === n && rs.status?.availableReplicas === n) continue;
      store.mutate(RS, rs.metadata.namespace, rs.metadata.name, (o) => {
        o.status = { replicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: 1 };
      }, { subresource: 'status' });
    }
  }
}

/** RFC 7386 merge patch, as `kubectl argo rollouts` sends with application/merge-patch+json. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object' && target[k]) merge(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}
const patchStatus = (name: string, patch: Record<string, unknown>) =>
  store.mutate(RO, NS, name, (o) => merge(((o.status ??= {}) as Record<string, unknown>), patch), { subresource: 'status' });
const patchSpec = (name: string, patch: Record<string, unknown>) =>
  store.mutate(RO, NS, name, (o) => merge(((o as Rollout).spec as unknown as Record<string, unknown>), patch));
const get = (name: string) => store.get(RO, NS, name) as Rollout;
const replicaSets = (name: string) => (store.list(RS, NS) as ReplicaSet[]).filter((rs) => rs.metadata.ownerReferences?.[0]?.name === name);
const rsByHash = (name: string, hash: string | undefined) => replicaSets(name).find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === hash);
const setImage = (name: string, image: string) =>
  store.mutate(RO, NS, name, (o) => {
    ((o as Rollout).spec.template.spec as { containers: { image: string }[] }).containers[0].image = image;
  });

function canary(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.demo/${name}:v1` }] } },
      strategy: {
        canary: {
          steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }, { pause: { duration: '10s' } }, { setWeight: 80 }, { pause: { duration: 10 } }],
          ...extra,
        },
      },
    },
  };
}

function blueGreen(name: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.demo/${name}:blue` }] } },
      strategy: { blueGreen: { activeService: name, previewService: `${name}-preview`, autoPromotionEnabled: false } },
    },
  };
}

const service = (name: string, app: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector: { app }, ports: [{ port: 80 }] },
});

beforeEach(() => {
  t = Date.parse('2026-11-24T12:00:00Z');
  store = new ObjectStore({ nowIso: () => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  ctl = createRolloutsController(store, clock);
});

describe('canary rollout', () => {
  it('promotes the first ReplicaSet at once and reports Healthy with the real status fields', () => {
    store.create(RO, canary('recommender'));
    settle();
    const r = get('recommender');
    const [rs] = replicaSets('recommender');
    const hash = rs.metadata.labels?.['rollouts-pod-template-hash'];
    expect(rs.metadata.name).toBe(`recommender-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('1');
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Rollout', name: 'recommender', controller: true, uid: r.metadata.uid });
    expect(rs.spec.selector.matchLabels['rollouts-pod-template-hash']).toBe(hash);
    expect(r.status).toMatchObject({ phase: 'Healthy', stableRS: hash, currentPodHash: hash, currentStepIndex: 6, observedGeneration: '1', replicas: 5, availableReplicas: 5, updatedReplicas: 5, selector: 'app=recommender' });
    expect(r.status?.message).toBeUndefined();
    expect(r.status?.canary).toEqual({});
    expect(r.status?.conditions?.find((c) => c.type === 'Healthy')).toMatchObject({ status: 'True', message: 'Rollout is healthy' });
    expect(r.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('1');
  });

  it('walks setWeight → pause → promote → timed pauses → Healthy, scaling by weight', () => {
    store.create(RO, canary('recommender'));
    settle();
    const stable = get('recommender').status?.stableRS;
    setImage('recommender', 'registry.demo/recommender:v2');
    settle();
    let r = get('recommender');
    const canaryHash = r.status?.currentPodHash;
    expect(canaryHash).not.toBe(stable);
    expect(r.status).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep', currentStepIndex: 1, controllerPause: true, stableRS: stable, observedGeneration: '2' });
    expect(r.status?.pauseConditions).toEqual([{ reason: 'CanaryPauseStep', startTime: '2026-11-24T12:00:00Z' }]);
    expect(r.status?.canary).toEqual({});
    expect(rsByHash('recommender', canaryHash)?.spec.replicas).toBe(1);
    expect(rsByHash('recommender', stable)?.spec.replicas).toBe(4);
    expect(rsByHash('recommender', canaryHash)?.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('2');
    expect(r.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'RolloutPaused' });

    // kubectl argo rollouts promote on a canary pause step
    patchStatus('recommender', { pauseConditions: null, currentStepIndex: 2 });
    settle();
    r = get('recommender');
    expect(r.status).toMatchObject({ phase: 'Paused', currentStepIndex: 3, controllerPause: true });
    expect(rsByHash('recommender', canaryHash)?.spec.replicas).toBe(2);
    expect(rsByHash('recommender', stable)?.spec.replicas).toBe(3);

    t += 9_000;
    settle();
    expect(get('recommender').status?.currentStepIndex).toBe(3);
    t += 2_000;
    settle();
    r = get('recommender');
    expect(r.status).toMatchObject({ currentStepIndex: 5, phase: 'Paused' });
    expect(rsByHash('recommender', canaryHash)?.spec.replicas).toBe(4);
    t += 11_000;
    settle();
    r = get('recommender');
    expect(r.status).toMatchObject({ phase: 'Healthy', currentStepIndex: 6, stableRS: canaryHash, currentPodHash: canaryHash, replicas: 5 });
    expect(r.status?.pauseConditions).toBeUndefined();
    expect(r.status?.controllerPause).toBeUndefined();
    expect(rsByHash('recommender', stable)?.spec.replicas).toBe(0);
    expect(r.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('abort scales the canary away, keeps the stable and goes Degraded; retry starts the steps again', () => {
    store.create(RO, canary('recommender'));
    settle();
    const stable = get('recommender').status?.stableRS;
    setImage('recommender', 'registry.demo/recommender:v2-bad');
    settle();
    const canaryHash = get('recommender').status?.currentPodHash;
    t += 5_000;
    patchStatus('recommender', { abort: true });
    settle();
    let r = get('recommender');
    expect(r.status).toMatchObject({ phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', abort: true, abortedAt: '2026-11-24T12:00:05Z', currentStepIndex: 0, stableRS: stable });
    expect(r.status?.pauseConditions).toBeUndefined();
    expect(r.status?.controllerPause).toBeUndefined();
    expect(rsByHash('recommender', canaryHash)?.spec.replicas).toBe(0);
    expect(rsByHash('recommender', stable)?.spec.replicas).toBe(5);
    expect(r.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutAborted' });

    patchStatus('recommender', { abort: false });
    settle();
    r = get('recommender');
    expect(r.status?.abortedAt).toBeUndefined();
    expect(r.status).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep', currentStepIndex: 1 });
    expect(rsByHash('recommender', canaryHash)?.spec.replicas).toBe(1);
  });

  it('promote that only clears the pause condition (the plugin on a paused rollout) moves past the pause step', () => {
    store.create(RO, canary('recommender'));
    settle();
    setImage('recommender', 'registry.demo/recommender:v2');
    settle();
    expect(get('recommender').status).toMatchObject({ phase: 'Paused', currentStepIndex: 1, controllerPause: true });
    patchStatus('recommender', { pauseConditions: null });
    ctl.reconcileAll();
    expect(get('recommender').status?.currentStepIndex).toBe(2);
    settle();
    expect(get('recommender').status).toMatchObject({ phase: 'Paused', currentStepIndex: 3, controllerPause: true });
  });

  it('promote --full skips the remaining steps', () => {
    store.create(RO, canary('recommender'));
    settle();
    setImage('recommender', 'registry.demo/recommender:v2');
    settle();
    const canaryHash = get('recommender').status?.currentPodHash;
    patchStatus('recommender', { promoteFull: true });
    settle();
    const r = get('recommender');
    expect(r.status).toMatchObject({ phase: 'Healthy', stableRS: canaryHash, currentStepIndex: 6 });
    expect(r.status?.promoteFull).toBeUndefined();
  });

  it('undo back to the stable template skips the steps and bumps that ReplicaSet to a new revision', () => {
    store.create(RO, canary('recommender'));
    settle();
    const stable = get('recommender').status?.stableRS;
    const oldTemplate = structuredClone(rsByHash('recommender', stable)?.spec.template) as { metadata: { labels: Record<string, string> } };
    setImage('recommender', 'registry.demo/recommender:v2');
    settle();
    delete oldTemplate.metadata.labels['rollouts-pod-template-hash'];
    store.mutate(RO, NS, 'recommender', (o) => {
      (o as Rollout).spec.template = oldTemplate;
    });
    settle();
    const r = get('recommender');
    expect(r.status).toMatchObject({ phase: 'Healthy', currentPodHash: stable, stableRS: stable, currentStepIndex: 6 });
    expect(rsByHash('recommender', stable)?.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
    expect(r.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
  });

  it('restart deletes pods older than restartAt and records restartedAt', () => {
    store.create(RO, canary('recommender'));
    settle();
    const [rs] = replicaSets('recommender');
    for (let i = 0; i < 2; i++) {
      store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `recommender-pod-${i}`, namespace: NS, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid ?? '', controller: true }] } });
    }
    t += 60_000;
    patchSpec('recommender', { restartAt: '2026-11-24T12:00:30Z' });
    ctl.reconcileAll();
    expect(get('recommender').status).toMatchObject({ phase: 'Progressing', message: 'rollout is restarting' });
    expect(store.count('pods')).toBe(1);
    ctl.reconcileAll();
    ctl.reconcileAll();
    expect(store.count('pods')).toBe(0);
    expect(get('recommender').status).toMatchObject({ restartedAt: '2026-11-24T12:00:30Z', phase: 'Healthy' });
  });

  it('reports canary.weights only when traffic routing is configured', () => {
    store.create(RO, canary('ranker', { trafficRouting: { smi: {} }, canaryService: 'ranker-canary', stableService: 'ranker-stable' }));
    settle();
    setImage('ranker', 'registry.demo/ranker:v2');
    settle();
    const r = get('ranker');
    expect(r.status?.canary?.weights).toEqual({
      canary: { podTemplateHash: r.status?.currentPodHash, serviceName: 'ranker-canary', weight: 20 },
      stable: { podTemplateHash: r.status?.stableRS, serviceName: 'ranker-stable', weight: 80 },
    });
  });

  it('stays put while spec.paused and says "manually paused"', () => {
    store.create(RO, canary('recommender'));
    settle();
    patchSpec('recommender', { paused: true });
    setImage('recommender', 'registry.demo/recommender:v2');
    settle();
    const r = get('recommender');
    expect(r.status).toMatchObject({ phase: 'Paused', message: 'manually paused', currentStepIndex: 0 });
    expect(r.status?.conditions?.find((c) => c.type === 'Paused')).toMatchObject({ status: 'True', reason: 'RolloutPaused' });
  });
});

describe('blue-green rollout', () => {
  beforeEach(() => {
    store.create('services', service('chat-frontend', 'chat-frontend'));
    store.create('services', service('chat-frontend-preview', 'chat-frontend'));
  });
  const selector = (name: string) => (store.get('services', NS, name) as unknown as { spec: { selector: Record<string, string> } }).spec.selector;

  it('points the active Service at the first ReplicaSet', () => {
    store.create(RO, blueGreen('chat-frontend'));
    settle();
    const r = get('chat-frontend');
    const hash = r.status?.currentPodHash;
    expect(r.status).toMatchObject({ phase: 'Healthy', stableRS: hash, blueGreen: { activeSelector: hash, previewSelector: hash }, selector: `app=chat-frontend,rollouts-pod-template-hash=${hash}` });
    expect(r.status?.currentStepIndex).toBeUndefined();
    expect(selector('chat-frontend')).toEqual({ app: 'chat-frontend', 'rollouts-pod-template-hash': hash });
  });

  it('pauses with the preview up, switches active on promote and scales the old stack down after the delay', () => {
    store.create(RO, blueGreen('chat-frontend'));
    settle();
    const blue = get('chat-frontend').status?.stableRS;
    setImage('chat-frontend', 'registry.demo/chat-frontend:green');
    settle();
    let r = get('chat-frontend');
    const green = r.status?.currentPodHash;
    expect(r.status).toMatchObject({
      phase: 'Paused', message: 'BlueGreenPause', controllerPause: true, stableRS: blue,
      blueGreen: { activeSelector: blue, previewSelector: green }, replicas: 6, readyReplicas: 6, availableReplicas: 3, updatedReplicas: 3, HPAReplicas: 3,
    });
    expect(r.status?.pauseConditions).toEqual([{ reason: 'BlueGreenPause', startTime: '2026-11-24T12:00:00Z' }]);
    expect(selector('chat-frontend')['rollouts-pod-template-hash']).toBe(blue);
    expect(selector('chat-frontend-preview')['rollouts-pod-template-hash']).toBe(green);

    patchStatus('chat-frontend', { pauseConditions: null });
    settle();
    r = get('chat-frontend');
    expect(r.status).toMatchObject({ phase: 'Healthy', stableRS: green, blueGreen: { activeSelector: green, previewSelector: green } });
    expect(r.status?.controllerPause).toBeUndefined();
    expect(selector('chat-frontend')['rollouts-pod-template-hash']).toBe(green);
    const old = rsByHash('chat-frontend', blue);
    expect(old?.spec.replicas).toBe(3);
    expect(old?.metadata.annotations?.['scale-down-deadline']).toBe('2026-11-24T12:00:30Z');
    t += 31_000;
    settle();
    expect(rsByHash('chat-frontend', blue)?.spec.replicas).toBe(0);
    expect(rsByHash('chat-frontend', blue)?.metadata.annotations?.['scale-down-deadline']).toBeUndefined();
  });

  it('abort keeps the active stack, scales the preview away and goes Degraded', () => {
    store.create(RO, blueGreen('chat-frontend'));
    settle();
    const blue = get('chat-frontend').status?.stableRS;
    setImage('chat-frontend', 'registry.demo/chat-frontend:green');
    settle();
    const green = get('chat-frontend').status?.currentPodHash;
    patchStatus('chat-frontend', { abort: true });
    settle();
    const r = get('chat-frontend');
    expect(r.status).toMatchObject({ phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', blueGreen: { activeSelector: blue, previewSelector: blue } });
    expect(rsByHash('chat-frontend', green)?.spec.replicas).toBe(0);
    expect(selector('chat-frontend')['rollouts-pod-template-hash']).toBe(blue);
  });
});

describe('canary services', () => {
  it('points canaryService at the canary hash and stableService at the stable one', () => {
    store.create('services', service('ranker', 'ranker'));
    store.create('services', service('ranker-canary', 'ranker'));
    store.create(RO, canary('ranker', { canaryService: 'ranker-canary', stableService: 'ranker' }));
    settle();
    const stable = get('ranker').status?.stableRS;
    setImage('ranker', 'registry.demo/ranker:v2');
    settle();
    const canaryHash = get('ranker').status?.currentPodHash;
    const sel = (name: string) => (store.get('services', NS, name) as unknown as { spec: { selector: Record<string, string> } }).spec.selector['rollouts-pod-template-hash'];
    expect(sel('ranker')).toBe(stable);
    expect(sel('ranker-canary')).toBe(canaryHash);
    patchStatus('ranker', { promoteFull: true });
    settle();
    expect(sel('ranker')).toBe(canaryHash);
  });
});

describe('progress deadline', () => {
  it('goes Degraded with ProgressDeadlineExceeded when the canary never becomes available, and aborts if asked to', () => {
    store.create(RO, canary('embedder'));
    settle();
    patchSpec('embedder', { progressDeadlineSeconds: 30, progressDeadlineAbort: true });
    setImage('embedder', 'registry.demo/embedder:does-not-exist');
    settle(6, false);
    let r = get('embedder');
    const canaryRS = `embedder-${r.status?.currentPodHash}`;
    expect(r.status).toMatchObject({ phase: 'Progressing', message: 'more replicas need to be updated' });
    t += 20_000;
    ctl.reconcileAll();
    expect(get('embedder').status?.phase).toBe('Progressing');
    t += 15_000;
    ctl.reconcileAll();
    r = get('embedder');
    expect(r.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${canaryRS}" has timed out progressing.` });
    expect(r.status).toMatchObject({ abort: true });
    ctl.reconcileAll();
    expect(get('embedder').status).toMatchObject({ phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' });
  });

  it('counts the deadline from the last progress and never times out a paused rollout', () => {
    store.create(RO, canary('embedder'));
    settle();
    patchSpec('embedder', { progressDeadlineSeconds: 30 });
    setImage('embedder', 'registry.demo/embedder:v2');
    settle(3, false);
    t += 20_000;
    ctl.reconcileAll();
    expect(get('embedder').status?.phase).toBe('Progressing');
    t += 5_000;
    settle(3, true);
    expect(get('embedder').status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
    t += 60_000;
    ctl.reconcileAll();
    expect(get('embedder').status?.phase).toBe('Paused');
    patchStatus('embedder', { pauseConditions: null, currentStepIndex: 2 });
    settle(3, false);
    t += 20_000;
    ctl.reconcileAll();
    expect(get('embedder').status?.phase).toBe('Progressing');
    t += 15_000;
    ctl.reconcileAll();
    expect(get('embedder').status).toMatchObject({ phase: 'Degraded', message: expect.stringMatching(/^ProgressDeadlineExceeded: ReplicaSet "embedder-\w+" has timed out progressing\.$/) });
  });
});

describe('revision history', () => {
  it('keeps revisionHistoryLimit old ReplicaSets and deletes the oldest', () => {
    store.create(RO, canary('ranker'));
    patchSpec('ranker', { revisionHistoryLimit: 2 });
    settle();
    for (const v of ['v2', 'v3', 'v4', 'v5']) {
      setImage('ranker', `registry.demo/ranker:${v}`);
      settle();
      patchStatus('ranker', { promoteFull: true });
      settle();
    }
    const revisions = replicaSets('ranker').map((rs) => rs.metadata.annotations?.['rollout.argoproj.io/revision']).sort();
    expect(revisions).toEqual(['3', '4', '5']);
    expect(get('ranker').status?.phase).toBe('Healthy');
  });
});
