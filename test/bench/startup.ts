// Startup as a user feels it (issue 16): from spawning the console (`--serve --demo`, as `npm run
// serve` does) and launching Chromium, both inside the timer, to the first frame the topology
// canvas draws with the demo fleet's pods in it (a pod or a pod group among the drawn items: the
// canvas's paint probe, called after the draw). Run 1 is the cold one (first start of this bench
// process: fresh data directory, new demo fleet, new browser); the warm figure is the median of the
// 5 runs after it. Also printed: the console's URL line and the complete graph (every cache synced,
// painted), from the same start. Electron is timed too where its binary is installed.
// BENCH_RUNS (default 5 warm runs) shrinks it for a smoke run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type Page } from 'playwright-core';
import { launchBrowser, ROOT, stopChild } from '../e2e/harness.js';
import { percentile } from './_percentile.js';

const WARM_RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONSOLE_ARGS = ['--demo'];
const TIMEOUT_MS = 120_000;

/** Installed before the page's own scripts: notes when the canvas first draws a pod or a pod group. */
const PROBE = `window.__flightdeckPaintProbe = (items, placed) => {
  if (window.__benchFirstData) return;
  for (const item of items) {
    if (!placed.has(item.id)) continue;
    if (item.kind === 'pod' || (item.kind === 'group' && item.group && item.group.count > 0)) {
      window.__benchFirstData = Date.now();
      return;
    }
  }
};`;

type Probed = { __benchFirstData?: number; __flightdeckTopology?: { completeAt?: number } };

interface Run {
  urlPrinted: number;
  /** Chromium launched (in parallel with the console's start). */
  browserUp: number;
  firstData: number;
  complete: number;
}

function consoleUrl(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^console (\S+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the console exited (${code}) before printing its URL: ${out}`)));
  });
}

async function waitInPage(page: Page, started: number): Promise<{ firstData: number; complete: number }> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as Probed;
      return { firstData: g.__benchFirstData, complete: g.__flightdeckTopology?.completeAt };
    });
    if (seen.firstData !== undefined && seen.complete !== undefined) return { firstData: seen.firstData - started, complete: seen.complete - started };
    if (Date.now() > deadline) throw new Error(`no painted topology with pods within ${TIMEOUT_MS / 1000} s (${JSON.stringify(seen)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function browserRun(): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fd-bench-startup-'));
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist/electron/cli.js'), '--serve', '--data-dir', dataDir, ...CONSOLE_ARGS], {
    env: { ...process.env, HOME: dataDir, KUBECONFIG: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let browserUp = NaN;
  const browserLaunch = launchBrowser().then((b) => {
    browserUp = Date.now() - started;
    return b;
  });
  try {
    const url = await consoleUrl(child);
    const urlPrinted = Date.now() - started;
    const browser = await browserLaunch;
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(PROBE);
      await page.goto(url);
      return { urlPrinted, browserUp, ...(await waitInPage(page, started)) };
    } finally {
      await browser.close();
    }
  } finally {
    await browserLaunch.then((b) => b.close()).catch(() => undefined);
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function electronBinary(): string | undefined {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return undefined;
  }
}

/** The desktop app: Electron's own launch, the core in its main process, the window's first data. */
async function electronRun(binary: string): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fd-bench-startup-electron-'));
  const started = Date.now();
  const app = await _electron.launch({ executablePath: binary, args: [join(ROOT, 'dist/electron/main.cjs'), '--data-dir', dataDir, ...CONSOLE_ARGS], env: { ...process.env, HOME: dataDir, KUBECONFIG: '' } as Record<string, string> });
  try {
    await app.context().addInitScript(PROBE);
    const page = await app.firstWindow();
    // The probe may miss a window created before it was installed: then the complete graph counts.
    const { firstData, complete } = await waitInPage(page, started).catch(async () => {
      const complete = (await page.evaluate(() => (globalThis as unknown as Probed).__flightdeckTopology?.completeAt)) ?? NaN;
      return { firstData: complete - started, complete: complete - started };
    });
    return { urlPrinted: NaN, browserUp: NaN, firstData, complete };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(prefix: string, runs: Run[]): void {
  const [cold, ...warm] = runs;
  const median = (pick: (r: Run) => number) => percentile(warm.map(pick), 50);
  console.log(`startup.${prefix}cold_first_data_ms ${Math.round(cold.firstData)} ms`);
  console.log(`target ${prefix}cold_first_data_ms <= 1500`);
  console.log(`startup.${prefix}warm_first_data_ms ${Math.round(median((r) => r.firstData))} ms`);
  if (!prefix) {
    console.log(`startup.cold_url_printed_ms ${Math.round(cold.urlPrinted)} ms`);
    console.log(`startup.warm_url_printed_ms ${Math.round(median((r) => r.urlPrinted))} ms`);
    console.log(`startup.cold_browser_launched_ms ${Math.round(cold.browserUp)} ms`);
    console.log(`startup.warm_browser_launched_ms ${Math.round(median((r) => r.browserUp))} ms`);
  }
  console.log(`startup.${prefix}cold_complete_graph_ms ${Math.round(cold.complete)} ms`);
  console.log(`startup.${prefix}warm_complete_graph_ms ${Math.round(median((r) => r.complete))} ms`);
  console.error(`# ${prefix || 'browser '}runs (first data ms): ${runs.map((r) => Math.round(r.firstData)).join(', ')}`);
}

const runs: Run[] = [];
for (let i = 0; i <= WARM_RUNS; i++) runs.push(await browserRun());
report('', runs);

const binary = electronBinary();
if (!binary) {
  console.log('# electron: not timed — its binary is not installed here (node_modules/electron has no dist/; it downloads on first run with internet)');
} else if (!process.env.DISPLAY) {
  console.log('# electron: not timed — no display (run the bench under xvfb-run to time the desktop app)');
} else {
  const electronRuns: Run[] = [];
  for (let i = 0; i <= WARM_RUNS; i++) electronRuns.push(await electronRun(binary));
  report('electron_', electronRuns);
}
process.exit(0);
