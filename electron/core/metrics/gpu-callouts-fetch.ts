// Runs the callout queries at the range's end (through the request's shared instant-query cache, so
// the row listing and the callouts send `seen`/`current` once) and builds the callouts.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import { gpuIdentity } from '../../../shared/model/gpu-labels.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';
import { calloutQueries } from '../../../shared/model/gpu-queries.js';
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
  const [meanUtil, utilPoints, maxTemp, slowdownTemp, shutdownTemp, xidLast, xidNow, xidAtStart, xidChanges, xidCount, seen, current, nodes] = await Promise.all([
    vector(q.meanUtil),
    vector(q.utilPoints),
    vector(q.maxTemp),
    vector(q.slowdownTemp),
    vector(q.shutdownTemp),
    vector(q.xidLast),
    vector(q.xidNow),
    vector(q.xidAtStart),
    vector(q.xidChanges),
    vector(q.xidCount),
    vector(q.seen),
    vector(q.current),
    cluster,
  ]);
  return buildCallouts({
    rangeSeconds: end - start,
    gpuHourPriceUsd,
    meanUtil,
    utilPoints,
    coverageStepSeconds: q.coverageStepSeconds,
    maxTemp,
    slowdownTemp,
    shutdownTemp,
    xidLast,
    xidNow,
    xidAtStart,
    xidChanges,
    xidCount,
    seenNodes: nodesOf(seen),
    currentNodes: nodesOf(current),
    gpuNodes: nodes.gpus,
    clusterNodes: nodes.names,
  });
}
