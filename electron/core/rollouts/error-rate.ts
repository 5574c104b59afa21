// A canary's error ratio beside its stable's, so the person deciding promote-or-abort sees both.
// Read from Prometheus (the metrics domain's client) over the inference request counter, split by
// the Argo pod-template-hash label; when there is no Prometheus, the answer says so.
import type { ActionTarget } from '../../../shared/contract/actions.js';
import type { WorkloadReader } from './workload-reader.js';

/** The one thing we need from a Prometheus client (the metrics domain's PrometheusClient fits). */
export interface InstantQuery {
  query(promql: string): Promise<{ data: unknown }>;
}

export const REQUESTS_METRIC = 'inference_requests_total';

export function errorRatioQuery(namespace: string, hash: string, window = '2m'): string {
  const sel = `namespace="${namespace}",rollouts_pod_template_hash="${hash}"`;
  return `sum(rate(${REQUESTS_METRIC}{${sel},code=~"5.."}[${window}])) / sum(rate(${REQUESTS_METRIC}{${sel}}[${window}]))`;
}

function firstValue(data: unknown): number | null {
  const result = (data as { result?: Array<{ value?: [number, string] }> } | undefined)?.result;
  const raw = Array.isArray(result) ? result[0]?.value?.[1] : undefined;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function createErrorRates(reader: WorkloadReader, prometheus?: (context: string) => Promise<InstantQuery | undefined>) {
  return {
    async forTarget(context: string, target: ActionTarget) {
      if (target.kind !== 'Rollout') return { canary: null, stable: null, note: 'Error rates are shown for Argo Rollouts (split by pod-template hash).' };
      let client: InstantQuery | undefined;
      let why = 'no Prometheus is configured or found for this context.';
      try {
        client = prometheus ? await prometheus(context) : undefined;
      } catch (error) {
        why = error instanceof Error ? error.message : String(error);
      }
      if (!client) return { canary: null, stable: null, note: `No metrics source: ${why}` };
      const namespace = target.namespace ?? 'default';
      const live = await reader.get(context, 'Rollout', namespace, target.name);
      const status = (live.status ?? {}) as { currentPodHash?: string; stableRS?: string };
      const ask = async (hash?: string) => (hash ? firstValue((await client.query(errorRatioQuery(namespace, hash))).data) : null);
      try {
        const [canary, stable] = await Promise.all([status.currentPodHash !== status.stableRS ? ask(status.currentPodHash) : Promise.resolve(null), ask(status.stableRS)]);
        const note = canary === null && stable === null ? `No ${REQUESTS_METRIC} series for ${namespace}/${target.name} in Prometheus yet.` : undefined;
        return { canary, stable, note };
      } catch (error) {
        return { canary: null, stable: null, note: `Prometheus did not answer: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
