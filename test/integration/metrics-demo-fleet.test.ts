// The metrics service on the demo fleet's real Prometheus: the heatmap has one row per simulated GPU
// with Prometheus' values, and the gpu-node-failure scenario shows up as XID callouts and then a
// silent exporter on the failing node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createMetricsService, type MetricsService } from '../../electron/core/metrics/index.js';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings-store.js';
import { gpuIdentity } from '../../shared/model/gpu-labels.js';
import type { GpuGrid } from '../../shared/contract/gpu.js';

const session = { session: { kind: 'console' as const, readOnly: false } };
let demo: DemoFleet;
let service: MetricsService;
let dataDir: string;

const decode = (grid: GpuGrid) => {
  // Small answers sit inside Node's shared Buffer pool: copy out exactly their bytes.
  const bytes = Buffer.from(grid.values, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const heatmap = (seconds: number, step?: number) => {
  const end = Math.floor(Date.now() / 1000);
  return service.handlers['gpu.heatmap']({ context: 'demo-admin', metric: 'util', range: { start: end - seconds, end, step }, groupBy: 'node', sort: 'name', callouts: true, rowOffset: 0, labels: 'all' }, session);
};
/** The values of rows [offset, offset + count) of a grid's range, as a scroll would fetch them. */
const page = (grid: GpuGrid, rowOffset: number, rowCount: number) =>
  service.handlers['gpu.heatmap'](
    { context: 'demo-admin', metric: 'util', range: { ...grid.range, step: grid.step }, groupBy: 'node', sort: 'name', callouts: false, rowOffset, rowCount, labels: 'window' },
    session,
  );

beforeAll(async () => {
  demo = await startDemoFleet({ nodes: 8, pods: 60, seed: 7, speed: 20, scenario: 'gpu-node-failure', prometheus: true, log: () => undefined });
  if (!demo.prometheusUrl) throw new Error('the demo fleet started without Prometheus (is /usr/bin/prometheus installed?)');
  dataDir = mkdtempSync(join(tmpdir(), 'fd-metrics-demo-'));
  service = createMetricsService({
    dataDir,
    settings: () => DEFAULT_SETTINGS,
    demoPrometheusUrl: demo.prometheusUrl,
    isDemoContext: (c) => c.startsWith('demo-'),
    kubeConfig: (context) => {
      const kc = new KubeConfig();
      kc.loadFromString(demo.kubeconfig);
      kc.setCurrentContext(context);
      return kc;
    },
    clientOptions: { timeoutMs: 5_000, cacheTtlMs: 0 },
  });
}, 90_000);

afterAll(async () => {
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('GPU heatmap on the demo fleet', () => {
  it('has one row per simulated GPU, with the values Prometheus returns', async () => {
    const expected = [...demo.store.peek('nodes')].reduce((n, node) => n + Number((node.status as { capacity?: Record<string, string> } | undefined)?.capacity?.['nvidia.com/gpu'] ?? 0), 0);
    expect(expected).toBeGreaterThan(0);
    // Wait for a few scrapes of every GPU, so there is more than one column to compare.
    const deadline = Date.now() + 30_000;
    const scrapes = async () =>
      ((await fetch(`${demo.prometheusUrl}/api/v1/query?query=min(count_over_time(DCGM_FI_DEV_GPU_UTIL[5m]))`).then((r) => r.json())) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1];
    while (Number((await scrapes()) ?? 0) < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    let grid = await heatmap(300, 1);
    while (grid.rows.length < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      grid = await heatmap(300, 1);
    }
    expect(grid.rows).toHaveLength(expected);
    expect(grid.totalRows).toBe(expected);
    expect(new Set(grid.rows.map((r) => r.key)).size).toBe(expected);
    // Walk the grid in windows of 5 rows, as the view scrolls, and compare every GPU with Prometheus.
    const form = new URLSearchParams({ query: grid.query, start: String(grid.start), end: String(grid.start + (grid.columns - 1) * grid.step), step: String(grid.step) });
    const direct = (await fetch(`${demo.prometheusUrl}/api/v1/query_range`, { method: 'POST', body: form }).then((r) => r.json())) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    const byKey = new Map<string, Array<[number, string]>>();
    for (const s of direct.data.result) {
      const id = gpuIdentity(s.metric);
      expect(grid.rows.some((r) => r.node === id?.node && r.uuid === id?.uuid)).toBe(true);
      byKey.set(`${id?.node}/${id?.uuid}`, s.values);
    }
    let compared = 0;
    const seen = new Set<string>();
    for (let offset = 0; offset < grid.totalRows; offset += 5) {
      const window = await page(grid, offset, 5);
      expect(window).toMatchObject({ rowOffset: offset, rowCount: Math.min(5, expected - offset), rowsFrom: offset, totalRows: expected, columns: grid.columns, start: grid.start });
      expect(window.rows.map((r) => r.key)).toEqual(grid.rows.slice(offset, offset + 5).map((r) => r.key));
      const values = decode(window);
      window.rows.forEach((row, i) => {
        seen.add(row.key);
        for (const [t, v] of byKey.get(`${row.node}/${row.uuid}`) ?? []) {
          expect(values[i * window.columns + (t - window.start) / window.step]).toBeCloseTo(Number(v), 3);
          compared++;
        }
      });
    }
    expect(seen.size).toBe(expected);
    expect(compared).toBeGreaterThan(expected);
    const source = await service.handlers['metrics.source']({ context: 'demo-admin' }, session);
    expect(source).toMatchObject({ kind: 'demo', healthy: true, url: demo.prometheusUrl });
  });

  it('shows the gpu-node-failure scenario as XID callouts on the failing node, then its exporter missing', async () => {
    let grid = await heatmap(300, 5);
    const deadline = Date.now() + 60_000;
    while (!grid.callouts.some((c) => c.kind === 'xid' && c.value === 79) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      grid = await heatmap(300, 5);
    }
    const xid = grid.callouts.filter((c) => c.kind === 'xid');
    expect(xid.map((c) => `${c.gpu}:${c.value}`).sort()).toEqual(['2:48', '5:79']);
    const node = xid[0].node;
    expect(grid.rows.filter((r) => r.node === node).length).toBeGreaterThan(0);
    expect(xid.find((c) => c.value === 79)?.message).toMatch(/XID 79 \(GPU has fallen off the bus\)/);
    while (!grid.callouts.some((c) => c.kind === 'exporter-missing' && c.node === node) && Date.now() < deadline + 30_000) {
      await new Promise((r) => setTimeout(r, 1_000));
      grid = await heatmap(300, 5);
    }
    expect(grid.callouts.find((c) => c.kind === 'exporter-missing')).toMatchObject({ node, severity: 'critical' });
  });
});
