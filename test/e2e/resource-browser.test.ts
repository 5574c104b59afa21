// The resource browser in Chromium: a CRD created with kubectl appears in the navigation under its
// API group, its objects list live with the CRD's printer columns (an object created afterwards
// appears without a reload), the palette finds the kind by name with its group, details show its
// conditions, and one is edited through the action road: the confirm dialog shows the dry run's
// diff and kubectl's field-manager conflict first.
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

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: inferencepools.serving.flightdeck.dev}
spec:
  group: serving.flightdeck.dev
  scope: Namespaced
  names: {plural: inferencepools, singular: inferencepool, kind: InferencePool}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Model, type: string, jsonPath: .spec.model}
    - {name: GPUs, type: integer, jsonPath: .spec.gpus}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {model: {type: string}, gpus: {type: integer}}}
          status:
            type: object
            properties:
              conditions: {type: array, items: {type: object, properties: {type: {type: string}, status: {type: string}, reason: {type: string}, message: {type: string}}}}
`;

const pool = (name: string, model: string, gpus: number) =>
  `apiVersion: serving.flightdeck.dev/v1\nkind: InferencePool\nmetadata: {name: ${name}, namespace: default}\nspec: {model: ${model}, gpus: ${gpus}}\n`;

const KIND_KEY = 'inferencepools.v1.serving.flightdeck.dev';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-browser-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, kubeconfigOut: kubeconfig });
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(console_.consoleUrl);
  await page.evaluate("window.location.hash = '#/resources'");
  await page.getByTestId('view-resources').waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('resource browser', () => {
  it('shows a CRD created with kubectl in the navigation, its objects live with the printer columns', async () => {
    await kubectl(['apply', '-f', '-'], CRD);
    await kubectl(['wait', '--for=condition=Established', 'crd/inferencepools.serving.flightdeck.dev', '--timeout=60s']);
    await kubectl(['apply', '-f', '-'], [pool('llama-pool', 'llama-3-70b', 8), pool('mistral-pool', 'mistral-7b', 2)].join('---\n'));
    // The view asked discovery before the CRD existed: choosing the view again asks afresh.
    await page.evaluate("window.location.hash = '#/topology'");
    await page.evaluate("window.location.hash = '#/resources'");
    const kind = page.getByTestId(`kind-${KIND_KEY}`);
    await kind.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('region', { name: 'API group serving.flightdeck.dev' }).textContent()).toContain('InferencePool');
    await kind.click();
    await page.getByTestId('row-default/llama-pool').waitFor();
    expect((await page.getByTestId('table-head').textContent()) ?? '').toMatch(/Namespace.*Name.*Model.*GPUs.*Age/);
    expect(await page.getByTestId('row-default/llama-pool').textContent()).toMatch(/llama-pool.*llama-3-70b.*8/);

    // Live: created and changed with kubectl, shown without a reload.
    await kubectl(['apply', '-f', '-'], pool('qwen-pool', 'qwen-72b', 4));
    await page.getByTestId('row-default/qwen-pool').waitFor({ timeout: 15_000 });
    await kubectl(['patch', 'inferencepool', 'mistral-pool', '--type=merge', '-p', '{"spec":{"gpus":3}}']);
    await expect.poll(async () => (await page.getByTestId('row-default/mistral-pool').textContent()) ?? '', { timeout: 15_000 }).toMatch(/mistral-7b3/);
    expect(await page.getByTestId('object-count').textContent()).toMatch(/^3 objects/);
  }, 120_000);

  it('finds the custom kind in the palette, labelled with its API group, and opens it', async () => {
    await page.evaluate("window.location.hash = '#/topology'");
    await page.getByTestId('view-topology').waitFor();
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('InferencePool');
    await expect.poll(async () => (await page.getByTestId('palette-results').textContent()) ?? '').toContain('InferencePool · serving.flightdeck.dev');
    await page.keyboard.press('Enter');
    await page.getByTestId('row-default/llama-pool').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('InferencePool');
  }, 60_000);

  it('shows details with conditions and YAML', async () => {
    await kubectl(['patch', 'inferencepool', 'llama-pool', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'False', reason: 'WeightsLoading', message: '42 of 80 shards' }] } })]);
    await page.getByTestId('row-default/llama-pool').click();
    await page.getByTestId('object-panel').waitFor();
    await expect.poll(async () => (await page.getByTestId('object-conditions').textContent()) ?? '').toMatch(/Ready.*False.*WeightsLoading.*42 of 80 shards/);
    await screenshot(page, 'resource-browser', { docs: true });
    await page.getByRole('tab', { name: 'YAML' }).click();
    expect(await page.getByTestId('object-yaml').textContent()).toContain('model: llama-3-70b');
  }, 60_000);

  it('edits one object through the action road: dry-run diff and field-manager conflict, then forced apply', async () => {
    await page.getByTestId('edit-yaml').click();
    const editor = page.getByTestId('yaml-editor');
    const yaml = await editor.inputValue();
    expect(yaml).not.toContain('managedFields');
    await editor.fill(yaml.replace('gpus: 8', 'gpus: 16'));
    await page.getByTestId('review-apply').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await expect.poll(async () => (await dialog.textContent()) ?? '').toMatch(/Field manager conflict.*kubectl-client-side-apply/);
    expect(await page.getByLabel('Change preview').textContent()).toMatch(/-\s*gpus: 8\s*\+\s*gpus: 16/);
    await screenshot(page, 'resource-browser-conflict', { docs: true });
    await dialog.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('apply-force').check();
    await page.getByTestId('review-apply').click();
    await dialog.waitFor();
    await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(/taking over conflicting fields/);
    expect(await page.getByTestId('plan-rbac').textContent()).toContain('Allowed by RBAC');
    await page.getByTestId('confirm-apply').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('action-result').textContent()).toMatch(/applied/);
    expect(await kubectl(['get', 'inferencepool', 'llama-pool', '-o', 'jsonpath={.spec.gpus}'])).toBe('16');
    await expect.poll(async () => (await page.getByTestId('row-default/llama-pool').textContent()) ?? '', { timeout: 15_000 }).toMatch(/llama-3-70b16/);
    await screenshot(page, 'resource-browser-applied', { docs: true });
  }, 90_000);

  it('deletes one through the action road; the row leaves the live table', async () => {
    await page.getByTestId('row-default/qwen-pool').click();
    await page.getByTestId('object-panel').waitFor();
    await page.getByTestId('delete-object').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await expect.poll(async () => (await page.getByTestId('plan-summary').textContent()) ?? '').toMatch(/Delete inferencepools\.v1\.serving\.flightdeck\.dev default\/qwen-pool/);
    await page.getByTestId('confirm-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('row-default/qwen-pool').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await kubectl(['get', 'inferencepools', '-o', 'name'])).not.toContain('qwen-pool');
  }, 60_000);
});
