// The Metrics & SLOs view in Chromium: service panels with data, SLO cards with budget and burn
// rates (chat-llama burns its budget in this set-up), the explorer with completion, rules export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './harness.js';
import { startMetricsE2E, type MetricsE2E } from './metrics-setup.js';

let env: MetricsE2E;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Two hours of history: more than the shortest alerting window (1 h), so the budget has a figure.
  env = await startMetricsE2E({ historySeconds: 7200 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  await page.goto(`${env.console.consoleUrl}#/metrics`);
});

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

describe('Metrics & SLOs view', () => {
  it('shows the SLOs with error budget and burn-rate state', async () => {
    await page.getByTestId('view-metrics').waitFor();
    const chat = page.getByRole('article', { name: 'chat-llama availability SLO' });
    await chat.waitFor();
    // 2% errors against a 99.9% objective: burn rate 20x in every window, budget overspent.
    // Rates over scraped counters land a hair either side of 98% (97.999% is seen): compare as a number.
    const sli = (await chat.getByTestId('slo-sli').textContent()) ?? '';
    expect(sli).toMatch(/^\d+\.\d{3}%$/);
    expect(Number.parseFloat(sli)).toBeCloseTo(98, 1);
    // The budget over the data there is (2 h of 30 d): 20x burn for 2/720 of the period = 5.6 % consumed.
    // (the first sample is found on a 5-minute grid, so up to 5 minutes late).
    const coverage = (await chat.getByTestId('slo-coverage').textContent()) ?? '';
    expect(coverage).toMatch(/^\d(\.\d)? h of 30 d$/);
    expect(Number.parseFloat(coverage)).toBeGreaterThanOrEqual(1.9);
    expect(Number.parseFloat(coverage)).toBeLessThanOrEqual(2.2);
    const consumed = (await chat.getByTestId('slo-budget').textContent()) ?? '';
    expect(consumed).toMatch(/^\d+\.\d % consumed so far$/);
    expect(Number.parseFloat(consumed)).toBeCloseTo(5.6, 0);
    expect(await chat.textContent()).toContain('Page: budget burning fast');
    const firstPair = chat.locator('tbody tr').first();
    expect(await firstPair.textContent()).toMatch(/1h\/5m.*14\.4×.*firing/);
    const embed = page.getByRole('article', { name: 'embed-small availability SLO' });
    expect(await embed.textContent()).toContain('Within budget');
    expect(await embed.getByTestId('slo-budget').textContent()).toMatch(/^0\.\d % consumed so far$/);
    // embed-small's latency SLO: 2.5 s (the default threshold) is a bound of its histogram.
    const embedLatency = page.getByRole('article', { name: 'embed-small latency SLO' });
    expect(await embedLatency.textContent()).toContain('Within budget');
    await chat.getByText('Exact PromQL').click();
    expect(await chat.locator('pre').first().textContent()).toContain('inference_requests_total{service="chat-llama",code=~"5.."}');
    await screenshot(page, 'metrics-slo', { docs: true });
  });

  it('draws the service panels over the shared range', async () => {
    for (const id of ['requestRate', 'errorRate', 'p95', 'tokensPerSec', 'costPer1k']) {
      await page.getByTestId(`panel-${id}`).locator('canvas').first().waitFor();
    }
    expect(await page.getByRole('region', { name: 'Inference services' }).getByRole('heading').first().textContent()).toContain('chat-llama, embed-small');
    await page.getByTestId('panel-requestRate').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-services', { docs: true });
  });

  it('completes metric names and runs a query in the explorer', async () => {
    const explorer = page.getByTestId('promql-explorer');
    const input = explorer.getByLabel('PromQL query');
    await input.fill('inference_tok');
    await explorer.getByRole('button', { name: 'inference_tokens_generated_total' }).click();
    expect(await input.inputValue()).toBe('inference_tokens_generated_total');
    await explorer.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => explorer.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await explorer.locator('table').textContent()).toContain('service="chat-llama"');
    await explorer.locator('canvas').first().waitFor();
    await input.fill('rate(');
    await explorer.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => explorer.getByRole('alert').textContent()).toMatch(/rejected the query \(bad_data\)/);
  });

  it('exports rules that name every SLO', async () => {
    await page.getByRole('button', { name: 'Export Prometheus rules' }).click();
    const rules = page.locator('.rules-export pre');
    await rules.waitFor();
    const text = (await rules.textContent()) ?? '';
    expect(text).toContain('flightdeck-slo-chat-llama-availability');
    expect(text).toContain('flightdeck-slo-embed-small-latency');
  });
});
