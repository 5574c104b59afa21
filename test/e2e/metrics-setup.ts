// E2E set-up shared by the GPU and Metrics view tests: the built console on the demo fleet, pointed
// (through Settings, as a user would) at a real Prometheus scraping an exporter we control.
import { startConsole, type RunningConsole } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfill, dcgmText, startExporter, startPrometheus, serviceText, type Gpu, type TestPrometheus, type ServiceTraffic } from '../integration/metrics-support.js';

export const E2E_GPUS: Gpu[] = [
  ...[0, 1, 2, 3].map((gpu) => ({ node: 'gpu-node-1', gpu, util: [92, 88, 3, 0][gpu], temp: [71, 93, 40, 38][gpu], pod: gpu < 3 ? `train-${gpu}` : undefined, namespace: gpu < 3 ? 'ml' : undefined })),
  ...[0, 1, 2, 3].map((gpu) => ({ node: 'gpu-node-2', gpu, util: 40 + gpu * 15, altLabels: true, pod: `chat-llama-${gpu}`, namespace: 'serving', xid: gpu === 3 ? 79 : 0 })),
];

export const E2E_SERVICES: ServiceTraffic[] = [
  { service: 'chat-llama', pod: 'chat-llama-0', rps: 40, errorRatio: 0.02, latencyShares: [0.1, 0.3, 0.6, 0.85, 0.97, 0.995], tokensPerRequest: 200 },
  { service: 'embed-small', pod: 'embed-small-0', rps: 120, errorRatio: 0.0002, latencyShares: [0.9, 0.99, 1, 1, 1, 1], tokensPerRequest: 0 },
];

export interface MetricsE2E {
  console: RunningConsole;
  prom: TestPrometheus;
  context: string;
  call<T>(method: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** historySeconds: how much backfilled history Prometheus starts with (40 minutes by default). */
export async function startMetricsE2E(opts: { historySeconds?: number } = {}): Promise<MetricsE2E> {
  const t0 = Date.now() - 600_000;
  const exporter = await startExporter(() => E2E_GPUS, () => serviceText(E2E_SERVICES, t0));
  // History (40 minutes unless asked), utilization drifting, so the heatmap and charts look like a real fleet.
  const tsdb = mkdtempSync(join(tmpdir(), 'fd-e2e-tsdb-'));
  const now = Math.floor(Date.now() / 1000);
  const wave = (t: number): Gpu[] =>
    E2E_GPUS.map((g, i) => ({ ...g, util: g.util < 5 ? g.util : Math.max(0, Math.min(100, Math.round(g.util * (0.8 + 0.2 * Math.sin(t / 240 + i))))) }));
  await backfill(tsdb, now - (opts.historySeconds ?? 2400), now - 60, 15, (t) => dcgmText(wave(t)) + serviceText(E2E_SERVICES, t0, t * 1000));
  const prom = await startPrometheus({ targets: [exporter.target], scrapeInterval: '1s', tsdbPath: tsdb });
  const running = await startConsole({ args: ['--demo', '--no-prometheus'] });
  const call = async <T>(method: string, body: unknown): Promise<T> => {
    const res = await fetch(`${running.baseUrl}/api/v1/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: { message: string } };
    if (!res.ok) throw new Error(`${method}: ${json.error?.message ?? res.status}`);
    return json;
  };
  const { contexts } = await call<{ contexts: Array<{ name: string; current: boolean }> }>('clusters.list', {});
  const context = (contexts.find((c) => c.current) ?? contexts[0]).name;
  await call('settings.set', { prometheusUrls: { [context]: prom.url } });
  // Let Prometheus collect a few scrapes so rates and the heatmap have data; the views' tests mean
  // nothing without them, so a Prometheus that never gets there fails the set-up, saying so.
  const deadline = Date.now() + 20_000;
  let seen = 'no answer';
  for (;;) {
    const r = (await fetch(`${prom.url}/api/v1/query?query=count(count_over_time(DCGM_FI_DEV_GPU_UTIL[1m])>=8)`).then((x) => x.json())) as { data: { result: Array<{ value: [number, string] }> } };
    seen = r.data.result[0]?.value[1] ?? 'none';
    if (seen === String(E2E_GPUS.length)) break;
    if (Date.now() >= deadline) {
      await Promise.allSettled([running.stop(), prom.cleanup(), exporter.stop()]);
      rmSync(tsdb, { recursive: true, force: true });
      throw new Error(`Prometheus at ${prom.url} did not have 8 scrapes of all ${E2E_GPUS.length} GPUs within 20 s (GPUs with 8 scrapes: ${seen})`);
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  return {
    console: running,
    prom,
    context,
    call,
    async stop() {
      await running.stop();
      await prom.cleanup();
      await exporter.stop();
      rmSync(tsdb, { recursive: true, force: true });
    },
  };
}
