// When is a canary failing? An SRE's reading, shared by the Rollouts list, Topology and the header's
// problems list: the canary's 5xx ratio is clearly above the stable's (the threshold below), an
// AnalysisRun of the current step or the background analysis failed, or Argo aborted / degraded the
// rollout. Pure: a Rollout object (and error rates when a metrics source has them) in, a reason out.
import type { KubeObject } from './kube.js';

export interface CanaryErrorRates {
  canary: number | null;
  stable: number | null;
}

/** A canary fails on errors when its ratio is over 1 % and over twice the stable's. */
export const CANARY_ERROR_FLOOR = 0.01;
export const CANARY_ERROR_FACTOR = 2;

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function canaryErrorRateFailure(rates: CanaryErrorRates): string | undefined {
  if (rates.canary === null) return undefined;
  const stable = rates.stable ?? 0;
  if (rates.canary > Math.max(CANARY_ERROR_FLOOR, stable * CANARY_ERROR_FACTOR)) {
    return `canary error rate ${pct(rates.canary)} vs stable ${rates.stable === null ? '—' : pct(rates.stable)}`;
  }
  return undefined;
}

const FAILED_ANALYSIS = new Set(['Failed', 'Error', 'Inconclusive']);

interface AnalysisStatus {
  name?: string;
  status?: string;
  message?: string;
}

export interface RolloutFailure {
  reason: string;
  source: 'analysis' | 'abort' | 'degraded';
}

/** Failure Argo itself reports on the Rollout: analysis Failed/Error/Inconclusive, abort, Degraded. */
export function rolloutFailure(ro: KubeObject): RolloutFailure | undefined {
  const status = (ro.status ?? {}) as {
    phase?: string;
    message?: string;
    abort?: boolean;
    canary?: { currentStepAnalysisRunStatus?: AnalysisStatus; currentBackgroundAnalysisRunStatus?: AnalysisStatus };
  };
  for (const run of [status.canary?.currentStepAnalysisRunStatus, status.canary?.currentBackgroundAnalysisRunStatus]) {
    if (run?.status && FAILED_ANALYSIS.has(run.status)) return { reason: `analysis ${run.name ?? ''} ${run.status}${run.message ? `: ${run.message}` : ''}`.replace(/\s+/g, ' '), source: 'analysis' };
  }
  if (status.abort) return { reason: `aborted${status.message ? `: ${status.message}` : ''}`, source: 'abort' };
  if (status.phase === 'Degraded') return { reason: `Degraded${status.message ? `: ${status.message}` : ''}`, source: 'degraded' };
  return undefined;
}
