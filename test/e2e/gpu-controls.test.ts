// The GPU view's metric, group and sort controls in Chromium, as a user works them: each click
// refetches and the rows under the pointer change as Prometheus' own answers say they should (the
// rows are read back from the heatmap's tooltips, top to bottom). Prometheus is real, scraping an
// exporter the test controls (metrics-setup.ts). Screenshot: test-results/screenshots/gpus-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './harness.js';
import { startMetricsE2E, type MetricsE2E } from './metrics-setup.js';

let env: MetricsE2E;
let browser: Browser;
let page: Page;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query straight to Prometheus: the truth the view is checked against. */
async function prometheus(query: string): Promise<Sample[]> {
  const response = await fetch(`${env.prom.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; data: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${query}`);
  return body.data.result;
}

interface ShownRow {
  /** "gpu-node-1 · GPU 2" */
  gpu: string;
  /** "GPU utilization: 3 %" */
  value: string;
  uuid: string;
  /** "ml/train-2", or "not allocated" */
  pod: string;
}

const fetches = async () => Number(await page.getByTestId('view-gpus').getAttribute('data-fetches'));
const foot = async () => (await page.locator('.heatmap-foot').textContent()) ?? '';

/** Hovers each row near the right end of the plot and reads its tooltip, top to bottom. */
async function shownRows(): Promise<ShownRow[]> {
  const total = Number(/of (\d+) GPUs/.exec(await foot())?.[1]);
  const box = await page.getByTestId('gpu-heatmap-cells').boundingBox();
  if (!box || !total) throw new Error(`no heatmap on screen (${await foot()})`);
  const rows: ShownRow[] = [];
  for (let i = 0; i < total; i++) {
    await page.mouse.move(box.x + box.width - 30, box.y + (box.height * (i + 0.5)) / total);
    const tip = page.getByRole('tooltip');
    await tip.waitFor({ timeout: 5_000 });
    const lines = (await tip.innerText()).split('\n');
    rows.push({ gpu: lines[0], value: lines[1], uuid: lines[2].replace(/^UUID /, ''), pod: lines[4].replace(/^Pod /, '') });
  }
  await page.mouse.move(0, 0);
  return rows;
}

/** Chooses an option and waits for the view to fetch again with it. */
async function choose(action: () => Promise<unknown>): Promise<void> {
  const before = await fetches();
  await action();
  await expect.poll(fetches, { timeout: 15_000 }).toBeGreaterThan(before);
  await expect.poll(() => page.getByText('loading…', { exact: true }).count(), { timeout: 15_000 }).toBe(0);
}

beforeAll(async () => {
  env = await startMetricsE2E();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${env.console.consoleUrl}#/gpus`);
  await page.getByTestId('gpu-heatmap-cells').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

describe('GPU view controls', () => {
  it('Sort by mean puts the busiest GPUs first, in the groups Prometheus averages say', async () => {
    await expect.poll(foot, { timeout: 20_000 }).toMatch(/of 8 GPUs in 2 nodes/);
    const byName = await shownRows();
    await choose(() => page.getByLabel('Sort rows').selectOption('mean'));
    const bySort = await shownRows();
    // The range on screen is the last hour: the same window's mean, per GPU, from Prometheus.
    const means = new Map((await prometheus('avg_over_time(DCGM_FI_DEV_GPU_UTIL[1h])')).map((s) => [s.metric.UUID, Number(s.value[1])]));
    expect(means.size).toBe(8);
    const mean = (r: ShownRow) => means.get(r.uuid) ?? NaN;
    expect(new Set(bySort.map((r) => r.uuid))).toEqual(new Set(means.keys()));
    // Rows stay with their node; within a node, and from node to node by their busiest GPU, the
    // means fall (1 point of slack: the view averaged a moment earlier).
    const node = (r: ShownRow) => r.gpu.split(' · ')[0];
    const groups = bySort.reduce<ShownRow[][]>((acc, r) => (acc.at(-1) && node(acc.at(-1)![0]) === node(r) ? acc.at(-1)!.push(r) : acc.push([r]), acc), []);
    expect(groups.map((g) => node(g[0]))).toEqual([...new Set(bySort.map(node))]);
    for (const g of groups) for (let i = 1; i < g.length; i++) expect(mean(g[i])).toBeLessThanOrEqual(mean(g[i - 1]) + 1);
    for (let i = 1; i < groups.length; i++) expect(mean(groups[i][0])).toBeLessThanOrEqual(mean(groups[i - 1][0]) + 1);
    // And it is not the name order any more: gpu-node-2's GPUs run 40, 55, 70, 85 % by index.
    expect(bySort.map((r) => r.uuid)).not.toEqual(byName.map((r) => r.uuid));
    await screenshot(page, 'gpus-sorted-by-mean');
  });

  it('Group by namespace gathers the GPUs of each namespace (and the unallocated ones) that Prometheus lists', async () => {
    await choose(() => page.getByLabel('Group by').selectOption('namespace'));
    // DCGM writes the pod's namespace as namespace or exported_namespace; no label: not allocated.
    const series = await prometheus('DCGM_FI_DEV_GPU_UTIL');
    const expected = new Set(series.map((s) => s.metric.namespace ?? s.metric.exported_namespace ?? '(unallocated)'));
    await expect.poll(foot).toMatch(new RegExp(`of 8 GPUs in ${expected.size} groups`));
    const rows = await shownRows();
    const namespaceOf = (r: ShownRow) => (r.pod === 'not allocated' ? '(unallocated)' : r.pod.split('/')[0]);
    const order = rows.map(namespaceOf);
    // Each group's rows together, every namespace there.
    const runs = order.filter((ns, i) => ns !== order[i - 1]);
    expect(new Set(runs).size).toBe(runs.length);
    expect(new Set(runs)).toEqual(expected);
    // Each GPU's pod as Prometheus labels it.
    const podOf = new Map(series.map((s) => [s.metric.UUID, s.metric.pod ?? s.metric.exported_pod]));
    for (const r of rows) expect(r.pod === 'not allocated' ? undefined : r.pod.split('/')[1]).toBe(podOf.get(r.uuid));
    await choose(() => page.getByLabel('Group by').selectOption('node'));
    await expect.poll(foot).toMatch(/of 8 GPUs in 2 nodes/);
  });

  it('Temperature shows each GPU in °C as Prometheus has it; a metric the exporter lacks says so', async () => {
    await choose(() => page.getByRole('radio', { name: 'Temperature' }).click());
    expect(await page.getByRole('radio', { name: 'Temperature' }).getAttribute('aria-checked')).toBe('true');
    const temps = new Map((await prometheus('DCGM_FI_DEV_GPU_TEMP')).map((s) => [s.metric.UUID, Number(s.value[1])]));
    const rows = await shownRows();
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r.value).toBe(`Temperature: ${temps.get(r.uuid)} °C`);
    // The hottest one is the one the callouts name.
    expect(Math.max(...temps.values())).toBe(93);
    await screenshot(page, 'gpus-temperature', { docs: true });

    // No power series in this Prometheus: the view says there is nothing, not the last metric's rows.
    expect(await prometheus('DCGM_FI_DEV_POWER_USAGE')).toEqual([]);
    await choose(() => page.getByRole('radio', { name: 'Power' }).click());
    await expect.poll(() => page.getByText(/No DCGM exporter series in this range/).count()).toBe(1);
    await expect.poll(foot).toMatch(/of 0 GPUs/);
    await choose(() => page.getByRole('radio', { name: 'Utilization' }).click());
    await expect.poll(foot).toMatch(/of 8 GPUs/);
  });
});
