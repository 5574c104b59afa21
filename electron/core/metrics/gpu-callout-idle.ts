// Allocated-but-idle GPUs and wholly unallocated nodes, charged for the time each series existed.
// A (GPU, pod) series is charged only the hours it existed in the range (points of a subquery x its
// step), never the whole range: one GPU held in turn by three idle pods over 24 h is 24 GPU-hours,
// not 72, and a GPU's series together never exceed the range.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';
import { exporterPodsOf, sampleValue } from '../../../shared/model/gpu-labels.js';
import { IDLE_UTIL_PERCENT } from '../../../shared/model/gpu-queries.js';
import { byGpu, hoursText, round1, round2, round4, seriesKey } from './gpu-callout-series.js';

export interface IdleInput {
  rangeSeconds: number;
  gpuHourPriceUsd: number;
  /** avg_over_time of utilization per (GPU, pod) series. */
  meanUtil: readonly InstantValue[];
  /** Points of a `[range:step]` subquery at which each series existed. */
  utilPoints: readonly InstantValue[];
  coverageStepSeconds: number;
  /** Nodes still reporting at the range's end (an unallocated node is only news while it is there). */
  currentNodes: ReadonlySet<string>;
}

interface Charged {
  pod?: string;
  namespace?: string;
  util: number;
  hours: number;
}

export function idleCallouts(input: IdleInput): GpuCallout[] {
  const rangeHours = input.rangeSeconds / 3600;
  const points = new Map<string, number>();
  for (const s of input.utilPoints) points.set(seriesKey(s.labels), sampleValue(s.value));
  const exporterPods = exporterPodsOf(input.meanUtil);
  const out: GpuCallout[] = [];
  /** Per node: its GPUs' covered hours, and whether any GPU was allocated at some point. */
  const nodes = new Map<string, { gpuHours: number; gpus: number; allocated: boolean }>();
  for (const series of byGpu(input.meanUtil, exporterPods).values()) {
    const { node, gpu, uuid } = series[0].id;
    const charged: Charged[] = series.map((s) => {
      const n = points.get(seriesKey(s.labels));
      const hours = Number.isFinite(n) ? Math.min(rangeHours, ((n as number) * input.coverageStepSeconds) / 3600) : 0;
      return { pod: s.id.pod, namespace: s.id.namespace, util: s.value, hours };
    });
    // Subquery points can overlap at a pod change (lookback): the GPU's series never add up past the range.
    const total = charged.reduce((t, c) => t + c.hours, 0);
    if (total > rangeHours) for (const c of charged) c.hours *= rangeHours / total;
    const entry = nodes.get(node) ?? { gpuHours: 0, gpus: 0, allocated: false };
    entry.gpus++;
    entry.gpuHours += Math.min(rangeHours, total);
    entry.allocated ||= charged.some((c) => c.pod);
    nodes.set(node, entry);

    const idle = charged.filter((c) => c.pod && c.util < IDLE_UTIL_PERCENT && c.hours > 0).sort((a, b) => b.hours - a.hours);
    if (!idle.length) continue;
    const hours = idle.reduce((t, c) => t + c.hours, 0);
    const wasted = idle.reduce((t, c) => t + c.hours * (1 - c.util / 100), 0);
    const meanUtil = idle.reduce((t, c) => t + c.util * c.hours, 0) / hours;
    // A pod can have several series on one GPU (an exporter restart, backfilled history): named once.
    const pods = [...new Set(idle.map((c) => `${c.namespace ?? '?'}/${c.pod}`))];
    const cost = round2(wasted * input.gpuHourPriceUsd);
    out.push({
      kind: 'idle',
      severity: 'warning',
      node,
      gpu,
      uuid,
      pod: idle[0].pod,
      namespace: idle[0].namespace,
      pods,
      value: round1(meanUtil),
      coverageHours: round4(hours),
      gpuHoursWasted: round2(wasted),
      costUsd: cost,
      message:
        `GPU ${gpu} on ${node} was allocated to ${pods.join(', ')} but averaged ${round1(meanUtil)}% utilization ` +
        `for ${hoursText(hours)} of the ${hoursText(rangeHours)} range: ${round2(wasted)} GPU-hours idle (≈ $${cost.toFixed(2)}).`,
    });
  }
  for (const [node, n] of nodes) {
    if (n.allocated || !input.currentNodes.has(node) || n.gpuHours <= 0) continue;
    const cost = round2(n.gpuHours * input.gpuHourPriceUsd);
    out.push({
      kind: 'unallocated-node',
      severity: 'info',
      node,
      value: n.gpus,
      coverageHours: round2(n.gpuHours),
      costUsd: cost,
      message: `No pod held any of the ${n.gpus} GPU${n.gpus === 1 ? '' : 's'} on ${node} in this range: ${round2(n.gpuHours)} GPU-hours of idle capacity (≈ $${cost.toFixed(2)}). Scale the pool down or schedule work there.`,
    });
  }
  return out;
}
