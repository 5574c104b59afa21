// The Settings view in Chromium on the demo fleet without a Prometheus: the "no metrics source"
// message appears once per view (it was repeated per panel) and leads to Settings; Settings is in
// the nav and the palette; credentials stay in the main process (the page and every answer it gets
// only say "set"/"not set"); URLs, price, pattern and theme are kept, and a read-only link changes nothing.
// Screenshots: test-results/screenshots/settings*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;
/** Every body the page received from the server (HTTP answers and WebSocket frames). */
const received: string[] = [];

const TOKEN = 'prom-t0ken-never-back';
const AM_PASSWORD = 'am-pa55word-never-back';

async function call<T>(method: string, body: unknown): Promise<T> {
  const res = await fetch(`${running.baseUrl}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

const occurrences = (text: string, what: string) => text.split(what).length - 1;

beforeAll(async () => {
  running = await startConsole({ args: ['--demo', '--no-prometheus'] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('response', (r) => void r.text().then((t) => received.push(t)).catch(() => undefined));
  page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('no metrics source', () => {
  it('is said once in the Metrics view and once in the GPUs view, with a link to Settings', async () => {
    await page.goto(`${running.consoleUrl}#/metrics`);
    const view = page.getByTestId('view-metrics');
    await view.getByTestId('no-metrics-source').waitFor({ timeout: 30_000 });
    // Give the panels time to fail too (they used to repeat the message in their own banners).
    await expect.poll(async () => (await view.innerText()).includes('No SLOs without a metrics source'), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => (await view.innerText()).includes('No service metrics without a metrics source'), { timeout: 20_000 }).toBe(true);
    const text = await view.innerText();
    expect(occurrences(text, 'No Prometheus found')).toBe(1);
    expect(occurrences(text, 'No metrics source')).toBe(1);
    await screenshot(page, 'metrics-no-source');

    await page.goto(`${running.consoleUrl}#/gpus`);
    const gpus = page.getByTestId('view-gpus');
    await gpus.getByTestId('no-metrics-source').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3_000);
    expect(occurrences(await gpus.innerText(), 'No Prometheus found')).toBe(1);

    await gpus.getByRole('link', { name: 'Open Settings' }).click();
    await page.getByTestId('view-settings').waitFor();
  });
});

describe('settings', () => {
  it('is reachable from the nav (accessible name = title) and from the palette', async () => {
    await page.goto(`${running.consoleUrl}#/topology`);
    await page.getByTestId('view-topology').waitFor();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByTestId('view-settings').waitFor();
    await page.goto(`${running.consoleUrl}#/topology`);
    await page.getByTestId('view-topology').waitFor();
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Command palette' }).getByRole('textbox').fill('settings');
    await page.getByRole('option', { name: /Go to Settings/ }).click();
    await page.getByTestId('view-settings').waitFor();
  });

  it('sends credentials to the main process and only learns "set"; URLs survive a reload', async () => {
    await page.goto(`${running.consoleUrl}#/settings`);
    const prom = page.getByTestId('settings-prometheus');
    await expect.poll(() => prom.getByTestId('settings-prometheus-auth').textContent(), { timeout: 20_000 }).toBe('not set');
    await expect.poll(() => page.getByTestId('settings-alertmanager-auth').textContent()).toBe('not set');
    await expect.poll(() => page.getByTestId('settings-logs-auth').textContent()).toBe('not set');

    await prom.getByLabel('Prometheus URL').fill('http://127.0.0.1:9/');
    await prom.getByLabel('Prometheus credential').selectOption('bearer');
    await prom.getByLabel('Prometheus bearer token').fill(TOKEN);
    await prom.getByRole('button', { name: 'Save Prometheus' }).click();
    await expect.poll(() => prom.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Saved and checked.');
    await expect.poll(() => page.getByTestId('settings-prometheus-status').textContent()).toMatch(/^Not answering: .*127\.0\.0\.1:9/);
    await expect.poll(() => prom.getByTestId('settings-prometheus-auth').textContent()).toBe('set (bearer token)');

    const am = page.getByTestId('settings-alertmanager');
    await am.getByLabel('Alertmanager URL').fill('https://alertmanager.example:9093/');
    await am.getByLabel('Alertmanager credential').selectOption('basic');
    await am.getByLabel('Alertmanager user name').fill('ops');
    await am.getByLabel('Alertmanager password').fill(AM_PASSWORD);
    await am.getByRole('button', { name: 'Save Alertmanager' }).click();
    await expect.poll(() => am.getByTestId('settings-alertmanager-auth').textContent()).toBe('set (basic auth)');

    const logs = page.getByTestId('settings-logs');
    await logs.getByLabel('Log store URL').fill('https://loki.example:3100/');
    await logs.getByRole('button', { name: 'Save Log store' }).click();
    await expect.poll(() => logs.getByRole('status').textContent()).toBe('Saved.');
    await screenshot(page, 'settings', { docs: true });

    await page.reload();
    await expect.poll(() => page.getByTestId('settings-prometheus-auth').textContent(), { timeout: 20_000 }).toBe('set (bearer token)');
    await expect.poll(() => page.getByTestId('settings-alertmanager-auth').textContent()).toBe('set (basic auth)');
    await expect(page.getByLabel('Prometheus URL').inputValue()).resolves.toBe('http://127.0.0.1:9/');
    await expect(page.getByLabel('Alertmanager URL').inputValue()).resolves.toBe('https://alertmanager.example:9093/');
    await expect(page.getByLabel('Log store URL').inputValue()).resolves.toBe('https://loki.example:3100/');
    expect(await page.getByLabel('Prometheus bearer token').count()).toBe(0);

    // The secrets went one way: no answer or frame the page received carries them; the main process has them.
    expect(received.length).toBeGreaterThan(10);
    expect(received.filter((t) => t.includes(TOKEN) || t.includes(AM_PASSWORD))).toEqual([]);
    expect(readFileSync(join(running.dataDir, 'prometheus-auth.json'), 'utf8')).toContain(TOKEN);
    expect(readFileSync(join(running.dataDir, 'service-auth.json'), 'utf8')).toContain(AM_PASSWORD);
  });

  it('keeps the production pattern and the GPU price, refuses a broken pattern, applies the theme at once', async () => {
    await page.goto(`${running.consoleUrl}#/settings`);
    const pattern = page.getByLabel('Production context pattern');
    await pattern.fill('(prod');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Not a regular expression' }).count()).toBe(1);
    await expect(page.getByRole('button', { name: 'Save general settings' }).isDisabled()).resolves.toBe(true);

    await pattern.fill('^prod-');
    await page.getByLabel('GPU price per hour').fill('4.75');
    await page.getByRole('button', { name: 'Save general settings' }).click();
    await page.getByRole('region', { name: 'General' }).getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await call<{ productionContextPattern: string; gpuHourPriceUsd: number }>('settings.get', {})).toMatchObject({ productionContextPattern: '^prod-', gpuHourPriceUsd: 4.75 });

    await page.getByLabel('Theme', { exact: true }).selectOption('light');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await expect.poll(async () => (await call<{ theme: string }>('settings.get', {})).theme).toBe('light');
    await screenshot(page, 'settings-light');
    await page.getByLabel('Theme', { exact: true }).selectOption('dark');
  });

  it('on the read-only link shows the settings but changes nothing', async () => {
    const readonly = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await readonly.goto(`${running.readonlyUrl.split('#')[0]}#/settings`);
    await readonly.getByTestId('view-settings').waitFor();
    await expect.poll(() => readonly.getByTestId('settings-prometheus-auth').textContent(), { timeout: 20_000 }).toBe('set (bearer token)');
    expect(await readonly.getByLabel('Prometheus URL').isDisabled()).toBe(true);
    expect(await readonly.getByLabel('GPU price per hour').isDisabled()).toBe(true);
    expect(await readonly.getByRole('button', { name: /^Save/ }).count()).toBe(0);
    await readonly.close();
  });
});
