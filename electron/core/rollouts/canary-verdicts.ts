// Marks a running canary failing when its error rate says so (shared/model/canary-health.ts), on
// top of what the Rollout object says itself (analysis, abort, Degraded: summarizeWorkload). Error
// rates are asked at most every `ttlMs` per canary, so a 1-second watch does not hammer Prometheus.
// Also remembers since when each failure has been seen, for the problems list.
import type { ActionTarget } from '../../../shared/contract/actions.js';
import type { WorkloadSummary } from '../../../shared/contract/rollouts.js';
import { canaryErrorRateFailure, type CanaryErrorRates } from '../../../shared/model/canary-health.js';
import type { WorkloadList } from './rollouts-reads.js';

export interface ErrorRateSource {
  forTarget(context: string, target: ActionTarget): Promise<CanaryErrorRates>;
}

/** A canary that serves traffic and is not already failed by Argo: its error rate decides. */
export const isLiveCanary = (w: WorkloadSummary): boolean => w.kind === 'Rollout' && !!w.canary?.canaryRS && !w.canary.aborted && !w.failure;

/** A canary's error-rate verdict changed: Topology colours the Rollout and its canary ReplicaSet's pods. */
export type CanaryVerdictListener = (context: string, canary: { namespace: string; name: string; canaryRS?: string }, reason: string | undefined) => void;

export function createCanaryVerdicts(errorRates: ErrorRateSource, opts: { ttlMs?: number; now?: () => number; onChange?: CanaryVerdictListener } = {}) {
  const ttlMs = opts.ttlMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const rates = new Map<string, { at: number; reason?: string }>();
  const since = new Map<string, string>();
  /** context|namespace/name -> the canary RS and reason last told to onChange. */
  const told = new Map<string, { canaryRS?: string; reason: string }>();

  function tell(context: string, seen: Map<string, { canaryRS?: string; reason: string }>, namespace?: string): void {
    if (!opts.onChange) return;
    for (const [key, verdict] of seen) {
      const before = told.get(key);
      if (before?.reason === verdict.reason && before.canaryRS === verdict.canaryRS) continue;
      if (before && before.canaryRS !== verdict.canaryRS) opts.onChange(context, { ...refOf(key), canaryRS: before.canaryRS }, undefined);
      told.set(key, verdict);
      opts.onChange(context, { ...refOf(key), canaryRS: verdict.canaryRS }, verdict.reason);
    }
    for (const [key, before] of told) {
      const [keyContext] = key.split('|');
      if (keyContext !== context || seen.has(key) || (namespace !== undefined && refOf(key).namespace !== namespace)) continue;
      told.delete(key);
      opts.onChange(context, { ...refOf(key), canaryRS: before.canaryRS }, undefined);
    }
  }
  const refOf = (key: string) => {
    const [namespace, name] = key.split('|')[1].split('/');
    return { namespace, name };
  };

  async function errorRateReason(context: string, w: WorkloadSummary): Promise<string | undefined> {
    const key = `${context}|${w.namespace}/${w.name}|${w.canary?.canaryRS ?? ''}`;
    const hit = rates.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.reason;
    let reason: string | undefined;
    try {
      reason = canaryErrorRateFailure(await errorRates.forTarget(context, { kind: 'Rollout', namespace: w.namespace, name: w.name }));
    } catch {
      // No number, no verdict: the detail panel's error-rate line says why.
    }
    rates.set(key, { at: now(), reason });
    return reason;
  }

  return {
    /** The list with `failure` set on failing canaries and `since` on every failure. */
    async apply(context: string, list: WorkloadList, namespace?: string): Promise<WorkloadList> {
      const workloads = await Promise.all(
        list.workloads.map(async (w) => {
          let failure = w.failure;
          if (isLiveCanary(w)) {
            const reason = await errorRateReason(context, w);
            if (reason) failure = { reason, source: 'errorRate' };
          }
          if (!failure) return w;
          const key = `${context}|${w.kind}/${w.namespace}/${w.name}|${failure.source}`;
          if (!since.has(key)) since.set(key, new Date(now()).toISOString());
          return { ...w, failure: { ...failure, since: since.get(key) } };
        }),
      );
      const seen = new Map<string, { canaryRS?: string; reason: string }>();
      for (const w of workloads) if (w.failure?.source === 'errorRate') seen.set(`${context}|${w.namespace}/${w.name}`, { canaryRS: w.canary?.canaryRS, reason: w.failure.reason });
      tell(context, seen, namespace);
      // Forget failures that are over, so a later one starts its own clock.
      const failing = new Set(workloads.filter((w) => w.failure).map((w) => `${context}|${w.kind}/${w.namespace}/${w.name}|${w.failure!.source}`));
      for (const key of since.keys()) {
        const [keyContext, ref] = key.split('|');
        if (keyContext === context && (namespace === undefined || ref.split('/')[1] === namespace) && !failing.has(key)) since.delete(key);
      }
      return { ...list, workloads };
    },
  };
}
