// Plans for Argo Rollouts: the merge patches `kubectl argo rollouts pause|promote|abort|retry|
// restart|undo` send (argoproj/argo-rollouts pkg/kubectl-argo-rollouts/cmd/*). Status patches go
// to the /status subresource. Pure.
import { ContractError } from '../../../shared/contract-kit.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import type { PlannedRequest } from '../../../shared/contract/actions.js';
import type { ActionDraft } from '../actions/index.js';
import { access, JSON_PATCH, MERGE_PATCH, patchRequest, rfc3339, specDiff } from './plan-kit.js';
import { pickRevision, revisionsOf, sameTemplate } from './revisions.js';
import type { PlanInput } from './workload-plans.js';

interface RolloutShape {
  spec?: { paused?: boolean; template?: unknown; strategy?: { canary?: { steps?: unknown[] }; blueGreen?: unknown } };
  status?: { pauseConditions?: Array<{ reason?: string }> | null; currentStepIndex?: number; currentPodHash?: string; stableRS?: string; abort?: boolean; controllerPause?: boolean };
}

const shape = (o: KubeObject) => o as unknown as RolloutShape;
const ns = (o: KubeObject) => o.metadata.namespace ?? 'default';
const label = (o: KubeObject) => `Rollout ${ns(o)}/${o.metadata.name}`;
const specPatch = (o: KubeObject, body: unknown): PlannedRequest => patchRequest('Rollout', ns(o), o.metadata.name, MERGE_PATCH, body);
const statusPatch = (o: KubeObject, body: unknown): PlannedRequest => patchRequest('Rollout', ns(o), o.metadata.name, MERGE_PATCH, body, { subresource: 'status' });
const patchAccess = (o: KubeObject) => access('Rollout', ns(o), o.metadata.name, 'patch');
const statusAccess = (o: KubeObject) => access('Rollout', ns(o), o.metadata.name, 'patch', 'status');

function finish(input: PlanInput, draft: Omit<ActionDraft, 'diff'>): ActionDraft {
  return { ...draft, diff: specDiff(input.live, draft.requests) };
}

/** The fields a status-patch plan was computed from; execute refuses when they moved. */
export function rolloutStatusKey(o: KubeObject): string {
  const s = shape(o).status ?? {};
  return JSON.stringify([s.currentStepIndex ?? null, (s.pauseConditions ?? []).map((p) => p.reason), s.currentPodHash ?? null, s.stableRS ?? null, s.abort ?? false, shape(o).spec?.paused ?? false]);
}

export function planRolloutPause(input: PlanInput): ActionDraft {
  return finish(input, {
    summary: `Pause ${label(input.live)}: the controller stops advancing steps until it is promoted or resumed.`,
    requests: [specPatch(input.live, { spec: { paused: true } })],
    access: [patchAccess(input.live)],
    warnings: shape(input.live).spec?.paused ? ['The rollout is already paused: this changes nothing.'] : [],
  });
}

/** The plugin has no "resume": its promote unpauses. This is that spec half alone. */
export function planRolloutResume(input: PlanInput): ActionDraft {
  if (!shape(input.live).spec?.paused) throw new ContractError('invalid_request', `rollout "${input.live.metadata.name}" is not paused (spec.paused is not set). To advance a step, promote it.`);
  return finish(input, {
    summary: `Resume ${label(input.live)}: clears spec.paused; step pauses still need a promote.`,
    requests: [specPatch(input.live, { spec: { paused: false } })],
    access: [patchAccess(input.live)],
  });
}

/**
 * The plugin's promote (cmd/promote/promote.go getPatches): the status patch first, then the spec
 * patch. A pause condition is only cleared (the controller then moves on by itself); the step index
 * is bumped only when nothing is paused (promoting through a running step) or after an inconclusive
 * analysis. `--full` sets promoteFull and does not touch spec.paused.
 */
export function planPromote(input: PlanInput, full: boolean): ActionDraft {
  const r = shape(input.live);
  const status = r.status ?? {};
  const canary = r.spec?.strategy?.canary;
  const steps = canary?.steps ?? [];
  const pauses = status.pauseConditions ?? [];
  const requests: PlannedRequest[] = [];
  const warnings: string[] = [];
  let summary: string;
  if (full) {
    if (!status.currentPodHash || status.currentPodHash === status.stableRS) {
      throw new ContractError('invalid_request', `${label(input.live)} is already on its stable version: there is nothing to promote fully.`);
    }
    requests.push(statusPatch(input.live, { status: { promoteFull: true } }));
    summary = `Promote ${label(input.live)} fully: skip the remaining steps, analysis and pauses; the new version becomes stable.`;
    if (r.spec?.paused) warnings.push('spec.paused stays set (the plugin does not unpause on --full): resume it too.');
  } else {
    const nextIndex = () => {
      const index = status.currentStepIndex ?? 0;
      return index < steps.length ? index + 1 : index;
    };
    if (r.status && (r.status as { canary?: { currentStepAnalysisRunStatus?: { status?: string } } }).canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive' && pauses.length > 0 && status.controllerPause && canary && steps.length > 0) {
      requests.push(statusPatch(input.live, { status: { pauseConditions: null, controllerPause: false, currentStepIndex: nextIndex() } }));
      summary = `Promote ${label(input.live)} past its inconclusive analysis: go on to step ${nextIndex()} of ${steps.length}.`;
    } else if (pauses.length > 0) {
      requests.push(statusPatch(input.live, { status: { pauseConditions: null } }));
      summary = r.spec?.strategy?.blueGreen
        ? `Promote ${label(input.live)}: the preview ReplicaSet becomes active.`
        : `Promote ${label(input.live)}: clear the ${pauses.map((p) => p.reason).join(', ')} pause at step ${status.currentStepIndex ?? 0} of ${steps.length}; the controller goes on to the next step.`;
    } else if (canary && steps.length > 0) {
      requests.push(statusPatch(input.live, { status: { pauseConditions: null, currentStepIndex: nextIndex() } }));
      summary = `Promote ${label(input.live)}: skip the running step, go on to step ${nextIndex()} of ${steps.length}.`;
    } else {
      summary = `Promote ${label(input.live)}: unpause it.`;
    }
    if (r.spec?.paused) requests.push(specPatch(input.live, { spec: { paused: false } }));
    if (status.abort) warnings.push('The rollout is aborted: retry it first, a promote alone does not resume an aborted rollout.');
  }
  if (requests.length === 0) throw new ContractError('invalid_request', `${label(input.live)} is not paused and has no step to skip: there is nothing to promote.`);
  const accessChecks = [];
  if (requests.some((q) => q.path.split('?')[0].endsWith('/status'))) accessChecks.push(statusAccess(input.live));
  if (requests.some((q) => !q.path.split('?')[0].endsWith('/status'))) accessChecks.push(patchAccess(input.live));
  return finish(input, { summary, requests, access: accessChecks, warnings });
}

export function planAbort(input: PlanInput): ActionDraft {
  return finish(input, {
    summary: `Abort ${label(input.live)}: traffic returns to the stable ReplicaSet and the canary/preview is scaled down.`,
    requests: [statusPatch(input.live, { status: { abort: true } })],
    access: [statusAccess(input.live)],
    warnings: shape(input.live).status?.abort ? ['The rollout is already aborted.'] : [],
  });
}

export function planRetry(input: PlanInput): ActionDraft {
  if (!shape(input.live).status?.abort) throw new ContractError('invalid_request', `rollout "${input.live.metadata.name}" is not aborted: only an aborted rollout can be retried.`);
  return finish(input, {
    summary: `Retry ${label(input.live)}: clear the abort and start the update again from the first step.`,
    requests: [statusPatch(input.live, { status: { abort: false } })],
    access: [statusAccess(input.live)],
  });
}

export function planRolloutRestart(input: PlanInput): ActionDraft {
  return finish(input, {
    summary: `Restart ${label(input.live)}: the controller replaces its pods one by one (spec.restartAt).`,
    requests: [specPatch(input.live, { spec: { restartAt: rfc3339(input.now) } })],
    access: [patchAccess(input.live)],
  });
}

function selectorOf(o: KubeObject): string {
  const labels = (o.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function planRolloutUndo(input: PlanInput, toRevision: number): ActionDraft {
  const { live } = input;
  const revisions = revisionsOf('Rollout', live, input.children ?? []);
  const target = pickRevision('Rollout', live, revisions, toRevision);
  if (sameTemplate('Rollout', target.template, shape(live).spec?.template)) {
    throw new ContractError('invalid_request', `${live.metadata.name}'s current template already matches revision ${target.revision}: there is nothing to roll back.`);
  }
  return finish(input, {
    summary: `Roll back ${label(live)} to revision ${target.revision} (ReplicaSet ${target.object.metadata.name}): it rolls out again through the strategy's steps.`,
    requests: [
      { method: 'GET', path: `/apis/apps/v1/namespaces/${ns(live)}/replicasets?labelSelector=${encodeURIComponent(selectorOf(live))}` },
      patchRequest('Rollout', ns(live), live.metadata.name, JSON_PATCH, [{ op: 'replace', path: '/spec/template', value: target.template }]),
    ],
    access: [{ verb: 'list', group: 'apps', resource: 'replicasets', namespace: ns(live) }, patchAccess(live)],
  });
}
