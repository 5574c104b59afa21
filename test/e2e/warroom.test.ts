// The war room in Chromium at 3840x2160, opened with the `warroom` URL the console prints (the
// read-only token) on the demo fleet with the error-rate-spike scenario: full screen without the
// nav, type sized for a room, charts with data, nothing that acts (and the API refuses an action
// with that token), panels rotating on a shortened timer until one is pinned, and a loud
// "STALE since hh:mm" while the server is stopped (SIGSTOP) that clears when it runs again, no reload.
// Screenshot: warroom (docs).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;
let serverPid: number | undefined;

/** The console's own process: the one started with this run's data directory. */
function consolePid(dataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a.endsWith('dist/electron/cli.js')) && args.includes(dataDir)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no console process with --data-dir ${dataDir}`);
}

/** Share of the chart's most painted canvas (echarts layers several, on a transparent background). */
const paintedShare = (testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    let best = 0;
    for (const canvas of Array.from(el.querySelectorAll('canvas'))) {
      if (!canvas.width || !canvas.height) continue;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      best = Math.max(best, painted / (canvas.width * canvas.height));
    }
    return best;
  });

const pinned = () => page.getByTestId('warroom').getAttribute('data-pinned');
const shownPanel = () => page.getByTestId('warroom').getAttribute('data-panel');

beforeAll(async () => {
  requireTool('prometheus', INSTALL_HINTS.prometheus);
  requireTool(['prometheus-alertmanager', 'alertmanager'], INSTALL_HINTS.alertmanager);
  running = await startConsole({ args: ['--demo', '--demo-scenario', 'error-rate-spike', '--demo-speed', '20'], timeoutMs: 90_000 });
  serverPid = consolePid(running.dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 3840, height: 2160 } });
}, 120_000);

afterAll(async () => {
  if (serverPid) process.kill(serverPid, 'SIGCONT');
  await browser?.close();
  await running?.stop();
});

describe('war room', () => {
  it('opens full screen from the printed warroom URL (read-only token) with type sized for a room', async () => {
    const printed = /^warroom (\S+)$/m.exec(running.output());
    expect(printed, 'the start-up lines include `warroom <url>`').not.toBeNull();
    const url = new URL(printed![1]);
    expect(url.pathname).toBe('/warroom');
    expect(url.searchParams.get('token')).toBe(running.readonlyToken);
    // Timers shortened for the test: rotate every 2 s, poll every 1 s, stale after 4 s of silence.
    url.searchParams.set('rotate', '2000');
    url.searchParams.set('poll', '1000');
    url.searchParams.set('stale', '4000');
    await page.goto(url.href);
    await page.getByTestId('warroom').waitFor({ timeout: 30_000 });
    expect(await page.locator('nav.sidebar').count()).toBe(0);
    expect(await page.locator('header.topbar').count()).toBe(0);
    const fontPx = await page.getByTestId('warroom').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(24);
    // The token left the address bar (it is kept for the session).
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await expect.poll(() => page.getByTestId('warroom-clock').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
  }, 60_000);

  it('rotates panels on its timer, and a pinned panel stays', async () => {
    expect(await shownPanel()).toBe('incident');
    await expect.poll(() => page.getByTestId('warroom-panel-incident').textContent(), { timeout: 5_000 }).toMatch(/No incident declared/);
    const seen = new Set<string | null>([await shownPanel()]);
    await expect.poll(async () => seen.add(await shownPanel()).size, { timeout: 10_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId('warroom-tab-alerts').click();
    expect(await pinned()).toBe('alerts');
    for (let i = 0; i < 6; i++) {
      await page.waitForTimeout(1_000);
      expect(await shownPanel()).toBe('alerts');
    }
  }, 30_000);

  it('shows the declared incident with its timeline', async () => {
    const response = await fetch(`${running.baseUrl}/api/v1/call/incidents.declare`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` },
      body: JSON.stringify({ context: 'demo-admin', title: 'llm-gateway errors', severity: 'P1', commander: 'Ada' }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    await page.getByTestId('warroom-tab-incident').click();
    const incident = page.getByTestId('warroom-incident');
    await incident.waitFor({ timeout: 10_000 });
    expect(await incident.textContent()).toMatch(/P1.*llm-gateway errors.*INVESTIGATING.*Commander Ada/);
    expect(await incident.locator('.warroom-timeline li').count()).toBeGreaterThan(0);
    await page.getByTestId('warroom-tab-alerts').click();
  }, 30_000);

  it('shows firing alerts by P-level, the GPU heatmap and SLO burn with data', async () => {
    // The scenario's burn-rate page comes up within a minute or so at speed 20.
    await expect.poll(() => page.getByTestId('warroom-alerts').locator('li[data-priority="P1"]').count(), { timeout: 90_000, interval: 1_000 }).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('warroom-counts').locator('[data-priority="P1"] .warroom-countbox-n').textContent())).toBeGreaterThan(0);

    await page.getByTestId('warroom-tab-gpu').click();
    await expect.poll(async () => Number((await page.getByTestId('warroom-gpu-points').textContent({ timeout: 1_000 }).catch(() => '0')) ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
    // Cells fill the plot (from the first sample on), not only axes and labels.
    await expect.poll(() => paintedShare('warroom-gpu-chart'), { timeout: 10_000 }).toBeGreaterThan(0.2);

    await page.getByTestId('warroom-tab-slo').click();
    expect(await pinned()).toBe('slo');
    await expect.poll(async () => Number((await page.getByTestId('warroom-slo-points').textContent({ timeout: 1_000 }).catch(() => '0')) ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => paintedShare('warroom-slo-chart'), { timeout: 10_000 }).toBeGreaterThan(0.005);
    await screenshot(page, 'warroom', { docs: true });
  }, 180_000);

  it('offers nothing that acts, and the API refuses an action with its token', async () => {
    expect(await page.locator('[data-testid^="action-"]').count()).toBe(0);
    expect(await page.locator('[role="dialog"], [data-testid="confirm-dialog"]').count()).toBe(0);
    // Every control on the wall only chooses what this screen shows.
    const controls = await page.locator('button, a[href], input, select, textarea').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')));
    expect(controls.length).toBeGreaterThan(0);
    expect(controls.every((role) => role === 'view-control')).toBe(true);
    const response = await fetch(`${running.baseUrl}/api/v1/call/actions.prepare`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.readonlyToken}` },
      body: JSON.stringify({ context: 'demo-admin', target: { kind: 'Deployment', namespace: 'inference', name: 'x' }, action: 'restart', params: {} }),
    });
    expect(response.status).toBe(403);
  }, 30_000);

  it('says STALE since hh:mm while the server is stopped, and clears by itself when it runs again', async () => {
    expect(await page.getByTestId('warroom-stale').count()).toBe(0);
    process.kill(serverPid!, 'SIGSTOP');
    try {
      await page.getByTestId('warroom-stale').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('warroom-stale').textContent()).toMatch(/^STALE since \d\d:\d\d/);
      await screenshot(page, 'warroom-stale');
    } finally {
      process.kill(serverPid!, 'SIGCONT');
    }
    await page.getByTestId('warroom-stale').waitFor({ state: 'detached', timeout: 30_000 });
    // Same page, no reload: the pin survived.
    expect(await pinned()).toBe('slo');
  }, 60_000);
});
