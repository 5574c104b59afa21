// The shell in Chromium as a user meets it: token taken from the URL, every nav link opens its
// view, the palette and theme work, the read-only screen is marked and cannot mutate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

const VIEW_TITLES: Record<string, string> = {
  topology: 'Topology',
  gpus: 'GPUs',
  metrics: 'Metrics & SLOs',
  rollouts: 'Rollouts',
  runbooks: 'Runbooks',
  terminal: 'Terminal',
  logs: 'Logs',
  alerts: 'Alerts',
  incidents: 'Incidents',
  warroom: 'War room',
};

let running: RunningConsole;
let browser: Browser;

beforeAll(async () => {
  running = await startConsole();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('renderer shell in browser mode', () => {
  it('says that no cluster is configured when started without one', async () => {
    // Printed once the core has loaded, which may be after the URLs (the shell paints first).
    await expect.poll(() => running.output(), { timeout: 15_000 }).toContain('no cluster configured');
  });

  it('takes the token from the URL, then opens every view from its nav link', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(running.consoleUrl);
    await page.getByTestId('view-topology').waitFor();
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => sessionStorage.getItem('flightdeck.token'))).toBe(running.consoleToken);
    for (const [id, title] of Object.entries(VIEW_TITLES)) {
      await page.getByRole('link', { name: title, exact: true }).click();
      await page.getByTestId(`view-${id}`).waitFor();
      expect(page.url()).toContain(`#/${id}`);
    }
    await page.getByRole('link', { name: 'Topology', exact: true }).click();
    await page.reload();
    await page.getByTestId('view-topology').waitFor();
    await screenshot(page, 'shell', { docs: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the command palette with Ctrl-K and with ":" and navigates from it', async () => {
    const page = await browser.newPage();
    await page.goto(running.consoleUrl);
    await page.getByTestId('view-topology').waitFor();
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    await page.keyboard.type('rollouts');
    await page.keyboard.press('Enter');
    await page.getByTestId('view-rollouts').waitFor();
    await page.keyboard.press(':');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Command palette' }).count()).toBe(0);
    await page.close();
  });

  it('switches theme and remembers it', async () => {
    const page = await browser.newPage();
    await page.goto(running.consoleUrl);
    await page.getByTestId('view-topology').waitFor();
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await expect.poll(async () => (await fetch(`${running.baseUrl}/api/v1/call/settings.get`, { method: 'POST', headers: { Authorization: `Bearer ${running.consoleToken}` } }).then((r) => r.json())).theme).toBe('light');
    await screenshot(page, 'shell-light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.close();
  });

  it('marks the read-only screen and refuses its mutations; refuses no-token requests', async () => {
    const page = await browser.newPage();
    await page.goto(running.readonlyUrl);
    await page.getByText('read-only screen').waitFor();
    const results = await page.evaluate(async ({ token }) => {
      const post = (method: string, body: unknown, auth?: string) =>
        fetch(`/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) }, body: JSON.stringify(body) }).then((r) => r.status);
      const ws = await new Promise<string>((resolve) => {
        const socket = new WebSocket(`ws://${location.host}/api/v1/stream`);
        socket.onopen = () => resolve('open');
        socket.onclose = () => resolve('closed');
      });
      return { mutate: await post('settings.set', { theme: 'light' }, token), read: await post('app.info', {}, token), noToken: await post('app.info', {}), ws };
    }, { token: running.readonlyToken });
    expect(results).toEqual({ mutate: 403, read: 200, noToken: 401, ws: 'closed' });
    await screenshot(page, 'shell-readonly');
    await page.close();
  });
});
