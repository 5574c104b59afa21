// Kubeconfig and cluster faults in Chromium: the context list says which contexts run an exec
// credential plugin and which skip TLS verification, the plugin runs only once its context is
// opened, and the resource tables mark cached rows stale while the cluster is unreachable.
// Screenshots go to docs/screenshots/clusters-*.png.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { seedSmallFleet, startProxy, type Proxy } from '../integration/clusters-fixture.js';

let fleet: DemoFleet;
let proxy: Proxy;
let running: RunningConsole;
let browser: Browser;
let page: Page;
let dir: string;
let runsLog: string;

const pluginRuns = () => (existsSync(runsLog) ? readFileSync(runsLog, 'utf8').trim().split('\n').filter(Boolean).length : 0);

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, pods: 12, seed: 5, prometheus: false });
  seedSmallFleet(fleet.store);
  proxy = await startProxy(Number(new URL(fleet.apiUrl).port));
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-clusters-e2e-'));
  runsLog = join(dir, 'runs.log');
  const plugin = join(dir, 'sso-token');
  writeFileSync(plugin, ['#!/bin/sh', `echo run >> '${runsLog}'`, `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${fleet.adminToken}"}}'`].join('\n'));
  chmodSync(plugin, 0o755);

  const demo = YAML.parse(fleet.kubeconfig) as { clusters: { name: string; cluster: Record<string, unknown> }[]; users: unknown[]; contexts: unknown[] };
  const server = `https://127.0.0.1:${proxy.port}`;
  demo.clusters[0].cluster.server = server;
  // A lab cluster reached without checking its certificate, with SSO credentials from a plugin.
  demo.clusters.push({ name: 'lab', cluster: { server, 'insecure-skip-tls-verify': true } });
  demo.users.push({ name: 'sso', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } });
  demo.contexts.push({ name: 'lab-sso', context: { cluster: 'lab', user: 'sso' } });
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, YAML.stringify(demo));

  running = await startConsole({ args: ['--kubeconfig', kubeconfig] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${running.consoleUrl}#/topology`);
  await page.getByTestId('view-topology').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await proxy?.close();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeconfig and cluster faults in the UI', () => {
  it('lists the exec plugin and the TLS warning, and runs the plugin only when its context is opened', async () => {
    const switcher = page.getByTestId('context-switcher');
    await expect.poll(() => switcher.locator('option').allTextContents()).toContainEqual(expect.stringMatching(/^lab-sso · exec: sso-token · ⚠ TLS not verified/));
    // Let the connection monitor probe a few rounds: the plugin must not run for an unopened context.
    await page.waitForTimeout(1_500);
    expect(pluginRuns()).toBe(0);
    // A native drop-down does not render in a screenshot: show the list as a list box for it.
    await switcher.evaluate((el) => el.setAttribute('size', '3'));
    await screenshot(page, 'clusters-context-list', { docs: true });
    await switcher.evaluate((el) => el.removeAttribute('size'));

    await switcher.selectOption('lab-sso');
    await page.getByTestId('context-insecure').waitFor();
    await expect.poll(() => page.getByTestId('context-exec').textContent()).toBe('exec: sso-token');
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 20_000 }).toBe('live');
    await screenshot(page, 'clusters-context-exec-insecure', { docs: true });
    expect(pluginRuns()).toBe(1);
  }, 60_000);

  it('marks the table rows stale while the cluster is unreachable, and clears the mark when it is back', async () => {
    await page.getByTestId('context-switcher').selectOption('demo-admin');
    await page.getByRole('tab', { name: 'Pods' }).click();
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 20_000 }).toBe('live');
    await expect.poll(() => page.getByTestId('table-pods').getAttribute('aria-rowcount')).not.toBe('0');
    expect(await page.getByTestId('table-stale').count()).toBe(0);

    await proxy.down();
    const marker = page.getByTestId('table-stale');
    await marker.waitFor({ timeout: 20_000 });
    expect(await marker.textContent()).toMatch(/^stale — cluster unreachable since \d\d:\d\d$/);
    expect(Number(await page.getByTestId('table-pods').getAttribute('aria-rowcount'))).toBeGreaterThan(0);
    await screenshot(page, 'clusters-stale-table', { docs: true });

    await page.getByRole('tab', { name: 'Events' }).click();
    await expect.poll(() => page.getByTestId('table-stale').textContent(), { timeout: 10_000 }).toMatch(/^stale — cluster unreachable since/);

    await proxy.up();
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 30_000 }).toBe('live');
    await expect.poll(() => page.getByTestId('table-stale').count(), { timeout: 10_000 }).toBe(0);
  }, 90_000);
});
