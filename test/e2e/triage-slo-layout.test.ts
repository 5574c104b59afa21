// Metrics & SLOs layout at 1600 px wide, with a real Prometheus: the SLO cards hold their burn
// tables (the page used to scroll sideways) and nothing in the view is wider than the view.
// Screenshot: test-results/screenshots/triage-slo-1600.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './harness.js';
import { startMetricsE2E, type MetricsE2E } from './metrics-setup.js';

let env: MetricsE2E;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  env = await startMetricsE2E({ historySeconds: 7200 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${env.console.consoleUrl}#/metrics`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

describe('SLO layout at 1600 px', () => {
  it('keeps every burn table inside its card and the page from scrolling sideways', async () => {
    await page.getByTestId('view-metrics').waitFor();
    await expect.poll(() => page.getByTestId('slo-card').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.getByTestId('panel-requestRate').locator('canvas').first().waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(() => {
      const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="slo-card"]')].map((card) => {
        const box = card.getBoundingClientRect();
        const table = card.querySelector('table')?.getBoundingClientRect();
        // A header cut short ("Threshol") counts as overflow too.
        const clipped = [...card.querySelectorAll<HTMLElement>('th')].filter((th) => th.scrollWidth > th.clientWidth).map((th) => th.textContent);
        return { name: card.getAttribute('aria-label'), cardRight: Math.round(box.right), tableRight: Math.round(table?.right ?? 0), scroll: card.scrollWidth - card.clientWidth, clipped };
      });
      const scrollers = [document.documentElement, ...document.querySelectorAll<HTMLElement>('.main, .view, main')].map((el) => ({ el: el.className || el.tagName, over: el.scrollWidth - el.clientWidth }));
      return { cards, scrollers };
    });
    expect(overflow.cards.length).toBeGreaterThan(1);
    for (const c of overflow.cards) {
      expect(c.tableRight, `${c.name}: burn table ends at ${c.tableRight}, card at ${c.cardRight}`).toBeLessThanOrEqual(c.cardRight);
      expect(c.scroll, `${c.name} scrolls sideways`).toBeLessThanOrEqual(0);
      expect(c.clipped, `${c.name}: headers cut short`).toEqual([]);
    }
    for (const s of overflow.scrollers) expect(s.over, `${s.el} scrolls sideways`).toBeLessThanOrEqual(0);
    await screenshot(page, 'triage-slo-1600', { docs: true });
    await page.getByTestId('panel-requestRate').scrollIntoViewIfNeeded();
    await screenshot(page, 'triage-service-charts-1600');
  });
});
