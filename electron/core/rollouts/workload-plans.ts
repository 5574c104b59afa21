// Plans for Deployments and StatefulSets: the exact requests `kubectl scale` and `kubectl rollout
// restart|pause|resume|undo` send (kubernetes/kubectl pkg/cmd/rollout, pkg/polymorphichelpers), built
// from the live object so the confirm dialog shows precisely what will be sent. Pure.
import { ContractError } from '../../../shared/contract-kit.js';
import type { WorkloadKind } from '../../../shared/contract/rollouts.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import type { ActionDraft } from '../actions/index.js';
import { access, getRequest, JSON_PATCH, MERGE_PATCH, patchRequest, rfc3339, specDiff, STRATEGIC_MERGE_PATCH } from './plan-kit.js';
import { pickRevision, revisionsOf, sameTemplate } from './revisions.js';

export interface PlanInput {
  kind: WorkloadKind;
  live: KubeObject;
  now: Date;
  /** ReplicaSets (Deployment, Rollout) or ControllerRevisions (StatefulSet) of the namespace; undo only. */
  children?: KubeObject[];
}

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** Deployment annotations undo keeps from the Deployment instead of copying from the ReplicaSet (kubectl rollback.go). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const ns = (o: KubeObject) => o.metadata.namespace ?? 'default';
const label = (kind: WorkloadKind, o: KubeObject) => `${kind} ${ns(o)}/${o.metadata.name}`;
const spec = (o: KubeObject) => (o.spec ?? {}) as { replicas?: number; paused?: boolean; template?: unknown };

function finish(input: PlanInput, draft: Omit<ActionDraft, 'diff'>): ActionDraft {
  return { ...draft, diff: specDiff(input.live, draft.requests) };
}

export function planScale(input: PlanInput, replicas: number): ActionDraft {
  const { kind, live } = input;
  const current = spec(live).replicas ?? 1;
  const warnings: string[] = [];
  if (replicas === 0) warnings.push(`Scaling to 0 stops every pod of ${live.metadata.name}: it serves nothing until scaled up again.`);
  if (replicas === current) warnings.push(`${live.metadata.name} already wants ${current} replicas: this changes nothing.`);
  if (kind === 'Deployment' && spec(live).paused) warnings.push('The Deployment is paused: the new replica count is applied, but a pending rollout stays paused.');
  return finish(input, {
    summary: `Scale ${label(kind, live)} from ${current} to ${replicas} replicas.`,
    requests: [getRequest(kind, ns(live), live.metadata.name), patchRequest(kind, ns(live), live.metadata.name, MERGE_PATCH, { spec: { replicas } }, { subresource: 'scale' })],
    access: [access(kind, ns(live), live.metadata.name, 'get'), access(kind, ns(live), live.metadata.name, 'patch', 'scale')],
    warnings,
  });
}

export function planRestart(input: PlanInput): ActionDraft {
  const { kind, live } = input;
  if (kind === 'Deployment' && spec(live).paused) {
    throw new ContractError('invalid_request', `Cannot restart the paused deployment "${live.metadata.name}": resume it first (kubectl refuses too: "can't restart paused deployment").`);
  }
  const stamp = rfc3339(input.now);
  const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } } };
  // The annotation has second precision: only a restart already stamped this second makes this one a no-op.
  const liveStamp = (spec(live).template as { metadata?: { annotations?: Record<string, string> } } | undefined)?.metadata?.annotations?.[RESTARTED_AT];
  return finish(input, {
    summary: `Restart ${label(kind, live)}: every pod is replaced by a rolling update (annotation ${RESTARTED_AT}).`,
    requests: [patchRequest(kind, ns(live), live.metadata.name, STRATEGIC_MERGE_PATCH, body, { fieldManager: 'kubectl-rollout' })],
    access: [access(kind, ns(live), live.metadata.name, 'patch')],
    warnings: liveStamp === stamp ? [`${live.metadata.name} was already restarted at ${stamp}: a second restart within the same second sets the same annotation and changes nothing.`] : [],
  });
}

export function planPauseResume(input: PlanInput, pause: boolean): ActionDraft {
  const { kind, live } = input;
  if (kind !== 'Deployment') throw new ContractError('invalid_request', `${kind}s cannot be paused: kubectl supports pause and resume for Deployments only.`);
  const paused = spec(live).paused === true;
  if (pause && paused) throw new ContractError('invalid_request', `deployment "${live.metadata.name}" is already paused.`);
  if (!pause && !paused) throw new ContractError('invalid_request', `deployment "${live.metadata.name}" is not paused.`);
  return finish(input, {
    summary: pause
      ? `Pause ${label(kind, live)}: template changes are recorded but not rolled out until resumed.`
      : `Resume ${label(kind, live)}: the controller rolls out any template change made while paused.`,
    requests: [patchRequest(kind, ns(live), live.metadata.name, STRATEGIC_MERGE_PATCH, { spec: { paused: pause ? true : null } }, { fieldManager: 'kubectl-rollout' })],
    access: [access(kind, ns(live), live.metadata.name, 'patch')],
  });
}

export function planUndo(input: PlanInput, toRevision: number): ActionDraft {
  const { kind, live } = input;
  const name = live.metadata.name;
  if (kind === 'Deployment' && spec(live).paused) {
    throw new ContractError('invalid_request', `Cannot roll back the paused deployment "${name}": resume it first, then undo (kubectl refuses too).`);
  }
  const revisions = revisionsOf(kind, live, input.children ?? []);
  const target = pickRevision(kind, live, revisions, toRevision);
  if (sameTemplate(kind, target.template, spec(live).template)) {
    throw new ContractError('invalid_request', `${name}'s current template already matches revision ${target.revision}: there is nothing to roll back.`);
  }
  const selector = (live.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  if (kind === 'StatefulSet') {
    // kubectl sends the ControllerRevision's stored patch as a strategic merge patch.
    return finish(input, {
      summary: `Roll back ${label(kind, live)} to revision ${target.revision} (${target.object.metadata.name}).`,
      requests: [
        getRequest(kind, ns(live), name),
        { method: 'GET', path: `/apis/apps/v1/namespaces/${ns(live)}/controllerrevisions?labelSelector=${encodeURIComponent(labelSelector)}` },
        patchRequest(kind, ns(live), name, STRATEGIC_MERGE_PATCH, target.object.data),
      ],
      access: [access(kind, ns(live), name, 'get'), { verb: 'list', group: 'apps', resource: 'controllerrevisions', namespace: ns(live) }, access(kind, ns(live), name, 'patch')],
    });
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(live.metadata.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(target.object.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  return finish(input, {
    summary: `Roll back ${label(kind, live)} to revision ${target.revision} (ReplicaSet ${target.object.metadata.name}): its pod template replaces the current one.`,
    requests: [
      getRequest(kind, ns(live), name),
      { method: 'GET', path: `/apis/apps/v1/namespaces/${ns(live)}/replicasets?labelSelector=${encodeURIComponent(labelSelector)}` },
      patchRequest(kind, ns(live), name, JSON_PATCH, [
        { op: 'replace', path: '/spec/template', value: target.template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ]),
    ],
    access: [access(kind, ns(live), name, 'get'), { verb: 'list', group: 'apps', resource: 'replicasets', namespace: ns(live) }, access(kind, ns(live), name, 'patch')],
  });
}
