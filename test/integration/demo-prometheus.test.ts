// The demo fleet watched by the machine's real Prometheus and Alertmanager: every target up, one
// DCGM series per simulated GPU, the exporter text clean for promtool, and each scenario making
// its promised alerts fire in Prometheus, reach Alertmanager and resolve once it heals. The fleet
// runs at --speed 60 (a 13-minute incident plays in 13 s) and the rules are rescaled to match.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock, type DemoClock } from '../../electron/demo/clock.js';
import { startControllers, type RunningControllers } from '../../electron/demo/controllers/index.js';
import { startMetrics, type RunningMetrics } from '../../electron/demo/metrics/index.js';
import { startRolloutsController } from '../../electron/demo/rollouts/index.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { ObjectStore } from '../../electron/demo/store.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

const SPEED = 60;
const SEED = 7;

interface PromAlert { labels: Record<string, string>; state: string }
interface AmAlert { labels: Record<string, string>; status: { state: string } }

let clock: DemoClock;
let store: ObjectStore;
let controllers: RunningControllers;
let rollouts: { stop(): void };
let metrics: RunningMetrics;

async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${metrics.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}
const promAlerts = async () => ((await (await fetch(`${metrics.prometheusUrl}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } }).data.alerts;
const amAlerts = async () => (await (await fetch(`${metrics.alertmanagerUrl}/api/v2/alerts?active=true`)).json()) as AmAlert[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

describe('demo fleet with real Prometheus and Alertmanager', () => {
  beforeAll(async () => {
    // The only check that alerts reach Alertmanager: a missing binary fails it, never skips it.
    requireTool('prometheus', INSTALL_HINTS.prometheus);
    requireTool('promtool', INSTALL_HINTS.promtool);
    requireTool(['prometheus-alertmanager', 'alertmanager'], INSTALL_HINTS.alertmanager);
    clock = createClock(SPEED);
    store = new ObjectStore({ nowIso: () => clock.iso() });
    seedFleet(store, { nodes: 4, seed: SEED, clock });
    controllers = startControllers(store, clock, { seed: SEED });
    rollouts = startRolloutsController(store, clock);
    metrics = await startMetrics(store, clock, { seed: SEED, prometheus: true, log: () => {} });
    expect(metrics.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metrics.alertmanagerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 60_000);

  afterAll(async () => {
    await metrics?.stop();
    rollouts?.stop();
    controllers?.stop();
    clock?.stop();
  });

  it('scrapes every target (up == 1) with one DCGM_FI_DEV_GPU_UTIL series per simulated GPU', async () => {
    const gpus = [...store.peek('nodes')].reduce((n, node) => n + (Number((node.status as { allocatable?: Record<string, string> }).allocatable?.['nvidia.com/gpu'] ?? 0) || 0), 0);
    expect(gpus).toBeGreaterThanOrEqual(32);
    const gpuNodes = gpus / 8;
    await until('every target scraped and up', 30_000, async () => {
      const up = await query('up');
      return up.length === gpuNodes + 2 && up.every((s) => s.value[1] === '1') ? up : undefined;
    });
    const util = await query('DCGM_FI_DEV_GPU_UTIL');
    expect(util).toHaveLength(gpus);
    expect(new Set(util.map((s) => s.metric.UUID)).size).toBe(gpus);
    expect(util.every((s) => s.metric.job === 'dcgm-exporter' && s.metric.instance === s.metric.Hostname)).toBe(true);
    expect(util.some((s) => s.metric.pod && Number(s.value[1]) >= 90)).toBe(true);
    const requests = await until('inference request metrics', 20_000, async () => {
      const r = await query('sum by (service) (rate(inference_requests_total[30s]))');
      return r.length >= 3 ? r : undefined;
    });
    expect(requests.map((r) => r.metric.service)).toEqual(expect.arrayContaining(['llm-gateway', 'recommender']));
  }, 60_000);

  it('serves exporter text that promtool accepts (only lints the upstream metric names cause)', async () => {
    const text = await (await fetch(metrics.exporterUrl)).text();
    const res = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = `${res.stdout}${res.stderr}`.split('\n').filter(Boolean);
    expect([0, 3]).toContain(res.status);
    expect(problems.filter((p) => !/_total" suffix|snake_case|should not include type 'counter'/.test(p))).toEqual([]);
    const inference = await (await fetch(metrics.inferenceMetricsUrl)).text();
    expect(spawnSync('promtool', ['check', 'metrics'], { input: inference, encoding: 'utf8' }).status).toBe(0);
  });

  it('each scenario fires its alerts in Prometheus and Alertmanager, and they resolve once healed', async () => {
    // All three incidents at once: they touch different services and nodes, and it keeps the run short.
    const runs = ['bad-canary', 'gpu-node-failure', 'error-rate-spike'].map((name) => metrics.scenario.run(name));
    const promised = runs.flatMap((r) => r.scenario.alerts);
    expect(promised).toEqual(['CanaryErrorRateHigh', 'GPUXidErrors', 'GPUNodeDown', 'InferenceErrorRateHigh', 'ErrorBudgetBurnRateCritical']);
    const seen = new Map<string, { firing?: number; inAm?: number; resolved?: number; amResolved?: number }>(promised.map((a) => [a, {}]));
    const labels = new Map<string, Record<string, string>>();
    const started = Date.now();
    await until('every promised alert to fire, reach Alertmanager and resolve', 100_000, async () => {
      const all = await promAlerts();
      for (const a of all) if (a.state === 'firing' && seen.has(a.labels.alertname)) labels.set(a.labels.alertname, a.labels);
      const firing = new Set(all.filter((a) => a.state === 'firing').map((a) => a.labels.alertname));
      const active = new Set((await amAlerts()).filter((a) => a.status.state === 'active').map((a) => a.labels.alertname));
      const pending = new Set(all.map((a) => a.labels.alertname));
      const t = Date.now() - started;
      for (const [name, s] of seen) {
        if (s.firing === undefined && firing.has(name)) s.firing = t;
        if (s.inAm === undefined && active.has(name)) s.inAm = t;
        if (s.firing !== undefined && s.resolved === undefined && !pending.has(name)) s.resolved = t;
        if (s.inAm !== undefined && s.amResolved === undefined && !active.has(name)) s.amResolved = t;
      }
      return [...seen.values()].every((s) => s.resolved !== undefined && s.amResolved !== undefined) ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; progress (ms since start): ${JSON.stringify(Object.fromEntries(seen))}; scenario log: ${metrics.scenario.log.map((l) => `${l.scenario}: ${l.message}`).join(' | ')}`);
    });
    console.info(`alert timeline (wall ms since the scenarios started, speed ${SPEED}): ${JSON.stringify(Object.fromEntries(seen))}`);
    for (const [name, s] of seen) {
      expect(s.firing, name).toBeDefined();
      expect(s.inAm, name).toBeDefined();
      expect(s.resolved!, name).toBeGreaterThan(s.firing!);
    }
    expect(metrics.scenario.log.filter((l) => l.error)).toEqual([]);
    // Each alert names what its scenario broke.
    const broken = /picked node (\S+)/.exec(metrics.scenario.log.find((l) => l.scenario === 'gpu-node-failure')?.message ?? '')?.[1];
    expect(broken).toMatch(/^gpu-a100-/);
    expect(labels.get('GPUXidErrors')).toMatchObject({ Hostname: broken, severity: 'critical' });
    expect(labels.get('GPUNodeDown')).toMatchObject({ node: broken, job: 'dcgm-exporter' });
    expect(labels.get('CanaryErrorRateHigh')).toMatchObject({ namespace: 'inference', service: 'recommender' });
    expect(labels.get('InferenceErrorRateHigh')).toMatchObject({ namespace: 'inference', service: 'llm-gateway' });
    expect(labels.get('ErrorBudgetBurnRateCritical')).toMatchObject({ service: 'llm-gateway' });
    const recommender = store.get('rollouts.argoproj.io', 'inference', 'recommender') as { status?: { phase?: string } };
    expect(recommender.status?.phase).toBe('Healthy');
  }, 120_000);

  it('steady state keeps the hot GPU warning firing', async () => {
    await until('GPUHot firing and in Alertmanager', 20_000, async () => {
      const firing = (await promAlerts()).some((a) => a.labels.alertname === 'GPUHot' && a.state === 'firing');
      const inAm = (await amAlerts()).some((a) => a.labels.alertname === 'GPUHot');
      return firing && inAm ? true : undefined;
    });
  }, 30_000);
});
