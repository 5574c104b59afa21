// Issue 13 in Chromium on the demo fleet with its real Prometheus, the bad-canary failure driven
// through the scenario's own steps: find the runbook by the alert's name, run it to completion (its
// abort through the action road's confirm dialog), then stop the cluster and open the past run from
// its journal and export it as a markdown report. A read-only screen can read but not run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { applyStep, type ScenarioStep } from '../../electron/demo/scenarios/index.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

let dir: string;
let fleet: DemoFleet | undefined;
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

const stepStatus = (id: string) => page.getByTestId(`step-${id}`).getAttribute('data-status');

beforeAll(async () => {
  requireTool('prometheus', INSTALL_HINTS.prometheus);
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-runbooks-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, prometheus: true, kubeconfigOut: kubeconfig, nodes: 4, log: () => undefined });
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  await call('settings.set', { prometheusUrls: { 'demo-admin': fleet.prometheusUrl } });
  const ctx = { store: fleet.store, clock: fleet.clock, faults: fleet.metrics.faults, seed: 1, vars: new Map<string, string>() };
  const steps: ScenarioStep[] = [
    { at: '0s', action: 'imageErrors', match: ':2.4.0-rc1', errorRatio: 0.4 },
    { at: '0s', action: 'setImage', kind: 'Rollout', namespace: 'inference', name: 'recommender', tag: '2.4.0-rc1' },
  ];
  for (const step of steps) applyStep(ctx, step);
  // The alert's series: the canary's and the stable's 5xx ratio, recorded by the demo's Prometheus.
  const series = async () => {
    const res = await fetch(`${fleet!.prometheusUrl}/api/v1/query?query=${encodeURIComponent('count(service_version:inference_errors:ratio_rate1m{service="recommender"})')}`);
    return ((await res.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1];
  };
  for (let i = 0; i < 120 && !(Number(await series()) >= 2); i++) await new Promise((r) => setTimeout(r, 500));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
  await page.goto(console_.consoleUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('runbooks (issue 13)', () => {
  let runId = '';

  it("finds bad-canary by the alert's name and runs it to completion, the abort confirmed in the action dialog", async () => {
    await page.evaluate("window.location.hash = '#/runbooks'");
    await page.getByLabel('Search runbooks').fill('CanaryErrorRateHigh');
    const list = page.getByTestId('runbook-list');
    await expect.poll(async () => list.getByRole('button').count()).toBe(1);
    await list.getByRole('button', { name: /Bad canary/ }).click();
    await page.getByRole('heading', { name: 'Bad canary — abort the rollout' }).waitFor();
    // Prose renders as documentation: the table from the runbook.
    expect(await page.locator('.rb-prose table').first().textContent()).toContain('canary 5xx ratio');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect.poll(async () => (await page.getByTestId('step-abort').getByTestId('dry-run').textContent()) ?? '').toMatch(/plans "abort" through the action road/);
    await screenshot(page, 'runbooks-document', { docs: true });

    await page.getByRole('button', { name: /^Start run in demo-admin/ }).click();
    await page.getByTestId('run-header').waitFor();
    // Unattended runs change the cluster without a dialog per step: they are confirmed once, with
    // every remaining change listed, and Cancel runs nothing.
    await page.getByRole('button', { name: 'Run unattended' }).click();
    const unattended = page.getByTestId('confirm-unattended');
    await unattended.waitFor();
    expect(await unattended.textContent()).toMatch(/change context demo-admin[\s\S]*abort/);
    await unattended.getByRole('button', { name: 'Cancel' }).click();
    await unattended.waitFor({ state: 'detached' });
    expect(await stepStatus('abort')).toBe('pending');
    await page.getByRole('button', { name: 'Run to end' }).click();
    await expect.poll(() => stepStatus('rollout-status'), { timeout: 30_000 }).toBe('succeeded');
    await expect.poll(() => stepStatus('stable-is-clean'), { timeout: 30_000 }).toMatch(/succeeded|failed/);
    const promqlOutput = await page.getByTestId('step-stable-is-clean').textContent();
    expect(await stepStatus('stable-is-clean'), promqlOutput ?? '').toBe('succeeded');
    expect(await page.getByTestId('step-rollout-status').getByTestId('step-output').textContent()).toMatch(/recommender/);
    expect(await page.getByTestId('step-stable-is-clean').getByTestId('step-output').textContent()).toMatch(/^ok +\{\} [\d.e-]+\n1\/1 samples meet < 0.05/);
    await expect.poll(async () => (await page.locator('.rb-run .rb-notice').first().textContent()) ?? '').toMatch(/Waiting for you to confirm action step "abort"/);

    await page.getByTestId('step-abort').getByRole('button', { name: 'Plan & confirm…' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(async () => (await dialog.getByTestId('plan-summary').textContent()) ?? '', { timeout: 20_000 }).toMatch(/abort/i);
    await screenshot(page, 'runbooks-confirm-abort', { docs: true });
    await dialog.getByTestId('confirm-apply').click();
    await expect.poll(() => stepStatus('abort'), { timeout: 20_000 }).toBe('succeeded');

    await page.getByRole('button', { name: 'Run to end' }).click();
    await expect.poll(() => stepStatus('verify-aborted'), { timeout: 30_000 }).toBe('succeeded');
    expect(await page.getByTestId('step-verify-aborted').getByTestId('step-output').textContent()).toMatch(/abort=true/);
    for (const id of ['step-5', 'step-6']) {
      await page.getByTestId(`step-${id}`).getByRole('checkbox').click();
      await expect.poll(() => stepStatus(id)).toBe('succeeded');
    }
    await expect.poll(async () => page.getByTestId('run-status').textContent()).toBe('succeeded');
    runId = (await page.locator('.rb-run code').first().textContent()) ?? '';
    // The abort went the action road: planned and executed once, audited.
    const audit = await call<{ records: Array<{ phase: string; outcome: string; action?: string }> }>('audit.list', { action: 'abort' });
    expect(audit.records.filter((r) => r.phase === 'execute' && r.outcome === 'succeeded')).toHaveLength(1);
    await screenshot(page, 'runbooks-run-complete', { docs: true });
  }, 150_000);

  it('a kubectl step that changes the cluster asks first (command, context, RBAC verdict), then runs and is audited', async () => {
    const books = join(dir, 'changes');
    mkdirSync(books);
    writeFileSync(join(books, 'scale-ranker.md'), '---\ntitle: Scale ranker\nparams:\n  replicas: { default: "3" }\n---\n```kubectl {"name":"scale"}\nscale deployment ranker --replicas={{replicas}} -n inference\n```\n');
    await call('runbooks.addFolder', { path: books });
    await page.reload();
    await page.evaluate("window.location.hash = '#/runbooks?open=scale-ranker'");
    await page.getByRole('button', { name: /^Start run in demo-admin/ }).click();
    const step = page.getByTestId('step-scale');
    await step.getByRole('button', { name: 'Run' }).click();
    const confirm = step.getByTestId('confirm-step');
    await expect.poll(async () => (await confirm.getByTestId('confirm-step-rbac').textContent().catch(() => '')) ?? '', { timeout: 15_000 }).toBe('Allowed by RBAC: patch deployments/scale in inference');
    expect(await confirm.getByTestId('confirm-step-command').textContent()).toBe('kubectl scale deployment ranker --replicas=3 -n inference');
    expect(await confirm.getByTestId('confirm-step-context').textContent()).toBe('demo-admin');
    // Asking ran nothing and recorded nothing.
    expect(await stepStatus('scale')).toBe('pending');
    type Audited = { records: Array<{ phase: string; outcome: string; params?: Record<string, unknown> }> };
    expect((await call<Audited>('audit.list', { action: 'runbook-step' })).records).toEqual([]);
    await screenshot(page, 'runbooks-confirm-kubectl-step', { docs: true });
    await confirm.getByTestId('confirm-step-run').click();
    await expect.poll(() => stepStatus('scale'), { timeout: 20_000 }).toBe('succeeded');
    expect(await step.getByTestId('step-output').textContent()).toMatch(/scaled/);
    const audit = await call<Audited>('audit.list', { action: 'runbook-step' });
    expect(audit.records.map((r) => [r.phase, r.outcome, r.params?.step, r.params?.command])).toEqual([
      ['execute', 'succeeded', 'scale', 'kubectl scale deployment ranker --replicas=3 -n inference'],
      ['prepare', 'planned', 'scale', 'kubectl scale deployment ranker --replicas=3 -n inference'],
    ]);
  }, 60_000);

  it('opens the past run with the cluster stopped and exports it as a markdown report', async () => {
    await fleet?.stop();
    fleet = undefined;
    await page.reload();
    await page.evaluate("window.location.hash = '#/runbooks'");
    const runs = page.getByTestId('run-list');
    await runs.getByRole('button', { name: /Bad canary/ }).first().click();
    await expect.poll(async () => page.getByTestId('run-status').textContent()).toBe('succeeded');
    expect(await page.locator('.rb-run code').first().textContent()).toBe(runId);
    expect(await page.getByTestId('step-abort').getByTestId('step-output').textContent()).toMatch(/aborted/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report' }).click()]);
    expect(download.suggestedFilename()).toBe(`run-${runId}.md`);
    const report = readFileSync((await download.path())!, 'utf8');
    expect(report).toContain('# Run report: Bad canary — abort the rollout');
    expect(report).toMatch(/### 3\. abort \(action\) — succeeded · exit 0 · \d+ ms · audit /);
    expect(report).toMatch(/abort=true/);
    await screenshot(page, 'runbooks-past-run-offline', { docs: true });
  }, 60_000);

  it('a step keeps running in the main process across a reload, and the reloaded page reattaches to it', async () => {
    const books = join(dir, 'books');
    mkdirSync(books);
    writeFileSync(join(books, 'slow.md'), '---\ntitle: Slow step\n---\n```sh {"name":"slow"}\necho started; sleep 10; echo finished\n```\n');
    await call('runbooks.addFolder', { path: books });
    await page.reload();
    await page.evaluate("window.location.hash = '#/runbooks?open=slow'");
    await page.getByRole('button', { name: /^Start run/ }).click();
    await page.getByTestId('step-slow').getByRole('button', { name: 'Run' }).click();
    // A shell step may change the cluster: it is confirmed inline (nothing in it for RBAC to check).
    await expect.poll(async () => (await page.getByTestId('step-slow').getByTestId('confirm-step-rbac').textContent().catch(() => '')) ?? '').toMatch(/No kubectl change found to RBAC-check/);
    expect(await stepStatus('slow')).toBe('pending');
    await page.getByTestId('step-slow').getByTestId('confirm-step-run').click();
    await expect.poll(async () => (await page.getByTestId('step-slow').getByTestId('step-output').textContent()) ?? '').toContain('started');
    await page.reload();
    await page.evaluate("window.location.hash = '#/runbooks'");
    await page.getByTestId('run-list').getByRole('button', { name: /Slow step/ }).click();
    // The reattached page may first paint the journal's view: wait for the live state, which the
    // 10 s step outlasts even when the reload is slow on a loaded machine.
    await expect.poll(() => stepStatus('slow'), { timeout: 5_000 }).toBe('running');
    await expect.poll(() => stepStatus('slow'), { timeout: 25_000 }).toBe('succeeded');
    expect(await page.getByTestId('step-slow').getByTestId('step-output').textContent()).toBe('started\nfinished\n');
  }, 60_000);

  it('a hung step is stopped from its card: it ends failed, says who stopped it, and can be retried', async () => {
    const books = join(dir, 'hang-books');
    mkdirSync(books);
    writeFileSync(join(books, 'hang.md'), '---\ntitle: Hanging step\n---\n```sh {"name":"hang"}\necho waiting; sleep 120; echo finished\n```\n');
    await call('runbooks.addFolder', { path: books });
    await page.reload();
    await page.evaluate("window.location.hash = '#/runbooks?open=hang'");
    await page.getByRole('button', { name: /^Start run/ }).click();
    const card = page.getByTestId('step-hang');
    await card.getByRole('button', { name: 'Run' }).click();
    await card.getByTestId('confirm-step-run').click();
    // Generous waits: on a loaded machine the step's first output can take seconds to reach the page.
    await expect.poll(async () => (await card.getByTestId('step-output').textContent().catch(() => '')) ?? '', { timeout: 20_000 }).toContain('waiting');
    expect(await stepStatus('hang')).toBe('running');
    await card.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => stepStatus('hang'), { timeout: 20_000 }).toBe('failed');
    expect(await card.textContent()).toMatch(/stopped by .+ after \d+ s \(exit 143\)/);
    expect(await card.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Retry' }).isEnabled()).toBe(true);
  }, 60_000);

  it('a read-only screen reads runbooks and runs but cannot start one', async () => {
    const ro = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await ro.goto(console_.readonlyUrl);
    await ro.evaluate("window.location.hash = '#/runbooks'");
    await ro.getByTestId('runbook-list').getByRole('button', { name: /Bad canary/ }).click();
    await ro.getByRole('heading', { name: 'Bad canary — abort the rollout' }).waitFor();
    expect(await ro.getByRole('button', { name: /^Start run/ }).isDisabled()).toBe(true);
    const refused = await fetch(`${console_.baseUrl}/api/v1/call/runbooks.start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${console_.readonlyToken}` },
      body: JSON.stringify({ id: 'bundled/bad-canary.md', context: 'demo-admin' }),
    });
    expect(refused.status).toBe(403);
    await ro.close();
  }, 30_000);
});
