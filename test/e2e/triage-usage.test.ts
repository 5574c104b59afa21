// CPU and Memory columns in the topology Pods and Nodes tables, in Chromium, for a console started
// with only the demo kubeconfig: the figures are those of the cluster's metrics API (what kubectl
// top prints, read here through kubectl get --raw), in kubectl top's units.
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

interface Usage { cpu: string; memory: string }
const raw = async <T>(path: string): Promise<T> =>
  JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'demo-admin', 'get', '--raw', path], { env: { ...process.env, HOME: dir } })).stdout) as T;
// kubectl top's rounding: millicores up, MiB down.
const milli = (q: string) => `${Math.ceil(Number(q.replace(/n$/, '')) / 1e6)}m`;
const mebi = (kibi: number) => `${Math.floor(kibi / 1024)}Mi`;
const kib = (q: string) => Number(q.replace(/Ki$/, ''));

/** The text of the named columns in the one row the filter leaves. */
async function cellsOf(tableName: string, filterText: string, columns: string[]): Promise<string[]> {
  await page.getByLabel('Filter the table').fill(filterText);
  const table = page.getByTestId(`table-${tableName}`);
  const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.replace(/[▴▾\s]+$/u, '').trim());
  const row = table.locator('.rtable-row').first();
  await expect.poll(async () => (await row.getByRole('gridcell').nth(headers.indexOf(columns[0])).innerText()).trim(), { timeout: 20_000 }).toMatch(/^\d+m$/);
  const cells = await row.getByRole('gridcell').allInnerTexts();
  return columns.map((c) => cells[headers.indexOf(c)].trim());
}

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 4, pods: 30, seed: 5, prometheus: false });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-usage-e2e-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);
  running = await startConsole({ args: ['--kubeconfig', kubeconfig] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1800, height: 1000 } });
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

describe('usage columns', () => {
  it('Nodes show the NodeMetrics CPU and memory', async () => {
    const { items } = await raw<{ items: { metadata: { name: string }; usage: Usage }[] }>('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(items.length).toBe(fleet.store.count('nodes'));
    await page.getByRole('tab', { name: 'Nodes' }).click();
    for (const n of items.slice(0, 3)) {
      expect(await cellsOf('nodes', n.metadata.name, ['CPU', 'Memory'])).toEqual([milli(n.usage.cpu), mebi(kib(n.usage.memory))]);
    }
    await screenshot(page, 'triage-usage-nodes');
  });

  it('Pods show the sum of their containers’ PodMetrics', async () => {
    const { items } = await raw<{ items: { metadata: { name: string; namespace: string }; containers: { usage: Usage }[] }[] }>('/apis/metrics.k8s.io/v1beta1/pods');
    expect(items.length).toBeGreaterThan(5);
    await page.getByRole('tab', { name: 'Pods' }).click();
    for (const p of items.filter((i) => i.metadata.namespace === 'inference').slice(0, 2)) {
      const cpu = p.containers.reduce((s, c) => s + Number(c.usage.cpu.replace(/n$/, '')), 0);
      const memory = p.containers.reduce((s, c) => s + kib(c.usage.memory), 0);
      expect(await cellsOf('pods', p.metadata.name, ['CPU', 'Memory'])).toEqual([`${Math.ceil(cpu / 1e6)}m`, mebi(memory)]);
    }
    await screenshot(page, 'triage-usage-pods');
  });
});
