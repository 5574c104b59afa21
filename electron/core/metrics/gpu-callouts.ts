// What an SRE should look at first, from instant queries over the range: GPUs allocated to a pod but
// idle (with the GPU-hours and money wasted, charged for the time each pod held the GPU), nodes with
// no GPU allocated, hot GPUs against their own slowdown temperature, XIDs that happened in the range,
// and GPU nodes whose exporter is silent or that left the cluster. Pure, so the rules are pinned by
// unit tests; each kind's rule lives in its own gpu-callout-*.ts module.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import { hotCallouts, type HotInput } from './gpu-callout-hot.js';
import { idleCallouts, type IdleInput } from './gpu-callout-idle.js';
import { nodeCallouts, type NodeInput } from './gpu-callout-nodes.js';
import { xidCallouts, type XidInput } from './gpu-callout-xid.js';

export type CalloutInput = IdleInput & HotInput & XidInput & NodeInput;

const RANK = { critical: 0, warning: 1, info: 2 } as const;

export function buildCallouts(input: CalloutInput): GpuCallout[] {
  const all = [...idleCallouts(input), ...hotCallouts(input), ...xidCallouts(input), ...nodeCallouts(input)];
  // One callout per GPU (or node) and kind, whatever series or rule produced it: the first one, the
  // rules having already merged a GPU's series.
  const seen = new Set<string>();
  const unique = all.filter((c) => {
    const key = `${c.kind}|${c.node}|${c.gpu ?? ''}|${c.uuid ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => RANK[a.severity] - RANK[b.severity] || (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.node.localeCompare(b.node, 'en', { numeric: true }) || Number(a.gpu ?? 0) - Number(b.gpu ?? 0));
}
