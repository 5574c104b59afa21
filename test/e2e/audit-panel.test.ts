// The audit panel in Chromium, under a workload in the Rollouts view: a scale applied through the
// confirm dialog appears as its plan and its success, a scale applied while the cluster is
// unreachable as a failure with the reason, and a read-only screen's attempt as refused; the
// outcome and text filters narrow the list. Each row is checked against the audit log on disk, and
// the scale against the fleet's API. Screenshot: test-results/screenshots/rollouts-audit.png.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AuditRecord } from '../../shared/contract/actions.js';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { startProxy, type Proxy } from '../integration/clusters-fixture.js';

const run = promisify(execFile);
const NAME = 'audit-target';
let dir: string;
let dataDir: string;
let kubeconfig: string;
let fleet: DemoFleet;
/** The console reaches the fleet through it: down, the cluster is unreachable at Apply. */
let proxy: Proxy;
let running: RunningConsole;
let browser: Browser;
let page: Page;

const kubectl = async (args: string[], input?: string) => {
  const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } });
  if (input !== undefined) child.child.stdin?.end(input);
  return (await child).stdout;
};

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${NAME}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${NAME}}}
  template:
    metadata: {labels: {app: ${NAME}}}
    spec:
      containers: [{name: app, image: "audit-target:1"}]
`;

/** What the main process wrote for this workload, oldest first. */
const logged = (): AuditRecord[] =>
  readFileSync(join(dataDir, 'audit.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord)
    .filter((r) => r.target?.name === NAME);

const panel = () => page.getByTestId('audit-log');
/** The panel's rows as [phase, outcome, action, target, error], newest first as shown. */
const shown = async () =>
  Promise.all(
    (await panel().locator('tbody tr').all()).map(async (row) => {
      const cells = await row.locator('td').allTextContents();
      return [cells[1], cells[2], cells[3], cells[4], cells[6]];
    }),
  );
const counter = async () => (await panel().locator('.audit-filters .muted').textContent()) ?? '';

async function openWorkload() {
  await page.getByTestId(`workload-Deployment-default-${NAME}`).click();
  await page.getByTestId('workload-detail').waitFor();
  await panel().waitFor();
}

async function planScale(to: number) {
  await page.getByTestId('scale-replicas').fill(String(to));
  await page.getByTestId('action-scale').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(new RegExp(`to ${to} replicas`));
}

async function apply() {
  await page.getByTestId('confirm-apply').click();
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-audit-'));
  dataDir = join(dir, 'data');
  kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ nodes: 2, pods: 6, seed: 9, speed: 10, prometheus: false, kubeconfigOut: kubeconfig });
  await kubectl(['apply', '-f', '-'], manifest);
  proxy = await startProxy(Number(new URL(fleet.apiUrl).port));
  const config = YAML.parse(fleet.kubeconfig) as { clusters: { cluster: Record<string, unknown> }[] };
  for (const c of config.clusters) c.cluster.server = `https://127.0.0.1:${proxy.port}`;
  const viaProxy = join(dir, 'via-proxy.yaml');
  writeFileSync(viaProxy, YAML.stringify(config));
  running = await startConsole({ args: ['--kubeconfig', viaProxy], dataDir });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto(`${running.consoleUrl}#/rollouts`);
  await page.getByTestId('view-rollouts').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await proxy?.close();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('audit panel', () => {
  it('shows a scale as planned, then succeeded, as the audit log on disk has it', async () => {
    await openWorkload();
    await expect.poll(counter).toBe('0 of 0');
    await planScale(3);
    // The plan is recorded before anything runs.
    await expect.poll(shown, { timeout: 10_000 }).toEqual([['prepare', 'planned', 'scale', `Deployment default/${NAME}`, '']]);
    await apply();
    await expect.poll(async () => (await kubectl(['get', 'deploy', NAME, '-o', 'jsonpath={.spec.replicas}'])).trim(), { timeout: 15_000 }).toBe('3');
    await expect.poll(shown, { timeout: 10_000 }).toEqual([
      ['execute', 'succeeded', 'scale', `Deployment default/${NAME}`, ''],
      ['prepare', 'planned', 'scale', `Deployment default/${NAME}`, ''],
    ]);
    expect(logged().map((r) => [r.phase, r.outcome, r.action])).toEqual([
      ['prepare', 'planned', 'scale'],
      ['execute', 'succeeded', 'scale'],
    ]);
    expect(await counter()).toBe('2 of 2');
  }, 60_000);

  it('shows a scale applied while the cluster is unreachable as failed, with the reason, and filters by outcome', async () => {
    await planScale(4);
    await proxy.down();
    await page.getByTestId('confirm-apply').click();
    // The dialog stays and says why; the panel behind it has the same reason from the log.
    const said = page.getByTestId('confirm-error');
    await said.waitFor({ timeout: 20_000 });
    const dialogError = (await said.textContent()) ?? '';
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    const failed = async () => (await shown()).find((r) => r[1] === 'failed');
    await expect.poll(failed, { timeout: 15_000 }).toBeDefined();
    const onDisk = logged().filter((r) => r.outcome === 'failed');
    expect(onDisk).toHaveLength(1);
    expect(onDisk[0].error).toMatch(/could not be reached .*Nothing was changed/);
    expect((await failed())?.[4]).toBe(onDisk[0].error);
    expect(dialogError).toBe(onDisk[0].error);
    await proxy.up();
    // Nothing was changed: the fleet still runs the 3 replicas of the first scale.
    expect((await kubectl(['get', 'deploy', NAME, '-o', 'jsonpath={.spec.replicas}'])).trim()).toBe('3');
    expect(await counter()).toBe(`${logged().length} of ${logged().length}`);

    await panel().getByLabel('Outcome').selectOption('failed');
    await expect.poll(shown).toEqual([['execute', 'failed', 'scale', `Deployment default/${NAME}`, onDisk[0].error]]);
    expect(await counter()).toBe('1 of 1');
    await panel().scrollIntoViewIfNeeded();
    await screenshot(page, 'rollouts-audit', { docs: true });
    await panel().getByLabel('Outcome').selectOption('');
  }, 60_000);

  it('lists what a read-only screen tried as refused, and the text filter narrows to what matches', async () => {
    // The read-only link's buttons are disabled; its API still refuses and records a direct call.
    const response = await fetch(`${running.baseUrl}/api/v1/call/actions.prepare`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.readonlyToken}` },
      body: JSON.stringify({ context: 'demo-admin', target: { kind: 'Deployment', namespace: 'default', name: NAME }, action: 'restart', params: {} }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    await expect.poll(() => logged().filter((r) => r.outcome === 'refused').length, { timeout: 5_000 }).toBe(1);
    await panel().getByLabel('Outcome').selectOption('refused');
    await expect.poll(async () => (await shown()).map((r) => r.slice(0, 2)), { timeout: 10_000 }).toEqual([['refused', 'refused']]);
    expect((await panel().locator('tbody tr td').nth(5).textContent()) ?? '').toMatch(/readonly/);

    await panel().getByLabel('Outcome').selectOption('');
    await panel().getByLabel('Filter audit records').fill('no-such-workload');
    await expect.poll(counter).toBe('0 of 0');
    await panel().getByLabel('Filter audit records').fill(NAME);
    await expect.poll(counter).toBe(`${logged().length} of ${logged().length}`);
  }, 60_000);
});
