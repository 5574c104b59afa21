// GPU nodes according to the cluster (nvidia.com/gpu capacity) and their pools (cloud node-pool
// labels), so a node whose exporter never reported is still noticed, and every node's name, so a node
// removed from the cluster is not taken for a silent exporter. Cached briefly; a cluster that
// cannot be read simply contributes nothing.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../../shared/model/kube.js';
import { collectionPath, getJson, KINDS } from '../kube/index.js';
import type { ClusterGpuNodes } from './gpu-heatmap.js';

/** Labels the clouds and Karpenter put the node pool's (group's) name in; instance type last. */
const CLOUD_NODE_POOL_LABELS = ['cloud.google.com/gke-nodepool', 'eks.amazonaws.com/nodegroup', 'karpenter.sh/nodepool', 'kubernetes.azure.com/agentpool', 'agentpool', 'node.kubernetes.io/instance-type'];

export function createClusterGpuNodes(kubeConfig: (context: string) => KubeConfig, ttlMs = 30_000) {
  const cache = new Map<string, { at: number; value: Promise<ClusterGpuNodes> }>();
  return (context: string): Promise<ClusterGpuNodes> => {
    const hit = cache.get(context);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = load(kubeConfig(context));
    cache.set(context, { at: Date.now(), value });
    value.catch(() => cache.delete(context));
    return value;
  };
}

async function load(kc: KubeConfig): Promise<ClusterGpuNodes> {
  let timer: NodeJS.Timeout | undefined;
  const list = await Promise.race([
    getJson<{ items: KubeObject[] }>(kc, collectionPath(KINDS.Node), { timeoutMs: 5_000 }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('listing nodes timed out')), 5_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const gpus = new Map<string, number>();
  const pools: Record<string, string> = {};
  const names = new Set<string>();
  for (const node of list.items) {
    const name = node.metadata?.name;
    if (!name) continue;
    names.add(name);
    const count = Number((node.status as { capacity?: Record<string, string> } | undefined)?.capacity?.['nvidia.com/gpu'] ?? 0);
    if (count > 0) gpus.set(name, count);
    const labels = node.metadata?.labels ?? {};
    const pool = CLOUD_NODE_POOL_LABELS.map((l) => labels[l]).find(Boolean);
    if (pool) pools[name] = pool;
  }
  return { gpus, pools, names };
}
