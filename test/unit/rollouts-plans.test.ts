import { describe, expect, it } from 'vitest';
import fastJsonPatch from 'fast-json-patch';
import type { KubeObject } from '../../shared/model/kube.js';
import { ContractError } from '../../shared/contract-kit.js';
import { planPauseResume, planRestart, planScale, planUndo } from '../../electron/core/rollouts/workload-plans.js';
import { planAbort, planPromote, planRetry, planRolloutRestart, planRolloutUndo } from '../../electron/core/rollouts/argo-plans.js';
import { sideBySide } from '../../electron/core/rollouts/plan-kit.js';

const now = new Date('2026-11-24T19:20:03.456Z');
const owner = (kind: string, name: string, uid: string) => [{ apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind, name, uid, controller: true }];

function deploy(extra: Partial<{ paused: boolean; image: string; annotations: Record<string, string> }> = {}): KubeObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'inference', uid: 'u1', generation: 3, annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', ...extra.annotations } },
    spec: { replicas: 3, paused: extra.paused, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: extra.image ?? 'vllm:2' }] } } },
  };
}

function rs(name: string, revision: number, image: string, uid = 'u1', extraAnnotations: Record<string, string> = {}): KubeObject {
  return {
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'inference',
      annotations: { 'deployment.kubernetes.io/revision': String(revision), 'kubernetes.io/change-cause': `image ${image}`, ...extraAnnotations },
      ownerReferences: owner('Deployment', 'web', uid),
    },
    spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': name.slice(4) } }, spec: { containers: [{ name: 'web', image }] } } },
  };
}

describe('Deployment plans send what kubectl sends', () => {
  it('scale: GET then a merge patch on /scale', () => {
    const draft = planScale({ kind: 'Deployment', live: deploy(), now }, 5);
    expect(draft.requests).toEqual([
      { method: 'GET', path: '/apis/apps/v1/namespaces/inference/deployments/web' },
      { method: 'PATCH', path: '/apis/apps/v1/namespaces/inference/deployments/web/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } } },
    ]);
    expect(draft.access).toContainEqual({ verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'inference', name: 'web' });
    expect(draft.diff).toContain('-  replicas: 3');
    expect(draft.diff).toContain('+  replicas: 5');
  });
  it('warns before scaling to zero', () => {
    expect(planScale({ kind: 'Deployment', live: deploy(), now }, 0).warnings?.join(' ')).toMatch(/stops every pod/);
  });
  it('restart: strategic merge of restartedAt at second precision with the kubectl-rollout field manager', () => {
    const draft = planRestart({ kind: 'Deployment', live: deploy(), now });
    expect(draft.requests[0]).toEqual({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/inference/deployments/web?fieldManager=kubectl-rollout',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-24T19:20:03Z' } } } } },
    });
  });
  it('restart refuses a paused deployment, as kubectl does', () => {
    expect(() => planRestart({ kind: 'Deployment', live: deploy({ paused: true }), now })).toThrow(/resume it first/);
  });
  it('pause and resume: paused true, then null (delete)', () => {
    expect(planPauseResume({ kind: 'Deployment', live: deploy(), now }, true).requests[0].body).toEqual({ spec: { paused: true } });
    expect(planPauseResume({ kind: 'Deployment', live: deploy({ paused: true }), now }, false).requests[0].body).toEqual({ spec: { paused: null } });
    expect(() => planPauseResume({ kind: 'Deployment', live: deploy({ paused: true }), now }, true)).toThrow(ContractError);
  });
  it('undo: json-patch replacing the template (hash stripped) and the annotations kubectl computes', () => {
    const children = [rs('web-aaa', 1, 'vllm:1'), rs('web-bbb', 2, 'vllm:2'), rs('other-ccc', 7, 'x', 'someone-else')];
    const draft = planUndo({ kind: 'Deployment', live: deploy(), now, children }, 0);
    const patch = draft.requests.at(-1);
    expect(patch?.contentType).toBe('application/json-patch+json');
    expect(patch?.body).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'vllm:1' }] } } },
      {
        op: 'replace',
        path: '/metadata/annotations',
        // revision and last-applied kept from the Deployment; change-cause copied from the ReplicaSet.
        value: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kubernetes.io/change-cause': 'image vllm:1' },
      },
    ]);
    const after = fastJsonPatch.applyPatch(structuredClone(deploy()), patch?.body as fastJsonPatch.Operation[], false, false).newDocument;
    expect((after.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image).toBe('vllm:1');
    expect(draft.diff).toContain('+        - image: vllm:1');
  });
  it('undo refuses an unknown revision and a no-op', () => {
    const children = [rs('web-aaa', 1, 'vllm:1'), rs('web-bbb', 2, 'vllm:2')];
    expect(() => planUndo({ kind: 'Deployment', live: deploy(), now, children }, 9)).toThrow(/Revision 9 is not in the history/);
    expect(() => planUndo({ kind: 'Deployment', live: deploy(), now, children }, 2)).toThrow(/already matches revision 2/);
  });
});

function rollout(status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
  return {
    kind: 'Rollout',
    metadata: { name: 'recommender', namespace: 'inference', uid: 'r1', generation: 4 },
    spec: { replicas: 5, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '30s' } }] } }, template: { metadata: { labels: { app: 'rec' } }, spec: { containers: [{ name: 'rec', image: 'rec:2' }] } }, ...spec },
    status: { observedGeneration: '4', currentPodHash: 'new', stableRS: 'old', ...status },
  };
}

describe('Argo Rollouts plans send what the plugin sends', () => {
  it('promote at a canary pause step only clears the pause, on /status (the controller moves on)', () => {
    const draft = planPromote({ kind: 'Rollout', live: rollout({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'x' }] }), now }, false);
    expect(draft.requests).toEqual([
      { method: 'PATCH', path: '/apis/argoproj.io/v1alpha1/namespaces/inference/rollouts/recommender/status', contentType: 'application/merge-patch+json', body: { status: { pauseConditions: null } } },
    ]);
    expect(draft.access).toEqual([{ verb: 'patch', group: 'argoproj.io', resource: 'rollouts', subresource: 'status', namespace: 'inference', name: 'recommender' }]);
  });
  it('promote during a running step skips it: step index + 1', () => {
    expect(planPromote({ kind: 'Rollout', live: rollout({ currentStepIndex: 2 }), now }, false).requests.map((r) => r.body)).toEqual([{ status: { pauseConditions: null, currentStepIndex: 3 } }]);
  });
  it('promote sends the status patch first, then unpauses spec.paused', () => {
    const draft = planPromote({ kind: 'Rollout', live: rollout({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'x' }] }, { paused: true }), now }, false);
    expect(draft.requests.map((r) => r.body)).toEqual([{ status: { pauseConditions: null } }, { spec: { paused: false } }]);
  });
  it('promote after an inconclusive analysis also lifts the controller pause and moves on', () => {
    const live = rollout({ currentStepIndex: 1, controllerPause: true, pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 'x' }], canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } } });
    expect(planPromote({ kind: 'Rollout', live, now }, false).requests.map((r) => r.body)).toEqual([{ status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } }]);
  });
  it('promote --full sets promoteFull only while the canary differs from stable, and leaves spec.paused alone', () => {
    expect(planPromote({ kind: 'Rollout', live: rollout({ currentStepIndex: 1 }, { paused: true }), now }, true).requests.map((r) => r.body)).toEqual([{ status: { promoteFull: true } }]);
    expect(() => planPromote({ kind: 'Rollout', live: rollout({ currentPodHash: 'old' }), now }, true)).toThrow(/nothing to promote/);
  });
  it('abort, retry and restart', () => {
    expect(planAbort({ kind: 'Rollout', live: rollout({}), now }).requests[0].body).toEqual({ status: { abort: true } });
    expect(planRetry({ kind: 'Rollout', live: rollout({ abort: true }), now }).requests[0].body).toEqual({ status: { abort: false } });
    expect(() => planRetry({ kind: 'Rollout', live: rollout({}), now })).toThrow(/not aborted/);
    const restart = planRolloutRestart({ kind: 'Rollout', live: rollout({}), now }).requests[0];
    expect(restart).toMatchObject({ path: '/apis/argoproj.io/v1alpha1/namespaces/inference/rollouts/recommender', body: { spec: { restartAt: '2026-11-24T19:20:03Z' } } });
  });
  it('undo replaces /spec/template with the chosen revision minus rollouts-pod-template-hash', () => {
    const child = (hash: string, revision: number, image: string): KubeObject => ({
      metadata: { name: `recommender-${hash}`, namespace: 'inference', labels: { 'rollouts-pod-template-hash': hash }, annotations: { 'rollout.argoproj.io/revision': String(revision) }, ownerReferences: owner('Rollout', 'recommender', 'r1') },
      spec: { template: { metadata: { labels: { app: 'rec', 'rollouts-pod-template-hash': hash } }, spec: { containers: [{ name: 'rec', image }] } } },
    });
    const draft = planRolloutUndo({ kind: 'Rollout', live: rollout({}), now, children: [child('old', 1, 'rec:1'), child('new', 2, 'rec:2')] }, 0);
    expect(draft.requests.at(-1)?.body).toEqual([{ op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'rec' } }, spec: { containers: [{ name: 'rec', image: 'rec:1' }] } } }]);
  });
});

describe('side-by-side rows', () => {
  it('pairs a changed line with its replacement and keeps unchanged lines on both sides', () => {
    expect(sideBySide('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { left: 'a', right: 'a', change: 'same' },
      { left: 'b', right: 'B', change: 'changed' },
      { left: 'c', right: 'c', change: 'same' },
      { left: null, right: 'd', change: 'added' },
    ]);
  });
});
