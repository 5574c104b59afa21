// `flightdeck --demo` as a user starts it: the console finds the demo fleet's Prometheus by itself
// and the GPU view shows every simulated GPU; the Metrics view shows the demo's inference services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { launchBrowser, ROOT, screenshot, startConsole, type RunningConsole } from './harness.js';
import { createClock } from '../../electron/demo/clock.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { ObjectStore } from '../../electron/demo/store.js';

// The demo fleet is seeded deterministically: the same seed and sizes give the same nodes.
const DEMO = { nodes: 12, pods: 120, seed: 4 };

/**
 * The demo fleet's real GPU count: the nvidia.com/gpu capacity of the nodes its seed creates
 * (what its API serves), worked out here without the console, so the view is checked against
 * the fleet and not against the console's own answer.
 */
function demoFleetGpus(): number {
  const clock = createClock(1);
  try {
    const store = new ObjectStore({ nowIso: () => clock.iso() });
    seedFleet(store, { ...DEMO, clock });
    return store.list('nodes').reduce((sum, node) => sum + Number((node.status as { capacity?: Record<string, string> } | undefined)?.capacity?.['nvidia.com/gpu'] ?? 0), 0);
  } finally {
    clock.stop();
  }
}

let running: RunningConsole;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  running = await startConsole({ args: ['--demo', '--demo-nodes', String(DEMO.nodes), '--demo-pods', String(DEMO.pods), '--demo-seed', String(DEMO.seed), '--demo-speed', '10'] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('GPU and Metrics views on the demo fleet', () => {
  it('finds the demo Prometheus and shows every simulated GPU', async () => {
    // Printed once the core and the demo fleet have started, which may be after the console URLs.
    await expect.poll(() => running.output(), { timeout: 30_000 }).toMatch(/^prometheus http:\/\/127\.0\.0\.1:\d+/m);
    const fleetGpus = demoFleetGpus();
    expect(fleetGpus).toBeGreaterThanOrEqual(DEMO.nodes * 4);
    // The heatmap's rows through the console's scripting API.
    const gridRows = async () => {
      const res = await fetch(`${running.baseUrl}/api/v1/call/gpu.heatmap`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` },
        body: JSON.stringify({ context: 'demo-admin', metric: 'util', range: { start: Date.now() / 1000 - 300, end: Date.now() / 1000 } }),
      });
      return ((await res.json()) as { rows: unknown[] }).rows.length;
    };
    // Prometheus needs a scrape or two after the demo starts, and the rows list GPUs as their first
    // samples arrive (instant queries at "now"): wait until the API counts every GPU the fleet has.
    await expect.poll(gridRows, { timeout: 60_000 }).toBe(fleetGpus);
    // The rows come from instant queries at "now", the cells from a range query whose end is aligned
    // down to the 15 s step: right after start the rows are there before any cell. Wait for cells.
    await expect
      .poll(
        async () => {
          const res = await fetch(`${running.baseUrl}/api/v1/call/gpu.heatmap`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` },
            body: JSON.stringify({ context: 'demo-admin', metric: 'util', range: { start: Date.now() / 1000 - 900, end: Date.now() / 1000 }, callouts: false }),
          });
          const bytes = Buffer.from(((await res.json()) as { values: string }).values, 'base64');
          return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).some((v) => Number.isFinite(v));
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    // Only now the view: its first load (the 15m range's) finds the demo Prometheus by itself and
    // has every row and cell, where opening it earlier meant waiting for its next live refresh
    // (every 15 s) to draw them; the live refresh is the GPU view test's subject, not this one's.
    await page.goto(`${running.consoleUrl}#/gpus`);
    await page.getByRole('radio', { name: '15m' }).click();
    await expect.poll(() => page.getByTestId('prometheus-source').textContent(), { timeout: 30_000 }).toMatch(/the demo fleet’s Prometheus/);
    const view = page.getByTestId('view-gpus');
    await expect.poll(async () => Number(await view.getAttribute('data-fetches')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await page.locator('.heatmap-foot').textContent()) ?? '', { timeout: 60_000 }).toContain(`of ${fleetGpus} GPUs`);
    await expect.poll(async () => (await page.locator('.gpu-view .toolbar').textContent()) ?? '', { timeout: 30_000 }).not.toContain('loading');
    await page.waitForTimeout(500);
    await screenshot(page, 'gpus-demo', { docs: true });
  });

  it('shows the demo inference services and their SLOs', async () => {
    await page.goto(`${running.consoleUrl}#/metrics`);
    await page.getByRole('radio', { name: '15m' }).click();
    await page.getByTestId('slo-card').first().waitFor({ timeout: 60_000 });
    // An availability and a latency card for every bundled SLO file (services without a file get
    // the default SLOs too), each with a measured SLI: the demo's services send traffic the demo
    // Prometheus scraped.
    const expected = readdirSync(join(ROOT, 'resources/slo'))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => {
        const { service } = parse(readFileSync(join(ROOT, 'resources/slo', f), 'utf8')) as { service: string };
        return [`${service} availability SLO`, `${service} latency SLO`];
      })
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const cards = page.getByTestId('slo-card');
    await expect.poll(async () => Promise.all((await cards.all()).map((c) => c.getAttribute('aria-label'))), { timeout: 30_000 }).toEqual(expect.arrayContaining(expected));
    await expect
      .poll(async () => (await cards.getByTestId('slo-sli').allTextContents()).filter((t) => !/^\d+(\.\d+)?%$/.test(t)), { timeout: 60_000 })
      .toEqual([]);
    await page.getByTestId('panel-requestRate').locator('canvas').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await screenshot(page, 'metrics-demo', { docs: true });
  });
});
