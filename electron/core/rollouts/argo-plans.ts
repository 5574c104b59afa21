// Plans for Argo Rollouts: the merge patches `kubectl argo rollouts pause|promote|abort|retry|
// restart|undo` send (argoproj/argo-rollouts pkg/kubectl-argo-rollouts/cmd/*). Status patches go
// to the /status subresource. Pure.
import { ContractError } from '../../../shared/contract-kit.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import type { PlannedRequest } from '../../../shared/contract/actions.js';
import type { ActionDraft } from '../actions/action-handler.js';
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

export function planPromote(input: PlanInput, full: boolean): ActionDraft {
  const r = shape(input.live);
  const status = r.status ?? {};
  const requests: PlannedRequest[] = [];
  const accessChecks = [];
  if (r.spec?.paused) {
    requests.push(specPatch(input.live, { spec: { paused: false } }));
    accessChecks.push(patchAccess(input.live));
  }
  let summary: string;
  const warnings: string[] = [];
  if (full) {
    if (status.currentPodHash && status.currentPodHash !== status.stableRS) {
      requests.push(statusPatch(input.live, { status: { promoteFull: true } }));
      summary = `Promote ${label(input.live)} fully: skip the remaining steps, analysis and pauses; the new version becomes stable.`;
    } else {
      summary = `Promote ${label(input.live)} fully: it is already on its stable version${r.spec?.paused ? ', so this only unpauses it' : ''}.`;
    }
  } else {
    const steps = r.spec?.strategy?.canary?.steps;
    const pauses = status.pauseConditions ?? [];
    const inconclusive = pauses.some((p) => p.reason === 'InconclusiveAnalysisRun' || p.reason === 'InconclusiveExperiment');
    const body: Record<string, unknown> = { pauseConditions: null };
    if (r.spec?.strategy?.canary && steps && steps.length > 0) {
      let index = status.currentStepIndex ?? 0;
      if (index < steps.length) index++;
      body.currentStepIndex = index;
      summary = `Promote ${label(input.live)}: go on to step ${index} of ${steps.length}.`;
    } else if (r.spec?.strategy?.blueGreen) {
      summary = `Promote ${label(input.live)}: the preview ReplicaSet becomes active.`;
    } else {
      summary = `Promote ${label(input.live)}: clear its pause.`;
    }
    if (inconclusive) body.controllerPause = false;
    requests.push(statusPatch(input.live, { status: body }));
    if (status.abort) warnings.push('The rollout is aborted: retry it first, a promote alone does not resume an aborted rollout.');
  }
  if (requests.some((q) => q.path.split('?')[0].endsWith('/status'))) accessChecks.push(statusAccess(input.live));
  if (requests.length === 0) throw new ContractError('invalid_request', `${label(input.live)} is fully promoted and not paused: there is nothing to promote.`);
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
      { method: 'GET', path: `/apis/apps/v1/namespaces/${ns(live)}/replicasets` },
      patchRequest('Rollout', ns(live), live.metadata.name, JSON_PATCH, [{ op: 'replace', path: '/spec/template', value: target.template }]),
    ],
    access: [{ verb: 'list', group: 'apps', resource: 'replicasets', namespace: ns(live) }, patchAccess(live)],
  });
}
