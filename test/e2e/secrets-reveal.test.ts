// The details panel's secret values in Chromium: a deployment's env literals show redacted in the YAML
// and in the "Env values" list; Reveal shows one (console link), and is turned off on the read-only
// link. Screenshot: test-results/screenshots/topology-secret-reveal.png.
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
const NAME = 'vault-client';
const DB_PASSWORD = 'e2e-pw-Hq42zz';
const HF_TOKEN = 'hf_e2e_tok_Xp09';

let fleet: DemoFleet;
let running: RunningConsole;
let browser: Browser;
let dir: string;

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${NAME}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${NAME}}}
  template:
    metadata: {labels: {app: ${NAME}}}
    spec:
      containers:
      - name: api
        image: vault-client:1
        env:
        - {name: DB_PASSWORD, value: "${DB_PASSWORD}"}
        - {name: HF_TOKEN, value: "${HF_TOKEN}"}
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-secrets-e2e-'));
  fleet = await startDemoFleet({ nodes: 2, pods: 6, seed: 5, prometheus: false });
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);
  const child = run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'demo-admin', 'apply', '-f', '-'], { env: { ...process.env, HOME: dir } });
  child.child.stdin?.end(manifest);
  await child;
  running = await startConsole({ args: ['--kubeconfig', kubeconfig] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openDeploymentYaml(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${url}#/topology`);
  await page.getByTestId('view-topology').waitFor();
  const option = page.getByRole('option').filter({ hasText: NAME });
  await expect
    .poll(async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('/');
      await page.keyboard.type(NAME);
      return option.count();
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await option.first().dispatchEvent('mousedown');
  const panel = page.getByTestId('details-panel');
  await panel.getByRole('button', { name: 'Show YAML' }).click();
  await panel.getByTestId('secret-values').waitFor();
  return page;
}

describe('secret values in the details panel', () => {
  it('shows env literals redacted, and reveals one on request with the console link', async () => {
    const page = await openDeploymentYaml(running.consoleUrl);
    const panel = page.getByTestId('details-panel');
    const values = panel.getByTestId('secret-values');
    await expect.poll(() => values.getByRole('listitem').count()).toBe(2);
    expect(await panel.textContent()).not.toContain(DB_PASSWORD);
    expect(await panel.locator('pre.yaml').textContent()).toMatch(/value: "?<redacted: 13 chars #[0-9a-f]{6}>/);
    await values.getByRole('listitem').filter({ hasText: 'DB_PASSWORD' }).getByRole('button', { name: 'Reveal' }).click();
    await values.getByText(DB_PASSWORD).waitFor();
    expect(await values.textContent()).not.toContain(HF_TOKEN); // only the one asked for
    await values.scrollIntoViewIfNeeded();
    await screenshot(page, 'topology-secret-reveal');
    await page.close();
  });

  it('turns Reveal off on the read-only link', async () => {
    const page = await openDeploymentYaml(running.readonlyUrl);
    const reveal = page.getByTestId('secret-values').getByRole('button', { name: 'Reveal' }).first();
    await reveal.waitFor();
    expect(await reveal.isDisabled()).toBe(true);
    expect(await page.getByTestId('details-panel').textContent()).not.toContain(DB_PASSWORD);
    await page.close();
  });
});
