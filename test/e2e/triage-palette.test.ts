// Issue 17, keyboard and palette in Chromium on the demo fleet, k9s and Lens habits: Ctrl-K finds a
// pod of another namespace by a fuzzy name and opens it; "restart llm-gateway", "scale ranker 3" and
// "undo recommender" open the action road's confirm dialog; `:pods`, `:nodes`, `:deploy` jump; `?`
// shows the key map; arrows and Enter work from the palette's and the Rollouts filter boxes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

let dir: string;
let fleet: DemoFleet;
let console_: RunningConsole;
let browser: Browser;
let page: Page;

async function call<T>(method: string, body: unknown): Promise<T> {
  const res = await fetch(`${console_.baseUrl}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${console_.consoleToken}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${method}: ${json.error?.message ?? res.status}`);
  return json;
}

const palette = () => page.getByRole('dialog', { name: 'Command palette' });
const options = () => palette().getByRole('option');
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
async function openPalette(text: string) {
  await page.keyboard.press('Control+k');
  await palette().waitFor();
  await expect.poll(focused).toBe('palette-input');
  await page.getByTestId('palette-input').fill(text);
}
/** `:` on the page, as in k9s, then a resource alias typed into the box. */
async function colon(alias: string) {
  await page.locator('body').press(':');
  await expect.poll(focused).toBe('palette-input');
  expect(await page.getByTestId('palette-input').inputValue()).toBe(':');
  await page.keyboard.type(alias);
  await expect.poll(firstOption).toMatch(new RegExp(`^jump:(\\w+ )?.*${alias}`));
  await page.keyboard.press('Enter');
  await palette().waitFor({ state: 'detached' });
}
const firstOption = async () => ((await options().first().textContent()) ?? '').trim();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-triage-palette-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, prometheus: false, kubeconfigOut: kubeconfig, nodes: 4, log: () => undefined });
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
  page.setDefaultTimeout(10_000);
  await page.goto(`${console_.consoleUrl}#/topology`);
  await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('palette and keys (issue 17)', () => {
  it('Ctrl-K finds a pod of another namespace by a fuzzy name, and Enter opens it in Topology', async () => {
    // The context's caches fill as they sync: wait for kube-system's pods.
    const kubeSystemPod = async () => (await call<{ rows: (string | number)[][] }>('resources.list', { context: 'demo-admin', table: 'pods' })).rows.find((r) => r[0] === 'kube-system');
    await expect.poll(kubeSystemPod, { timeout: 15_000 }).toBeDefined();
    const pod = (await kubeSystemPod())!;
    const name = String(pod[1]);
    // Fuzzy: its first word and the last letters of its hash find it, as a person half-remembers it.
    await openPalette(`${name.split('-')[0]} ${name.slice(-4)}`);
    await expect.poll(firstOption).toBe(`resource${name}Pod · ${pod[0]}`);
    await screenshot(page, 'palette-resource', { docs: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/topology');
    expect(await page.getByRole('tab', { name: 'Pods' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(async () => (await page.getByTestId('details-panel').locator('h2').textContent()) ?? '').toMatch(new RegExp(`${name}$`));
  }, 30_000);

  it('"restart llm-gateway" opens the action road\'s confirm dialog for it', async () => {
    await openPalette('restart llm-gateway');
    await expect.poll(firstOption).toBe('actionRestart llm-gatewayDeployment inference/llm-gateway');
    await screenshot(page, 'palette-action', { docs: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(/^Restart Deployment inference\/llm-gateway/);
    expect(await page.getByTestId('workload-detail').getAttribute('aria-label')).toBe('Deployment llm-gateway');
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  }, 30_000);

  it('"scale ranker 3" plans three replicas; "undo recommender" plans the roll back', async () => {
    await openPalette('scale ranker 3');
    await expect.poll(firstOption).toMatch(/^actionScale ranker to 3Deployment inference\/ranker · now \d+$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(/^Scale Deployment inference\/ranker from \d+ to 3 replicas/);
    await page.keyboard.press('Escape');
    await openPalette('undo recommender');
    await expect.poll(firstOption).toMatch(/^actionUndo recommender/);
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    await expect.poll(async () => (await page.getByTestId('confirm-dialog').textContent()) ?? '', { timeout: 10_000 }).toMatch(/Undo Rollout inference\/recommender/);
    // Cancelled while it may still be planning: the plan's answer must not bring the dialog back.
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    await page.waitForTimeout(1_500);
    expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
  }, 30_000);

  it(':pods, :nodes and :deploy jump like k9s', async () => {
    await colon('nodes');
    await expect.poll(() => page.evaluate('location.hash'), { timeout: 5_000 }).toBe('#/topology');
    await expect.poll(() => page.getByRole('tab', { name: 'Nodes' }).getAttribute('aria-selected')).toBe('true');
    await colon('pods');
    await expect.poll(() => page.getByRole('tab', { name: 'Pods' }).getAttribute('aria-selected')).toBe('true');
    await colon('deploy');
    await page.getByTestId('view-rollouts').waitFor();
    await expect.poll(() => page.getByLabel('Filter workloads').inputValue()).toBe('Deployment');
    await expect.poll(async () => page.locator('[data-testid^="workload-Deployment-"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid^="workload-Rollout-"], [data-testid^="workload-StatefulSet-"]').count()).toBe(0);
  }, 30_000);

  it('arrows and Enter work from the filter boxes: the palette\'s and the Rollouts list\'s', async () => {
    await openPalette('go to');
    const labels = (await options().allTextContents()).map((t) => t.trim());
    const current = (await page.locator('nav a[aria-current="page"]').getAttribute('aria-label')) ?? '';
    const target = labels.findIndex((l, i) => i > 0 && l.startsWith('viewGo to ') && !l.startsWith(`viewGo to ${current}`));
    expect(target).toBeGreaterThan(0);
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
    expect(await options().nth(target).getAttribute('aria-selected')).toBe('true');
    const title = /^viewGo to (.+?)(g \w)?$/.exec(labels[target])![1];
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.locator('nav a[aria-current="page"]').getAttribute('aria-label')) ?? '').toBe(title);

    await page.evaluate("window.location.hash = '#/rollouts'");
    const filter = page.getByLabel('Filter workloads');
    await filter.fill('inference');
    await page.locator('[data-testid^="workload-"]').nth(1).waitFor();
    const rows = page.locator('.rollouts-scroll [role="row"]');
    await filter.press('ArrowDown');
    await filter.press('ArrowDown');
    const cursorRow = page.locator('[data-cursor="true"]');
    const wanted = (await cursorRow.getAttribute('data-testid')) ?? '';
    expect(wanted).toMatch(/^workload-/);
    expect(await rows.count()).toBeGreaterThan(1);
    await filter.press('Enter');
    await expect.poll(async () => (await page.getByTestId(wanted).getAttribute('aria-selected')) ?? '').toBe('true');
    await page.getByTestId('workload-detail').waitFor();
  }, 30_000);

  it('? shows the key map; Esc closes it', async () => {
    // Out of the filter box (there `?` is a character), as a user would press Esc or click away.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('body').press('?');
    const keymap = page.getByTestId('keymap');
    await keymap.waitFor();
    const text = (await keymap.textContent()) ?? '';
    expect(text).toMatch(/Ctrl K/);
    expect(text).toMatch(/:deploy/);
    expect(text).toMatch(/:po :pod :pods\s*Pods/);
    await page.keyboard.press('Escape');
    await keymap.waitFor({ state: 'detached' });
  }, 30_000);
});
