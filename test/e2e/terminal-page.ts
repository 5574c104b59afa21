// Driving the Terminal view in Chromium for the terminal e2e tests and the terminal bench: open a
// local or a pod shell as a user does (buttons, the pod picker), type into a pane, and read what
// xterm holds through the view's window hook (__flightdeckTerminal).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import type { TerminalPaneInfo as PaneInfo } from '../../renderer/views/terminal/test-hook.js';
import { launchBrowser, startConsole, type RunningConsole } from './harness.js';

export interface TerminalEnv {
  dir: string;
  fleet: DemoFleet;
  console: RunningConsole;
  browser: Browser;
  /** On the Terminal view. */
  page: Page;
  stop(): Promise<void>;
}

/** The demo fleet, the console on its kubeconfig and Chromium on the Terminal view. */
export async function startTerminalEnv(options: { nodes: number; viewport: { width: number; height: number } }): Promise<TerminalEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-e2e-terminal-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  let fleet: DemoFleet | undefined;
  let console_: RunningConsole | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await console_?.stop();
    await fleet?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    fleet = await startDemoFleet({ kubeconfigOut: kubeconfig, nodes: options.nodes, log: () => undefined });
    console_ = await startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: options.viewport });
    await page.goto(console_.consoleUrl);
    await gotoTerminal(page);
    return { dir, fleet, console: console_, browser, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

type HookWindow = { __flightdeckTerminal?: { panes(): PaneInfo[]; text(id: string, lastLines?: number): string; cells(id: string, pattern: string): string[] | undefined } };

export const panes = (page: Page): Promise<PaneInfo[]> => page.evaluate(() => (window as unknown as HookWindow).__flightdeckTerminal?.panes() ?? []);

export const paneText = (page: Page, id: string, lastLines?: number): Promise<string> =>
  page.evaluate(([paneId, n]) => (window as unknown as HookWindow).__flightdeckTerminal?.text(paneId as string, n as number | undefined) ?? '', [id, lastLines] as const);

export const paneCells = (page: Page, id: string, pattern: string): Promise<string[] | undefined> =>
  page.evaluate(([paneId, p]) => (window as unknown as HookWindow).__flightdeckTerminal?.cells(paneId, p), [id, pattern] as const);

/** Polls until `test` holds for the pane's text (returned), or fails naming what the pane shows. */
export async function waitForText(page: Page, id: string, test: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await paneText(page, id);
    if (test.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`pane ${id} never showed ${test}; it shows:\n${text.split('\n').slice(-30).join('\n')}`);
}

/** Waits for the pane's `data-status` (connecting, open, exited, dropped, error). */
export async function waitForStatus(page: Page, id: string, status: string, timeoutMs = 20_000): Promise<void> {
  await page.locator(`[data-pane="${id}"][data-status="${status}"]`).waitFor({ timeout: timeoutMs });
}

/** The id of the pane that appeared after `before` (the ids the hook listed earlier). */
export async function newPane(page: Page, before: string[]): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const fresh = (await panes(page)).find((p) => !before.includes(p.id));
    if (fresh) return fresh.id;
    await page.waitForTimeout(50);
  }
  throw new Error('no new terminal pane appeared');
}

export async function gotoTerminal(page: Page): Promise<void> {
  await page.evaluate("window.location.hash = '#/terminal'");
  await page.getByTestId('view-terminal').waitFor();
  await page.getByRole('button', { name: '+ Local shell' }).waitFor();
}

const ids = async (page: Page) => (await panes(page)).map((p) => p.id);

/** Opens a local shell in a new tab (or beside the active pane with `split`) and waits until it runs. */
export async function openLocalShell(page: Page, options: { split?: boolean } = {}): Promise<string> {
  const before = await ids(page);
  await page.getByRole('button', { name: options.split ? 'Split: local' : '+ Local shell' }).click();
  const id = await newPane(page, before);
  await waitForStatus(page, id, 'open');
  return id;
}

/** Opens a pod shell through the pod picker and waits until it runs. */
export async function openPodShell(page: Page, target: { namespace: string; pod: string; container?: string }, options: { split?: boolean } = {}): Promise<string> {
  const before = await ids(page);
  const picker = page.getByTestId('pod-picker');
  if (!(await picker.isVisible())) await page.getByRole('button', { name: options.split ? 'Split: pod…' : '+ Pod shell…' }).click();
  await picker.getByLabel('Namespace', { exact: true }).selectOption(target.namespace);
  await picker.getByLabel('Filter pods', { exact: true }).fill(target.pod);
  await picker.getByLabel('Pod', { exact: true }).selectOption(target.pod);
  await picker.getByRole('button', { name: 'Open shell' }).waitFor();
  const open = picker.getByRole('button', { name: 'Open shell' });
  // The container list loads after the pod is chosen; the button waits for it.
  for (let i = 0; i < 200 && !(await open.isEnabled()); i++) await page.waitForTimeout(50);
  if (target.container) await picker.getByLabel('Container', { exact: true }).selectOption(target.container);
  await open.click();
  const id = await newPane(page, before);
  await waitForStatus(page, id, 'open');
  return id;
}

/** Types a line into the pane (focused by a click, as a user does) and presses Enter. */
export async function typeLine(page: Page, id: string, line: string): Promise<void> {
  await page.locator(`[data-pane="${id}"] .term-box`).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** A running GPU pod in `namespace`, from the console's own pods table (resources.list). */
export async function gpuPod(baseUrl: string, token: string, context: string, namespace: string): Promise<{ pod: string; pods: string[] }> {
  // The context's caches fill on first use: ask until its pods are there.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/call/resources.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ context, table: 'pods' }),
    });
    const body = (await res.json()) as { columns: string[]; rows: Array<Array<string | number>> };
    const col = (name: string) => body.columns.indexOf(name);
    const rows = body.rows.filter((r) => r[col('namespace')] === namespace);
    const gpu = rows.find((r) => r[col('phase')] === 'Running' && Number(r[col('gpus')]) > 0);
    if (gpu) return { pod: String(gpu[col('name')]), pods: rows.map((r) => String(r[col('name')])) };
    if (Date.now() > deadline) throw new Error(`no running GPU pod in ${namespace} (${rows.length} pods)`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
