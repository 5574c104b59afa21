// gpu.heatmap: lays out every GPU row from instant `*_over_time` queries (labels, statistics, sort,
// groups), fetches the range values only for the window of rows asked for, packs them into the grid
// the renderer draws, and adds the callouts. Keeps the last good grid when Prometheus fails.
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type { GpuCallouts, GpuGrid, GpuRow, gpuCalloutsRequestSchema, gpuHeatmapRequestSchema } from '../../../shared/contract/gpu.js';
import { columnsFor, packGrid } from '../../../shared/model/gpu-grid.js';
import { gpusWithSeveralSeries, layoutRows, placeWindow, windowOf, type GpuLayout, type InstantValue } from '../../../shared/model/gpu-layout.js';
import { GPU_METRICS, gpuCountQuery, gpuMetricQuery, gpuStatQueries, gpuWindowQuery } from '../../../shared/model/gpu-queries.js';
import { fetchCallouts } from './gpu-callouts-fetch.js';
import type { FreshnessKeeper } from './freshness.js';
import type { PrometheusClient } from './prometheus-client.js';
import type { SourceRegistry } from './prometheus-sources.js';

export type HeatmapRequest = z.output<typeof gpuHeatmapRequestSchema>;
export type CalloutsRequest = z.output<typeof gpuCalloutsRequestSchema>;

export interface ClusterGpuNodes {
  /** Node -> nvidia.com/gpu capacity. */
  gpus: Map<string, number>;
  /** Node -> pool name from its labels. */
  pools: Record<string, string>;
  /** Every node of the cluster (GPU or not); absent when the cluster could not be listed. */
  names?: Set<string>;
}

export interface HeatmapDeps {
  sources: SourceRegistry;
  keeper: FreshnessKeeper;
  layouts: LayoutCache;
  gpuHourPriceUsd(): number;
  clusterGpuNodes(context: string): Promise<ClusterGpuNodes>;
}

/**
 * Layouts by (context, metric, grouping, sort, node, exact range): the window fetches that follow a
 * scroll reuse the layout of the grid on screen instead of re-running the fleet-wide queries, and
 * get rows in the same order. A live refresh moves the range, so it lays out afresh.
 */
export interface LayoutCache {
  get(key: string, load: () => Promise<GpuLayout>): Promise<GpuLayout>;
}

export function createLayoutCache(ttlMs = 120_000, maxEntries = 16, now: () => number = Date.now): LayoutCache {
  const entries = new Map<string, { at: number; value: Promise<GpuLayout> }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = load();
      entries.delete(key);
      entries.set(key, { at: now(), value });
      value.catch(() => entries.delete(key));
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
  };
}

const NICE_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400];

/** About 300 columns: enough to see a spike, few enough to draw 8,000 rows at once. */
export function autoStep(start: number, end: number, target = 300): number {
  const raw = (end - start) / target;
  return NICE_STEPS.find((s) => s >= raw) ?? 86_400;
}

/** Instant queries at one time, each sent once per request even when layout and callouts both need it. */
function sharedVectors(client: PrometheusClient, time: number): (query: string) => Promise<InstantValue[]> {
  const answers = new Map<string, Promise<InstantValue[]>>();
  return (query) => {
    let answer = answers.get(query);
    if (!answer) {
      answer = client.query(query, time).then(({ data }) => (data.resultType === 'vector' ? data.result.map((r) => ({ labels: r.metric, value: r.value[1] })) : []));
      answers.set(query, answer);
    }
    return answer;
  };
}

export async function gpuHeatmap(request: HeatmapRequest, deps: HeatmapDeps): Promise<GpuGrid> {
  const { context, metric, range, groupBy, sort, node, rowOffset, rowCount, labels } = request;
  const step = range.step ?? Math.max(15, autoStep(range.start, range.end));
  const key = ['gpu', context, metric, groupBy, sort, node ?? '*', Math.round(range.end - range.start), step, request.callouts, rowOffset, rowCount ?? '*', labels].join('|');
  const { value, freshness } = await deps.keeper.run(key, async () => {
    const client = await deps.sources.client(context);
    const vector = sharedVectors(client, range.end);
    // Asked for only by a fresh layout (pools) or the callouts (GPU nodes): a scroll fetch that reuses
    // the layout lists no nodes. One listing when both need it.
    let listed: Promise<ClusterGpuNodes> | undefined;
    const cluster = () => (listed ??= deps.clusterGpuNodes(context).catch(() => ({ gpus: new Map<string, number>(), pools: {} })));
    const t0 = performance.now();
    const layoutKey = [context, metric, groupBy, sort, node ?? '*', range.start, range.end].join('|');
    const layoutReady = deps.layouts.get(layoutKey, async () => {
      const seconds = range.end - range.start;
      // Means (and maxima the list does not hold) only where they are shown or ordered by: the
      // drill-down's table, a sort by statistic. Rows by name take one fleet-wide query.
      const stats = !!node || sort !== 'name';
      const q = gpuStatQueries(metric, seconds, node, sort === 'variance', stats);
      const none = Promise.resolve(undefined);
      const [list, avg, max, stddev, { pools }] = await Promise.all([
        vector(q.list),
        q.avg ? vector(q.avg) : none,
        q.max ? vector(q.max) : none,
        q.stddev ? vector(q.stddev) : none,
        cluster(),
      ]);
      // Only a GPU whose samples are split over several series (pods came and went) needs more:
      // which series is still there (the pod shown) and, to merge its means, their sample counts.
      // Asked for those GPUs alone, or fleet-wide when they are most of it.
      const several = gpusWithSeveralSeries(list);
      const [present, count] = several.length
        ? await Promise.all([
            vector(several.length > 1_000 ? q.present : gpuWindowQuery(metric, several)),
            q.listHoldsMax && avg ? vector(gpuCountQuery(metric, several, seconds)) : none,
          ])
        : [[], undefined];
      return layoutRows({ list, listHoldsMax: q.listHoldsMax, avg, max, stddev, present, count }, { groupBy, sort, pools });
    });
    // The window's values go out as soon as the rows are laid out, not after the callouts: those are
    // more fleet-wide queries the heatmap's cells never needed to wait for.
    const valuesReady = layoutReady.then(async (layout) => {
      const total = layout.rows.length;
      const win = windowOf(total, rowOffset, rowCount);
      const windowRows = layout.rows.slice(win.rowOffset, win.rowOffset + win.rowCount);
      // Every row, or most of a large fleet: one plain query beats a regex over thousands of UUIDs.
      const whole = win.rowCount === total || (win.rowCount > 2_000 && win.rowCount * 2 > total);
      const query = whole ? gpuMetricQuery(metric, node) : gpuWindowQuery(metric, windowRows);
      const answer = win.rowCount > 0 && query ? await client.queryRange(query, range.start, range.end, step) : undefined;
      return { layout, total, win, windowRows, query, answer };
    });
    const [{ layout, total, win, windowRows, query, answer }, callouts] = await Promise.all([
      valuesReady,
      request.callouts ? fetchCallouts(vector, range.start, range.end, deps.gpuHourPriceUsd(), cluster()) : Promise.resolve([]),
    ]);
    const t1 = performance.now();
    const start = answer?.start ?? Math.floor(range.start / step) * step;
    const columns = columnsFor(start, answer?.end ?? Math.floor(range.end / step) * step, step);
    const packed = packGrid(answer?.series ?? [], { start, step, columns, groupBy, sort: 'name' });
    const values = placeWindow(windowRows, packed, columns);
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
    const t2 = performance.now();
    const def = GPU_METRICS[metric];
    const scale = def.scale ? { min: def.scale[0], max: def.scale[1] } : { min: 0, max: Math.max(100, Math.ceil((layout.observedMax ?? 100) / 50) * 50) };
    const grid: Omit<GpuGrid, 'freshness'> = {
      metric,
      unit: def.unit,
      title: def.title,
      query: query || gpuMetricQuery(metric, node),
      start,
      step,
      columns,
      rows: rounded(labels === 'all' ? layout.rows : windowRows),
      rowsFrom: labels === 'all' ? 0 : win.rowOffset,
      totalRows: total,
      rowOffset: win.rowOffset,
      rowCount: win.rowCount,
      range: { start: range.start, end: range.end },
      groups: layout.groups,
      values: bytes,
      scale,
      callouts: node ? callouts.filter((c) => c.node === node) : callouts,
      timings: { queryMs: Math.round(t1 - t0), packMs: Math.round(t2 - t1) },
    };
    return grid;
  });
  return { ...value, freshness };
}

/**
 * gpu.callouts: the callouts of a range without its grid (the view asks after painting the grid).
 * Its instant queries share the client's cache with the grid's (same range end), so the layout's
 * `seen`, `current` and mean utilization are not sent twice while that cache is on.
 */
export async function gpuCallouts(request: CalloutsRequest, deps: Omit<HeatmapDeps, 'layouts'>): Promise<GpuCallouts> {
  const { context, range, node } = request;
  const key = ['gpu-callouts', context, node ?? '*', Math.round(range.end - range.start)].join('|');
  const { value, freshness } = await deps.keeper.run(key, async () => {
    const client = await deps.sources.client(context);
    const t0 = performance.now();
    const cluster = deps.clusterGpuNodes(context).catch(() => ({ gpus: new Map<string, number>(), pools: {} }));
    const callouts = await fetchCallouts(sharedVectors(client, range.end), range.start, range.end, deps.gpuHourPriceUsd(), cluster);
    return {
      range: { start: range.start, end: range.end },
      callouts: node ? callouts.filter((c) => c.node === node) : callouts,
      timings: { queryMs: Math.round(performance.now() - t0) },
    };
  });
  return { ...value, freshness };
}

/** Statistics to 3 decimals (the order is already decided): 8,000 rows of 17-digit doubles were ~0.4 MB of the answer. */
const round3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const rounded = (rows: GpuRow[]): GpuRow[] => rows.map((r) => ({ ...r, mean: round3(r.mean), max: round3(r.max), variance: round3(r.variance) }));
