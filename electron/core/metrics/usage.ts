// What each node and pod uses now, for the CPU and memory columns: the metrics API first (what
// `kubectl top` reads), Prometheus when the cluster has no metrics-server, and a sentence when
// neither answers, so an empty column says why.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterUsage } from '../../../shared/contract/metrics.js';
import { KubeError } from '../kube/index.js';
import type { PrometheusClient } from './prometheus-client.js';
import { readMetricsApi, type UsageMaps } from './usage-metrics-api.js';
import { readPrometheusUsage } from './usage-prometheus.js';

export interface UsageDeps {
  kubeConfig(context: string): KubeConfig;
  /** The context's Prometheus client; rejects when there is none. */
  prometheus(context: string): Promise<PrometheusClient>;
  readMetricsApi?: (kc: KubeConfig) => Promise<UsageMaps>;
}

const message = (e: unknown) => (e instanceof KubeError ? e.detail : e instanceof Error ? e.message : String(e));

export async function readClusterUsage(deps: UsageDeps, context: string): Promise<ClusterUsage> {
  const fetchedAt = new Date().toISOString();
  let apiProblem: string;
  try {
    const maps = await (deps.readMetricsApi ?? readMetricsApi)(deps.kubeConfig(context));
    return { source: 'metrics-api', detail: 'metrics.k8s.io (metrics-server), as kubectl top reads it', ...maps, fetchedAt };
  } catch (e) {
    // 404/503: no metrics-server (or it is down); 403: not allowed to read it. Either way, try Prometheus.
    apiProblem = e instanceof KubeError && e.status === 404 ? 'the metrics API (metrics.k8s.io) is not installed' : `the metrics API failed: ${message(e)}`;
  }
  try {
    const maps = await readPrometheusUsage(await deps.prometheus(context));
    if (maps) return { source: 'prometheus', detail: `Prometheus (cAdvisor / node-exporter series): ${apiProblem}`, ...maps, fetchedAt };
    return { source: 'none', detail: `No usage figures: ${apiProblem}, and Prometheus has no container_cpu_usage_seconds_total or node_cpu_seconds_total series.`, nodes: {}, pods: {}, fetchedAt };
  } catch (e) {
    return { source: 'none', detail: `No usage figures: ${apiProblem}, and Prometheus could not be read (${message(e)}).`, nodes: {}, pods: {}, fetchedAt };
  }
}
