// Issue 17, the problem badge for contexts: a context whose API server does not answer is a problem —
// P3 seen from another context, P2 while it is the one on screen — saying what, where and since
// when, with a link that switches to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, startConsole, type RunningConsole } from './harness.js';

let dir: string;
let fleet: DemoFleet;
let console_: RunningConsole;
let browser: Browser;
let page: Page;

interface Kubeconfig {
  clusters: unknown[];
  users: unknown[];
  contexts: unknown[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-triage-offline-'));
  fleet = await startDemoFleet({ speed: 10, prometheus: false, nodes: 4, log: () => undefined });
  // One more context whose API server is a closed port on this machine.
  const config = parse(fleet.kubeconfig) as Kubeconfig;
  config.clusters.push({ name: 'lab', cluster: { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true } });
  config.users.push({ name: 'lab', user: { token: 'lab-token' } });
  config.contexts.push({ name: 'lab-offline', context: { cluster: 'lab', user: 'lab' } });
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${console_.consoleUrl}#/topology`);
  await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const badge = () => page.getByTestId('problems-badge');
const contextProblem = () => page.getByTestId('problems-list').getByTestId('problem-context').filter({ hasText: 'lab-offline' });

describe('problem badge: offline contexts (issue 17)', () => {
  it('another context not answering is P3 — the only problem of a healthy fleet — and its link switches to it', async () => {
    await expect.poll(async () => (await badge().getAttribute('aria-label')) ?? '', { timeout: 30_000 }).toBe('1 problem: 1 P3');
    await badge().click();
    await expect.poll(async () => (await contextProblem().textContent()) ?? '').toMatch(/^P3(offline|error).*127\.0\.0\.1:9.*lab-offline · since \d{1,2}:\d{2}:\d{2}.*Switch to lab-offline →$/);
    await contextProblem().getByRole('link', { name: 'Switch to lab-offline →' }).click();
    await expect.poll(() => page.getByTestId('context-switcher').inputValue()).toBe('lab-offline');
    expect(await page.getByTestId('problems-list').count()).toBe(0);
  }, 45_000);

  it('the context on screen not answering is P2, with a link to its (snapshot) Topology', async () => {
    await expect.poll(async () => (await badge().getAttribute('aria-label')) ?? '', { timeout: 15_000 }).toBe('1 problem: 1 P2');
    await badge().click();
    await expect.poll(async () => (await contextProblem().textContent()) ?? '').toMatch(/^P2(offline|error).*lab-offline · since \d{1,2}:\d{2}:\d{2}.*Open Topology →$/);
  }, 30_000);
});
