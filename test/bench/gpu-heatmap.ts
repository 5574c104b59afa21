// gpu-heatmap: 1,000 nodes x 8 GPUs x 1 h at 15 s (1.92M cells per series). Backfills an hour of
// every DCGM series the GPU view and its callouts query (utilization, framebuffer used/free,
// temperature, power, graphics engine active, slowdown/shutdown temperature, XID code and the
// exporter's XID count) with `promtool tsdb create-blocks-from openmetrics`, one family at a time,
// starts the real Prometheus on it, then measures the grid the GPU view asks for (every row's labels
// and statistics, values for the first pages of rows, callouts): the Prometheus queries, packing and
// bytes to the renderer, through the console's API; then the GPU view in Chromium with the
// console's Prometheus and layout caches off (FLIGHTDECK_PROMETHEUS_CACHE=off), so a range switch
// queries Prometheus: end-to-end = the click on the 1h range -> the heatmap's paint marker (called
// right after the cells are put on the canvas) for a 241-column window whose rows are all loaded;
// the longest main-thread task during that refresh; and a scroll to the last rows (their values
// fetched, then painted: the same marker).
// Usage: npx tsx test/bench/gpu-heatmap.ts [--nodes 1000]
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pageWindow } from '../../shared/model/gpu-pages.js';
import { startPrometheus } from '../integration/metrics-support.js';
import { launchBrowser, startConsole } from '../e2e/harness.js';

const nodesArg = process.argv.indexOf('--nodes');
const NODES = nodesArg > 0 ? Number(process.argv[nodesArg + 1]) : Number(process.env.BENCH_NODES ?? 1000);
const GPUS = 8;
const STEP = 15;
const line = (metric: string, value: number | string, unit: string) => console.log(`gpu-heatmap.${metric} ${value} ${unit}`);
const target = (metric: string, op: string, value: number | string) => console.log(`target ${metric} ${op} ${value}`);

interface Gpu {
  labels: string;
  base: number;
  n: number;
  g: number;
  /** GPUs with an XID in the hour: its code from this time on. */
  xidFrom?: number;
}

/** One DCGM family: its value at time t for a GPU (undefined: no sample). */
type Family = [name: string, value: (gpu: Gpu, t: number, util: number) => number | undefined, extraLabels?: (gpu: Gpu) => string | undefined];

const FAMILIES: Family[] = [
  ['DCGM_FI_DEV_GPU_UTIL', (_g, _t, util) => util],
  ['DCGM_FI_DEV_FB_USED', (_g, _t, util) => Math.round(2000 + util * 780)],
  ['DCGM_FI_DEV_FB_FREE', (_g, _t, util) => Math.round(81559 - 2000 - util * 780)],
  ['DCGM_FI_DEV_GPU_TEMP', (_g, _t, util) => Math.round(30 + util * 0.45)],
  ['DCGM_FI_DEV_POWER_USAGE', (_g, _t, util) => Math.round((65 + util * 6.2) * 10) / 10],
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', (_g, _t, util) => Math.round(util * 9.5) / 1000],
  ['DCGM_FI_DEV_SLOWDOWN_TEMP', () => 87],
  ['DCGM_FI_DEV_SHUTDOWN_TEMP', () => 92],
  ['DCGM_FI_DEV_XID_ERRORS', (g, t) => (g.xidFrom !== undefined && t >= g.xidFrom ? 79 : 0)],
  // The exporter's XID counter exists only for codes it saw.
  ['DCGM_EXP_XID_ERRORS_COUNT', (g, t) => (g.xidFrom !== undefined ? (t >= g.xidFrom ? 1 : 0) : undefined), (g) => (g.xidFrom !== undefined ? ',xid="79"' : undefined)],
];

function fleetGpus(from: number): Gpu[] {
  const gpus: Gpu[] = [];
  for (let n = 0; n < NODES; n++) {
    for (let g = 0; g < GPUS; g++) {
      const labels = `Hostname="gpu-node-${String(n).padStart(4, '0')}",gpu="${g}",UUID="GPU-${n}-${g}",modelName="NVIDIA H100 80GB HBM3"${g < 6 ? `,pod="job-${n}-${g}",namespace="ml"` : ''}`;
      gpus.push({ labels, base: (n * 37 + g * 11) % 100, n, g, xidFrom: (n * GPUS + g) % 397 === 5 ? from + ((n * 131) % 3000) : undefined });
    }
  }
  return gpus;
}

async function writeFamily(file: string, [name, value, extra]: Family, gpus: Gpu[], from: number, to: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`# TYPE ${name} gauge\n`);
  for (const gpu of gpus) {
    const more = extra ? extra(gpu) : '';
    if (more === undefined) continue;
    const series = `${name}{${gpu.labels}${more}}`;
    let chunk = '';
    for (let t = from; t <= to; t += STEP) {
      const util = Math.max(0, Math.min(100, gpu.base + Math.round(20 * Math.sin(t / 600 + gpu.n + gpu.g))));
      const v = value(gpu, t, util);
      if (v !== undefined) chunk += `${series} ${v} ${t}\n`;
    }
    await write(chunk);
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
}

/** Every family into `tsdb`, one OpenMetrics file at a time (the whole hour of all of them is GBs of text). */
async function backfill(dir: string, tsdb: string, from: number, to: number): Promise<void> {
  const gpus = fleetGpus(from);
  for (const family of FAMILIES) {
    const file = join(dir, `${family[0]}.om`);
    await writeFamily(file, family, gpus, from, to);
    await new Promise<void>((resolve, reject) =>
      execFile('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, tsdb], { maxBuffer: 1 << 26 }, (e, _o, stderr) => (e ? reject(new Error(stderr)) : resolve())),
    );
    rmSync(file);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-heatmap-'));
  const tsdb = join(dir, 'data');
  const now = Math.floor(Date.now() / 1000 / STEP) * STEP;
  const from = now - 3600;
  let t = performance.now();
  await backfill(dir, tsdb, from, now);
  line('backfill', Math.round(performance.now() - t), 'ms');
  const prom = await startPrometheus({ tsdbPath: tsdb, scrapeInterval: '15s', retention: '30d' });
  try {
    // The console in Chromium, reading this Prometheus through Settings, its caches off.
    const running = await startConsole({ args: ['--demo', '--no-prometheus'], env: { FLIGHTDECK_PROMETHEUS_CACHE: 'off' } });
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
      const grid = JSON.parse(body) as { totalRows: number; columns: number; rowCount: number; timings: { queryMs: number; packMs: number }; callouts?: { kind: string }[] };
      // The backfilled XID, temperature and allocation series show up here: proof the callouts read them.
      const calloutKinds: Record<string, number> = {};
      for (const c of grid.callouts ?? []) calloutKinds[c.kind] = (calloutKinds[c.kind] ?? 0) + 1;
      console.error(`# callouts: ${JSON.stringify(calloutKinds)}`);
      line('rows', grid.totalRows, 'gpus');
      line('cells', grid.totalRows * grid.columns, 'cells');
      line('cells-sent', grid.rowCount * grid.columns, 'cells');
      line('prometheus-query', grid.timings.queryMs, 'ms');
      line('pack', grid.timings.packMs, 'ms');
      line('api-call', Math.round(callMs), 'ms');
      line('bytes-to-renderer', (body.length / 1e6).toFixed(2), 'MB');

      const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      // Every paint of the heatmap's cells, from the marker the view calls after the canvas draw.
      await page.addInitScript(`window.__heatPaints = [];
        window.__flightdeckHeatmapPainted = (p) => window.__heatPaints.push(Object.assign({ at: Date.now() }, p));`);
      type Paint = { at: number; columns: number; start: number; rows: number; loadedRows: number };
      const paintedSince = async (since: number, match: (p: Paint) => boolean, what: string, ms = 120_000): Promise<Paint> => {
        const deadline = Date.now() + ms;
        for (;;) {
          const paints = await page.evaluate(() => (globalThis as unknown as { __heatPaints: Paint[] }).__heatPaints);
          const hit = paints.find((p) => p.at >= since && p.rows > 0 && p.loadedRows === p.rows && match(p));
          if (hit) return hit;
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last paints: ${JSON.stringify(paints.slice(-3))})`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      const opened = Date.now();
      await page.goto(`${running.consoleUrl}#/gpus`);
      const view = page.getByTestId('view-gpus');
      const foot = page.locator('.heatmap-foot');
      await paintedSince(opened, (p) => p.columns === 241, 'the first heatmap');
      // Long tasks seen by the page (the page's own PerformanceObserver; globalThis because this
      // file is type-checked for Node, without the DOM library).
      await page.evaluate(() => {
        const g = globalThis as unknown as { __long: number[] };
        g.__long = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => g.__long.push(e.duration))).observe({ type: 'longtask' as 'mark' });
      });
      // A range switch 15m -> 1h: request, query, pack, transfer, decode and draw, as the user waits for it.
      const before = Date.now();
      await page.getByRole('radio', { name: '15m' }).click();
      await paintedSince(before, (p) => p.columns === 61, 'the 15m grid');
      await page.evaluate(() => void ((globalThis as unknown as { __long: number[] }).__long = []));
      const t0 = Date.now();
      await page.getByRole('radio', { name: '1h' }).click();
      const painted = await paintedSince(t0, (p) => p.columns === 241, 'the 1h grid');
      const endToEnd = painted.at - t0;
      const renderMs = Number(await view.getAttribute('data-render-ms'));
      const longTasks = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long);
      line('render', renderMs, 'ms');
      // The main process's own figures for this switch, from the footer.
      const footText = (await foot.textContent()) ?? '';
      line('switch-prometheus-query', Number(/query (\d+) ms/.exec(footText)?.[1] ?? NaN), 'ms');
      line('end-to-end', endToEnd, 'ms');
      target('end-to-end', '<=', 1500);
      line('longest-task-during-refresh', Math.round(Math.max(0, ...longTasks)), 'ms');
      target('longest-task-during-refresh', '<=', 50);
      line('tasks-over-50ms-during-refresh', longTasks.length, 'tasks');

      // A scroll to the last rows: their values are fetched then painted.
      await page.evaluate(() => void ((globalThis as unknown as { __long: number[] }).__long = []));
      const t1 = Date.now();
      await page.getByRole('slider', { name: 'Scroll rows' }).focus();
      await page.keyboard.press('End');
      const last = await paintedSince(t1, (p) => p.start + p.rows === NODES * GPUS, 'the last rows');
      line('scroll-to-end', last.at - t1, 'ms');
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
