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

const decode = (grid: GpuGrid) => new Float32Array(Buffer.from(grid.values, 'base64').buffer.slice(0));
const heatmap = (seconds: number, step?: number) => {
  const end = Math.floor(Date.now() / 1000);
  return service.handlers['gpu.heatmap']({ context: 'demo-admin', metric: 'util', range: { start: end - seconds, end, step }, groupBy: 'node', sort: 'name', callouts: true }, session);
};

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
    expect(new Set(grid.rows.map((r) => r.key)).size).toBe(expected);
    const values = decode(grid);
    const form = new URLSearchParams({ query: grid.query, start: String(grid.start), end: String(grid.start + (grid.columns - 1) * grid.step), step: String(grid.step) });
    const direct = (await fetch(`${demo.prometheusUrl}/api/v1/query_range`, { method: 'POST', body: form }).then((r) => r.json())) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    let compared = 0;
    for (const s of direct.data.result) {
      const id = gpuIdentity(s.metric);
      const row = grid.rows.findIndex((r) => r.node === id?.node && r.uuid === id?.uuid);
      expect(row).toBeGreaterThanOrEqual(0);
      for (const [t, v] of s.values) {
        expect(values[row * grid.columns + (t - grid.start) / grid.step]).toBeCloseTo(Number(v), 3);
        compared++;
      }
    }
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
