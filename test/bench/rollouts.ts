// Rollouts benchmark (issues 7, 16): prepare and execute latency (p50/p95) for 100 actions through
// the action road over HTTP against the demo fleet, and the rollouts view with 2,000 workloads in
// Chromium, timed from navigation (page.goto right after the console printed its URL, so the
// context's caches sync inside the timer) until the count shows every workload.
// Prints `rollouts.<metric> <value> <unit>` and `target ...` lines. BENCH_WORKLOADS / BENCH_ACTIONS
// shrink it for a smoke run.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDemoFleet } from '../../electron/demo/index.js';
import { createApp } from '../../electron/core/app.js';
import { startHttpTransport } from '../../electron/transport/http.js';
import { launchBrowser, screenshot, startConsole } from '../e2e/harness.js';
import { kubeClient } from './_kube-client.js';
import { percentile } from './_percentile.js';

/** The page's document, typed just enough for the in-page probes (this side has no DOM lib). */
type PageDoc = { document: { querySelector(selector: string): { textContent: string | null } | null } };

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 100);
const WORKLOADS = Number(process.env.BENCH_WORKLOADS ?? 2000);
const run = promisify(execFile);

const print = (metric: string, value: number, unit: string, target?: string) => {
  console.log(`rollouts.${metric} ${Number(value.toFixed(1))} ${unit}`);
  if (target) console.log(`target ${metric} ${target}`);
};

const dir = mkdtempSync(join(tmpdir(), 'fd-bench-rollouts-'));
const kubeconfig = join(dir, 'kubeconfig.yaml');
const fleet = await startDemoFleet({ speed: 10, kubeconfigOut: kubeconfig });
const kubectl = async (args: string[], input?: string) => {
  const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } });
  if (input !== undefined) {
    child.child.stdin?.write(input);
    child.child.stdin?.end();
  }
  return (await child).stdout;
};

try {
  if (!(await kubectl(['get', 'nodes', '-o', 'name'])).trim()) {
    await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: {name: bench-node-1}\n');
    const status = { capacity: { cpu: '256', memory: '1Ti', pods: '500' }, allocatable: { cpu: '256', memory: '1Ti', pods: '500' }, conditions: [{ type: 'Ready', status: 'True' }] };
    await kubectl(['patch', 'node', 'bench-node-1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
  }
  await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n');
  await kubectl(
    ['apply', '-f', '-'],
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: bench-web, namespace: bench}
spec:
  replicas: 1
  selector: {matchLabels: {app: bench-web}}
  template:
    metadata: {labels: {app: bench-web}}
    spec: {containers: [{name: web, image: "nginx:1.25"}]}
`,
  );

  // 1. The road: prepare + execute, 100 scale actions (1 <-> 2 replicas), over HTTP as the UI does.
  const app = await createApp({ mode: 'browser', dataDir: join(dir, 'road'), kubeconfig: { explicitPath: kubeconfig }, demo: false, version: 'bench', log: () => undefined });
  const http = await startHttpTransport({ server: app.server, port: 0 });
  const call = async (method: string, body: unknown) => {
    const res = await fetch(`${http.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${http.consoleToken}` }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${method}: ${JSON.stringify(json)}`);
    return json;
  };
  const prepare: number[] = [];
  const execute: number[] = [];
  for (let i = 0; i < ACTIONS; i++) {
    const t0 = performance.now();
    const plan = await call('actions.prepare', { context: 'demo-admin', target: { kind: 'Deployment', namespace: 'bench', name: 'bench-web' }, action: 'scale', params: { replicas: 1 + ((i + 1) % 2) } });
    const t1 = performance.now();
    await call('actions.execute', { token: plan.token });
    execute.push(performance.now() - t1);
    prepare.push(t1 - t0);
  }
  print('prepare_p50_ms', percentile(prepare, 50), 'ms');
  print('prepare_p95_ms', percentile(prepare, 95), 'ms', '<= 150');
  print('execute_p50_ms', percentile(execute, 50), 'ms');
  print('execute_p95_ms', percentile(execute, 95), 'ms', '<= 300');
  await http.close();
  await app.stop();

  // 2. The view with 2,000 workloads, in Chromium against the built console (`npm run build` first).
  // Created through the API (as any client would), 16 requests in flight.
  const client = kubeClient(fleet, 16);
  const existing = (await kubectl(['get', 'deployments,statefulsets,rollouts.argoproj.io', '-A', '-o', 'name'])).split('\n').filter(Boolean).length;
  const names = Array.from({ length: Math.max(0, WORKLOADS - existing) }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
  const createOne = (name: string, i: number) =>
    client.ok('POST', '/apis/apps/v1/namespaces/bench/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'bench', annotations: { 'flightdeck.dev/model-name': `model-${i % 17}`, 'flightdeck.dev/model-version': String(i % 5) } },
      spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'srv', image: `registry.local/${name}:1.${i % 9}` }] } } },
    });
  for (let i = 0; i < names.length; i += 16) await Promise.all(names.slice(i, i + 16).map((n, j) => createOne(n, i + j)));
  client.close();
  const total = (await kubectl(['get', 'deployments,statefulsets,rollouts.argoproj.io', '-A', '-o', 'name'])).split('\n').filter(Boolean).length;
  const listOnce = async (running: { baseUrl: string; consoleToken: string }) => {
    const t = performance.now();
    const res = await fetch(`${running.baseUrl}/api/v1/call/rollouts.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` }, body: JSON.stringify({ context: 'demo-admin' }) });
    await res.json();
    return performance.now() - t;
  };
  // The browser is up before the console starts: the timer covers navigation, the console's cache
  // sync for the context and the list's first paint, not Chromium's launch.
  const browser = await launchBrowser();
  const console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'view') });
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
    const t0 = performance.now();
    await page.goto(`${console_.consoleUrl}#/rollouts`);
    await page
      .waitForFunction(
        (n) => /^([\d,]+) workloads/.exec((globalThis as unknown as PageDoc).document.querySelector('[data-testid="rollouts-count"]')?.textContent ?? '')?.[1]?.replace(/,/g, '') === String(n),
        total,
        { timeout: 120_000, polling: 'raf' },
      )
      .catch(async (error: Error) => {
        await screenshot(page, 'bench-rollouts-view-failed');
        throw new Error(`the view never showed ${total} workloads (it shows "${await page.getByTestId('rollouts-count').textContent().catch(() => 'nothing')}"): ${error.message}\n${console_.output().slice(-2000)}`);
      });
    print(`view_${WORKLOADS}_ms`, performance.now() - t0, 'ms', '<= 1500');
    const inPage = await page.getByTestId('rollouts-scroll').getAttribute('data-rendered-ms');
    print(`view_list_paint_${WORKLOADS}`, Number(inPage), 'ms');
    const rows = await page.locator('[data-testid^="workload-"]').count();
    print(`view_dom_rows_${WORKLOADS}`, rows, 'rows');
    // Filtering re-renders the whole list model: time to the new count on screen.
    const f0 = performance.now();
    await page.getByLabel('Filter workloads').fill('model-3');
    await page.waitForFunction(() => /of [\d,]+ workloads/.test((globalThis as unknown as PageDoc).document.querySelector('[data-testid="rollouts-count"]')?.textContent ?? ''), undefined, {
      timeout: 30_000,
      polling: 'raf',
    });
    print(`view_filter_${WORKLOADS}`, performance.now() - f0, 'ms');
    // Scrolling the virtualized list to the end and painting it.
    const s0 = performance.now();
    await page.getByTestId('rollouts-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    print(`view_scroll_end_${WORKLOADS}`, performance.now() - s0, 'ms');
    print(`list_warm_${WORKLOADS}`, await listOnce(console_), 'ms');
  } finally {
    await browser.close();
    await console_.stop();
  }
  // The list call on a console that has not synced this context yet.
  const fresh = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'list') });
  try {
    print(`list_cold_${WORKLOADS}`, await listOnce(fresh), 'ms');
  } finally {
    await fresh.stop();
  }
} finally {
  await fleet.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
