// The Topology view's Nodes, Workloads and Events tabs in Chromium, as a user reads them: every row
// and its cells are checked against the demo fleet's own API (kubectl), a header click sorts, the
// filter box narrows, a scale made behind the console's back shows in the Ready column, and the
// events come newest first. Screenshots: test-results/screenshots/topology-{nodes,workloads,events}.png.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
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

interface Item {
  metadata: { name: string; namespace?: string };
  spec?: { nodeName?: string; replicas?: number; containers?: { resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }[] };
  status?: { capacity?: Record<string, string>; phase?: string; readyReplicas?: number };
}

const table = (name: string) => page.getByTestId(`table-${name}`);
const rowCount = async (name: string) => Number(await table(name).getAttribute('aria-rowcount'));
const cells = (row: Locator) => row.getByRole('gridcell').allTextContents();
const filter = (text: string) => page.getByLabel('Filter the table').fill(text);

/** The rows on screen (the table is virtual: only those exist), as their cells' text. */
async function shownRows(name: string): Promise<string[][]> {
  const rows = await table(name).locator('.rtable-row').all();
  return Promise.all(rows.map(cells));
}

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 5, pods: 30, seed: 4, prometheus: false });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-tabs-e2e-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);
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

describe('topology tabs', () => {
  it('Nodes: one row per node, with the GPUs, GPUs in use and pods the API says it has; sorts by GPUs on a header click', async () => {
    await page.getByRole('tab', { name: 'Nodes' }).click();
    const nodes = (await kubectlJson<{ items: Item[] }>(['get', 'nodes'])).items;
    const pods = (await kubectlJson<{ items: Item[] }>(['get', 'pods', '-A'])).items;
    expect(nodes.length).toBeGreaterThan(1);
    await expect.poll(() => rowCount('nodes'), { timeout: 15_000 }).toBe(nodes.length);

    const gpus = (n: Item) => Number(n.status?.capacity?.['nvidia.com/gpu'] ?? 0);
    const busiest = [...nodes].sort((a, b) => gpus(b) - gpus(a))[0];
    expect(gpus(busiest)).toBeGreaterThan(0);
    // Ascending first, then descending: the node with the most GPUs comes up top.
    const header = table('nodes').getByRole('columnheader', { name: /^GPUs( [▴▾])?$/ });
    await header.click();
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const top = (await shownRows('nodes'))[0];
    expect(Number(top[6])).toBe(gpus(busiest));
    await screenshot(page, 'topology-nodes', { docs: true });

    for (const node of nodes) {
      await filter(node.metadata.name);
      const onNode = pods.filter((p) => p.spec?.nodeName === node.metadata.name);
      // GPUs in use: what the running and pending pods bound to the node ask for (finished pods free theirs).
      const used = onNode
        .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
        .flatMap((p) => p.spec?.containers ?? [])
        .reduce((sum, c) => sum + Number(c.resources?.limits?.['nvidia.com/gpu'] ?? c.resources?.requests?.['nvidia.com/gpu'] ?? 0), 0);
      await expect.poll(() => shownRows('nodes')).toEqual([expect.arrayContaining([node.metadata.name])]);
      const [row] = await shownRows('nodes');
      expect({ name: row[0], used: Number(row[5]), gpus: Number(row[6]), pods: Number(row[7]) }).toEqual({ name: node.metadata.name, used, gpus: gpus(node), pods: onNode.length });
    }
    await filter('');
  }, 60_000);

  it('Workloads: one row per Deployment, StatefulSet, DaemonSet, Job and Rollout; a scale shows in Ready', async () => {
    await page.getByRole('tab', { name: 'Workloads' }).click();
    const kinds = ['deployments', 'statefulsets', 'daemonsets', 'jobs', 'rollouts.argoproj.io'];
    const counts = await Promise.all(kinds.map(async (k) => (await kubectlJson<{ items: Item[] }>(['get', k, '-A'])).items.length));
    const total = counts.reduce((a, b) => a + b, 0);
    expect(counts[0]).toBeGreaterThan(0);
    await expect.poll(() => rowCount('workloads'), { timeout: 15_000 }).toBe(total);

    const deployment = (await kubectlJson<{ items: Item[] }>(['get', 'deployments', '-A'])).items[0];
    const { name, namespace } = deployment.metadata;
    await filter(name);
    const row = async () => (await shownRows('workloads')).find((r) => r[0] === 'deploy' && r[1] === namespace && r[2] === name);
    await expect.poll(async () => (await row())?.[3]).toBe(`${deployment.status?.readyReplicas ?? 0}/${deployment.spec?.replicas}`);

    const replicas = (deployment.spec?.replicas ?? 1) + 2;
    await kubectl(['scale', 'deployment', '-n', namespace!, name, `--replicas=${replicas}`]);
    await expect.poll(async () => (await row())?.[3], { timeout: 15_000 }).toMatch(new RegExp(`^\\d+/${replicas}$`));
    await filter('');
    await screenshot(page, 'topology-workloads', { docs: true });
  }, 60_000);

  it('Events: the newest event first, with its type, reason, object, namespace, message and count', async () => {
    const reason = 'E2EProbeFailed';
    const message = `e2e probe failed on purpose ${Date.now()}`;
    const pod = (await kubectlJson<{ items: Item[] }>(['get', 'pods', '-n', 'default'])).items[0] ?? (await kubectlJson<{ items: Item[] }>(['get', 'pods', '-A'])).items[0];
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await kubectl(['create', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `e2e-probe.${Date.now()}`, namespace: pod.metadata.namespace },
      involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace },
      reason,
      message,
      type: 'Warning',
      count: 3,
      firstTimestamp: now,
      // A minute ahead of every other event: it is the newest one the fleet has.
      lastTimestamp: new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      source: { component: 'e2e' },
    }));
    const events = (await kubectlJson<{ items: unknown[] }>(['get', 'events', '-A'])).items;
    expect(events.length).toBeGreaterThan(1);

    await page.getByRole('tab', { name: 'Events' }).click();
    await expect.poll(() => rowCount('events'), { timeout: 15_000 }).toBeGreaterThanOrEqual(events.length);
    // Newest first, unfiltered, as the tab opens.
    await expect.poll(async () => (await shownRows('events'))[0]?.[2], { timeout: 15_000 }).toBe(reason);
    const [first] = await shownRows('events');
    expect(first.slice(1)).toEqual(['Warning', reason, `Pod/${pod.metadata.name}`, pod.metadata.namespace, message, '3']);
    await screenshot(page, 'topology-events', { docs: true });

    await filter(message);
    await expect.poll(() => rowCount('events')).toBe(1);
    await filter('');
  }, 60_000);
});
