// The demo fleet's `prometheus` Service in `monitoring` reaches the real Prometheus the demo started
// through the API server's service proxy, as an in-cluster Prometheus is reached: kubectl get --raw
// answers, and the console's metrics core given only the demo kubeconfig (no demo Prometheus URL)
// discovers it by itself and reads metrics through it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsService, type MetricsService } from '../../electron/core/metrics/index.js';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings-store.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet } from './demo-kubectl-helpers.js';

const PROXY = '/api/v1/namespaces/monitoring/services/prometheus:9090/proxy';
const session = { session: { kind: 'console' as const, readOnly: false } };
let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;
let dataDir: string;
let service: MetricsService;

beforeAll(async () => {
  requireTool('prometheus', INSTALL_HINTS.prometheus);
  t = await startTestFleet({ nodes: 4, pods: 20, speed: 60, prometheus: true, log: () => {} });
  k = kubectlRunner(t);
  dataDir = mkdtempSync(join(tmpdir(), 'fd-svc-proxy-'));
  service = createMetricsService({
    dataDir,
    settings: () => DEFAULT_SETTINGS,
    // As `--kubeconfig <demo kubeconfig>`: no demo Prometheus URL handed over.
    isDemoContext: () => false,
    kubeConfig: (context) => {
      const kc = new KubeConfig();
      kc.loadFromFile(t.kubeconfigPath);
      kc.setCurrentContext(context);
      return kc;
    },
    clusterGpuNodes: async () => ({ gpus: new Map(), pools: {} }),
    clientOptions: { timeoutMs: 5_000, retries: 0 },
  });
}, 90_000);

afterAll(async () => {
  await t?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('service proxy to the demo Prometheus', () => {
  it('kubectl get --raw reaches Prometheus by port number and by scheme:name:port name', async () => {
    expect(t.fleet.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const up = JSON.parse(await k.ok(['get', '--raw', `${PROXY}/api/v1/query?query=up`])) as { status: string; data: { resultType: string; result: unknown[] } };
    expect(up.status).toBe('success');
    expect(up.data.resultType).toBe('vector');
    const byName = JSON.parse(await k.ok(['get', '--raw', '/api/v1/namespaces/monitoring/services/http:prometheus:http/proxy/api/v1/query?query=vector(7)'])) as { data: { result: { value: [number, string] }[] } };
    expect(byName.data.result[0].value[1]).toBe('7');
  });

  it('answers 404 for an unknown service, 503 for one with nothing behind it, 403 for a viewer', async () => {
    const missing = await k.run(['get', '--raw', '/api/v1/namespaces/monitoring/services/nope:80/proxy/']);
    expect(missing.stderr).toContain('services "nope" not found');
    const grafana = await k.run(['get', '--raw', '/api/v1/namespaces/monitoring/services/grafana/proxy/']);
    expect(grafana.code).not.toBe(0);
    expect(grafana.stderr).toMatch(/ServiceUnavailable|no endpoints available for service "grafana"/);
    const viewer = await k.run(['get', '--raw', `${PROXY}/api/v1/query?query=up`], { context: 'demo-viewer' });
    expect(viewer.stderr).toContain('cannot get resource "services/proxy"');
  });

  it('the console core, given only the demo kubeconfig, finds Prometheus through the proxy and reads metrics', async () => {
    const source = await service.handlers['metrics.source']({ context: 'demo-admin' }, session);
    expect(source).toMatchObject({ kind: 'service-proxy', healthy: true });
    expect(source.url).toBe(`${t.fleet.apiUrl}/api/v1/namespaces/monitoring/services/prometheus:http/proxy/`);
    // Scraped series (not a constant expression): the first scrape may still be on its way.
    const deadline = Date.now() + 30_000;
    let rows: { value: string }[] = [];
    while (!rows.length && Date.now() < deadline) {
      rows = (await service.handlers['metrics.query']({ context: 'demo-admin', query: 'count(up == 1)' }, session)).rows;
      if (!rows.length) await new Promise((r) => setTimeout(r, 500));
    }
    expect(Number(rows[0]?.value)).toBeGreaterThan(0);
    // The CPU/memory columns read the metrics API through the same kubeconfig.
    const usage = await service.handlers['metrics.usage']({ context: 'demo-admin' }, session);
    expect(usage.source).toBe('metrics-api');
    expect(Object.keys(usage.nodes).sort()).toEqual([...t.fleet.store.peek('nodes')].map((n) => n.metadata.name).sort());
  });
});
