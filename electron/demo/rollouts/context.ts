// What one reconcile of one Rollout works on: the object, a working copy of its status and the
// ReplicaSets it owns. Strategies mutate `status` and scale ReplicaSets through the store.
import type { ObjectStore } from '../store.js';
import type { PauseReason, ReplicaSet, Rollout, RolloutStatus } from './types.js';

export interface SyncContext {
  store: ObjectStore;
  rollout: Rollout;
  status: RolloutStatus;
  /** Simulated epoch ms and its RFC 3339 form. */
  now: number;
  nowIso: string;
  replicas: number;
  hash: string;
  newRS: ReplicaSet;
  owned: ReplicaSet[];
}

export function hasPause(status: RolloutStatus, reason: PauseReason): boolean {
  return !!status.pauseConditions?.some((p) => p.reason === reason);
}

export function addPause(status: RolloutStatus, reason: PauseReason, nowIso: string): void {
  if (hasPause(status, reason)) return;
  status.pauseConditions = [...(status.pauseConditions ?? []), { reason, startTime: nowIso }];
  status.controllerPause = true;
}

export function removePause(status: RolloutStatus, reason: PauseReason): void {
  const left = (status.pauseConditions ?? []).filter((p) => p.reason !== reason);
  if (left.length) status.pauseConditions = left;
  else delete status.pauseConditions;
}

/** Clears every pause the controller added (promotion, abort, a new template). */
export function clearPause(status: RolloutStatus): void {
  delete status.pauseConditions;
  delete status.controllerPause;
}

/** Argo durations: a number of seconds or a Go-style string ("30s", "1m", "1h30m"). */
export function durationMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value * 1000;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = '';
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * units[m[2]];
    matched += m[0];
  }
  return matched === value ? total : undefined;
}
