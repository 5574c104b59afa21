// Nodes whose DCGM series stopped or never started. A node that was removed from the cluster during
// the range is news, not an outage: the cluster's node list is checked before calling an exporter
// silent. Without a node list (the cluster could not be read) a vanished node stays a critical
// "exporter stopped", since nothing says it left on purpose.
import type { GpuCallout } from '../../../shared/contract/gpu.js';

export interface NodeInput {
  /** Nodes with DCGM series at some point of the range, and at its end. */
  seenNodes: ReadonlySet<string>;
  currentNodes: ReadonlySet<string>;
  /** Nodes with `nvidia.com/gpu` capacity according to the cluster (empty when unknown). */
  gpuNodes: ReadonlyMap<string, number>;
  /** Every node of the cluster now; undefined when it could not be listed. */
  clusterNodes?: ReadonlySet<string>;
}

export function nodeCallouts(input: NodeInput): GpuCallout[] {
  const out: GpuCallout[] = [];
  for (const node of input.seenNodes) {
    if (input.currentNodes.has(node)) continue;
    if (input.clusterNodes && !input.clusterNodes.has(node)) {
      out.push({ kind: 'node-removed', severity: 'info', node, message: `${node} left the cluster during the range; its GPU series end there (not an exporter failure).` });
    } else {
      out.push({ kind: 'exporter-missing', severity: 'critical', node, message: `The DCGM exporter on ${node} stopped reporting during the range: its GPUs have no current data.` });
    }
  }
  for (const [node, count] of input.gpuNodes) {
    if (input.seenNodes.has(node) || input.currentNodes.has(node)) continue;
    out.push({
      kind: 'exporter-missing',
      severity: 'warning',
      node,
      value: count,
      message: `${node} has ${count} GPU${count === 1 ? '' : 's'} (nvidia.com/gpu) but no DCGM exporter series: is dcgm-exporter scheduled there and scraped?`,
    });
  }
  return out;
}
