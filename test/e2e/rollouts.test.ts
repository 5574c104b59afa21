// Rollouts in Chromium, as a user clicks it: scale, restart, undo with the template diff, canary
// promote and abort, each through the confirm dialog; the viewer context and a read-only session
// see every button disabled with the reason. Screenshots go to docs/screenshots/rollouts-*.png.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

const run = promisify(execFile);
let dir: string;
let kubeconfig: string;
let fleet: DemoFleet;
let console_: RunningConsole;
let browser: Browser;
let page: Page;

const kubectl = async (args: string[], input?: string) => {
  const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, timeout: 90_000 });
  if (input !== undefined) {
    child.child.stdin?.write(input);
    child.child.stdin?.end();
  }
  return (await child).stdout;
};

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm-gateway
  namespace: default
  annotations: {flightdeck.dev/model-name: llama-3-70b, flightdeck.dev/model-version: "3.1", kubernetes.io/change-cause: "ship ${image}"}
spec:
  replicas: 2
  selector: {matchLabels: {app: llm-gateway}}
  template:
    metadata: {labels: {app: llm-gateway}}
    spec:
      containers: [{name: server, image: "${image}"}]
`;

const rollout = (image: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: recommender, namespace: default, annotations: {flightdeck.dev/model-name: ranker-xl, flightdeck.dev/model-version: "v1.5"}}
spec:
  replicas: 4
  selector: {matchLabels: {app: recommender}}
  template:
    metadata: {labels: {app: recommender}}
    spec:
      containers: [{name: rec, image: "${image}"}]
  strategy:
    canary:
      steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {}}]
`;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const roStatus = async () => JSON.parse(await kubectl(['get', 'rollouts.argoproj.io', 'recommender', '-o', 'jsonpath={.status}'])) as { phase?: string; currentStepIndex?: number; abort?: boolean };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-rollouts-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, kubeconfigOut: kubeconfig });
  if (!(await kubectl(['get', 'nodes', '-o', 'name'])).trim()) {
    await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: {name: e2e-node-1}\n');
    const status = { capacity: { cpu: '256', memory: '1Ti', pods: '500' }, allocatable: { cpu: '256', memory: '1Ti', pods: '500' }, conditions: [{ type: 'Ready', status: 'True' }] };
    await kubectl(['patch', 'node', 'e2e-node-1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
  }
  await kubectl(['apply', '-f', '-'], deployment('vllm/vllm-openai:v0.6.1'));
  await kubectl(['rollout', 'status', 'deployment/llm-gateway', '--timeout=60s']);
  await kubectl(['apply', '-f', '-'], deployment('vllm/vllm-openai:v0.6.2'));
  await kubectl(['rollout', 'status', 'deployment/llm-gateway', '--timeout=60s']);
  await kubectl(['apply', '-f', '-'], rollout('recommender:2.3.0'));
  await until('recommender Healthy', async () => (await roStatus()).phase === 'Healthy');
  await kubectl(['apply', '-f', '-'], rollout('recommender:2.4.0-rc1'));
  await until('recommender paused at step 1', async () => (await roStatus()).currentStepIndex === 1);
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
  await page.goto(console_.consoleUrl);
  await page.evaluate("window.location.hash = '#/rollouts'");
  await page.getByTestId('view-rollouts').waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function confirm(action: string, expectSummary: RegExp, shot?: string) {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(expectSummary);
  expect(await page.getByTestId('plan-rbac').textContent()).toContain('Allowed by RBAC');
  if (shot) await screenshot(page, shot, { docs: true });
  await page.getByTestId('confirm-apply').click();
  await dialog.waitFor({ state: 'detached' });
  return (await page.getByTestId('action-result').textContent()) ?? '';
}

describe('rollouts view', () => {
  it('lists the workloads with revision, images, model and progress', async () => {
    const row = page.getByTestId('workload-Deployment-default-llm-gateway');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/llama-3-70b v3\.1/);
    // The replica numbers say which is which.
    expect(await row.getByTestId('replicas-cell').getAttribute('aria-label')).toMatch(/^\d+ desired, \d+ updated, \d+ ready, \d+ available$/);
    await page.getByTestId('workload-Rollout-default-recommender').waitFor();
    // A version already written with its "v" prints once.
    await expect.poll(async () => (await page.getByTestId('workload-Rollout-default-recommender').textContent()) ?? '').toMatch(/ranker-xl v1\.5/);
    expect(await page.getByTestId('workload-Rollout-default-recommender').textContent()).not.toMatch(/vv1\.5/);
    await expect.poll(async () => (await page.getByTestId('workload-Rollout-default-recommender').textContent()) ?? '').toMatch(/step 1\/4 · weight 25%.*CanaryPauseStep/);
    await screenshot(page, 'rollouts', { docs: true });
  }, 60_000);

  it('scales through the confirm dialog', async () => {
    await page.getByTestId('workload-Deployment-default-llm-gateway').click();
    await page.getByTestId('workload-detail').waitFor();
    await page.getByTestId('scale-replicas').fill('3');
    expect(await confirm('scale', /from 2 to 3 replicas/, 'rollouts-confirm-scale')).toMatch(/scaled/);
    await until('replicas 3', async () => (await kubectl(['get', 'deploy', 'llm-gateway', '-o', 'jsonpath={.spec.replicas}'])).trim() === '3');
    await until('the view to say done', async () => /successfully rolled out/.test((await page.getByTestId('progress-message').textContent()) ?? ''));
  }, 60_000);

  it('restarts through the confirm dialog', async () => {
    expect(await confirm('restart', /Restart Deployment default\/llm-gateway/)).toMatch(/restarted/);
    await until('restartedAt set', async () => (await kubectl(['get', 'deploy', 'llm-gateway', '-o', 'jsonpath={.spec.template.metadata.annotations}'])).includes('restartedAt'));
    await kubectl(['rollout', 'status', 'deployment/llm-gateway', '--timeout=60s']);
  }, 60_000);

  it('shows a side-by-side template diff and undoes to the chosen revision', async () => {
    await page.getByTestId('revision-1').waitFor();
    await page.getByLabel('Diff from revision 1').check();
    await page.getByLabel('Diff to revision 3').check();
    const diff = page.getByTestId('template-diff');
    await expect.poll(async () => (await diff.textContent()) ?? '').toMatch(/restartedAt[\s\S]*v0\.6\.1[\s\S]*v0\.6\.2/);
    await page.getByTestId('history').scrollIntoViewIfNeeded();
    await screenshot(page, 'rollouts-history-diff', { docs: true });
    await page.getByTestId('undo-revision').selectOption('1');
    expect(await confirm('undo', /to revision 1/, 'rollouts-confirm-undo')).toMatch(/rolled back/);
    await until('image back to v0.6.1', async () => (await kubectl(['get', 'deploy', 'llm-gateway', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).trim() === 'vllm/vllm-openai:v0.6.1');
  }, 60_000);

  it('promotes the canary and then aborts it', async () => {
    await page.getByTestId('workload-Rollout-default-recommender').click();
    await page.getByTestId('canary-facts').waitFor();
    // This fleet runs without Prometheus: no number for either side, and the line says why.
    await expect.poll(async () => (await page.getByTestId('error-rate').textContent()) ?? '').toMatch(/^Error rate: canary — · stable — — No metrics source: \S/);
    expect(await page.getByTestId('error-rate').getByTestId('open-settings').getAttribute('href')).toBe('#/settings');
    expect(await confirm('promote', /clear the CanaryPauseStep pause at step 1 of 4/, 'rollouts-confirm-promote')).toMatch(/promoted/);
    await until('step 3', async () => /step 3 of 4/.test((await page.getByTestId('canary-facts').textContent()) ?? ''));
    expect(await confirm('abort', /traffic returns to the stable/)).toMatch(/aborted/);
    await until('aborted with weight 0', async () => /weight 0%.*aborted/.test((await page.getByTestId('canary-facts').textContent()) ?? ''));
    await until('Degraded', async () => (await roStatus()).phase === 'Degraded');
    await screenshot(page, 'rollouts-canary-aborted', { docs: true });
  }, 60_000);

  it('a production context needs the workload name typed before Apply', async () => {
    const set = await fetch(`${console_.baseUrl}/api/v1/call/settings.set`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${console_.consoleToken}` },
      body: JSON.stringify({ productionContextPattern: '^demo-admin$' }),
    });
    expect(set.status).toBe(200);
    await page.getByTestId('workload-Deployment-default-llm-gateway').click();
    await page.getByTestId('scale-replicas').fill('2');
    await page.getByTestId('action-scale').click();
    await page.getByTestId('confirm-typed').waitFor();
    expect(await page.getByTestId('confirm-apply').isDisabled()).toBe(true);
    await page.getByTestId('confirm-typed').fill('llm-gatewa');
    expect(await page.getByTestId('confirm-apply').getAttribute('title')).toMatch(/Type "llm-gateway" to confirm/);
    await page.getByTestId('confirm-typed').fill('llm-gateway');
    await screenshot(page, 'rollouts-confirm-production', { docs: true });
    await page.getByTestId('confirm-apply').click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    await until('replicas 2', async () => (await kubectl(['get', 'deploy', 'llm-gateway', '-o', 'jsonpath={.spec.replicas}'])).trim() === '2');
    await page.getByLabel('Close details').click();
    await fetch(`${console_.baseUrl}/api/v1/call/settings.set`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${console_.consoleToken}` },
      body: JSON.stringify({ productionContextPattern: '' }),
    });
  }, 60_000);

  it('viewer context: every action button is disabled with the RBAC reason', async () => {
    await page.getByTestId('context-switcher').selectOption('demo-viewer');
    await page.getByTestId('workload-Deployment-default-llm-gateway').click();
    await page.getByTestId('workload-actions').waitFor();
    const buttons = page.getByTestId('workload-actions').locator('button');
    await expect.poll(async () => (await buttons.first().getAttribute('data-reason')) ?? '').toMatch(/demo-viewer cannot/);
    for (const button of await buttons.all()) {
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('title')).toMatch(/demo-viewer cannot (patch|get|list)/);
    }
    expect(await page.getByTestId('actions-denied').textContent()).toMatch(/Scale: demo-viewer cannot patch deployments\/scale/);
    await screenshot(page, 'rollouts-viewer', { docs: true });
    await page.getByTestId('context-switcher').selectOption('demo-admin');
  }, 60_000);

  it('read-only session: every action button is disabled', async () => {
    const ro = await browser.newPage({ viewport: { width: 1500, height: 940 } });
    await ro.goto(console_.readonlyUrl);
    await ro.evaluate("window.location.hash = '#/rollouts'");
    await ro.getByTestId('workload-Rollout-default-recommender').click();
    const buttons = ro.getByTestId('workload-actions').locator('button');
    await buttons.first().waitFor();
    for (const button of await buttons.all()) {
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('title')).toMatch(/read-only/);
    }
    await screenshot(ro, 'rollouts-readonly', { docs: true });
    await ro.close();
  }, 60_000);
});
