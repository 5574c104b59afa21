// Issue 17 in Chromium, on the demo fleet with its real Prometheus: the bad-canary failure is driven
// straight through the scenario's own steps (5xx on the rc image, then the new image), instead of
// waiting for the scenario's clock. The canary then reads failing — red, with its error rate against
// the stable's — in Rollouts and in Topology (the Rollout and its canary pods), and the header's
// problem badge lists it with where, since when and a link that opens it in Rollouts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { applyStep, type ScenarioStep } from '../../electron/demo/scenarios/index.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

let dir: string;
let fleet: DemoFleet;
let console_: RunningConsole;
let browser: Browser;
let page: Page;

const FAILING = /^canary error rate (\d+\.\d) % vs stable (\d+\.\d) %$/;

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

beforeAll(async () => {
  requireTool('prometheus', INSTALL_HINTS.prometheus);
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-triage-canary-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, prometheus: true, kubeconfigOut: kubeconfig, nodes: 4, log: () => undefined });
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  await call('settings.set', { prometheusUrls: { 'demo-admin': fleet.prometheusUrl } });
  // bad-canary's steps, now: the rc image answers 40 % 5xx, and the release ships it as a canary.
  const ctx = { store: fleet.store, clock: fleet.clock, faults: fleet.metrics.faults, seed: 1, vars: new Map<string, string>() };
  const steps: ScenarioStep[] = [
    { at: '0s', action: 'imageErrors', match: ':2.4.0-rc1', errorRatio: 0.4 },
    { at: '0s', action: 'setImage', kind: 'Rollout', namespace: 'inference', name: 'recommender', tag: '2.4.0-rc1' },
  ];
  for (const step of steps) applyStep(ctx, step);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
  await page.goto(console_.consoleUrl);
  await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a failing canary is seen (issue 17)', () => {
  it('Rollouts: the canary row is red with its error rate against the stable, and the details say since when', async () => {
    await page.evaluate("window.location.hash = '#/rollouts'");
    await page.getByTestId('view-rollouts').waitFor({ timeout: 30_000 });
    await page.getByLabel('Filter workloads').fill('recommender');
    const row = page.getByTestId('workload-Rollout-inference-recommender');
    // The canary's pods start, Prometheus scrapes them twice, and the 5-second re-check sees the rate.
    await expect.poll(async () => (await row.getAttribute('data-failing')) ?? '', { timeout: 60_000, interval: 500 }).toMatch(FAILING);
    const [, canary, stable] = FAILING.exec((await row.getAttribute('data-failing')) ?? '')!.map(Number);
    expect(canary).toBeGreaterThan(1);
    expect(canary).toBeGreaterThan(2 * stable);
    expect(await row.getAttribute('class')).toContain('row-failing');
    expect(await row.getByTestId('failure-pill').textContent()).toMatch(/^failing: canary error rate/);
    expect(await row.getByRole('progressbar').evaluate((el) => el.closest('.progress')?.getAttribute('data-state'))).toBe('failed');
    await row.click();
    await expect.poll(async () => (await page.getByTestId('workload-failure').textContent()) ?? '').toMatch(/^Failing since \d{1,2}:\d{2}:\d{2}.*: canary error rate/);
    await screenshot(page, 'rollouts-canary-failing', { docs: true });
  }, 80_000);

  it('Topology: the Rollout and its canary pods are failing with the reason; the stable pods are not', async () => {
    type Rows = { rows: (string | number)[][] };
    // Read as Topology reads it (its tables are the projection); canary pods may still be starting.
    const look = async () => {
      const workloadRows = await call<Rows>('resources.list', { context: 'demo-admin', table: 'workloads' });
      const ro = workloadRows.rows.find((r) => r[0] === 'ro' && r[1] === 'inference' && r[2] === 'recommender');
      const { workloads } = await call<{ workloads: Array<{ name: string; canary?: { canaryRS?: string; stableRS?: string } }> }>('rollouts.list', { context: 'demo-admin', namespace: 'inference' });
      const canary = workloads.find((w) => w.name === 'recommender')?.canary;
      const pods = await call<Rows>('resources.list', { context: 'demo-admin', table: 'pods' });
      const of = (rsName?: string) => pods.rows.filter((r) => r[0] === 'inference' && String(r[1]).startsWith(`${rsName}-`)).map((r) => [r[3], r[4]]);
      return { ro: ro && [ro[4], ro[5]], canaryPods: of(canary?.canaryRS), stablePods: of(canary?.stableRS) };
    };
    await expect.poll(async () => (await look()).canaryPods.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(look, { timeout: 10_000 }).toMatchObject({ ro: ['failing', expect.stringMatching(FAILING)] });
    const seen = await look();
    for (const pod of seen.canaryPods) expect(pod).toEqual(['failing', expect.stringMatching(FAILING)]);
    expect(seen.stablePods.length).toBeGreaterThan(0);
    for (const pod of seen.stablePods) expect(pod[0]).not.toBe('failing');
    // And on screen: the Topology's workloads table shows the same red row.
    await page.evaluate("window.location.hash = '#/topology'");
    await page.getByRole('tab', { name: 'Workloads' }).click();
    await page.getByLabel('Filter the table').fill('recommender');
    const shown = page.getByTestId('table-workloads').locator('.rtable-row', { hasText: 'ro' }).filter({ hasText: 'inference' });
    await expect.poll(async () => (await shown.first().textContent()) ?? '', { timeout: 10_000 }).toMatch(/failing.*canary error rate/);
  }, 60_000);

  it('the header badge counts it, and its list says what, where, since when, with a link that opens it in Rollouts', async () => {
    await page.evaluate("window.location.hash = '#/topology'");
    const badge = page.getByTestId('problems-badge');
    await expect.poll(async () => (await badge.getAttribute('aria-label')) ?? '', { timeout: 15_000 }).toMatch(/^\d+ problems?: (\d+ P1, )?\d+ P2/);
    await badge.click();
    const problem = page.getByTestId('problems-list').getByTestId('problem-workload').filter({ hasText: 'recommender' });
    await expect.poll(async () => (await problem.textContent()) ?? '').toMatch(/^P2canary error rate \d+\.\d % vs stable \d+\.\d %demo-admin · Rollout inference\/recommender · since \d{1,2}:\d{2}:\d{2}.*Open in Rollouts →$/);
    await screenshot(page, 'triage-problems', { docs: true });
    await problem.getByRole('link', { name: 'Open in Rollouts →' }).click();
    await page.getByTestId('view-rollouts').waitFor();
    await expect.poll(async () => (await page.getByTestId('workload-detail').getAttribute('aria-label')) ?? '').toBe('Rollout recommender');
    expect(await page.getByTestId('problems-list').count()).toBe(0);
  }, 60_000);
});
