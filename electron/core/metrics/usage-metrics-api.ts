// Node and pod usage from the resource metrics API (metrics.k8s.io/v1beta1), the one `kubectl top`
// reads: metrics-server's NodeMetrics and PodMetrics (a pod's usage is the sum of its containers).
import type { KubeConfig } from '@kubernetes/client-node';
import { getJson } from '../kube/index.js';
import { parseQuantity } from '../../../shared/model/kube.js';
import type { Usage } from '../../../shared/contract/metrics.js';

const BASE = '/apis/metrics.k8s.io/v1beta1';

interface Quantities { cpu?: string; memory?: string }
interface NodeMetricsList { items?: { metadata?: { name?: string }; usage?: Quantities }[] }
interface PodMetricsList { items?: { metadata?: { name?: string; namespace?: string }; containers?: { usage?: Quantities }[] }[] }

export interface UsageMaps {
  nodes: Record<string, Usage>;
  pods: Record<string, Usage>;
}

const usageOf = (q: Quantities | undefined): Usage => ({ cpu: parseQuantity(q?.cpu), memory: parseQuantity(q?.memory) });

/** Converts the two lists the metrics API answers into usage by node and by `namespace/name`. */
export function usageFromMetricsApi(nodes: NodeMetricsList, pods: PodMetricsList): UsageMaps {
  const out: UsageMaps = { nodes: {}, pods: {} };
  for (const n of nodes.items ?? []) if (n.metadata?.name) out.nodes[n.metadata.name] = usageOf(n.usage);
  for (const p of pods.items ?? []) {
    if (!p.metadata?.name) continue;
    const sum = { cpu: 0, memory: 0 };
    for (const c of p.containers ?? []) {
      const u = usageOf(c.usage);
      sum.cpu += u.cpu;
      sum.memory += u.memory;
    }
    out.pods[`${p.metadata.namespace ?? ''}/${p.metadata.name}`] = sum;
  }
  return out;
}

/** Reads both lists; throws a KubeError (404 when the API is not installed) as the server answers. */
export async function readMetricsApi(kc: KubeConfig, timeoutMs = 10_000): Promise<UsageMaps> {
  const [nodes, pods] = await Promise.all([getJson<NodeMetricsList>(kc, `${BASE}/nodes`, { timeoutMs }), getJson<PodMetricsList>(kc, `${BASE}/pods`, { timeoutMs })]);
  return usageFromMetricsApi(nodes, pods);
}
