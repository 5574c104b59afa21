// Issue 17 in Chromium on the demo fleet: the palette finds objects of every kind across
// namespaces, not only pods, nodes and workloads. A Service created with kubectl is found by a fuzzy
// name and opens in Topology; a ConfigMap and a custom resource (kinds the console does not watch)
// are found through the resource browser's name index and open in Resources with the object shown.
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
  const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, timeout: 90_000 });
  if (input !== undefined) {
    child.child.stdin?.write(input);
    child.child.stdin?.end();
  }
  return (await child).stdout;
};

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: modelcards.serving.flightdeck.dev}
spec:
  group: serving.flightdeck.dev
  scope: Namespaced
  names: {plural: modelcards, singular: modelcard, kind: ModelCard}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

async function call(method: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${console_.baseUrl}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${console_.consoleToken}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return res.json();
}

const palette = () => page.getByRole('dialog', { name: 'Command palette' });
const resultsText = async () => (await page.getByTestId('palette-results').textContent()) ?? '';
async function openPalette(text: string) {
  await page.keyboard.press('Control+k');
  await palette().waitFor();
  await page.getByTestId('palette-input').fill(text);
}
/** Chooses the option whose text is exactly this (group word, label, hint). */
async function choose(text: string) {
  await expect.poll(resultsText, { timeout: 20_000 }).toContain(text);
  await palette().getByRole('option').filter({ hasText: text }).first().click();
  await palette().waitFor({ state: 'detached' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-palette-every-kind-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  fleet = await startDemoFleet({ speed: 10, prometheus: false, kubeconfigOut: kubeconfig, nodes: 4, log: () => undefined });
  console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
  await kubectl(['create', 'service', 'clusterip', 'checkout-frontdoor', '--tcp=80:8080', '-n', 'default']);
  await kubectl(['create', 'configmap', 'tokenizer-settings', '-n', 'kube-system', '--from-literal=maxTokens=4096']);
  await kubectl(['apply', '-f', '-'], CRD);
  await kubectl(['wait', '--for=condition=Established', 'crd/modelcards.serving.flightdeck.dev', '--timeout=60s']);
  await kubectl(['apply', '-f', '-'], 'apiVersion: serving.flightdeck.dev/v1\nkind: ModelCard\nmetadata: {name: llama-card, namespace: default}\nspec: {model: llama-3-70b}\n');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${console_.consoleUrl}#/topology`);
  await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('palette finds objects of every kind (issue 17)', () => {
  it('finds a Service by a fuzzy name and opens it in Topology', async () => {
    // The context's caches fill as they sync: wait until the console lists the Service.
    const services = async () => JSON.stringify(await call('resources.list', { context: 'demo-admin', table: 'services' }));
    await expect.poll(services, { timeout: 30_000 }).toContain('svc/default/checkout-frontdoor');
    await openPalette('frontdoor chk');
    await choose('resourcecheckout-frontdoorService · default');
    await page.getByTestId('view-topology').waitFor();
    await expect.poll(async () => (await page.getByTestId('details-panel').textContent()) ?? '').toMatch(/Service\s*checkout-frontdoor/);
  }, 60_000);

  it('finds a ConfigMap of another namespace and opens it in Resources with the object shown', async () => {
    await openPalette('tokenizer settings');
    await choose('resourcetokenizer-settingsConfigMap · kube-system');
    await page.getByTestId('view-resources').waitFor();
    await expect.poll(async () => (await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '').toBe('ConfigMap');
    await page.getByTestId('object-panel').waitFor();
    await page.getByRole('tab', { name: 'YAML' }).click();
    await expect.poll(async () => (await page.getByTestId('object-yaml').textContent()) ?? '').toContain('maxTokens');
  }, 60_000);

  it('finds a custom resource created with kubectl and opens it in Resources', async () => {
    await page.evaluate("window.location.hash = '#/topology'");
    await page.getByTestId('view-topology').waitFor();
    await openPalette('llama-card');
    await choose('resourcellama-cardModelCard · default');
    await expect.poll(async () => (await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '').toBe('ModelCard');
    await page.getByTestId('object-panel').waitFor();
    await page.getByRole('tab', { name: 'YAML' }).click();
    await expect.poll(async () => (await page.getByTestId('object-yaml').textContent()) ?? '').toContain('llama-3-70b');
  }, 60_000);
});
