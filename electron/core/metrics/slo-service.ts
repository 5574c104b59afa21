// SLO evaluation against a Prometheus: the SLOs from the files, plus default SLOs for inference
// services found in Prometheus without a file; latency bucket bounds read from Prometheus when the
// file does not list them (a threshold that is not one of them is reported, not guessed at); every
// window's error ratio and the data's coverage of the period queried, and the budget state computed.
import type { SloStatus } from '../../../shared/contract/metrics.js';
import { errorBudget, errorRatioQuery, evaluateSlo, firstSampleQuery, latencyThresholdProblem, sloFileSchema, slosFromFile, windowsNeeded, type Slo } from '../../../shared/model/slo.js';
import { promString } from '../../../shared/model/gpu-queries.js';
import type { PrometheusClient } from './prometheus-client.js';
import type { LoadedSlos } from './slo-files.js';

export const DEFAULTS_FILE = '(defaults: no SLO file for this service)';

export async function slosFor(client: PrometheusClient, loaded: LoadedSlos): Promise<Slo[]> {
  const names = loaded.slos[0]?.metrics ?? sloFileSchema.parse({ service: 'x' }).metrics;
  const known = new Set(loaded.slos.map((s) => s.service));
  const { data } = await client.query(`group by (${names.serviceLabel}) (${names.requests})`);
  const found = data.resultType === 'vector' ? data.result.map((r) => r.metric[names.serviceLabel]).filter((s): s is string => !!s) : [];
  const extra = [...new Set(found)]
    .filter((s) => !known.has(s))
    .sort()
    .flatMap((service) => slosFromFile(sloFileSchema.parse({ service }), DEFAULTS_FILE));
  const all = [...loaded.slos, ...extra];
  return Promise.all(
    all.map(async (slo) => {
      if (slo.slo !== 'latency' || slo.latencyBuckets) return slo;
      const q = `group by (le) (${slo.metrics.latencyBucket}{${slo.metrics.serviceLabel}=${promString(slo.service)}})`;
      const answer = await client.query(q);
      const bounds = answer.data.resultType === 'vector' ? answer.data.result.map((r) => (r.metric.le === '+Inf' ? Infinity : Number(r.metric.le))).filter((v) => !Number.isNaN(v)) : [];
      return bounds.length ? { ...slo, latencyBuckets: bounds } : slo;
    }),
  );
}

async function instantNumber(client: PrometheusClient, query: string, now: number): Promise<number | null> {
  const { data } = await client.query(query, now);
  const raw = data.resultType === 'vector' ? data.result[0]?.value[1] : undefined;
  const v = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(v) ? v : null;
}

export async function evaluateSlos(client: PrometheusClient, slos: Slo[], now = Date.now() / 1000): Promise<SloStatus[]> {
  return Promise.all(
    slos.map(async (slo): Promise<SloStatus> => {
      const queries = { sli: `1 - (${errorRatioQuery(slo, slo.period)})`, errorRatio: errorRatioQuery(slo, '5m'), firstSample: firstSampleQuery(slo) };
      const base = { service: slo.service, slo: slo.slo, title: slo.title, objective: slo.objective, period: slo.period, queries, file: slo.file };
      const problem = latencyThresholdProblem(slo);
      if (problem) {
        return { ...base, sli: null, budget: errorBudget(slo, null, null), windows: evaluateSlo(slo, {}).windows, state: 'invalid', problem };
      }
      const [values, firstSample] = await Promise.all([
        Promise.all(windowsNeeded(slo).map(async (w) => [w, await instantNumber(client, errorRatioQuery(slo, w), now)] as const)),
        instantNumber(client, firstSampleQuery(slo), now),
      ]);
      const result = evaluateSlo(slo, Object.fromEntries(values), firstSample === null ? null : now - firstSample);
      return { ...base, sli: result.sli, budget: result.budget, windows: result.windows, state: result.state };
    }),
  );
}
