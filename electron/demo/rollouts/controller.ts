// The reconcile of one Rollout, in the order argo-rollouts' controller runs it: observe the
// template (new hash → new ReplicaSet, steps restart), react to what users patched into status
// (abort, retry, promoteFull, cleared pause conditions) or spec (paused, restartAt), run the
// strategy, then recompute counts, conditions, phase and message and write status if it changed.
import { clone, type KubeObject, type ObjectStore } from '../store.js';
import { syncBlueGreen } from './bluegreen.js';
import { syncCanary } from './canary.js';
import { clearPause, type SyncContext } from './context.js';
import { podTemplateHash, stepsHash } from './hash.js';
import { MSG, calculatePhase, removeCondition, setCondition } from './phase.js';
import { ensureNewReplicaSet, hashOf, ownedReplicaSets, revisionOf } from './replicasets.js';
import { HASH_LABEL, REVISION_ANNOTATION, type ReplicaSet, type Rollout, type RolloutStatus } from './types.js';

export const ROLLOUTS = 'rollouts.argoproj.io';

export interface ClockLike {
  now(): number;
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function reconcileRollout(store: ObjectStore, clock: ClockLike, input: KubeObject): void {
  const rollout = input as Rollout;
  const spec = rollout.spec;
  if (!spec?.template || (!spec.strategy?.canary && !spec.strategy?.blueGreen)) return;
  const now = clock.now();
  const nowIso = isoSeconds(now);
  const before = rollout.status ?? {};
  const status: RolloutStatus = clone(before);
  const R = spec.replicas ?? 1;
  const hash = podTemplateHash(spec.template, status.collisionCount);
  let owned = ownedReplicaSets(store, rollout);
  const isCanary = !!spec.strategy.canary;
  const steps = spec.strategy.canary?.steps ?? [];
  const stepHash = isCanary ? stepsHash(steps) : undefined;
  let retried = false;

  if (status.currentPodHash !== hash || (isCanary && status.currentStepHash !== stepHash)) {
    // A new template (or new steps) starts the update over; going back to the stable hash (undo,
    // or an abort followed by a revert) skips the steps, as the real controller's rollback does.
    clearPause(status);
    delete status.abort;
    delete status.abortedAt;
    delete status.promoteFull;
    status.currentPodHash = hash;
    if (isCanary) status.currentStepIndex = !status.stableRS || status.stableRS === hash ? steps.length : 0;
  }
  if (isCanary) status.currentStepHash = stepHash;
  if (status.abort && !status.abortedAt) status.abortedAt = nowIso;
  if (!status.abort && status.abortedAt) {
    // `kubectl argo rollouts retry` sets abort=false: start the steps again.
    delete status.abortedAt;
    retried = true;
  }

  const newRS = ensureNewReplicaSet(store, rollout, hash, owned, 0);
  owned = ownedReplicaSets(store, rollout);
  const current = owned.find((rs) => hashOf(rs) === hash) ?? newRS;
  const revision = String(revisionOf(current));
  if (rollout.metadata.annotations?.[REVISION_ANNOTATION] !== revision) {
    store.mutate(ROLLOUTS, rollout.metadata.namespace, rollout.metadata.name, (obj) => {
      obj.metadata.annotations = { ...obj.metadata.annotations, [REVISION_ANNOTATION]: revision };
    });
  }

  const ctx: SyncContext = { store, rollout, status, now, nowIso, replicas: R, hash, newRS: current, owned };
  if (isCanary) syncCanary(ctx);
  else syncBlueGreen(ctx);
  // The real controller always writes both strategy blocks, the unused one empty.
  status.canary ??= {};
  status.blueGreen ??= {};
  restartPods(store, rollout, status, now, ownedReplicaSets(store, rollout));
  pruneHistory(store, rollout, status, hash);

  fillCounts(status, rollout, ownedReplicaSets(store, rollout), hash);
  fillConditions(status, before, rollout, now, current.metadata.name, Number(revision), retried, steps.length);
  status.observedGeneration = String(rollout.metadata.generation ?? 1);
  const { phase, message } = calculatePhase(rollout, status);
  status.phase = phase;
  if (message) status.message = message;
  else delete status.message;

  if (JSON.stringify(status) !== JSON.stringify(before)) {
    store.mutate(ROLLOUTS, rollout.metadata.namespace, rollout.metadata.name, (obj) => {
      obj.status = status;
    }, { subresource: 'status' });
  }
}

function fillCounts(status: RolloutStatus, rollout: Rollout, owned: ReplicaSet[], hash: string): void {
  const sum = (pick: (rs: ReplicaSet) => number | undefined, set = owned) => set.reduce((s, rs) => s + (pick(rs) ?? 0), 0);
  const newRS = owned.filter((rs) => hashOf(rs) === hash);
  status.replicas = sum((rs) => rs.status?.replicas);
  status.updatedReplicas = sum((rs) => rs.status?.replicas, newRS);
  status.readyReplicas = sum((rs) => rs.status?.readyReplicas);
  const labels = rollout.spec.selector?.matchLabels ?? {};
  const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (rollout.spec.strategy.blueGreen) {
    const active = owned.filter((rs) => hashOf(rs) === status.blueGreen?.activeSelector);
    status.availableReplicas = sum((rs) => rs.status?.availableReplicas, active);
    status.HPAReplicas = sum((rs) => rs.status?.replicas, active);
    if (status.blueGreen?.activeSelector) selector.push(`${HASH_LABEL}=${status.blueGreen.activeSelector}`);
  } else {
    status.availableReplicas = sum((rs) => rs.status?.availableReplicas);
    status.HPAReplicas = status.replicas;
  }
  status.selector = selector.join(',');
}

/** RolloutProgressing: did this reconcile move anything (pods, old replicas, steps, selectors)? */
function progressed(before: RolloutStatus, after: RolloutStatus): boolean {
  const old = (s: RolloutStatus) => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    after.updatedReplicas !== before.updatedReplicas ||
    old(after) < old(before) ||
    (after.readyReplicas ?? 0) > (before.readyReplicas ?? 0) ||
    (after.availableReplicas ?? 0) > (before.availableReplicas ?? 0) ||
    after.stableRS !== before.stableRS ||
    after.currentStepIndex !== before.currentStepIndex ||
    after.currentStepHash !== before.currentStepHash ||
    after.blueGreen?.activeSelector !== before.blueGreen?.activeSelector ||
    after.blueGreen?.previewSelector !== before.blueGreen?.previewSelector
  );
}

function fillConditions(status: RolloutStatus, before: RolloutStatus, rollout: Rollout, nowMs: number, rsName: string, revision: number, retried: boolean, stepCount: number): void {
  const now = isoSeconds(nowMs);
  const R = rollout.spec.replicas ?? 1;
  const paused = !!rollout.spec.paused || !!status.pauseConditions?.length;
  const promoted = !!status.stableRS && status.stableRS === status.currentPodHash;
  const bg = rollout.spec.strategy.blueGreen;
  const strategyDone = bg
    ? status.blueGreen?.activeSelector === status.currentPodHash && (!bg.previewService || status.blueGreen?.previewSelector === status.currentPodHash)
    : promoted && (stepCount === 0 || status.currentStepIndex === stepCount) && status.replicas === R;
  const healthy = status.updatedReplicas === R && status.availableReplicas === R && strategyDone;
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  const deadlineMs = (rollout.spec.progressDeadlineSeconds ?? 600) * 1000;

  setCondition(status, now, 'Available', (status.availableReplicas ?? 0) >= R ? 'True' : 'False', 'AvailableReason',
    (status.availableReplicas ?? 0) >= R ? MSG.available : MSG.notAvailable);
  if (status.abort) setCondition(status, now, 'Progressing', 'False', 'RolloutAborted', MSG.aborted(revision));
  else if (paused) setCondition(status, now, 'Progressing', 'Unknown', 'RolloutPaused', MSG.paused);
  else if (healthy && promoted) setCondition(status, now, 'Progressing', 'True', 'NewReplicaSetAvailable', MSG.rsCompleted(rsName));
  else if (retried) setCondition(status, now, 'Progressing', 'True', 'RolloutRetry', MSG.retry);
  else if (progressed(before, status) || !progressing || !['ReplicaSetUpdated', 'RolloutRetry', 'ProgressDeadlineExceeded'].includes(progressing.reason)) {
    // Progress refreshes lastUpdateTime (the real controller special-cases this condition), which
    // is what the progress deadline counts from.
    removeCondition(status, 'Progressing');
    setCondition(status, now, 'Progressing', 'True', 'ReplicaSetUpdated', MSG.rsProgressing(rsName));
    const fresh = status.conditions?.find((c) => c.type === 'Progressing');
    if (fresh && progressing?.status === 'True') fresh.lastTransitionTime = progressing.lastTransitionTime;
  } else if (progressing.reason !== 'ProgressDeadlineExceeded' && nowMs - Date.parse(progressing.lastUpdateTime) > deadlineMs) {
    setCondition(status, now, 'Progressing', 'False', 'ProgressDeadlineExceeded', MSG.timedOut(rsName));
    if (rollout.spec.progressDeadlineAbort) {
      status.abort = true;
      status.abortedAt = now;
    }
  }
  if (paused) setCondition(status, now, 'Paused', 'True', 'RolloutPaused', MSG.paused);
  else if (status.conditions?.some((c) => c.type === 'Paused')) setCondition(status, now, 'Paused', 'False', 'RolloutResumed', MSG.resumed);
  setCondition(status, now, 'Completed', promoted ? 'True' : 'False', 'RolloutCompleted', 'RolloutCompleted');
  setCondition(status, now, 'Healthy', healthy ? 'True' : 'False', 'RolloutHealthy', healthy ? MSG.healthy : MSG.notHealthy);
}

/** Keeps at most revisionHistoryLimit (default 10) scaled-down old ReplicaSets, oldest go first. */
function pruneHistory(store: ObjectStore, rollout: Rollout, status: RolloutStatus, hash: string): void {
  const limit = rollout.spec.revisionHistoryLimit ?? 10;
  const old = ownedReplicaSets(store, rollout).filter(
    (rs) => hashOf(rs) !== hash && hashOf(rs) !== status.stableRS && hashOf(rs) !== status.blueGreen?.activeSelector && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
  );
  for (const rs of old.slice(0, Math.max(0, old.length - limit))) store.delete('replicasets.apps', rs.metadata.namespace, rs.metadata.name);
}

/**
 * `kubectl argo rollouts restart` sets spec.restartAt: pods created before it are deleted one at a
 * time while everything else is available (the ReplicaSet controller recreates them); when none
 * is left the controller records status.restartedAt.
 */
function restartPods(store: ObjectStore, rollout: Rollout, status: RolloutStatus, now: number, owned: ReplicaSet[]): void {
  const restartAt = rollout.spec.restartAt;
  if (!restartAt || status.restartedAt === restartAt) return;
  const at = Date.parse(restartAt);
  if (!(at <= now)) return;
  const names = new Set(owned.filter((rs) => (rs.spec.replicas ?? 0) > 0).map((rs) => rs.metadata.name));
  const stale: KubeObject[] = [];
  for (const pod of store.peek('pods')) {
    if (pod.metadata.namespace !== rollout.metadata.namespace || pod.metadata.deletionTimestamp) continue;
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
    if (!owner || !names.has(owner.name)) continue;
    if (Date.parse(pod.metadata.creationTimestamp ?? '') < at) stale.push(pod);
  }
  if (stale.length === 0) {
    status.restartedAt = restartAt;
    return;
  }
  const settled = owned.every((rs) => (rs.status?.availableReplicas ?? 0) >= (rs.spec.replicas ?? 0));
  if (!settled) return;
  stale.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  store.delete('pods', stale[0].metadata.namespace, stale[0].metadata.name);
}
