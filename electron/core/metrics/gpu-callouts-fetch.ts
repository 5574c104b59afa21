// Runs the callout queries at the range's end (through the request's shared instant-query cache, so
// the utilization rows and the callouts send `seen`/`current`/`meanUtil` once) and builds the callouts.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import { gpuIdentity } from '../../../shared/model/gpu-labels.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';
import { CALLOUT_PART_LABEL, calloutQueries, type CalloutPart } from '../../../shared/model/gpu-queries.js';
import { buildCallouts } from './gpu-callouts.js';
import type { ClusterGpuNodes } from './gpu-heatmap.js';

export async function fetchCallouts(
  vector: (query: string) => Promise<InstantValue[]>,
  start: number,
  end: number,
  gpuHourPriceUsd: number,
  cluster: Promise<ClusterGpuNodes>,
): Promise<GpuCallout[]> {
  const q = calloutQueries(end - start);
  const nodesOf = (samples: InstantValue[]) => new Set(samples.map((s) => gpuIdentity(s.labels)?.node).filter((n): n is string => !!n));
  // meanUtil is the utilization heatmap's own row average: `vector` sends it once for both.
  const [batches, meanUtil, seen, current, nodes] = await Promise.all([Promise.all(q.batches.map(vector)), vector(q.meanUtil), vector(q.seen), vector(q.current), cluster]);
  const part = splitParts(batches.flat());
  return buildCallouts({
    rangeSeconds: end - start,
    gpuHourPriceUsd,
    meanUtil,
    utilPoints: part('utilPoints'),
    coverageStepSeconds: q.coverageStepSeconds,
    maxTemp: part('maxTemp'),
    slowdownTemp: part('slowdownTemp'),
    shutdownTemp: part('shutdownTemp'),
    xidLast: part('xidLast'),
    xidNow: part('xidNow'),
    xidAtStart: part('xidAtStart'),
    xidChanges: part('xidChanges'),
    xidCount: part('xidCount'),
    seenNodes: nodesOf(seen),
    currentNodes: nodesOf(current),
    gpuNodes: nodes.gpus,
    clusterNodes: nodes.names,
  });
}

/** The series of each part of the batched queries, with the part label taken off again. */
export function splitParts(samples: readonly InstantValue[]): (part: CalloutPart) => InstantValue[] {
  const byPart = new Map<string, InstantValue[]>();
  for (const s of samples) {
    const { [CALLOUT_PART_LABEL]: name = '', ...labels } = s.labels;
    let list = byPart.get(name);
    if (!list) byPart.set(name, (list = []));
    list.push({ labels, value: s.value });
  }
  return (part) => byPart.get(part) ?? [];
}
