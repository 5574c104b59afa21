// What an SRE should look at first, from instant queries over the range: GPUs allocated to a pod but
// idle (with the GPU-hours and money wasted), hot GPUs, GPUs reporting XID errors, and GPU nodes
// whose exporter is silent. Pure, so the rules are pinned by unit tests.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import { gpuIdentity, sampleValue } from '../../../shared/model/gpu-labels.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';
import { HOT_CELSIUS, IDLE_UTIL_PERCENT } from '../../../shared/model/gpu-queries.js';

export interface CalloutInput {
  rangeSeconds: number;
  gpuHourPriceUsd: number;
  meanUtil: InstantValue[];
  maxTemp: InstantValue[];
  xid: InstantValue[];
  /** Nodes with DCGM series at some point of the range, and at its end. */
  seenNodes: Set<string>;
  currentNodes: Set<string>;
  /** Nodes with `nvidia.com/gpu` capacity according to the cluster (empty when unknown). */
  gpuNodes: Map<string, number>;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

export function buildCallouts(input: CalloutInput): GpuCallout[] {
  const out: GpuCallout[] = [];
  const hours = input.rangeSeconds / 3600;
  for (const s of input.meanUtil) {
    const id = gpuIdentity(s.labels);
    const v = sampleValue(s.value);
    if (!id?.pod || !Number.isFinite(v) || v >= IDLE_UTIL_PERCENT) continue;
    const wasted = hours * (1 - v / 100);
    out.push({
      kind: 'idle',
      severity: 'warning',
      node: id.node,
      gpu: id.gpu,
      uuid: id.uuid,
      pod: id.pod,
      namespace: id.namespace,
      value: r1(v),
      gpuHoursWasted: Math.round(wasted * 100) / 100,
      costUsd: Math.round(wasted * input.gpuHourPriceUsd * 100) / 100,
      message: `GPU ${id.gpu} on ${id.node} is allocated to ${id.namespace ?? '?'}/${id.pod} but averaged ${r1(v)}% utilization over the range.`,
    });
  }
  for (const s of input.maxTemp) {
    const id = gpuIdentity(s.labels);
    const v = sampleValue(s.value);
    if (!id || !Number.isFinite(v) || v < HOT_CELSIUS) continue;
    out.push({
      kind: 'hot',
      severity: v >= HOT_CELSIUS + 5 ? 'critical' : 'warning',
      node: id.node,
      gpu: id.gpu,
      uuid: id.uuid,
      pod: id.pod,
      namespace: id.namespace,
      value: r1(v),
      message: `GPU ${id.gpu} on ${id.node} reached ${r1(v)} °C (throttling starts around ${HOT_CELSIUS} °C).`,
    });
  }
  for (const s of input.xid) {
    const id = gpuIdentity(s.labels);
    const v = sampleValue(s.value);
    if (!id || !Number.isFinite(v) || v <= 0) continue;
    out.push({
      kind: 'xid',
      severity: 'critical',
      node: id.node,
      gpu: id.gpu,
      uuid: id.uuid,
      pod: id.pod,
      namespace: id.namespace,
      value: v,
      message: `GPU ${id.gpu} on ${id.node} reported XID ${v}${XID_HINTS[v] ? ` (${XID_HINTS[v]})` : ''}. Check the node's kernel log and consider draining it.`,
    });
  }
  for (const node of input.seenNodes) {
    if (input.currentNodes.has(node)) continue;
    out.push({ kind: 'exporter-missing', severity: 'critical', node, message: `The DCGM exporter on ${node} stopped reporting during the range: its GPUs have no current data.` });
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
  const rank = { critical: 0, warning: 1, info: 2 };
  // One GPU may have several series (an exporter restarted, backfilled history): one callout each.
  const seen = new Set<string>();
  const unique = out.filter((c) => {
    const key = `${c.kind}|${c.node}|${c.uuid ?? c.gpu ?? ''}|${c.pod ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => rank[a.severity] - rank[b.severity] || (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.node.localeCompare(b.node, 'en', { numeric: true }));
}

/** The XIDs an SRE meets most (NVIDIA's XID catalogue). */
const XID_HINTS: Record<number, string> = {
  13: 'graphics engine exception',
  31: 'GPU memory page fault',
  43: 'GPU stopped processing',
  45: 'preemptive cleanup',
  48: 'double-bit ECC error',
  63: 'ECC page retirement',
  64: 'ECC page retirement failure',
  74: 'NVLink error',
  79: 'GPU has fallen off the bus',
  92: 'high single-bit ECC rate',
  94: 'contained ECC error',
  95: 'uncontained ECC error',
};
