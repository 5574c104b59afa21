// The metrics service against the machine's real Prometheus scraping a DCGM exporter we control:
// the grid equals what Prometheus answers, label forms and blanks, callouts, splitting, and faults
// (Prometheus stopped and restarted, slow, 400, garbage) -> clear errors, stale data, recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsService, type MetricsService } from '../../electron/core/metrics/index.js';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings-store.js';
import { gpuIdentity } from '../../shared/model/gpu-labels.js';
import type { GpuGrid } from '../../shared/contract/gpu.js';
import { startExporter, startFaultProxy, startPrometheus, type Gpu, type TestPrometheus } from './metrics-support.js';

const session = { session: { kind: 'console' as const, readOnly: false } };
const gpus: Gpu[] = [
  { node: 'node-a', gpu: 0, util: 3, pod: 'notebook-0', namespace: 'research' },
  { node: 'node-a', gpu: 1, util: 97, temp: 91, pod: 'train-0', namespace: 'ml' },
  { node: 'node-a', gpu: 2, util: 40, blank: true },
  { node: 'node-a', gpu: 3, util: 0 },
  { node: 'node-b', gpu: 0, util: 55, altLabels: true, pod: 'infer-0', namespace: 'serving' },
  { node: 'node-b', gpu: 1, util: 60, altLabels: true, xid: 79 },
];

let prom: TestPrometheus;
let exporter: Awaited<ReturnType<typeof startExporter>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let service: MetricsService;
let dataDir: string;

const decode = (grid: GpuGrid) => {
  // Small answers sit inside Node's shared Buffer pool: copy out exactly their bytes.
  const bytes = Buffer.from(grid.values, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const heatmap = (context: string, range: { start: number; end: number; step?: number }) =>
  service.handlers['gpu.heatmap']({ context, metric: 'util', range, groupBy: 'node', sort: 'name', callouts: true, rowOffset: 0, labels: 'all' }, session);
type DirectMatrix = { data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
const queryRange = async (grid: GpuGrid): Promise<DirectMatrix> => {
  const form = new URLSearchParams({ query: grid.query, start: String(grid.start), end: String(grid.start + (grid.columns - 1) * grid.step), step: String(grid.step) });
  return (await fetch(`${prom.url}/api/v1/query_range`, { method: 'POST', body: form }).then((r) => r.json())) as DirectMatrix;
};

beforeAll(async () => {
  exporter = await startExporter(() => gpus);
  prom = await startPrometheus({ targets: [exporter.target], scrapeInterval: '1s' });
  proxy = await startFaultProxy(prom.url);
  dataDir = mkdtempSync(join(tmpdir(), 'fd-metrics-'));
  service = createMetricsService({
    dataDir,
    settings: () => ({ ...DEFAULT_SETTINGS, prometheusUrls: { proxied: proxy.url, direct: prom.url } }),
    isDemoContext: () => false,
    kubeConfig: () => {
      throw new Error('no cluster in this test');
    },
    clusterGpuNodes: async () => ({ gpus: new Map([['node-c', 8]]), pools: {} }),
    clientOptions: { timeoutMs: 1_000, retries: 1, backoffMs: 50, cacheTtlMs: 0 },
  });
  // Enough scrapes that a 5 s step aligned down still lands on data.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${prom.url}/api/v1/query?query=count(count_over_time(DCGM_FI_DEV_GPU_UTIL[1m])>=8)`).then((x) => x.json() as Promise<{ data: { result: Array<{ value: [number, string] }> } }>);
    if (r.data.result[0]?.value[1] === String(gpus.length)) break;
    await new Promise((res) => setTimeout(res, 250));
  }
});

afterAll(async () => {
  await proxy?.stop();
  await prom?.cleanup();
  await exporter?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('metrics service on a real Prometheus', () => {
  it('finds the Prometheus set in Settings and reports its version', async () => {
    const source = await service.handlers['metrics.source']({ context: 'direct' }, session);
    expect(source).toMatchObject({ kind: 'settings', healthy: true, url: prom.url, auth: 'none' });
    expect(source.version).toMatch(/^2\./);
  });

  it('packs one row per GPU whose values equal what Prometheus returns for the same query', async () => {
    const end = Math.floor(Date.now() / 1000);
    const grid = await heatmap('direct', { start: end - 300, end, step: 1 });
    expect(grid.rows).toHaveLength(gpus.length);
    expect(grid.rows.map((r) => `${r.node}/${r.gpu}`)).toEqual(['node-a/0', 'node-a/1', 'node-a/2', 'node-a/3', 'node-b/0', 'node-b/1']);
    expect(grid.rows[4]).toMatchObject({ pod: 'infer-0', namespace: 'serving', uuid: 'GPU-node-b-0', model: 'NVIDIA H100 80GB HBM3' });
    const values = decode(grid);
    expect(grid).toMatchObject({ totalRows: gpus.length, rowOffset: 0, rowCount: gpus.length, rowsFrom: 0 });
    const direct = await queryRange(grid);
    let compared = 0;
    for (const s of direct.data.result) {
      const id = gpuIdentity(s.metric);
      const row = grid.rows.findIndex((r) => r.node === id?.node && r.gpu === id?.gpu);
      expect(row).toBeGreaterThanOrEqual(0);
      for (const [t, v] of s.values) {
        const col = (t - grid.start) / grid.step;
        if (Number(v) >= 2 ** 63) expect(values[row * grid.columns + col]).toBeNaN();
        else expect(values[row * grid.columns + col]).toBeCloseTo(Number(v), 3);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
    // The GPU reporting DCGM blanks has its row, with no values.
    const blankRow = grid.rows.findIndex((r) => r.node === 'node-a' && r.gpu === '2');
    expect(values.slice(blankRow * grid.columns, (blankRow + 1) * grid.columns).every((v) => Number.isNaN(v))).toBe(true);
    expect(grid.rows[blankRow].mean).toBeNull();
  });

  it('sorts every row by its range mean and fetches windows of rows whose values equal Prometheus for every GPU', async () => {
    const end = Math.floor(Date.now() / 1000);
    const request = { context: 'direct', metric: 'util' as const, range: { start: end - 120, end, step: 1 }, groupBy: 'model' as const, sort: 'mean' as const, callouts: false };
    const first = await service.handlers['gpu.heatmap']({ ...request, rowOffset: 0, rowCount: 2, labels: 'all' }, session);
    // Labels and statistics for every GPU, values for the first two rows only.
    expect(first).toMatchObject({ totalRows: gpus.length, rowOffset: 0, rowCount: 2, rowsFrom: 0 });
    expect(first.rows).toHaveLength(gpus.length);
    expect(decode(first)).toHaveLength(2 * first.columns);
    // Sorted by mean over all rows, highest first; the blank GPU (no statistics) last.
    expect(first.rows.map((r) => `${r.node}/${r.gpu}`)).toEqual(['node-a/1', 'node-b/1', 'node-b/0', 'node-a/0', 'node-a/3', 'node-a/2']);
    expect(first.rows[0].mean).toBeCloseTo(97, 3);
    expect(first.rows[0].max).toBe(97);
    // Variance costs a fleet-wide query: only asked for when sorting by it.
    expect(first.rows[0].variance).toBeNull();
    const byVariance = await service.handlers['gpu.heatmap']({ ...request, sort: 'variance', rowOffset: 0, rowCount: 0, labels: 'all' }, session);
    expect(byVariance.rows.find((r) => r.node === 'node-a' && r.gpu === '1')?.variance).toBeCloseTo(0, 3);
    expect(byVariance.rowCount).toBe(0);
    let compared = 0;
    const seen = new Set<string>();
    for (let offset = 0; offset < gpus.length; offset += 4) {
      const window = await service.handlers['gpu.heatmap']({ ...request, range: { ...first.range, step: 1 }, rowOffset: offset, rowCount: 4, labels: 'window' }, session);
      expect(window).toMatchObject({ rowOffset: offset, rowCount: Math.min(4, gpus.length - offset), rowsFrom: offset, start: first.start, columns: first.columns });
      expect(window.rows.map((r) => r.key)).toEqual(first.rows.slice(offset, offset + 4).map((r) => r.key));
      // The window's own query selects exactly its GPUs (by UUID, under either label form).
      const direct = await queryRange(window);
      expect(new Set(direct.data.result.map((s) => gpuIdentity(s.metric)?.uuid))).toEqual(new Set(window.rows.map((r) => r.uuid)));
      const values = decode(window);
      for (const s of direct.data.result) {
        const row = window.rows.findIndex((r) => r.uuid === gpuIdentity(s.metric)?.uuid);
        seen.add(window.rows[row].key);
        for (const [t, v] of s.values) {
          const cell = values[row * window.columns + (t - window.start) / window.step];
          if (Number(v) >= 2 ** 63) expect(cell).toBeNaN();
          else expect(cell).toBeCloseTo(Number(v), 3);
          compared++;
        }
      }
    }
    expect(seen.size).toBe(gpus.length);
    expect(compared).toBeGreaterThan(gpus.length);
  });

  it('calls out idle-but-allocated, hot, XID and a GPU node without an exporter', async () => {
    const end = Math.floor(Date.now() / 1000);
    const grid = await heatmap('direct', { start: end - 60, end, step: 1 });
    const kinds = grid.callouts.map((c) => `${c.kind}:${c.node}/${c.gpu ?? '-'}`);
    expect(kinds).toEqual(expect.arrayContaining(['idle:node-a/0', 'hot:node-a/1', 'xid:node-b/1', 'exporter-missing:node-c/-']));
    expect(kinds).not.toContain('idle:node-a/3');
    // gpu.callouts (what the view asks for once the grid is painted) says the same of the same range.
    const alone = await service.handlers['gpu.callouts']({ context: 'direct', range: grid.range }, session);
    expect(alone.range).toEqual(grid.range);
    expect(alone.callouts.map((c) => `${c.kind}:${c.node}/${c.gpu ?? '-'}`)).toEqual(kinds);
    const one = await service.handlers['gpu.callouts']({ context: 'direct', range: grid.range, node: 'node-b' }, session);
    expect(one.callouts.map((c) => `${c.kind}:${c.node}/${c.gpu ?? '-'}`)).toEqual(kinds.filter((k) => k.includes(':node-b/')));
    const idle = grid.callouts.find((c) => c.kind === 'idle');
    expect(idle).toMatchObject({ pod: 'notebook-0', namespace: 'research', value: 3 });
    // Charged for the time the series existed in the range (Prometheus started seconds before it), not the whole range.
    expect(idle?.coverageHours).toBeGreaterThan(0);
    expect(idle?.coverageHours).toBeLessThanOrEqual(60 / 3600);
    expect(idle?.costUsd).toBeCloseTo((idle?.coverageHours ?? 0) * 0.97 * DEFAULT_SETTINGS.gpuHourPriceUsd, 2);
  });

  it('splits a range query that Prometheus would refuse for more than 11,000 points', async () => {
    const end = Math.floor(Date.now() / 1000);
    const start = end - 4 * 3600;
    const refused = await fetch(`${prom.url}/api/v1/query_range?query=up&start=${start}&end=${end}&step=1`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/exceeded maximum resolution of 11,000 points/);
    const client = await service.sources.client('direct');
    expect(client.chunks(start, end, 1)).toHaveLength(2);
    const answer = await client.queryRange('up', start, end, 1);
    expect(answer.series).toHaveLength(1);
    expect(answer.series[0].times.length).toBeGreaterThan(0);
    const range = await service.handlers['metrics.queryRange']({ context: 'direct', query: 'up', range: { start, end, step: 1 } }, session);
    expect(range.columns).toBe(4 * 3600 + 1);
    expect(range.series[0].values.at(-2)).toBe(1);
  });

  it('says what failed for a 400, garbage and a slow answer, keeps the last grid stale, and recovers', async () => {
    const end = Math.floor(Date.now() / 1000);
    const range = { start: end - 120, end, step: 5 };
    const good = await heatmap('proxied', range);
    expect(good.freshness.stale).toBe(false);
    expect(good.rows).toHaveLength(gpus.length);

    proxy.mode = 'bad-request';
    const bad = await heatmap('proxied', range);
    expect(bad.freshness).toMatchObject({ stale: true, error: { code: 'upstream_error' } });
    expect(bad.freshness.error?.message).toMatch(/rejected the query \(bad_data\): invalid parameter "query"/);
    expect(bad.rows).toEqual(good.rows);
    const since = bad.freshness.since;

    proxy.mode = 'garbage';
    const garbage = await heatmap('proxied', range);
    expect(garbage.freshness.error?.message).toMatch(/not Prometheus JSON/);
    expect(garbage.freshness.since).toBe(since);

    proxy.mode = 'slow';
    const t0 = Date.now();
    const slow = await heatmap('proxied', range);
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect(slow.freshness.error).toMatchObject({ code: 'timeout' });
    expect(slow.freshness.error?.message).toMatch(/did not answer within 1 s/);

    proxy.mode = 'pass';
    const back = await heatmap('proxied', range);
    expect(back.freshness.stale).toBe(false);
    expect(back.rows).toHaveLength(gpus.length);

    // A panel never loaded gets the error itself, written for a person.
    proxy.mode = 'bad-request';
    await expect(service.handlers['metrics.query']({ context: 'proxied', query: 'up' }, session)).rejects.toMatchObject({ code: 'upstream_error' });
    proxy.mode = 'pass';
  });

  it('survives Prometheus being stopped and restarted', async () => {
    const end = Math.floor(Date.now() / 1000);
    const range = { start: end - 60, end, step: 5 };
    await heatmap('direct', range);
    await prom.stop();
    const down = await heatmap('direct', range);
    expect(down.freshness).toMatchObject({ stale: true, error: { code: 'upstream_unavailable' } });
    expect(down.freshness.error?.message).toMatch(/is not reachable \(ECONNREFUSED\)/);
    const source = await service.handlers['metrics.source']({ context: 'direct', recheck: true }, session);
    expect(source.healthy).toBe(false);
    await prom.restart();
    const back = await heatmap('direct', range);
    expect(back.freshness.stale).toBe(false);
    expect(back.rows).toHaveLength(gpus.length);
  });
});
