// GPU callouts on the demo fleet's real Prometheus, scraped as the Helm ServiceMonitor does
// (honor_labels false, the exporter pod as target labels): free GPUs carry only the exporter's pod
// and are not called allocated; an XID is raised for the range it appeared in and not for a later
// range in which the gauge merely kept its old value.
// Robust to a slow machine: every reference set is read for the very range the callouts cover (not
// a snapshot taken earlier, while pods come and go), and range bounds sit on real scrapes (a scrape
// that timed out leaves a stale gap, and "the code at the start" would then read nothing).
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
/** An instant query, at `time` (unix seconds) or now. */
const instant = async (query: string, time?: number): Promise<Series[]> =>
  ((await fetch(`${demo.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}${time === undefined ? '' : `&time=${time}`}`).then((r) => r.json())) as { data: { result: Series[] } })
    .data.result;
/** The callouts of the range, fresh: a failed query must not pass off another range's kept grid as this one's. */
const callouts = async (start: number, end: number) => {
  const grid = await service.handlers['gpu.heatmap']({ context: 'demo-admin', metric: 'util', range: { start, end }, groupBy: 'node', sort: 'name', callouts: true, rowOffset: 0, labels: 'all' }, session);
  expect(grid.freshness.stale, `callouts for ${start}..${end} came from the stale cache: ${JSON.stringify(grid.freshness)}`).toBe(false);
  return grid.callouts;
};
/**
 * Allocated GPUs idle over the last 30 s, in Prometheus for 10 of its scrapes (1 s apart) or more: the
 * callouts charge a series the subquery points (5 s apart) it existed at, so one only seconds old
 * (right after the first scrapes, or a pod just started) can be charged nothing and not be called.
 */
const IDLE_HELD_30S = 'avg_over_time(DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}[30s]) < 10 and count_over_time(DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}[30s]) >= 10';
/** The newest sample time (unix seconds) of `series` once it is later than `after`: a scrape, not a guess. */
const scrapedAfter = (what: string, series: string, after: number) =>
  until(what, async () => {
    const t = Math.max(...(await instant(`timestamp(${series})`)).map((s) => Number(s.value[1])));
    return t > after ? t : undefined;
  });
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
    // The seed parks one inference GPU (allocated, idle): wait until Prometheus has seen it idle.
    await until('an allocated GPU idle, in Prometheus for 10 s or more', async () => ((await instant(IDLE_HELD_30S)).length ? true : undefined));
    const end = Math.floor(Date.now() / 1000);
    const found = await callouts(end - 30, end);
    // Every series of that same range (its last sample; a series whose pod left in the range counts),
    // as the callouts read them: the reference a snapshot taken earlier was not (a Job finishing, or a
    // timed-out scrape's stale gap, changed it in between).
    const util = await instant('last_over_time(DCGM_FI_DEV_GPU_UTIL[30s])', end);
    const free = util.filter((s) => !s.metric.exported_pod);
    const held = util.filter((s) => s.metric.exported_pod);
    // The scrape reproduces the Helm chart's case: free GPUs carry the exporter's own pod as `pod`.
    expect(free.length).toBeGreaterThan(0);
    expect(held.length).toBeGreaterThan(0);
    expect(free.every((s) => /^dcgm-exporter-/.test(s.metric.pod) && s.metric.namespace === 'monitoring')).toBe(true);
    const idle = found.filter((c) => c.kind === 'idle');
    expect(idle.length).toBeGreaterThan(0);
    expect(idle.every((c) => c.pod && !c.pod.startsWith('dcgm-exporter-') && held.some((s) => s.metric.exported_pod === c.pod))).toBe(true);
    // No free GPU appears as an idle allocated one.
    const freeKeys = new Set(free.map((s) => `${s.metric.Hostname}/${s.metric.gpu}`));
    expect(idle.filter((c) => freeKeys.has(`${c.node}/${c.gpu}`) && !held.some((s) => s.metric.Hostname === c.node && s.metric.gpu === c.gpu))).toEqual([]);
    // Charged no more than the range per GPU.
    for (const c of idle) expect(c.coverageHours ?? 0).toBeLessThanOrEqual(30 / 3600 + 0.005);
  }, 90_000);

  it('raises an XID in the range it appeared in, not in a later range where the gauge only kept it', async () => {
    // A GPU of a long-lived pod (the parked inference replica, a Deployment's): the seed's last
    // training Job finishes a few simulated minutes in, and a GPU whose pod leaves mid-test changes series.
    const held = (
      await until('an allocated GPU of a long-lived pod', async () => (await instant(IDLE_HELD_30S))[0])
    ).metric;
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

    // The exporter's 5 min count window (15 s at speed 20) passes; the gauge keeps saying 79. Seen
    // from a scrape that has the count without `xid` (the out-of-window form), not from the count's
    // absence, which a timed-out scrape's stale gap fakes while the window is still open.
    const counted = await until('the XID count window to pass', async () => {
      const out = await instant(`timestamp(DCGM_EXP_XID_ERRORS_COUNT${selector.slice(0, -1)},xid=""})`);
      const inWindow = await instant(`DCGM_EXP_XID_ERRORS_COUNT${selector.slice(0, -1)},xid="79"}`);
      return out.length && !inWindow.length ? Number(out[0].value[1]) : undefined;
    });
    // The later range starts on a scrape of the gauge at or after that one (where the code at the
    // start is read) and ends 4 s on, once scraped: whole seconds apart, so the `offset` lands on it.
    // (timestamp() of a plain selector: of anything else it is the evaluation time.)
    const gauge79 = `DCGM_FI_DEV_XID_ERRORS${selector.slice(0, -1)},err_code="79"}`;
    // Half a millisecond past the sample, so that rounding of the query time (ms) never lands before it.
    const later = (await scrapedAfter('a scrape of the XID gauge after the count window', gauge79, counted - 0.001)) + 0.0005;
    const laterEnd = later + 4;
    await scrapedAfter('4 s more of scrapes', gauge79, laterEnd - 0.001);
    expect(await instant(`DCGM_FI_DEV_XID_ERRORS${selector} == 79`, laterEnd)).toHaveLength(1);
    expect(await instant(`DCGM_FI_DEV_XID_ERRORS${selector} == 79`, later)).toHaveLength(1);
    const sticky = await callouts(later, laterEnd);
    expect(sticky.filter((c) => c.kind === 'xid')).toEqual([]);
  }, 90_000);
});
