// Topology tables and details in Chromium on a demo fleet, read against the fleet's own API
// (kubectl): events show ages (the exact time on hover), newest first, and the order a user picks
// is kept when they come back (another tab, another view); a Rollout's events are listed; node
// details give capacity, allocatable, taints, conditions, the pods on it and its GPUs with their
// holders; workload details list their pods. Screenshots: test-results/screenshots/triage-*.png.
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

async function kubectl(args: string[], input?: string): Promise<string> {
  const child = run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'demo-admin', ...args], { env: { ...process.env, HOME: dir } });
  if (input !== undefined) child.child.stdin?.end(input);
  return (await child).stdout;
}
const kubectlJson = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl([...args, '-o', 'json'])) as T;

interface Node {
  metadata: { name: string };
  spec?: { taints?: Array<{ key: string; value?: string; effect: string }> };
  status: { capacity: Record<string, string>; allocatable: Record<string, string>; conditions: Array<{ type: string; status: string }> };
}
interface Pod {
  metadata: { name: string; namespace: string; ownerReferences?: Array<{ kind: string; name: string }> };
  spec: { nodeName?: string };
}

const table = (name: string) => page.getByTestId(`table-${name}`);
const details = () => page.getByTestId('details-panel');
const filter = (text: string) => page.getByLabel('Filter the table').fill(text);
const firstCells = async (name: string) => table(name).locator('.rtable-row').first().getByRole('gridcell');

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 5, pods: 30, seed: 4, prometheus: false });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-triage-e2e-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);
  running = await startConsole({ args: ['--kubeconfig', kubeconfig] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
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

describe('events', () => {
  it('shows ages newest first with the exact time on hover, and lists Rollout events', async () => {
    // An event as the Argo Rollouts controller records it, on a Rollout of the fleet.
    const rollouts = await kubectlJson<{ items: Array<{ metadata: { name: string; namespace: string; uid: string } }> }>(['get', 'rollouts.argoproj.io', '-A']);
    expect(rollouts.items.length).toBeGreaterThan(0);
    const rollout = rollouts.items[0].metadata;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await kubectl(['create', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${rollout.name}.triage`, namespace: rollout.namespace },
      involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rollout.name, namespace: rollout.namespace, uid: rollout.uid },
      reason: 'RolloutStepCompleted', message: 'Rollout step 1/8 completed (setWeight: 10)', type: 'Normal', count: 1,
      firstTimestamp: now, lastTimestamp: now, source: { component: 'rollouts-controller' },
    }));

    await page.getByRole('tab', { name: 'Events' }).click();
    // The fleet keeps recording events, so the Rollout's is found by the filter box.
    await filter('RolloutStepCompleted');
    await expect.poll(async () => (await (await firstCells('events')).nth(2).textContent()) ?? '', { timeout: 20_000 }).toBe('RolloutStepCompleted');
    const cells = await firstCells('events');
    expect(await cells.nth(0).textContent()).toMatch(/^\d+s$/);
    const hover = String(await cells.nth(0).getAttribute('title'));
    expect(Math.abs(new Date(hover).getTime() - Date.parse(now))).toBeLessThan(2_000);
    expect(await cells.nth(3).textContent()).toBe(`Rollout/${rollout.name}`);
    // Names are never cut without the whole name on hover.
    expect(await cells.nth(3).getAttribute('title')).toBe(`Rollout/${rollout.name}`);
    await filter('');
    // Newest first: the exact times (tooltips) of the rows on screen never go up.
    const times = async () => (await table('events').locator('.rtable-row').evaluateAll((rows) => rows.map((r) => r.querySelector('[role=gridcell]')?.getAttribute('title') ?? ''))).map((t) => new Date(t).getTime());
    const newestFirst = await times();
    expect(newestFirst.length).toBeGreaterThan(5);
    expect(newestFirst.every((t, i) => i === 0 || t <= newestFirst[i - 1])).toBe(true);
    await screenshot(page, 'triage-events', { docs: true });
  });

  it('keeps the order a user picked when they come back (another tab, another view)', async () => {
    const times = async () => (await table('events').locator('.rtable-row').evaluateAll((rows) => rows.map((r) => r.querySelector('[role=gridcell]')?.getAttribute('title') ?? ''))).map((t) => new Date(t).getTime());
    const now = Date.now();
    await page.getByRole('tab', { name: 'Events' }).click();
    const header = table('events').getByRole('columnheader', { name: /^Last seen/ });
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('tab', { name: 'Pods' }).click();
    await page.getByRole('tab', { name: 'Events' }).click();
    await expect.poll(() => table('events').getByRole('columnheader', { name: /^Last seen/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Rollouts', exact: true }).click();
    await page.getByTestId('view-rollouts').waitFor();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Topology', exact: true }).click();
    await page.getByTestId('view-topology').waitFor();
    await expect.poll(() => table('events').getByRole('columnheader', { name: /^Last seen/ }).getAttribute('aria-sort')).toBe('ascending');
    const oldestFirst = await times();
    expect(oldestFirst.every((t, i) => i === 0 || t >= oldestFirst[i - 1])).toBe(true);
    expect(oldestFirst[0]).toBeLessThan(now);
    await table('events').getByRole('columnheader', { name: /^Last seen/ }).click();
  });

  it('lists the Rollout’s events in its details', async () => {
    const rollout = (await kubectlJson<{ items: Array<{ metadata: { name: string } }> }>(['get', 'rollouts.argoproj.io', '-A'])).items[0].metadata.name;
    await page.getByRole('tab', { name: 'Workloads' }).click();
    await filter(rollout);
    await table('workloads').locator('.rtable-row').filter({ hasText: rollout }).first().dblclick();
    await details().getByText('RolloutStepCompleted').waitFor({ timeout: 15_000 });
    await filter('');
  });
});

describe('details', () => {
  it('node: capacity, allocatable, taints, conditions, its pods and its GPUs with their holders', async () => {
    const nodes = (await kubectlJson<{ items: Node[] }>(['get', 'nodes'])).items;
    const node = [...nodes].sort((a, b) => Number(b.status.capacity['nvidia.com/gpu'] ?? 0) - Number(a.status.capacity['nvidia.com/gpu'] ?? 0))[0];
    await kubectl(['taint', 'nodes', node.metadata.name, 'flightdeck.dev/triage=yes:NoSchedule']);
    const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node.metadata.name}`])).items;
    expect(pods.length).toBeGreaterThan(0);

    await page.getByRole('tab', { name: 'Nodes' }).click();
    await filter(node.metadata.name);
    await table('nodes').locator('.rtable-row').filter({ hasText: node.metadata.name }).first().dblclick();
    const resources = details().getByTestId('node-resources');
    await resources.waitFor({ timeout: 15_000 });
    for (const name of ['cpu', 'memory', 'nvidia.com/gpu']) {
      const row = resources.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
      expect(await row.getByRole('cell').allTextContents()).toEqual([name, node.status.capacity[name], node.status.allocatable[name]]);
    }
    await expect.poll(() => details().getByTestId('node-taints').textContent(), { timeout: 15_000 }).toContain('flightdeck.dev/triage=yes:NoSchedule');
    // Each condition, colored as healthy when it is (MemoryPressure=False is good news, Ready=False is not).
    for (const c of node.status.conditions) {
      const healthy = /Pressure|Unavailable/.test(c.type) ? c.status === 'False' : c.status === 'True';
      expect(await details().getByText(`${c.type}=${c.status}`, { exact: true }).getAttribute('class')).toBe(healthy ? 'health-ok' : 'health-warning');
    }
    expect(node.status.conditions.some((c) => c.type === 'MemoryPressure' && c.status === 'False')).toBe(true);

    const listed = details().getByTestId('details-pods');
    await expect.poll(() => listed.getByRole('button').allTextContents()).toEqual(pods.map((p) => p.metadata.name).sort((a, b) => a.localeCompare(b)));
    const gpus = Number(node.status.capacity['nvidia.com/gpu']);
    const gpuLines = await details().locator('li.mono').filter({ hasText: /gpu\d/ }).allTextContents();
    expect(gpuLines).toHaveLength(gpus);
    // Every holder named is a pod the API says runs on this node.
    const holders = gpuLines.map((l) => /held by (\S+)/.exec(l)?.[1]).filter((h): h is string => Boolean(h));
    expect(holders.length).toBeGreaterThan(0);
    for (const h of holders) expect(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toContain(h);
    await screenshot(page, 'triage-node-details', { docs: true });
    await filter('');
  });

  it('workload: lists its pods (through its ReplicaSets)', async () => {
    const deployments = (await kubectlJson<{ items: Array<{ metadata: { name: string; namespace: string } }> }>(['get', 'deployments', '-n', 'inference'])).items;
    const deployment = deployments[0].metadata;
    const replicaSets = (await kubectlJson<{ items: Array<{ metadata: { name: string; ownerReferences?: Array<{ name: string }> } }> }>(['get', 'replicasets', '-n', 'inference'])).items
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.name === deployment.name))
      .map((rs) => rs.metadata.name);
    const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', 'inference'])).items.filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && replicaSets.includes(o.name)));
    expect(pods.length).toBeGreaterThan(0);

    await page.getByRole('tab', { name: 'Workloads' }).click();
    await filter(deployment.name);
    await table('workloads').locator('.rtable-row').filter({ hasText: deployment.name }).first().dblclick();
    const listed = details().getByTestId('details-pods');
    await expect.poll(() => listed.getByRole('button').allTextContents(), { timeout: 15_000 }).toEqual(pods.map((p) => p.metadata.name).sort((a, b) => a.localeCompare(b)));
    await filter('');
  });
});
