// Issue 17 bugs in the Rollouts view, in Chromium: after Restart -> Apply with the panel open the
// diff compares the new revision with the old one (it compared revision 1 with itself); the restart
// dialog has no "same second" warning unless a restart from that second exists; the success toast
// does not follow the user into another context.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, startConsole, type RunningConsole } from './harness.js';

const run = promisify(execFile);
let dir: string;
let kubeconfig: string;
let fleet: DemoFleet;
let console_: RunningConsole;
let browser: Browser;
let page: Page;

const kubectl = async (args: string[], input?: string) => {
  const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, timeout: 60_000 });
  if (input !== undefined) {
    child.child.stdin?.write(input);
    child.child.stdin?.end();
  }
  return (await child).stdout;
};

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: triage-web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: triage-web}}
  template:
    metadata: {labels: {app: triage-web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-triage-rollouts-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, kubeconfigOut: kubeconfig, prometheus: false, nodes: 2 });
  await kubectl(['apply', '-f', '-'], DEPLOYMENT);
  await kubectl(['rollout', 'status', 'deployment/triage-web', '--timeout=60s']);
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
  await page.goto(console_.consoleUrl);
  await page.evaluate("window.location.hash = '#/rollouts'");
  await page.getByTestId('view-rollouts').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rollouts bugs (issue 17)', () => {
  it('the restart dialog does not warn about a same-second restart that does not exist', async () => {
    await page.getByLabel('Filter workloads').fill('triage-web');
    await page.getByTestId('workload-Deployment-default-triage-web').click();
    await page.getByTestId('revision-1').waitFor();
    await page.getByTestId('action-restart').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(/Restart Deployment default\/triage-web/);
    expect(await page.getByTestId('confirm-dialog').textContent()).not.toMatch(/same second/);
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  }, 30_000);

  it('after Restart -> Apply with the panel open, the diff compares revision 1 with the new revision 2', async () => {
    await page.getByTestId('action-restart').click();
    await page.getByTestId('confirm-apply').click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('revision-2').waitFor({ timeout: 20_000 });
    const diff = page.getByTestId('template-diff');
    await expect.poll(async () => (await diff.getAttribute('aria-label')) ?? '', { timeout: 10_000 }).toBe('Pod template diff, revision 1 to 2');
    await expect.poll(async () => (await diff.textContent()) ?? '').toMatch(/restartedAt/);
    expect(await diff.textContent()).not.toMatch(/identical templates/);
  }, 40_000);

  it('the success toast does not survive a context switch', async () => {
    await expect.poll(async () => (await page.getByTestId('action-result').textContent()) ?? '', { timeout: 5_000 }).toMatch(/restarted/);
    await page.getByTestId('context-switcher').selectOption('demo-viewer');
    await page.getByTestId('workload-Deployment-default-triage-web').waitFor();
    expect(await page.getByTestId('action-result').count()).toBe(0);
    // Coming back to the context it ran in does not bring an old toast back either.
    await page.getByTestId('context-switcher').selectOption('demo-admin');
    await page.getByTestId('workload-Deployment-default-triage-web').waitFor();
    expect(await page.getByTestId('action-result').count()).toBe(0);
  }, 30_000);
});
