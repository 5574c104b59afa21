// Topology in Chromium, as an SRE uses it: open it, search a pod hidden in a group, open its
// details, filter by namespace, expand and collapse a group, use the tables by keyboard, switch
// context. Screenshots go to docs/screenshots/topology-*.png.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { seedFleet } from '../integration/clusters-fixture.js';
import { parse, stringify } from 'yaml';

let fleet: DemoFleet;
/** A second, smaller fleet behind its own context: switching to it must change what is drawn. */
let otherFleet: DemoFleet;
const OTHER_CONTEXT = 'second-fleet';
let running: RunningConsole;
let browser: Browser;
let page: Page;
let dir: string;

/** The graph's test hook (renderer/views/topology/GraphCanvas.tsx), as seen from page.evaluate. */
interface GraphHook {
  clientPoint(id: string): { x: number; y: number } | undefined;
  visibleIds(): string[];
  item(id: string): { label: string; count?: number } | undefined;
}
type PageGlobals = { __flightdeckGraph?: GraphHook };

const visibleIds = (): Promise<string[]> => page.evaluate(() => (globalThis as unknown as PageGlobals).__flightdeckGraph?.visibleIds() ?? []);
const clickElement = async (id: string) => {
  const point = await page.evaluate((i) => (globalThis as unknown as PageGlobals).__flightdeckGraph?.clientPoint(i), id);
  if (!point) throw new Error(`${id} is not on the graph`);
  await page.mouse.click(point.x, point.y);
};

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 8, pods: 90, seed: 3, prometheus: false });
  seedFleet(fleet.store, { nodes: 8, pods: 90 });
  otherFleet = await startDemoFleet({ nodes: 2, pods: 20, seed: 11, prometheus: false });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-topology-e2e-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, withOtherFleet(fleet.kubeconfig, otherFleet.kubeconfig));
  running = await startConsole({ args: ['--kubeconfig', kubeconfig] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${running.consoleUrl}#/topology`);
  await page.getByTestId('view-topology').waitFor();
  await waitForAllPods();
}, 120_000);

type Kubeconfig = { clusters: { name: string }[]; users: { name: string }[]; contexts: { name: string; context: { cluster: string; user: string } }[] };

/** The first fleet's kubeconfig plus the other fleet's admin entry as context OTHER_CONTEXT. */
function withOtherFleet(mainYaml: string, otherYaml: string): string {
  const main = parse(mainYaml) as Kubeconfig;
  const other = parse(otherYaml) as Kubeconfig;
  const admin = other.contexts.find((c) => c.name === 'demo-admin')!;
  main.clusters.push({ ...other.clusters.find((c) => c.name === admin.context.cluster)!, name: OTHER_CONTEXT });
  main.users.push({ ...other.users.find((u) => u.name === admin.context.user)!, name: OTHER_CONTEXT });
  main.contexts.push({ name: OTHER_CONTEXT, context: { ...admin.context, cluster: OTHER_CONTEXT, user: OTHER_CONTEXT } });
  return stringify(main);
}

/** The counts line shows every pod of the fleet (the first snapshot may come before all lists). */
const waitForAllPods = async (of: DemoFleet = fleet) => {
  const started = Date.now();
  const want = `${of.store.count('pods')} pods · `;
  while (!((await page.getByTestId('topology-counts').textContent().catch(() => '')) ?? '').startsWith(want) || (await visibleIds()).length <= 10) {
    if (Date.now() - started > 30_000) throw new Error(`the topology never showed ${want}`);
    await page.waitForTimeout(100);
  }
};

/** A ReplicaSet with more pods than the group threshold: its pods are drawn as one group. */
const bigReplicaSet = () => {
  const byOwner = new Map<string, { namespace: string; pods: string[] }>();
  for (const p of fleet.store.list('pods')) {
    const owner = p.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
    if (!owner) continue;
    const key = `${p.metadata.namespace}/${owner.name}`;
    const entry = byOwner.get(key) ?? { namespace: p.metadata.namespace ?? '', pods: [] };
    entry.pods.push(p.metadata.name);
    byOwner.set(key, entry);
  }
  const [key, entry] = [...byOwner].find(([, e]) => e.pods.length > 8)!;
  return { group: `group/rs/${key}`, ...entry };
};

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await fleet?.stop();
  await otherFleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('topology view', () => {
  it('draws the fleet with replicas collapsed into groups', async () => {
    const counts = await page.getByTestId('topology-counts').textContent();
    const pods = fleet.store.count('pods');
    expect(counts).toContain(`${pods} pods`);
    const ids = await visibleIds();
    expect(ids.some((id) => id.startsWith('group/'))).toBe(true);
    expect(ids.some((id) => id.startsWith('node//'))).toBe(true);
    await page.waitForTimeout(300);
    await screenshot(page, 'topology-graph', { docs: true });
  });

  it('finds a pod inside a collapsed group and opens its details', async () => {
    const { namespace, pods } = bigReplicaSet();
    const hidden = fleet.store.get('pods', namespace, pods[pods.length - 1])!;
    await page.keyboard.press('/');
    await page.keyboard.type(hidden.metadata.name);
    const result = page.getByRole('option').filter({ hasText: hidden.metadata.name });
    await expect.poll(() => result.count()).toBeGreaterThan(0);
    await result.first().dispatchEvent('mousedown');
    const panel = page.getByTestId('details-panel');
    await panel.getByText(hidden.metadata.name).first().waitFor();
    await panel.getByRole('heading', { name: 'Containers' }).waitFor();
    expect(await panel.textContent()).toContain('ReplicaSet/');
    expect(await visibleIds()).toContain(`pod/${hidden.metadata.namespace}/${hidden.metadata.name}`);
    await screenshot(page, 'topology-details', { docs: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
  });

  it('filters by namespace', async () => {
    const ns = bigReplicaSet().namespace;
    await page.getByLabel('Namespace filter').selectOption(ns);
    await expect.poll(async () => (await visibleIds()).filter((id) => /^(pod|rs|deploy|sts|ds|job|ro|svc)\//.test(id) && !id.includes(`/${ns}/`)).length).toBe(0);
    expect((await visibleIds()).some((id) => id.includes(`/${ns}/`))).toBe(true);
    await screenshot(page, 'topology-filtered', { docs: true });
    await page.getByLabel('Namespace filter').selectOption('');
  });

  it('expands a group on click and collapses it again', async () => {
    await page.getByRole('button', { name: 'Fit' }).click();
    // Any collapsed group (the search above expanded the one it opened).
    const group = (await visibleIds()).find((id) => id.startsWith('group/'))!;
    expect(group).toBeTruthy();
    const code: Record<string, string> = { ReplicaSet: 'rs', DaemonSet: 'ds', StatefulSet: 'sts', Job: 'job' };
    const members = fleet.store.list('pods').filter((p) => p.metadata.ownerReferences?.some((o) => group === `group/${code[o.kind]}/${p.metadata.namespace}/${o.name}`));
    expect(members.length).toBeGreaterThan(8);
    await clickElement(group);
    await expect.poll(async () => (await visibleIds()).includes(group)).toBe(false);
    const ids = await visibleIds();
    for (const pod of members) expect(ids).toContain(`pod/${pod.metadata.namespace}/${pod.metadata.name}`);
    await screenshot(page, 'topology-expanded', { docs: true });
    await page.getByRole('button', { name: 'Collapse group' }).click();
    await expect.poll(async () => (await visibleIds()).includes(group)).toBe(true);
  });

  it('moves through the pods table with the keyboard and opens a row with Enter', async () => {
    await page.getByRole('tab', { name: 'Pods' }).click();
    const table = page.getByTestId('table-pods');
    await table.waitFor();
    const { pods } = bigReplicaSet();
    await page.keyboard.press('/');
    await page.keyboard.type(pods[0]);
    await expect.poll(() => table.getByRole('row').count()).toBe(2); // header + one pod
    await table.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('details-panel').getByRole('heading', { name: new RegExp(pods[0]) }).waitFor();
    await screenshot(page, 'topology-table', { docs: true });
    await page.keyboard.press('Escape');
    await page.getByLabel('Filter the table').fill('');
    await page.getByRole('tab', { name: 'Graph' }).click();
  });

  it('follows live pod changes: new pods are drawn, a group forms and counts, and breaks up again', async () => {
    const ns = 'e2e-live';
    fleet.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const node = fleet.store.list('nodes')[0].metadata.name;
    const create = (i: number) =>
      fleet.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `live-${i}`, namespace: ns }, spec: { nodeName: node, containers: [{ name: 'c', image: 'e2e' }] }, status: { phase: 'Running' } });
    const placed = (id: string) => page.evaluate((i) => (globalThis as unknown as PageGlobals).__flightdeckGraph?.clientPoint(i) !== undefined, id);
    const group = `group/bare:${ns}`;
    const count = () => page.evaluate((i) => (globalThis as unknown as PageGlobals).__flightdeckGraph?.item(i)?.count, group);
    // A few bare pods: each drawn on its own (a change of the graph's shape).
    for (let i = 0; i < 3; i++) create(i);
    for (let i = 0; i < 3; i++) await expect.poll(() => placed(`pod/${ns}/live-${i}`), { timeout: 10_000 }).toBe(true);
    // Past the threshold they become one group; then each new pod only changes its count.
    for (let i = 3; i < 12; i++) create(i);
    await expect.poll(count, { timeout: 10_000 }).toBe(12);
    expect(await placed(group)).toBe(true);
    expect((await visibleIds()).some((id) => id.startsWith(`pod/${ns}/`))).toBe(false);
    create(12);
    await expect.poll(count, { timeout: 10_000 }).toBe(13);
    // Back under the threshold: the group goes, its remaining pods are drawn one by one.
    for (let i = 0; i < 7; i++) fleet.store.delete('pods', ns, `live-${i}`);
    await expect.poll(async () => (await visibleIds()).includes(group), { timeout: 10_000 }).toBe(false);
    for (let i = 7; i <= 12; i++) await expect.poll(() => placed(`pod/${ns}/live-${i}`), { timeout: 10_000 }).toBe(true);
    for (let i = 7; i <= 12; i++) fleet.store.delete('pods', ns, `live-${i}`);
    await expect.poll(async () => (await visibleIds()).some((id) => id.includes(`/${ns}/`) || id.includes(`bare:${ns}`)), { timeout: 10_000 }).toBe(false);
  });

  it('switches context and redraws from the other context', async () => {
    // The two fleets differ in size, so each wait below can only be met after its switch.
    expect(otherFleet.store.count('pods')).not.toBe(fleet.store.count('pods'));
    await page.getByLabel('Context').selectOption(OTHER_CONTEXT);
    try {
      await waitForAllPods(otherFleet);
    } finally {
      await screenshot(page, 'topology-context-switched');
    }
    await page.getByLabel('Context').selectOption('demo-admin');
    await waitForAllPods(fleet);
  });
});
