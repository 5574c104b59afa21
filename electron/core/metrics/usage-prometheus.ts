// Node and pod usage from Prometheus when the metrics API is absent: the kubelet's cAdvisor series
// (container_cpu_usage_seconds_total, container_memory_working_set_bytes), as metrics-server itself
// derives them; nodes from the same series' root cgroup (id="/"), else node-exporter's.
import type { Usage } from '../../../shared/contract/metrics.js';
import type { PrometheusClient } from './prometheus-client.js';
import type { UsageMaps } from './usage-metrics-api.js';

/** The queries, by what they fill. Container-level series exclude the pause container (container=""/"POD"). */
export const USAGE_QUERIES = {
  podCpu: 'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",container!="POD",pod!=""}[5m]))',
  podMemory: 'sum by (namespace, pod) (container_memory_working_set_bytes{container!="",container!="POD",pod!=""})',
  nodeCpu: 'sum by (node) (rate(container_cpu_usage_seconds_total{id="/"}[5m]))',
  nodeMemory: 'sum by (node) (container_memory_working_set_bytes{id="/"})',
  nodeCpuExporter: 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle",mode!="iowait",mode!="steal"}[5m]))',
  nodeMemoryExporter: 'sum by (instance) (node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)',
} as const;

type Rows = { metric: Record<string, string>; value: [number, string] }[];

async function vector(client: PrometheusClient, query: string): Promise<Rows> {
  const { data } = await client.query(query);
  return data.resultType === 'vector' ? (data.result as Rows) : [];
}

function fill(target: Record<string, Usage>, rows: Rows, keyOf: (m: Record<string, string>) => string | undefined, field: keyof Usage): void {
  for (const r of rows) {
    const key = keyOf(r.metric);
    const value = Number(r.value[1]);
    if (!key || !Number.isFinite(value)) continue;
    (target[key] ??= { cpu: 0, memory: 0 })[field] = value;
  }
}

/** node-exporter's instance is host:port; the node name is the host part. */
const hostOf = (m: Record<string, string>) => m.node ?? m.instance?.replace(/:\d+$/, '');

/** Usage from Prometheus, or undefined when it holds none of these series. */
export async function readPrometheusUsage(client: PrometheusClient): Promise<UsageMaps | undefined> {
  const [podCpu, podMemory, nodeCpu, nodeMemory] = await Promise.all([USAGE_QUERIES.podCpu, USAGE_QUERIES.podMemory, USAGE_QUERIES.nodeCpu, USAGE_QUERIES.nodeMemory].map((q) => vector(client, q)));
  const out: UsageMaps = { nodes: {}, pods: {} };
  const podKey = (m: Record<string, string>) => (m.namespace && m.pod ? `${m.namespace}/${m.pod}` : undefined);
  fill(out.pods, podCpu, podKey, 'cpu');
  fill(out.pods, podMemory, podKey, 'memory');
  fill(out.nodes, nodeCpu, (m) => m.node, 'cpu');
  fill(out.nodes, nodeMemory, (m) => m.node, 'memory');
  if (!Object.keys(out.nodes).length) {
    const [cpu, memory] = await Promise.all([vector(client, USAGE_QUERIES.nodeCpuExporter), vector(client, USAGE_QUERIES.nodeMemoryExporter)]);
    fill(out.nodes, cpu, hostOf, 'cpu');
    fill(out.nodes, memory, hostOf, 'memory');
  }
  return Object.keys(out.nodes).length || Object.keys(out.pods).length ? out : undefined;
}
