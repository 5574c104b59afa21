// Incidents in Chromium on the demo fleet (error-rate-spike, real Prometheus and Alertmanager):
// declare from an alert's details in Alerts, add a note, change the status, resolve, export. The
// timeline shows the alert, the declaration, the note and both status changes in order, and the
// exported report holds them. Screenshot: incidents (docs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  requireTool('prometheus', INSTALL_HINTS.prometheus);
  requireTool(['prometheus-alertmanager', 'alertmanager'], INSTALL_HINTS.alertmanager);
  running = await startConsole({ args: ['--demo', '--demo-scenario', 'error-rate-spike', '--demo-speed', '20'], timeoutMs: 90_000 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`${running.consoleUrl}#/alerts`);
  await page.getByTestId('view-alerts').waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('incidents view', () => {
  it('declares from an alert, takes a note and status changes, resolves and exports the report', async () => {
    const group = page.getByTestId('alert-group').filter({ hasText: 'InferenceErrorRateHigh' });
    await expect
      .poll(
        async () => {
          await page.getByTestId('alerts-refresh').click();
          return group.count();
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toBeGreaterThan(0);
    // Open the alert (its row follows its group header); a refresh may move rows, so retry until its details show.
    const alertDetail = page.getByTestId('alert-detail');
    await expect
      .poll(
        async () => {
          const header = page.locator('.alerts-row', { has: group });
          const index = await header.first().evaluate((el) => Array.from(el.parentElement!.children).indexOf(el));
          await page.locator('.alerts-row').nth(index + 1).getByTestId('alert-row').click();
          return (await alertDetail.count()) > 0 ? alertDetail.locator('h2').textContent() : '';
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toContain('InferenceErrorRateHigh');
    await alertDetail.getByRole('button', { name: 'Declare incident…' }).click();
    await page.getByTestId('view-incidents').waitFor({ timeout: 45_000 });

    const form = page.getByRole('form', { name: 'Declare incident' });
    // The view's code loads on first visit; under a loaded machine that takes a while.
    await form.waitFor({ timeout: 45_000 });
    expect(await form.getByLabel('Title').inputValue()).toBe('InferenceErrorRateHigh on llm-gateway');
    expect(await form.getByLabel('Severity').inputValue()).toBe('P3');
    await form.getByLabel('Severity').selectOption('P2');
    await form.getByLabel('Commander').fill('e2e-commander');
    await form.getByRole('button', { name: 'Declare' }).click();

    const detail = page.getByTestId('incident-detail');
    await expect.poll(() => detail.locator('h1').textContent(), { timeout: 30_000 }).toContain('InferenceErrorRateHigh on llm-gateway');
    await page.getByLabel('Note').fill('Gateway upstream timing out; rolling back.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('button', { name: 'Mark identified' }).click();
    await expect.poll(() => page.getByTestId('incident-status').textContent(), { timeout: 15_000 }).toBe('identified');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByTestId('incident-status').textContent(), { timeout: 15_000 }).toBe('resolved');

    const timeline = page.getByRole('list', { name: 'Timeline' });
    const kinds = await timeline.locator('.inc-entry .pill').allTextContents();
    const at = (kind: string) => kinds.indexOf(kind);
    expect(at('alert-firing')).toBeGreaterThanOrEqual(0);
    expect(at('alert-firing')).toBeLessThan(at('declared'));
    expect(at('declared')).toBeLessThan(at('note'));
    expect(at('note')).toBeLessThan(kinds.lastIndexOf('status'));
    expect(await timeline.textContent()).toMatch(/investigating → identified.*identified → resolved/s);

    await page.getByRole('button', { name: 'Export report' }).click();
    const report = page.getByTestId('incident-report');
    await expect.poll(() => report.textContent(), { timeout: 10_000 }).toContain('# Incident report: InferenceErrorRateHigh on llm-gateway');
    const markdown = (await report.textContent()) ?? '';
    expect(markdown).toMatch(/\| note \| Gateway upstream timing out; rolling back\. \| e2e-commander \|/);
    expect(markdown).toMatch(/\*\*Resolved:\*\* \d{4}-/);
    await page.getByTestId('incident-detail').locator('h3', { hasText: 'Timeline' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'incidents', { docs: true });
  }, 200_000);
});
