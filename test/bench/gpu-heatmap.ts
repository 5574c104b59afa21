// gpu-heatmap: 1,000 nodes x 8 GPUs x 1 h at 15 s (1.92M cells). Backfills an hour of DCGM history
// with `promtool tsdb create-blocks-from openmetrics`, starts the real Prometheus on it, then measures
// the grid the GPU view asks for (every row's labels and statistics, values for the first pages of
// rows): the Prometheus queries, packing and bytes to the renderer, through the console's API; then
// the GPU view in Chromium (time from a range switch to the drawn heatmap, the longest main-thread
// task during that refresh, and a scroll to the last rows, which fetches their values).
// Usage: npx tsx test/bench/gpu-heatmap.ts [--nodes 1000]
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPrometheusClient } from '../../electron/core/metrics/prometheus-client.js';
import { gpuMetricQuery } from '../../shared/model/gpu-queries.js';
import { pageWindow } from '../../shared/model/gpu-pages.js';
import { startPrometheus } from '../integration/metrics-support.js';
import { launchBrowser, startConsole } from '../e2e/harness.js';

const nodesArg = process.argv.indexOf('--nodes');
const NODES = nodesArg > 0 ? Number(process.argv[nodesArg + 1]) : 1000;
const GPUS = 8;
const STEP = 15;
const line = (metric: string, value: number | string, unit: string) => console.log(`gpu-heatmap.${metric} ${value} ${unit}`);
const target = (metric: string, op: string, value: number | string) => console.log(`target ${metric} ${op} ${value}`);

async function writeHistory(file: string, from: number, to: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n');
  for (let n = 0; n < NODES; n++) {
    for (let g = 0; g < GPUS; g++) {
      const labels = `{Hostname="gpu-node-${String(n).padStart(4, '0')}",gpu="${g}",UUID="GPU-${n}-${g}",modelName="NVIDIA H100 80GB HBM3"${g < 6 ? `,pod="job-${n}-${g}",namespace="ml"` : ''}}`;
      const base = (n * 37 + g * 11) % 100;
      let chunk = '';
      for (let t = from; t <= to; t += STEP) chunk += `DCGM_FI_DEV_GPU_UTIL${labels} ${Math.max(0, Math.min(100, base + Math.round(20 * Math.sin(t / 600 + n + g))))} ${t}\n`;
      await write(chunk);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-heatmap-'));
  const tsdb = join(dir, 'data');
  const now = Math.floor(Date.now() / 1000 / STEP) * STEP;
  const from = now - 3600;
  let t = performance.now();
  await writeHistory(join(dir, 'history.om'), from, now);
  await new Promise<void>((resolve, reject) =>
    execFile('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), tsdb], { maxBuffer: 1 << 26 }, (e, _o, stderr) => (e ? reject(new Error(stderr)) : resolve())),
  );
  rmSync(join(dir, 'history.om'));
  line('backfill', Math.round(performance.now() - t), 'ms');
  const prom = await startPrometheus({ tsdbPath: tsdb, scrapeInterval: '15s', retention: '30d' });
  try {
    const client = createPrometheusClient({ url: prom.url }, { timeoutMs: 60_000, cacheTtlMs: 0 });
    await client.queryRange(gpuMetricQuery('util'), from, now, STEP); // warm the page cache once, as a live Prometheus would be

    // The console in Chromium, reading this Prometheus through Settings.
    const running = await startConsole({ args: ['--demo', '--no-prometheus'] });
    const browser = await launchBrowser();
    try {
      const post = (method: string, body: unknown) =>
        fetch(`${running.baseUrl}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` }, body: JSON.stringify(body) });
      const api = async (method: string, body: unknown) => (await post(method, body)).json() as Promise<{ contexts?: Array<{ name: string }> }>;
      const { contexts } = await api('clusters.list', {});
      const context = contexts?.[0]?.name ?? '';
      await api('settings.set', { prometheusUrls: { [context]: prom.url } });
      // What the view asks for on a refresh (96 rows on screen + 64 overscan, in pages), as JSON over HTTP.
      const window = pageWindow(0, 96 + 64);
      t = performance.now();
      const res = await post('gpu.heatmap', { context, metric: 'util', range: { start: now - 3600, end: now }, groupBy: 'node', sort: 'name', callouts: true, ...window, labels: 'all' });
      const body = await res.text();
      const callMs = performance.now() - t;
      const grid = JSON.parse(body) as { totalRows: number; columns: number; rowCount: number; timings: { queryMs: number; packMs: number } };
      line('rows', grid.totalRows, 'gpus');
      line('cells', grid.totalRows * grid.columns, 'cells');
      line('cells-sent', grid.rowCount * grid.columns, 'cells');
      line('prometheus-query', grid.timings.queryMs, 'ms');
      line('pack', grid.timings.packMs, 'ms');
      line('api-call', Math.round(callMs), 'ms');
      line('bytes-to-renderer', (body.length / 1e6).toFixed(2), 'MB');

      const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      await page.goto(`${running.consoleUrl}#/gpus`);
      const view = page.getByTestId('view-gpus');
      const foot = page.locator('.heatmap-foot');
      const until = async (check: () => Promise<boolean>, what: string, ms = 120_000) => {
        const deadline = Date.now() + ms;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await until(async () => !!(await view.getAttribute('data-render-ms')), 'the first heatmap');
      // Long tasks seen by the page (the page's own PerformanceObserver; globalThis because this
      // file is type-checked for Node, without the DOM library).
      await page.evaluate(() => {
        const g = globalThis as unknown as { __long: number[] };
        g.__long = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => g.__long.push(e.duration))).observe({ type: 'longtask' as 'mark' });
      });
      // A range switch 15m -> 1h: request, query, pack, transfer, decode and draw, as the user waits for it.
      await page.getByRole('radio', { name: '15m' }).click();
      await until(async () => ((await foot.textContent()) ?? '').includes('61 columns'), 'the 15m grid');
      await page.evaluate(() => void ((globalThis as unknown as { __long: number[] }).__long = []));
      const t0 = Date.now();
      await page.getByRole('radio', { name: '1h' }).click();
      await until(async () => ((await foot.textContent()) ?? '').includes('241 columns') && !((await page.locator('.gpu-view .toolbar').textContent()) ?? '').includes('loading'), 'the 1h grid');
      const endToEnd = Date.now() - t0;
      const renderMs = Number(await view.getAttribute('data-render-ms'));
      const longTasks = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long);
      line('render', renderMs, 'ms');
      // The main process's own figures for this switch, from the footer.
      const footText = (await foot.textContent()) ?? '';
      line('switch-prometheus-query', Number(/query (\d+) ms/.exec(footText)?.[1] ?? NaN), 'ms');
      line('end-to-end', endToEnd, 'ms');
      target('end-to-end', '<=', '1500 ms');
      line('longest-task-during-refresh', Math.round(Math.max(0, ...longTasks)), 'ms');
      target('longest-task-during-refresh', '<=', '50 ms');
      line('tasks-over-50ms-during-refresh', longTasks.length, 'tasks');

      // A scroll to the last rows: their values are fetched then drawn.
      await page.evaluate(() => void ((globalThis as unknown as { __long: number[] }).__long = []));
      const t1 = Date.now();
      await page.getByRole('slider', { name: 'Scroll rows' }).focus();
      await page.keyboard.press('End');
      await until(async () => {
        const text = (await foot.textContent()) ?? '';
        return text.includes(`Rows ${NODES * GPUS - 95}–${NODES * GPUS} `) && !text.includes('loading rows');
      }, 'the last rows');
      line('scroll-to-end', Date.now() - t1, 'ms');
      const scrollTasks = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long);
      line('longest-task-during-scroll', Math.round(Math.max(0, ...scrollTasks)), 'ms');
    } finally {
      await browser.close();
      await running.stop();
    }
  } finally {
    await prom.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
