// GPU callouts on the demo fleet's real Prometheus, scraped as the Helm ServiceMonitor does
// (honor_labels false, the exporter pod as target labels): free GPUs carry only the exporter's pod
// and are not called allocated; an XID is raised for the range it appeared in and not for a later
// range in which the gauge merely kept its old value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createMetricsService, type MetricsService } from '../../electron/core/metrics/index.js';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings-store.js';

const session = { session: { kind: 'console' as const, readOnly: false } };
let demo: DemoFleet;
let service: MetricsService;
let dataDir: string;

type Series = { metric: Record<string, string>; value: [number, string] };
const instant = async (query: string): Promise<Series[]> =>
  ((await fetch(`${demo.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`).then((r) => r.json())) as { data: { result: Series[] } }).data.result;
const callouts = async (start: number, end: number) =>
  (await service.handlers['gpu.heatmap']({ context: 'demo-admin', metric: 'util', range: { start, end }, groupBy: 'node', sort: 'name', callouts: true, rowOffset: 0, labels: 'all' }, session))
    .callouts;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

beforeAll(async () => {
  demo = await startDemoFleet({ nodes: 8, pods: 60, seed: 7, speed: 20, prometheus: true, log: () => undefined });
  if (!demo.prometheusUrl) throw new Error('the demo fleet started without Prometheus (install it: apt-get install prometheus)');
  dataDir = mkdtempSync(join(tmpdir(), 'fd-gpu-callouts-'));
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
  await until('a few scrapes of every GPU', async () => {
    const r = await instant('min(count_over_time(DCGM_FI_DEV_GPU_UTIL[5m]))');
    return Number(r[0]?.value[1] ?? 0) >= 4 ? true : undefined;
  });
}, 90_000);

afterAll(async () => {
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('GPU callouts on the demo fleet', () => {
  it('does not call free GPUs allocated to the exporter pod', async () => {
    const util = await instant('DCGM_FI_DEV_GPU_UTIL');
    const free = util.filter((s) => !s.metric.exported_pod);
    const held = util.filter((s) => s.metric.exported_pod);
    // The scrape reproduces the Helm chart's case: free GPUs carry the exporter's own pod as `pod`.
    expect(free.length).toBeGreaterThan(0);
    expect(held.length).toBeGreaterThan(0);
    expect(free.every((s) => /^dcgm-exporter-/.test(s.metric.pod) && s.metric.namespace === 'monitoring')).toBe(true);
    // The seed parks one inference GPU (allocated, idle): wait until Prometheus has seen it idle.
    await until('an allocated GPU idle in Prometheus', async () => ((await instant('avg_over_time(DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}[30s]) < 10')).length ? true : undefined));
    const end = Math.floor(Date.now() / 1000);
    const found = await callouts(end - 30, end);
    const idle = found.filter((c) => c.kind === 'idle');
    expect(idle.length).toBeGreaterThan(0);
    expect(idle.every((c) => c.pod && !c.pod.startsWith('dcgm-exporter-') && held.some((s) => s.metric.exported_pod === c.pod))).toBe(true);
    // No free GPU appears as an idle allocated one.
    const freeKeys = new Set(free.map((s) => `${s.metric.Hostname}/${s.metric.gpu}`));
    expect(idle.filter((c) => freeKeys.has(`${c.node}/${c.gpu}`) && !held.some((s) => s.metric.Hostname === c.node && s.metric.gpu === c.gpu))).toEqual([]);
    // Charged no more than the range per GPU.
    for (const c of idle) expect(c.coverageHours ?? 0).toBeLessThanOrEqual(30 / 3600 + 0.005);
  });

  it('raises an XID in the range it appeared in, not in a later range where the gauge only kept it', async () => {
    const held = (await instant('DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}'))[0].metric;
    const node = held.Hostname;
    const gpu = Number(held.gpu);
    const selector = `{Hostname="${node}",gpu="${gpu}"}`;
    const before = Math.floor(Date.now() / 1000) - 2;
    demo.metrics.faults.setXid(node, gpu, 79);
    await until('XID 79 in Prometheus', async () => ((await instant(`DCGM_FI_DEV_XID_ERRORS${selector} == 79`)).length ? true : undefined));
    const raised = await instant(`DCGM_FI_DEV_XID_ERRORS${selector} == 79`);
    expect(raised[0].metric).toMatchObject({ err_code: '79', err_msg: 'GPU has fallen off the bus' });
    expect(await instant(`DCGM_EXP_XID_ERRORS_COUNT${selector.slice(0, -1)},xid="79"}`)).toHaveLength(1);

    const onset = await callouts(before, Math.floor(Date.now() / 1000) + 1);
    const xid = onset.filter((c) => c.kind === 'xid');
    expect(xid).toEqual([expect.objectContaining({ node, gpu: String(gpu), value: 79, severity: 'critical', pod: held.exported_pod })]);
    expect(xid[0].message).toMatch(/XID 79 \(GPU has fallen off the bus\)/);

    // The exporter's 5 min count window (15 s at speed 20) passes; the gauge keeps saying 79.
    await until('the XID count window to pass', async () => ((await instant(`DCGM_EXP_XID_ERRORS_COUNT${selector.slice(0, -1)},xid="79"}`)).length ? undefined : true));
    const later = Math.floor(Date.now() / 1000) + 1;
    await sleep(4_000);
    expect(await instant(`DCGM_FI_DEV_XID_ERRORS${selector} == 79`)).toHaveLength(1);
    const sticky = await callouts(later, Math.floor(Date.now() / 1000));
    expect(sticky.filter((c) => c.kind === 'xid')).toEqual([]);
  }, 90_000);
});
