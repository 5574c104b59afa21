// gpu.heatmap: builds the DCGM query, runs it through the Prometheus client, packs the answer into
// the grid the renderer draws, and adds the callouts. Keeps the last good grid when Prometheus fails.
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type { GpuCallout, GpuGrid, gpuHeatmapRequestSchema } from '../../../shared/contract/gpu.js';
import { columnsFor, packGrid } from '../../../shared/model/gpu-grid.js';
import { gpuIdentity } from '../../../shared/model/gpu-labels.js';
import { GPU_METRICS, calloutQueries, gpuMetricQuery } from '../../../shared/model/gpu-queries.js';
import { buildCallouts, type InstantSample } from './gpu-callouts.js';
import type { FreshnessKeeper } from './freshness.js';
import type { PrometheusClient } from './prometheus-client.js';
import type { SourceRegistry } from './prometheus-sources.js';

export type HeatmapRequest = z.output<typeof gpuHeatmapRequestSchema>;

export interface ClusterGpuNodes {
  /** Node -> nvidia.com/gpu capacity. */
  gpus: Map<string, number>;
  /** Node -> pool name from its labels. */
  pools: Record<string, string>;
}

export interface HeatmapDeps {
  sources: SourceRegistry;
  keeper: FreshnessKeeper;
  gpuHourPriceUsd(): number;
  clusterGpuNodes(context: string): Promise<ClusterGpuNodes>;
}

const NICE_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400];

/** About 300 columns: enough to see a spike, few enough to draw 8,000 rows at once. */
export function autoStep(start: number, end: number, target = 300): number {
  const raw = (end - start) / target;
  return NICE_STEPS.find((s) => s >= raw) ?? 86_400;
}

export async function gpuHeatmap(request: HeatmapRequest, deps: HeatmapDeps): Promise<GpuGrid> {
  const { context, metric, range, groupBy, sort, node } = request;
  const step = range.step ?? Math.max(15, autoStep(range.start, range.end));
  const key = ['gpu', context, metric, groupBy, sort, node ?? '*', Math.round(range.end - range.start), step, request.callouts].join('|');
  const { value, freshness } = await deps.keeper.run(key, async () => {
    const client = await deps.sources.client(context);
    const query = gpuMetricQuery(metric, node);
    const t0 = performance.now();
    const [answer, callouts, cluster] = await Promise.all([
      client.queryRange(query, range.start, range.end, step),
      request.callouts ? calloutsFor(client, context, range.start, range.end, deps) : Promise.resolve([]),
      deps.clusterGpuNodes(context).catch(() => ({ gpus: new Map<string, number>(), pools: {} })),
    ]);
    const t1 = performance.now();
    const columns = columnsFor(answer.start, answer.end, step);
    const packed = packGrid(answer.series, { start: answer.start, step, columns, groupBy, sort, pools: cluster.pools });
    const bytes = Buffer.from(packed.values.buffer, packed.values.byteOffset, packed.values.byteLength).toString('base64');
    const t2 = performance.now();
    const def = GPU_METRICS[metric];
    const scale = def.scale
      ? { min: def.scale[0], max: def.scale[1] }
      : { min: 0, max: Math.max(100, Math.ceil((packed.observed?.max ?? 100) / 50) * 50) };
    const grid: Omit<GpuGrid, 'freshness'> = {
      metric,
      unit: def.unit,
      title: def.title,
      query,
      start: answer.start,
      step,
      columns,
      rows: packed.rows,
      groups: packed.groups,
      values: bytes,
      scale,
      callouts: node ? callouts.filter((c) => c.node === node) : callouts,
      timings: { queryMs: Math.round(t1 - t0), packMs: Math.round(t2 - t1) },
    };
    return grid;
  });
  return { ...value, freshness };
}

async function calloutsFor(client: PrometheusClient, context: string, start: number, end: number, deps: HeatmapDeps): Promise<GpuCallout[]> {
  const q = calloutQueries(end - start);
  const vector = async (query: string): Promise<InstantSample[]> => {
    const { data } = await client.query(query, end);
    return data.resultType === 'vector' ? data.result.map((r) => ({ labels: r.metric, value: r.value[1] })) : [];
  };
  const nodesOf = (samples: InstantSample[]) => new Set(samples.map((s) => gpuIdentity(s.labels)?.node).filter((n): n is string => !!n));
  const [meanUtil, maxTemp, xid, seen, current, cluster] = await Promise.all([
    vector(q.meanUtil),
    vector(q.maxTemp),
    vector(q.xid),
    vector(q.seen),
    vector(q.current),
    deps.clusterGpuNodes(context).catch(() => ({ gpus: new Map<string, number>(), pools: {} })),
  ]);
  return buildCallouts({
    rangeSeconds: end - start,
    gpuHourPriceUsd: deps.gpuHourPriceUsd(),
    meanUtil,
    maxTemp,
    xid,
    seenNodes: nodesOf(seen),
    currentNodes: nodesOf(current),
    gpuNodes: cluster.gpus,
  });
}
