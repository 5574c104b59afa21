// The Alerts view in Chromium on the demo fleet with its real Prometheus and Alertmanager, the
// error-rate-spike scenario sped up: the scenario's alerts are listed in groups with P-levels (P1
// before P3), an alert's details link its runbook and its rule, and a silence written in the
// console goes through the confirm dialog, then exists in Alertmanager's own API, and expires from its row.
// Screenshots: alerts, alerts-silence (docs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;

async function call<T>(method: string, body: unknown): Promise<T> {
  const res = await fetch(`${running.baseUrl}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (res.status !== 200) throw new Error(`${method}: ${JSON.stringify(json)}`);
  return json;
}

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

describe('alerts view', () => {
  it('lists the scenario’s alerts grouped with P-levels, most urgent first, and links an alert to its runbook and rule', async () => {
    const group = (name: string) => page.getByTestId('alert-group').filter({ hasText: name });
    // The view polls every 10 s; Refresh asks at once while the scenario's alerts come up.
    await expect
      .poll(
        async () => {
          await page.getByTestId('alerts-refresh').click();
          return (await group('ErrorBudgetBurnRateCritical').count()) > 0 && (await group('InferenceErrorRateHigh').count()) > 0;
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toBe(true);
    expect(await group('ErrorBudgetBurnRateCritical').first().getAttribute('data-priority')).toBe('P1');
    expect(await group('InferenceErrorRateHigh').first().getAttribute('data-priority')).toBe('P3');
    await expect.poll(() => page.getByTestId('alerts-source').textContent()).toMatch(/^Alertmanager — the demo fleet’s Alertmanager/);
    const names = await page.getByTestId('alert-group').locator('.alert-name').allTextContents();
    expect(names.indexOf('ErrorBudgetBurnRateCritical')).toBeLessThan(names.indexOf('InferenceErrorRateHigh'));
    expect(await page.getByTestId('alerts-count').textContent()).toMatch(/^\d+ alerts in \d+ groups$/);

    // Open the InferenceErrorRateHigh alert (its row follows its group header).
    const inference = page.locator('.alerts-row', { has: page.getByTestId('alert-group').filter({ hasText: 'InferenceErrorRateHigh' }) });
    const index = await inference.evaluate((el) => Array.from(el.parentElement!.children).indexOf(el));
    await page.locator('.alerts-row').nth(index + 1).getByTestId('alert-row').click();
    const detail = page.getByTestId('alert-detail');
    await expect.poll(() => detail.locator('h2').textContent()).toContain('InferenceErrorRateHigh');
    await expect.poll(() => page.getByTestId('alert-links').textContent()).toMatch(/Runbook: .*Graph the rule in Metrics/s);
    expect(await detail.locator('.alert-expr').textContent()).toContain('service:inference_errors:ratio_rate5m');
    await screenshot(page, 'alerts', { docs: true });
  }, 120_000);

  it('creates a silence through the confirm dialog; Alertmanager’s own API has it', async () => {
    await page.getByTestId('alert-group').filter({ hasText: 'InferenceErrorRateHigh' }).first().getByRole('button', { name: 'Silence…' }).click();
    const form = page.getByTestId('silence-form');
    expect(await form.getByLabel('Matchers').inputValue()).toBe('alertname=InferenceErrorRateHigh\nnamespace=inference\nservice=llm-gateway');
    await form.getByLabel('Duration').selectOption('60');
    await form.getByLabel('Comment').fill('llm-gateway upstream timing out; fix in progress');
    await form.getByLabel('Created by').fill('e2e-oncall');
    await form.getByTestId('silence-plan').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.getByTestId('plan-summary').textContent(), { timeout: 15_000 }).toMatch(/Silence alerts matching \{alertname="InferenceErrorRateHigh", namespace="inference", service="llm-gateway"\} for 60 min/);
    expect(await dialog.getByTestId('plan-rbac').textContent()).toMatch(/^✓ No Kubernetes RBAC applies — .*silences live in Alertmanager/);
    await dialog.getByText(/Exact requests/).click();
    expect(await dialog.getByTestId('plan-requests').textContent()).toContain('POST /api/v2/silences');
    await screenshot(page, 'alerts-silence', { docs: true });
    await dialog.getByTestId('confirm-apply').click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => page.locator('.alerts-result').textContent()).toMatch(/Silence \S+ created/);
    const id = /Silence (\S+) created/.exec((await page.locator('.alerts-result').textContent()) ?? '')?.[1];

    const { source } = await call<{ source: { url?: string } }>('alerts.list', { context: 'demo-admin' });
    const inAm = (await (await fetch(`${source.url}/api/v2/silence/${id}`)).json()) as { status: { state: string }; createdBy: string; comment: string };
    expect(inAm).toMatchObject({ status: { state: 'active' }, createdBy: 'e2e-oncall', comment: 'llm-gateway upstream timing out; fix in progress' });
    const silenceRow = page.getByTestId('silence-row').filter({ hasText: 'e2e-oncall' });
    await expect.poll(() => silenceRow.count()).toBe(1);

    // Expire it from its row, through the same dialog.
    await silenceRow.getByRole('button', { name: 'Expire…' }).click();
    const expireDialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => expireDialog.getByTestId('plan-summary').textContent(), { timeout: 15_000 }).toContain(`Expire silence ${id} now`);
    await expireDialog.getByTestId('confirm-apply').click();
    await expireDialog.waitFor({ state: 'detached', timeout: 15_000 });
    const after = (await (await fetch(`${source.url}/api/v2/silence/${id}`)).json()) as { status: { state: string } };
    expect(after.status.state).toBe('expired');
  }, 60_000);
});
