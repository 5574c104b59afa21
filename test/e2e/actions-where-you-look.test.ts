// Actions where the user looks, in Chromium: Topology's details carry the action road's buttons
// (the handlers Rollouts uses, the nodes domain's, the resource browser's delete), each opening the
// one confirm dialog and checked against the demo fleet's API with kubectl: cordon, drain with a
// PodDisruptionBudget holding one pod (reported with the 429 reason, the others evicted), uncordon,
// scale / restart / undo of a Deployment, delete of a pod. Screenshot: topology-node-drain.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';

const run = promisify(execFile);
let fleet: DemoFleet;
let running: RunningConsole;
let browser: Browser;
let page: Page;
let dir: string;
let kubeconfig: string;
let node: string;

async function kubectl(args: string[], input?: string): Promise<string> {
  const child = run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'demo-admin', ...args], { env: { ...process.env, HOME: dir } });
  if (input !== undefined) child.child.stdin?.end(input);
  return (await child).stdout;
}

const pod = (name: string, labels: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: drain, labels: ${labels}}
spec:
  nodeName: NODE
  containers: [{name: c, image: nginx:1.27}]
`;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: drain}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`;

const livePods = async () =>
  (JSON.parse(await kubectl(['get', 'pods', '-n', 'drain', '-o', 'json'])) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }).items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name);

/** Opens a row of a Topology table tab in the details panel. */
async function openRow(tab: string, tableId: string, name: string): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
  const table = page.getByTestId(`table-${tableId}`);
  await table.waitFor();
  await page.getByLabel('Filter the table').fill(name);
  await expect.poll(() => table.getByRole('row').count(), { timeout: 15_000 }).toBe(2);
  await table.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('details-panel').getByRole('heading', { name: new RegExp(name) }).waitFor();
}

const dialog = () => page.getByTestId('confirm-dialog');
const panel = () => page.getByTestId('details-panel');

/** Clicks a details button, waits for the plan, applies it. */
async function confirm(button: string): Promise<void> {
  const control = panel().getByTestId(`action-${button}`);
  await expect.poll(() => control.isEnabled(), { timeout: 15_000 }).toBe(true);
  await control.click();
  await dialog().getByTestId('plan-summary').waitFor();
  await dialog().getByTestId('confirm-apply').click();
}

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, pods: 6, seed: 7, prometheus: false });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-actions-e2e-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);
  node = (await kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
  await kubectl(['create', 'namespace', 'drain']);
  await kubectl(['apply', '-f', '-'], [pod('free', '{app: free}'), pod('held', '{app: held}')].join('---\n').replaceAll('NODE', node));
  await kubectl(['apply', '-f', '-'], WEB);
  await kubectl(['wait', '--for=condition=Ready', '-n', 'drain', 'pod/free', 'pod/held', '--timeout=30s']);
  await kubectl(['rollout', 'status', '-n', 'drain', 'deployment/web', '--timeout=30s']);
  await kubectl(['create', 'pdb', 'hold', '-n', 'drain', '--selector=app=held', '--min-available=1']);
  running = await startConsole({ args: ['--kubeconfig', kubeconfig] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${running.consoleUrl}#/topology`);
  await page.getByTestId('view-topology').waitFor();
  await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('actions in Topology details', () => {
  it('cordons a node, then drains it: the budget-held pod is named with the 429 reason, the others evicted', async () => {
    await openRow('Nodes', 'nodes', node);
    await confirm('node.cordon');
    await expect.poll(() => kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => panel().getByTestId('action-result').textContent()).toContain(`Node ${node} cordoned.`);

    await panel().getByTestId('action-node.drain').click();
    await dialog().getByTestId('plan-summary').waitFor();
    expect(await dialog().getByTestId('plan-summary').textContent()).toMatch(/^Drain node .+: already cordoned, then evict \d+ pods through the Eviction API/);
    await expect.poll(() => dialog().getByLabel('Warnings').textContent()).toContain("drain/held cannot be evicted now (dry run): Cannot evict pod as it would violate the pod's disruption budget. (HTTP 429");
    await dialog().getByText(/^Exact requests/).click();
    const requests = await dialog().getByTestId('plan-requests').textContent();
    expect(requests).toContain(`POST /api/v1/namespaces/drain/pods/free/eviction`);
    expect(requests).toContain(`POST /api/v1/namespaces/drain/pods/held/eviction`);
    await screenshot(page, 'topology-node-drain', { docs: true });
    await dialog().getByTestId('confirm-apply').click();
    await expect.poll(() => dialog().getByTestId('confirm-error').textContent(), { timeout: 15_000 }).toContain("drain/held: Cannot evict pod as it would violate the pod's disruption budget. (HTTP 429 TooManyRequests)");
    await screenshot(page, 'topology-node-drain-blocked');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(livePods, { timeout: 15_000 }).not.toContain('free');
    expect(await livePods()).toContain('held');

    // Uncordon from the same place (the button follows the node's state).
    await page.keyboard.press('Escape');
    await openRow('Nodes', 'nodes', node);
    await confirm('node.uncordon');
    await expect.poll(() => kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']), { timeout: 10_000 }).toBe('');
  }, 90_000);

  it('scales, restarts and undoes a Deployment through the Rollouts handlers', async () => {
    await page.keyboard.press('Escape');
    await openRow('Workloads', 'workloads', 'web');
    await panel().getByTestId('scale-replicas').fill('2');
    await confirm('scale');
    await expect.poll(() => kubectl(['get', 'deploy', 'web', '-n', 'drain', '-o', 'jsonpath={.spec.replicas}']), { timeout: 10_000 }).toBe('2');

    await confirm('restart');
    await expect.poll(() => kubectl(['get', 'deploy', 'web', '-n', 'drain', '-o', 'jsonpath={.spec.template.metadata.annotations}']), { timeout: 10_000 }).toContain('kubectl.kubernetes.io/restartedAt');
    await expect.poll(() => kubectl(['get', 'deploy', 'web', '-n', 'drain', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), { timeout: 20_000 }).toBe('2');

    await confirm('undo');
    await expect.poll(() => kubectl(['get', 'deploy', 'web', '-n', 'drain', '-o', 'jsonpath={.spec.template.metadata.annotations}']), { timeout: 10_000 }).not.toContain('restartedAt');
  }, 90_000);

  it('as the viewer, the buttons are disabled and say why (RBAC, asked by actions.available)', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('context-switcher').selectOption('demo-viewer');
    await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
    await openRow('Nodes', 'nodes', node);
    const drain = panel().getByTestId('action-node.drain');
    await expect.poll(() => drain.getAttribute('data-reason'), { timeout: 15_000 }).toMatch(/^demo-viewer cannot patch nodes/);
    expect(await drain.isDisabled()).toBe(true);
    expect(await panel().getByTestId('action-node.cordon').getAttribute('title')).toMatch(/cannot patch nodes/);
    expect(await panel().getByTestId('actions-denied').textContent()).toMatch(/^Not allowed — demo-viewer cannot patch nodes/);
    await screenshot(page, 'topology-node-viewer');
    await page.keyboard.press('Escape');
    await page.getByTestId('context-switcher').selectOption('demo-admin');
    await page.getByTestId('connection-status').getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
  }, 60_000);

  it('deletes a pod through the generic delete handler', async () => {
    await page.keyboard.press('Escape');
    await openRow('Pods', 'pods', 'held');
    await confirm('resource.delete');
    await expect.poll(livePods, { timeout: 15_000 }).not.toContain('held');
  }, 60_000);
});
