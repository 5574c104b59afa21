// Status conditions and the phase/message pair, with the reasons and messages of
// argo-rollouts' utils/conditions and utils/rollout (CalculateRolloutPhase): the UI and
// `kubectl argo rollouts get` read exactly these strings.
import type { Rollout, RolloutCondition, RolloutStatus } from './types.js';

export const MSG = {
  available: 'Rollout has minimum availability',
  notAvailable: 'Rollout does not have minimum availability',
  paused: 'Rollout is paused',
  resumed: 'Rollout is resumed',
  healthy: 'Rollout is healthy',
  notHealthy: 'Rollout is not healthy',
  aborted: (revision: number) => `Rollout aborted update to revision ${revision}`,
  retry: 'Retrying Rollout after abort',
  rsProgressing: (rs: string) => `ReplicaSet "${rs}" is progressing.`,
  rsCompleted: (rs: string) => `ReplicaSet "${rs}" has successfully progressed.`,
  timedOut: (rs: string) => `ReplicaSet "${rs}" has timed out progressing.`,
} as const;

/**
 * Sets a condition as SetRolloutCondition does: unchanged status+reason keeps the old entry
 * (timestamps included); same status with a new reason keeps lastTransitionTime.
 */
export function setCondition(
  status: RolloutStatus,
  now: string,
  type: RolloutCondition['type'],
  value: RolloutCondition['status'],
  reason: string,
  message: string,
): void {
  const conditions = status.conditions ?? [];
  const current = conditions.find((c) => c.type === type);
  if (current && current.status === value && current.reason === reason) return;
  const next: RolloutCondition = {
    type,
    status: value,
    reason,
    message,
    lastTransitionTime: current && current.status === value ? current.lastTransitionTime : now,
    lastUpdateTime: now,
  };
  status.conditions = [...conditions.filter((c) => c.type !== type), next];
}

export function removeCondition(status: RolloutStatus, type: RolloutCondition['type']): void {
  if (status.conditions) status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** Port of CalculateRolloutPhase: the controller writes the result into status.phase/message. */
export function calculatePhase(rollout: Rollout, status: RolloutStatus): { phase: NonNullable<RolloutStatus['phase']>; message: string } {
  const spec = rollout.spec;
  for (const cond of status.conditions ?? []) {
    if (cond.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${cond.message}` };
    if (cond.reason === 'RolloutAborted' || cond.reason === 'ProgressDeadlineExceeded') {
      return { phase: 'Degraded', message: `${cond.reason}: ${cond.message}` };
    }
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const firstPause = status.pauseConditions?.[0];
  if (firstPause) return { phase: 'Paused', message: firstPause.reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt) return { phase: 'Progressing', message: 'rollout is restarting' };
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  const fullyPromoted = !!status.stableRS && status.stableRS === status.currentPodHash;
  if (spec.strategy.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) return { phase: 'Progressing', message: 'active service cutover pending' };
    if (!fullyPromoted) return { phase: 'Progressing', message: 'waiting for post-promotion verification to complete' };
  } else if (spec.strategy.canary) {
    if (!spec.strategy.canary.trafficRouting && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (!fullyPromoted) return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return { phase: 'Healthy', message: '' };
}
