// The GPU view in Chromium, as a user clicks through it: heatmap renders, hover shows who uses the
// GPU, a range change refetches, clicking a cell opens that node's drill-down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './harness.js';
import { startMetricsE2E, type MetricsE2E } from './metrics-setup.js';

let env: MetricsE2E;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  env = await startMetricsE2E();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${env.console.consoleUrl}#/gpus`);
});

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

describe('GPU view', () => {
  it('renders the heatmap with one row per GPU and the callouts', async () => {
    const view = page.getByTestId('view-gpus');
    await view.waitFor();
    await page.getByTestId('gpu-heatmap').locator('canvas').first().waitFor();
    await expect.poll(() => page.locator('.heatmap-foot').textContent()).toMatch(/of 8 GPUs in 2 nodes/);
    const callouts = page.getByTestId('gpu-callouts');
    await expect.poll(() => callouts.textContent()).toMatch(/XID 79/);
    expect(await callouts.textContent()).toMatch(/allocated to ml\/train-2/);
    expect(await callouts.textContent()).toMatch(/reached 93 °C/);
    expect(await page.getByTestId('prometheus-source').textContent()).toContain(env.prom.url);
    await screenshot(page, 'gpus', { docs: true });
  });

  it('shows node, GPU, UUID, model, pod and value on hover', async () => {
    const box = await page.getByTestId('gpu-heatmap').boundingBox();
    if (!box) throw new Error('no heatmap box');
    // Grid: left 170, right 120, top 10, bottom 50; 8 rows. Hover the last column of the 3rd row (gpu-node-1 GPU 2).
    const rowH = (box.height - 60) / 8;
    await page.mouse.move(box.x + box.width - 160, box.y + 10 + rowH * 2.5);
    const tooltip = page.locator('div').filter({ hasText: /UUID GPU-gpu-node-1-2/ }).last();
    await tooltip.waitFor({ timeout: 5_000 });
    const text = (await tooltip.textContent()) ?? '';
    expect(text).toContain('UUID GPU-gpu-node-1-2');
    expect(text).toContain('NVIDIA H100 80GB HBM3');
    expect(text).toContain('Pod ml/train-2');
    expect(text).toMatch(/GPU utilization: 3 %/);
    await screenshot(page, 'gpus-tooltip', { docs: true });
  });

  it('refetches when the range changes', async () => {
    const before = Number(await page.getByTestId('view-gpus').getAttribute('data-fetches'));
    const footBefore = await page.locator('.heatmap-foot').textContent();
    await page.getByRole('radio', { name: '15m' }).click();
    await expect.poll(async () => Number(await page.getByTestId('view-gpus').getAttribute('data-fetches'))).toBeGreaterThan(before);
    await expect.poll(() => page.locator('.heatmap-foot').textContent()).not.toBe(footBefore);
    expect(await page.locator('.heatmap-foot').textContent()).toMatch(/61 columns × 15s/);
  });

  it('drills down into a node on click, with a link to the pod in Topology', async () => {
    // A laptop screen: the drill-down goes below the heatmap and callouts, below the fold.
    await page.setViewportSize({ width: 1366, height: 768 });
    const box = await page.getByTestId('gpu-heatmap').boundingBox();
    if (!box) throw new Error('no heatmap box');
    const rowH = (box.height - 60) / 8;
    await page.mouse.click(box.x + box.width - 160, box.y + 10 + rowH * 5.5);
    const drill = page.getByTestId('gpu-drilldown');
    await drill.waitFor();
    expect(await drill.getByRole('heading').textContent()).toBe('Node gpu-node-2');
    const link = drill.getByRole('link', { name: 'serving/chat-llama-1' });
    expect(await link.getAttribute('href')).toBe('#/topology?select=serving/chat-llama-1');
    await drill.getByTestId('gpu-drilldown-chart').locator('canvas').first().waitFor();
    // It opens in view (it used to open below the fold, the click seemingly doing nothing).
    const opened = (await drill.boundingBox())!;
    expect(opened.y).toBeGreaterThanOrEqual(0);
    expect(opened.y + Math.min(opened.height, 768)).toBeLessThanOrEqual(769);
    await page.setViewportSize({ width: 1500, height: 950 });
    await drill.scrollIntoViewIfNeeded();
    await screenshot(page, 'gpus-drilldown', { docs: true });
  });

  it('lets the user point at another Prometheus, marks the grid stale when it fails, and recovers', async () => {
    await page.getByTestId('gpu-drilldown').getByRole('button', { name: 'Close node details' }).click();
    const dead = `http://127.0.0.1:9/`;
    await page.getByRole('button', { name: 'Change…' }).click();
    await page.getByLabel('Prometheus URL').fill(dead);
    await page.getByRole('button', { name: 'Save and check' }).click();
    await expect.poll(() => page.getByTestId('prometheus-source').textContent(), { timeout: 15_000 }).toMatch(/set in Settings for .* — http:\/\/127\.0\.0\.1:9\/ — not answering: .*not reachable \(ECONNREFUSED\)/);
    const banner = page.getByTestId('stale-banner');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/Showing GPU data from .* — stale\. Prometheus failing since .*not reachable/);
    expect(await page.locator('.heatmap-foot').textContent()).toMatch(/of 8 GPUs/);
    await screenshot(page, 'gpus-stale', { docs: true });
    await page.getByRole('button', { name: 'Change…' }).click();
    await page.getByLabel('Prometheus URL').fill(env.prom.url);
    await page.getByRole('button', { name: 'Save and check' }).click();
    await expect.poll(async () => page.getByTestId('stale-banner').count(), { timeout: 20_000 }).toBe(0);
    expect(await page.getByTestId('prometheus-source').textContent()).toContain(env.prom.url);
  });

  it('keeps a crash inside the view: the error with "Reload view", the rest of the console alive', async () => {
    // A fresh tab whose drill-down effect throws (as closing it once did: a Promise called as
    // the effect's cleanup blanked the whole page), until the test lets it work again.
    const crashing = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    const pageErrors: string[] = [];
    crashing.on('pageerror', (e) => pageErrors.push(e.message));
    await crashing.addInitScript(() => {
      const real = Element.prototype.scrollIntoView;
      Element.prototype.scrollIntoView = function (this: Element, ...args: Parameters<Element['scrollIntoView']>) {
        if ((window as { breakScroll?: boolean }).breakScroll !== false) throw new Error('scrollIntoView broke');
        return real.apply(this, args);
      };
    });
    try {
      await crashing.goto(`${env.console.consoleUrl}#/gpus`);
      const heatmap = crashing.getByTestId('gpu-heatmap');
      await heatmap.locator('canvas').first().waitFor();
      await expect.poll(() => crashing.locator('.heatmap-foot').textContent()).toMatch(/of 8 GPUs/);
      const box = (await heatmap.boundingBox())!;
      await crashing.mouse.click(box.x + box.width - 160, box.y + 10 + ((box.height - 60) / 8) * 5.5);
      const crashed = crashing.getByTestId('view-error');
      await crashed.waitFor({ timeout: 10_000 });
      expect(await crashed.textContent()).toMatch(/The GPUs view stopped because of an error in the console: scrollIntoView broke/);
      expect(pageErrors).toEqual([]);
      // The shell is still there and works.
      expect(await crashing.getByRole('navigation', { name: 'Views' }).isVisible()).toBe(true);
      expect(await crashing.getByRole('button', { name: 'Open command palette' }).isVisible()).toBe(true);
      await screenshot(crashing, 'view-error-boundary');
      await crashing.evaluate(() => ((window as { breakScroll?: boolean }).breakScroll = false));
      await crashed.getByRole('button', { name: 'Reload view' }).click();
      await crashing.getByTestId('gpu-drilldown').waitFor({ timeout: 15_000 });
      expect(await crashing.getByTestId('view-error').count()).toBe(0);
      expect(await crashing.getByTestId('gpu-drilldown').getByRole('heading').textContent()).toBe('Node gpu-node-2');
    } finally {
      await crashing.close();
    }
  });
});
