// Argo Rollouts actions through the road against the demo fleet's Argo controller, and the road's
// guards: RBAC verdicts for the viewer, forged and read-only executes, stale (409) and vanished
// (404) targets, and one audit line per attempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, startRig, until, type RolloutsRig } from './rollouts-helpers.js';

const NS = 'default';
const rolloutManifest = (name: string, image: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  replicas: 4
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: rec, image: "${image}"}]
  strategy:
    canary:
      steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {}}]
`;

interface RolloutStatus {
  phase?: string;
  message?: string;
  abort?: boolean;
  currentStepIndex?: number;
  currentPodHash?: string;
  stableRS?: string;
  restartedAt?: string;
  pauseConditions?: { reason: string }[] | null;
}

let rig: RolloutsRig;
const RO = { kind: 'Rollout', namespace: NS, name: 'recommender' };

async function status(name = 'recommender'): Promise<RolloutStatus> {
  return (JSON.parse(await rig.kubectl(['get', 'rollouts.argoproj.io', name, '-o', 'json'])) as { status?: RolloutStatus }).status ?? {};
}

async function summary(name = 'recommender') {
  const res = await rig.call('rollouts.list', { context: 'demo-admin', namespace: NS });
  return (res.body.workloads as Array<{ name: string; kind: string; canary?: { weight: number; stepIndex?: number; aborted: boolean; pauseReasons: string[] }; phase?: string }>).find((w) => w.name === name && w.kind === 'Rollout');
}

const waitFor = (what: string, check: (s: RolloutStatus) => boolean) => until(what, async () => ((s) => (check(s) ? s : undefined))(await status()), 30_000);

beforeAll(async () => {
  rig = await startRig({ speed: 10 });
  await rig.kubectl(['apply', '-f', '-'], rolloutManifest('recommender', 'recommender:2.3.0'));
  await waitFor('the first version to be Healthy', (s) => s.phase === 'Healthy');
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

describe('Argo Rollouts actions through the road', () => {
  it('a new canary pauses at step 1; promote moves it to the next pause as the controller would', async () => {
    await rig.kubectl(['patch', 'rollouts.argoproj.io', 'recommender', '--type=merge', '-p', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'rec', image: 'recommender:2.4.0-rc1' }] } } } })]);
    await waitFor('the canary to pause at step 1', (s) => s.currentStepIndex === 1 && s.phase === 'Paused');
    await until('the console to show 25% weight', async () => ((await summary())?.canary?.weight === 25 ? true : undefined));
    const { plan } = await act(rig, 'demo-admin', RO, 'promote');
    expect(plan.requests).toContainEqual(expect.objectContaining({ path: '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/recommender/status', body: { status: { pauseConditions: null } } }));
    const s = await waitFor('the canary to pause at step 3', (x) => x.currentStepIndex === 3 && x.phase === 'Paused');
    expect(s.pauseConditions?.map((p) => p.reason)).toEqual(['CanaryPauseStep']);
    await until('the console to show 50% weight', async () => ((await summary())?.canary?.weight === 50 ? true : undefined));
  }, 60_000);

  it('bad canary: abort sends all traffic back to stable and the rollout shows Degraded', async () => {
    const before = await status();
    await act(rig, 'demo-admin', RO, 'abort');
    const s = await waitFor('the abort to be handled', (x) => x.abort === true && x.phase === 'Degraded');
    expect(s.message).toMatch(/^RolloutAborted/);
    expect(s.stableRS).toBe(before.stableRS);
    const canaryRs = JSON.parse(await rig.kubectl(['get', 'rs', '-l', `rollouts-pod-template-hash=${before.currentPodHash}`, '-o', 'json'])) as { items: { spec: { replicas: number } }[] };
    await until('the canary to be scaled away', async () => {
      const row = await summary();
      return row?.canary?.weight === 0 && row.canary.aborted ? true : undefined;
    });
    expect(canaryRs.items.length).toBe(1);
  }, 60_000);

  it('retry clears the abort and the canary starts over from the first step', async () => {
    await act(rig, 'demo-admin', RO, 'retry');
    const s = await waitFor('the retry to restart the steps', (x) => !x.abort && x.currentStepIndex === 1 && x.phase === 'Paused');
    expect(s.pauseConditions?.map((p) => p.reason)).toEqual(['CanaryPauseStep']);
  }, 60_000);

  it('promote --full makes the canary stable; restart is recorded in status.restartedAt', async () => {
    await act(rig, 'demo-admin', RO, 'promote', { full: true });
    const s = await waitFor('full promotion', (x) => x.phase === 'Healthy' && x.stableRS === x.currentPodHash);
    expect(s.currentStepIndex).toBe(4);
    const { plan } = await act(rig, 'demo-admin', RO, 'restart');
    const restartAt = ((plan.requests as { body?: { spec?: { restartAt?: string } } }[]).find((r) => r.body?.spec?.restartAt)?.body?.spec?.restartAt) ?? '';
    await waitFor('the restart to be recorded', (x) => x.restartedAt === restartAt);
  }, 60_000);
});

describe('blue-green: promote the preview', () => {
  const BG = { kind: 'Rollout', namespace: 'inference', name: 'chat-frontend' };
  const bgRow = async () =>
    ((await rig.call('rollouts.list', { context: 'demo-admin', namespace: 'inference' })).body.workloads as Array<{ kind: string; name: string; phase?: string; blueGreen?: { activeRS?: string; previewRS?: string; activeSelector?: string; previewSelector?: string; pauseReasons: string[] } }>).find(
      (w) => w.kind === 'Rollout' && w.name === 'chat-frontend',
    );
  const selectorOf = async (service: string) => ((JSON.parse(await rig.kubectl(['get', 'service', service, '-n', 'inference', '-o', 'json'])) as { spec: { selector?: Record<string, string> } }).spec.selector ?? {})['rollouts-pod-template-hash'];

  it('shows active and preview ReplicaSets and selectors, and promote switches the active service', async () => {
    const seeded = await until('the seeded blue-green rollout', async () => ((await bgRow())?.phase === 'Healthy' ? await bgRow() : undefined), 60_000);
    const oldActive = seeded?.blueGreen?.activeRS;
    await rig.kubectl(['patch', 'rollouts.argoproj.io', 'chat-frontend', '-n', 'inference', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'ghcr.io/flightdeck-demo/chat-frontend:2.4.0' }])]);
    const paused = await until('the preview to wait for promotion', async () => {
      const row = await bgRow();
      return row?.blueGreen?.previewRS && row.blueGreen.pauseReasons.includes('BlueGreenPause') ? row : undefined;
    }, 60_000);
    expect(paused.blueGreen?.activeRS).toBe(oldActive);
    expect(paused.blueGreen?.previewSelector).toBe(`rollouts-pod-template-hash=${await selectorOf('chat-frontend-preview')}`);
    expect(paused.blueGreen?.activeSelector).toBe(`rollouts-pod-template-hash=${await selectorOf('chat-frontend-active')}`);
    const { plan } = await act(rig, 'demo-admin', BG, 'promote');
    expect(plan.summary).toMatch(/preview ReplicaSet becomes active/);
    const promoted = await until('the preview to become active', async () => {
      const row = await bgRow();
      return row?.blueGreen?.activeRS === paused.blueGreen?.previewRS ? row : undefined;
    }, 60_000);
    expect(promoted.blueGreen?.activeSelector).toBe(`rollouts-pod-template-hash=${await selectorOf('chat-frontend-active')}`);
  }, 150_000);
});

describe('the road refuses what it must, and says why', () => {
  const D = { kind: 'Deployment', namespace: NS, name: 'guarded' };
  beforeAll(async () => {
    await rig.kubectl(['apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded, namespace: ${NS}}
spec:
  replicas: 1
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec: {containers: [{name: web, image: "nginx:1.25"}]}
`);
    await rig.kubectl(['rollout', 'status', 'deployment/guarded', '--timeout=60s']);
  }, 90_000);

  it('viewer: every action is forbidden with the reason, a forged execute and the read-only token are refused, one audit line each', async () => {
    const auditCount = async () => ((await rig.call('audit.list', { limit: 10_000 })).body.total as number);
    const start = await auditCount();
    let attempts = 0;
    for (const target of [D, RO]) {
      const available = await rig.call('actions.available', { context: 'demo-viewer', target });
      const actions = available.body.actions as { action: string; allowed: boolean; reason?: string }[];
      expect(actions.length).toBeGreaterThan(3);
      for (const a of actions) {
        expect(a.allowed).toBe(false);
        expect(a.reason).toMatch(/^demo-viewer cannot (patch|get|list) /);
        const params = a.action === 'scale' ? { replicas: 2 } : {};
        const plan = await rig.call('actions.prepare', { context: 'demo-viewer', target, action: a.action, params });
        attempts++;
        if (plan.status === 200) {
          expect(plan.body.token).toBeNull();
          expect((plan.body.rbac as { allowed: boolean; reason: string }).reason).toMatch(/demo-viewer cannot/);
        } else {
          // The object's state rules the action out before RBAC is asked (resume of a running
          // Deployment, retry of a rollout that is not aborted): refused, and audited as refused.
          expect(plan.status).toBe(400);
        }
      }
    }
    const forged = await rig.call('actions.execute', { token: 'forged-token-from-a-script' });
    attempts++;
    expect(forged.status).toBe(409);
    expect((forged.body.error as { code: string }).code).toBe('token_used');

    const readonly = await rig.call('actions.prepare', { context: 'demo-admin', target: D, action: 'scale', params: { replicas: 3 } }, rig.http.readonlyToken);
    attempts++;
    expect(readonly.status).toBe(403);
    const readonlyExec = await rig.call('actions.execute', { token: 'x' }, rig.http.readonlyToken);
    attempts++;
    expect(readonlyExec.status).toBe(403);
    const readonlyAvailable = await rig.call('actions.available', { context: 'demo-admin', target: D }, rig.http.readonlyToken);
    expect((readonlyAvailable.body.actions as { allowed: boolean }[]).every((a) => !a.allowed)).toBe(true);

    expect(await auditCount()).toBe(start + attempts);
    expect((await rig.kubectl(['get', 'deployment', 'guarded', '-o', 'jsonpath={.spec.replicas}'])).trim()).toBe('1');
  }, 60_000);

  it('a token works once', async () => {
    const plan = await rig.call('actions.prepare', { context: 'demo-admin', target: D, action: 'scale', params: { replicas: 2 } });
    expect((await rig.call('actions.execute', { token: plan.body.token })).status).toBe(200);
    const again = await rig.call('actions.execute', { token: plan.body.token });
    expect(again.status).toBe(409);
    expect((again.body.error as { message: string }).message).toMatch(/Prepare the action again/);
  });

  it('409: a plan made stale by someone else is refused with a clear message and nothing is applied', async () => {
    const plan = await rig.call('actions.prepare', { context: 'demo-admin', target: D, action: 'scale', params: { replicas: 5 } });
    await rig.kubectl(['scale', 'deployment/guarded', '--replicas=3']);
    const res = await rig.call('actions.execute', { token: plan.body.token });
    expect(res.status).toBe(409);
    expect((res.body.error as { message: string }).message).toMatch(/changed since the plan was made.*Nothing was changed.*Prepare the action again/);
    expect((await rig.kubectl(['get', 'deployment', 'guarded', '-o', 'jsonpath={.spec.replicas}'])).trim()).toBe('3');
  });

  it('404: a target deleted after prepare gives not_found with what to do', async () => {
    const plan = await rig.call('actions.prepare', { context: 'demo-admin', target: D, action: 'restart', params: {} });
    await rig.kubectl(['delete', 'deployment', 'guarded', '--wait=false']);
    const res = await rig.call('actions.execute', { token: plan.body.token });
    expect(res.status).toBe(404);
    expect((res.body.error as { message: string }).message).toMatch(/Deployment default\/guarded no longer exists.*prepare again/);
    const prepareGone = await rig.call('actions.prepare', { context: 'demo-admin', target: D, action: 'restart', params: {} });
    expect(prepareGone.status).toBe(404);
  });
});
