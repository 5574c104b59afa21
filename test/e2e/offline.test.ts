// An outage as a user sees it in Chromium: the connection indicator and the topology banner say
// "reconnecting" while the cluster is unreachable and clear when it is back; a console started while
// the cluster is down opens its last snapshot read-only, marked "offline — as of"; a lost link to
// the Flightdeck server itself is said too. The cluster goes down through a TCP proxy (refused
// connections, cut streams); what the tables show is compared with the demo fleet's own API.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { startProxy, type Proxy } from '../integration/clusters-fixture.js';

const run = promisify(execFile);
let fleet: DemoFleet;
let proxy: Proxy;
let running: RunningConsole | undefined;
let browser: Browser;
let dir: string;
let dataDir: string;
let direct: string;
let viaProxy: string;

/** The fleet's pods as its API lists them, straight (not through the proxy, not through the console). */
async function fleetPods(): Promise<string[]> {
  const { stdout } = await run('kubectl', ['--kubeconfig', direct, '--context', 'demo-admin', 'get', 'pods', '-A', '-o', 'name'], { env: { ...process.env, HOME: dir } });
  return stdout.split('\n').filter(Boolean);
}

async function openPodsTable(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${url}#/topology`);
  await page.getByTestId('view-topology').waitFor();
  await page.getByRole('tab', { name: 'Pods' }).click();
  return page;
}

/** The proxy's state, so a failed test leaves the cluster reachable for the next one. */
let clusterDown = false;
const clusterGoesDown = async () => {
  await proxy.down();
  clusterDown = true;
};
const clusterUp = async () => {
  await proxy.up();
  clusterDown = false;
};

const status = (page: Page) => page.getByTestId('connection-status');
/** The indicator as a user sees it: its color (tone) and its words, read together. */
const indicator = async (page: Page) => `${((await status(page).getAttribute('class')) ?? '').replace('status-indicator ', '')} ${(await status(page).textContent()) ?? ''}`;
const rowCount = async (page: Page) => Number(await page.getByTestId('table-pods').getAttribute('aria-rowcount'));

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, pods: 12, seed: 7, prometheus: false });
  proxy = await startProxy(Number(new URL(fleet.apiUrl).port));
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-offline-e2e-'));
  dataDir = join(dir, 'data');
  direct = join(dir, 'direct.yaml');
  writeFileSync(direct, fleet.kubeconfig);
  const config = YAML.parse(fleet.kubeconfig) as { clusters: { cluster: Record<string, unknown> }[] };
  for (const c of config.clusters) c.cluster.server = `https://127.0.0.1:${proxy.port}`;
  viaProxy = join(dir, 'via-proxy.yaml');
  writeFileSync(viaProxy, YAML.stringify(config));
  running = await startConsole({ args: ['--kubeconfig', viaProxy], dataDir });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await proxy?.close();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('offline banner and connection indicator', () => {
  it('says "reconnecting" in the indicator and the banner during an outage, and "live" again after it', async () => {
    const page = await openPodsTable(running!.consoleUrl);
    await expect.poll(() => indicator(page), { timeout: 20_000 }).toBe('tone-ok live');
    const pods = await fleetPods();
    expect(pods.length).toBeGreaterThan(0);
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(pods.length);
    expect(await page.getByTestId('topology-stale').count()).toBe(0);

    await clusterGoesDown();
    await expect.poll(() => indicator(page), { timeout: 20_000 }).toMatch(/^tone-warning degraded · since \d+s$/);
    // The tooltip names the context and why.
    await expect.poll(() => status(page).getAttribute('title')).toMatch(/^demo-admin: degraded — reconnecting — .+ \(since .+\)$/);
    const banner = page.getByTestId('topology-stale');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toMatch(/^reconnecting — .+ \(since .+\)$/);
    // The rows stay, marked stale: the last known state, not an empty table.
    expect(await rowCount(page)).toBe(pods.length);
    await page.getByTestId('table-stale').waitFor();
    await screenshot(page, 'offline-reconnecting', { docs: true });

    await clusterUp();
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('live');
    await expect.poll(() => page.getByTestId('topology-stale').count(), { timeout: 10_000 }).toBe(0);
    await page.close();
  }, 60_000);

  it('opens the last snapshot read-only, marked "offline — as of", when the cluster is down at start; live data replaces it when the cluster is back', async () => {
    const before = await fleetPods();
    await running!.stop();
    running = undefined;
    // The console writes its snapshot while live and again on the way out.
    expect(readdirSync(join(dataDir, 'snapshots')).length).toBeGreaterThan(0);

    await clusterGoesDown();
    try {
      // The fleet changes while the console cannot see it: the snapshot must not pretend to know.
      await run('kubectl', ['--kubeconfig', direct, '--context', 'demo-admin', 'run', 'born-offline', '--image=busybox:1.36', '--restart=Never'], { env: { ...process.env, HOME: dir } });
      const after = await fleetPods();
      expect(after).toContain('pod/born-offline');

      running = await startConsole({ args: ['--kubeconfig', viaProxy], dataDir });
      const page = await openPodsTable(running.consoleUrl);
      const banner = page.getByTestId('topology-stale');
      // First the connection's reason, then (with the topology's first delta) the snapshot's time alone.
      await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toMatch(/^offline — as of .+ \(read-only snapshot\)$/);
      await expect.poll(() => indicator(page), { timeout: 10_000 }).toMatch(/^tone-failing offline · since \d+s$/);
      // The snapshot's pods: the fleet as it was when the console last saw it.
      await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(before.length);
      await screenshot(page, 'offline-snapshot', { docs: true });

      await clusterUp();
      await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('live');
      await expect.poll(() => page.getByTestId('topology-stale').count(), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(after.length);
      await page.close();
    } finally {
      // The next test needs the cluster reachable, whatever failed here.
      if (clusterDown) await clusterUp();
    }
  }, 90_000);

  it('says when the link to the Flightdeck server itself is lost', async () => {
    const page = await openPodsTable(running!.consoleUrl);
    await expect.poll(() => status(page).textContent(), { timeout: 20_000 }).toBe('live');
    await running!.stop();
    running = undefined;
    await expect.poll(() => indicator(page), { timeout: 15_000 }).toMatch(/^tone-failing server link lost \d+s ago$/);
    expect(await status(page).getAttribute('title')).toBe('lost the connection to the Flightdeck server; reconnecting');
    // The age counts on: the user sees how long the view has been frozen.
    const age = async () => Number(/(\d+)s ago/.exec((await status(page).textContent()) ?? '')?.[1]);
    const first = await age();
    await expect.poll(age, { timeout: 5_000 }).toBeGreaterThan(first);
    await page.close();
  }, 45_000);
});
