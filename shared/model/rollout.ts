// What a rollout looks like to an SRE: one summary per Deployment, StatefulSet or Argo Rollout, with
// "done" decided exactly as `kubectl rollout status` decides it (kubectl/pkg/polymorphichelpers/
// rollout_status.go) and Argo phases as the argo plugin shows them (pkg/kubectl-argo-rollouts/info).
// Pure: objects in, summaries out.
import type { KubeObject } from './kube.js';
import type { RolloutProgress, WorkloadKind, WorkloadSummary } from '../contract/rollouts.js';
import { rolloutFailure } from './canary-health.js';

export const MODEL_NAME_ANNOTATION = 'flightdeck.dev/model-name';
export const MODEL_VERSION_ANNOTATION = 'flightdeck.dev/model-version';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/**
 * A model version as people write it: "3.1" reads "v3.1", while "v1.5" or a dated tag like
 * "2024-07-23-fp8" is printed as it is (a "v" in front of those gave "vv1.5" and "v2024-…").
 */
export function modelVersionLabel(version: string): string {
  return /^\d+(\.\d+)*$/.test(version) ? `v${version}` : version;
}
export const DEPLOYMENT_REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const ROLLOUT_REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const DEPLOYMENT_HASH_LABEL = 'pod-template-hash';
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';

/* Loose readers: cluster objects are untyped JSON. */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !isNaN(Number(v)) ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const specOf = (o: KubeObject): Obj => obj(o.spec);
export const statusOf = (o: KubeObject): Obj => obj(o.status);

export function imagesOf(template: unknown): string[] {
  const spec = obj(obj(template).spec);
  return [...arr(spec.initContainers), ...arr(spec.containers)].map((c) => str(obj(c).image)).filter((i): i is string => !!i);
}

function conditionsOf(o: KubeObject): WorkloadSummary['conditions'] {
  return arr(statusOf(o).conditions).map((c) => {
    const cond = obj(c);
    return { type: str(cond.type) ?? '', status: str(cond.status) ?? '', reason: str(cond.reason), message: str(cond.message) };
  });
}

function fractionOf(desired: number, updated: number, available: number, oldPending: boolean): number {
  if (desired <= 0) return oldPending ? 0.5 : 0.99;
  const part = (Math.min(updated, desired) + Math.min(available, updated, desired)) / (2 * desired);
  return Math.min(0.99, oldPending ? part * 0.95 : part);
}

/** `kubectl rollout status deployment/X`, one poll: the same branch order and messages. */
export function deploymentProgress(d: KubeObject): RolloutProgress {
  const name = d.metadata.name;
  const spec = specOf(d);
  const status = statusOf(d);
  const generation = num(d.metadata.generation) ?? 0;
  const observed = num(status.observedGeneration) ?? 0;
  const desired = num(spec.replicas) ?? 1;
  const updated = num(status.updatedReplicas) ?? 0;
  const replicas = num(status.replicas) ?? 0;
  const available = num(status.availableReplicas) ?? 0;
  if (generation > observed) return { done: false, failed: false, message: 'Waiting for deployment spec update to be observed...', fraction: 0 };
  const progressing = conditionsOf(d).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline`, fraction: fractionOf(desired, updated, available, replicas > updated) };
  }
  const fraction = fractionOf(desired, updated, available, replicas > updated);
  if (updated < desired) return { done: false, failed: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`, fraction };
  if (replicas > updated) return { done: false, failed: false, message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`, fraction };
  if (available < updated) return { done: false, failed: false, message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, fraction };
  return { done: true, failed: false, message: `deployment "${name}" successfully rolled out`, fraction: 1 };
}

/** `kubectl rollout status statefulset/X`, one poll. */
export function statefulSetProgress(s: KubeObject): RolloutProgress {
  const spec = specOf(s);
  const status = statusOf(s);
  const strategy = obj(spec.updateStrategy);
  const type = str(strategy.type) ?? 'RollingUpdate';
  const desired = num(spec.replicas) ?? 1;
  const ready = num(status.readyReplicas) ?? 0;
  const updated = num(status.updatedReplicas) ?? 0;
  const observed = num(status.observedGeneration) ?? 0;
  const generation = num(s.metadata.generation) ?? 0;
  const fraction = fractionOf(desired, updated, ready, false);
  if (type !== 'RollingUpdate') return { done: false, failed: true, message: 'rollout status is only available for RollingUpdate strategy type', fraction: 0 };
  if (observed === 0 || generation > observed) return { done: false, failed: false, message: 'Waiting for statefulset spec update to be observed...', fraction: 0 };
  if (ready < desired) return { done: false, failed: false, message: `Waiting for ${desired - ready} pods to be ready...`, fraction };
  const rolling = strategy.rollingUpdate === undefined ? undefined : obj(strategy.rollingUpdate);
  if (rolling) {
    const partition = num(rolling.partition);
    if (partition !== undefined && updated < desired - partition) {
      return { done: false, failed: false, message: `Waiting for partitioned roll out to finish: ${updated} out of ${desired - partition} new pods have been updated...`, fraction };
    }
    return { done: true, failed: false, message: `partitioned roll out complete: ${updated} new pods have been updated...`, fraction: 1 };
  }
  const updateRevision = str(status.updateRevision);
  if (updateRevision !== str(status.currentRevision)) {
    return { done: false, failed: false, message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`, fraction };
  }
  return { done: true, failed: false, message: `statefulset rolling update complete ${ready} pods at revision ${updateRevision}...`, fraction: 1 };
}

/** Phase and message as `kubectl argo rollouts get/status` shows them. */
export function rolloutPhase(r: KubeObject): { phase: string; message?: string } {
  const status = statusOf(r);
  const observed = str(status.observedGeneration) ?? (num(status.observedGeneration) !== undefined ? String(status.observedGeneration) : undefined);
  if (observed !== String(r.metadata.generation ?? '')) return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  if (status.controllerPause === true && arr(status.pauseConditions).length === 0) return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  return { phase: str(status.phase) ?? 'Progressing', message: str(status.message) };
}

const rsHash = (rs: KubeObject): string | undefined => rs.metadata.labels?.[ROLLOUT_HASH_LABEL];

/** ReplicaSets controlled by the owner (controller ownerReference uid), as kubectl and argo select them. */
export function ownedReplicaSets(owner: KubeObject, replicaSets: KubeObject[]): KubeObject[] {
  const uid = owner.metadata.uid;
  return replicaSets.filter(
    (rs) => rs.metadata.namespace === owner.metadata.namespace && (rs.metadata.ownerReferences ?? []).some((ref) => ref.controller && (uid ? ref.uid === uid : ref.name === owner.metadata.name)),
  );
}

function rolloutSummaryParts(r: KubeObject, replicaSets: KubeObject[]): Pick<WorkloadSummary, 'canary' | 'blueGreen' | 'strategy' | 'progress' | 'phase' | 'phaseMessage'> {
  const spec = specOf(r);
  const status = statusOf(r);
  const strategy = obj(spec.strategy);
  const { phase, message } = rolloutPhase(r);
  const available = num(status.availableReplicas) ?? 0;
  const desired = num(spec.replicas) ?? 1;
  const updated = num(status.updatedReplicas) ?? 0;
  const pauseReasons = arr(status.pauseConditions).map((p) => str(obj(p).reason) ?? '').filter(Boolean);
  const aborted = status.abort === true;
  const owned = ownedReplicaSets(r, replicaSets);
  const currentHash = str(status.currentPodHash);
  const stableHash = str(status.stableRS);
  const rsName = (hash: string | undefined) => (hash ? (owned.find((rs) => rsHash(rs) === hash)?.metadata.name ?? `${r.metadata.name}-${hash}`) : undefined);
  const done = phase === 'Healthy';
  const failed = phase === 'Degraded';
  const progress: RolloutProgress = {
    done,
    failed,
    message: `${phase}${message ? ` - ${message}` : ''}`,
    fraction: done ? 1 : fractionOf(desired, updated, available, false),
  };
  const base = { phase, phaseMessage: message, progress };
  if (strategy.blueGreen) {
    const bg = obj(strategy.blueGreen);
    const bgStatus = obj(status.blueGreen);
    const activeSelector = str(bgStatus.activeSelector);
    const previewSelector = str(bgStatus.previewSelector);
    return {
      ...base,
      strategy: 'BlueGreen',
      blueGreen: {
        activeRS: rsName(activeSelector),
        previewRS: previewSelector && previewSelector !== activeSelector ? rsName(previewSelector) : undefined,
        activeSelector: activeSelector ? `${ROLLOUT_HASH_LABEL}=${activeSelector}` : undefined,
        previewSelector: previewSelector ? `${ROLLOUT_HASH_LABEL}=${previewSelector}` : undefined,
        activeService: str(bg.activeService),
        previewService: str(bg.previewService),
        pauseReasons,
        aborted,
      },
    };
  }
  const canary = obj(strategy.canary);
  const steps = arr(canary.steps).map(obj);
  const stepIndex = num(status.currentStepIndex);
  // argo's GetCurrentSetWeight: the nearest setWeight at or before the current step; 100 when done.
  let setWeight = 0;
  if (steps.length === 0 || (stepIndex ?? 0) >= steps.length) setWeight = 100;
  else {
    for (let i = stepIndex ?? 0; i >= 0; i--) {
      const w = num(steps[i].setWeight);
      if (w !== undefined) {
        setWeight = w;
        break;
      }
    }
  }
  if (aborted) setWeight = 0;
  let weight: number;
  const weights = obj(obj(status.canary).weights);
  if (canary.trafficRouting && weights.canary) weight = num(obj(weights.canary).weight) ?? 0;
  else {
    const canaryRs = owned.find((rs) => rsHash(rs) === currentHash);
    const canaryAvailable = canaryRs ? (num(statusOf(canaryRs).availableReplicas) ?? 0) : 0;
    weight = available > 0 ? Math.round((canaryAvailable * 100) / available) : 0;
  }
  return {
    ...base,
    strategy: 'Canary',
    canary: {
      stepIndex,
      stepCount: steps.length,
      setWeight,
      weight,
      pauseReasons,
      stableRS: rsName(stableHash),
      canaryRS: currentHash && currentHash !== stableHash ? rsName(currentHash) : undefined,
      aborted,
    },
  };
}

/** One row of the rollouts view. */
export function summarizeWorkload(kind: WorkloadKind, o: KubeObject, replicaSets: KubeObject[] = []): WorkloadSummary {
  const spec = specOf(o);
  const status = statusOf(o);
  const annotations = o.metadata.annotations ?? {};
  const template = obj(spec.template);
  const templateAnnotations = obj(obj(template.metadata).annotations) as Record<string, string>;
  const desired = num(spec.replicas) ?? 1;
  const common = {
    kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    images: imagesOf(template),
    model: {
      name: annotations[MODEL_NAME_ANNOTATION] ?? templateAnnotations[MODEL_NAME_ANNOTATION],
      version: annotations[MODEL_VERSION_ANNOTATION] ?? templateAnnotations[MODEL_VERSION_ANNOTATION],
    },
    changeCause: annotations[CHANGE_CAUSE_ANNOTATION],
    replicas: {
      desired,
      current: num(status.replicas) ?? 0,
      updated: num(status.updatedReplicas) ?? 0,
      ready: num(status.readyReplicas) ?? 0,
      available: num(status.availableReplicas) ?? 0,
    },
    paused: spec.paused === true,
    conditions: conditionsOf(o),
  };
  if (kind === 'Deployment') {
    const progress = deploymentProgress(o);
    const failure = progress.failed ? { reason: progress.message, source: 'progress' as const } : undefined;
    return { ...common, revision: annotations[DEPLOYMENT_REVISION_ANNOTATION], strategy: str(obj(spec.strategy).type) ?? 'RollingUpdate', progress, ...(failure ? { failure } : {}) };
  }
  if (kind === 'StatefulSet') {
    return { ...common, revision: str(status.updateRevision), strategy: str(obj(spec.updateStrategy).type) ?? 'RollingUpdate', progress: statefulSetProgress(o) };
  }
  const parts = rolloutSummaryParts(o, replicaSets);
  const failure = rolloutFailure(o);
  return { ...common, revision: annotations[ROLLOUT_REVISION_ANNOTATION], ...parts, ...(failure ? { failure } : {}) };
}
