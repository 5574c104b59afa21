// Per inference service: request rate, error rate, latency quantiles, tokens/s and GPU cost per 1k
// requests, as PromQL over the services' request metrics (names from the SLO files, one place).
import type { ServicePanel } from '../../../shared/contract/metrics.js';
import type { SloMetricNames } from '../../../shared/model/slo.js';
import { promString } from '../../../shared/model/gpu-queries.js';
import { forEachSample, type AnySeries } from '../../../shared/model/gpu-grid.js';
import { sampleValue } from '../../../shared/model/gpu-labels.js';

export interface PanelDef {
  id: ServicePanel['id'];
  title: string;
  unit: string;
  query: string;
}

/** `rate()` needs at least two samples in its window: never less than 1 minute, never less than 2 steps. */
export const rateWindow = (step: number) => `${Math.max(60, 2 * step)}s`;

export function servicePanelDefs(m: SloMetricNames, step: number, gpuHourPriceUsd: number): PanelDef[] {
  const w = rateWindow(step);
  const by = `by (${m.serviceLabel})`;
  const requests = `sum ${by} (rate(${m.requests}[${w}]))`;
  const quantile = (q: number) => `histogram_quantile(${q}, sum by (${m.serviceLabel}, le) (rate(${m.latencyBucket}[${w}])))`;
  // GPUs behind a service: DCGM series name the pod using each GPU (as `pod` or `exported_pod`);
  // the request metrics name the pod serving the service. Joined on pod.
  const gpuPods = `count by (pod) (label_replace(DCGM_FI_DEV_GPU_UTIL, "pod", "$1", "exported_pod", "(.+)"))`;
  const servicePods = `group by (pod, ${m.serviceLabel}) (${m.requests})`;
  const gpus = `sum ${by} (${gpuPods} * on (pod) group_left(${m.serviceLabel}) ${servicePods})`;
  return [
    { id: 'requestRate', title: 'Requests', unit: 'req/s', query: requests },
    {
      id: 'errorRate',
      title: 'Errors',
      unit: '%',
      query: `100 * (sum ${by} (rate(${m.requests}{code=~${promString(m.errorCodes)}}[${w}])) or ${requests} * 0) / ${requests}`,
    },
    { id: 'p50', title: 'Latency p50', unit: 's', query: quantile(0.5) },
    { id: 'p95', title: 'Latency p95', unit: 's', query: quantile(0.95) },
    { id: 'p99', title: 'Latency p99', unit: 's', query: quantile(0.99) },
    { id: 'tokensPerSec', title: 'Tokens', unit: 'tokens/s', query: `sum ${by} (rate(${m.tokens}[${w}]))` },
    { id: 'costPer1k', title: 'GPU cost per 1k requests', unit: 'USD', query: `${gpuHourPriceUsd} * ${gpus} / (${requests} * 3.6)` },
  ];
}

/** Aligns series onto the shared columns; NaN and ±Inf (histogram_quantile with no traffic) become gaps. */
export function toColumns(series: AnySeries[], start: number, step: number, columns: number, label: string) {
  return series.map((s) => {
    const values: Array<number | null> = new Array<number | null>(columns).fill(null);
    forEachSample(s, (t, raw) => {
      const i = Math.round((t - start) / step);
      const v = sampleValue(raw);
      if (i >= 0 && i < columns && Number.isFinite(v)) values[i] = v;
    });
    return { service: s.labels[label] ?? '(no service label)', values };
  });
}
