// Issue 14 in Chromium on the demo fleet: a shell in a demo GPU pod runs nvidia-smi, a local shell
// beside it runs kubectl against the same fleet, the terminal keeps its keys from the console's
// shortcuts, search finds text in the scrollback, an exited shell restarts, a dropped exec socket
// offers Reconnect (a new session, said so), Topology's pod details and a runbook step naming a pod
// open a shell, and a read-only screen gets no terminal. The 5-minute idle test is terminal-idle.long.test.ts (npm run test:long).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoFleet } from '../../electron/demo/index.js';
import { requireTool } from '../require-tool.js';
import { screenshot, type RunningConsole } from './harness.js';
import { gpuPod, newPane, openLocalShell, openPodShell, paneCells, panes, paneText, startTerminalEnv, typeLine, waitForStatus, waitForText, type TerminalEnv } from './terminal-page.js';

const CONTEXT = 'demo-admin';
let env: TerminalEnv | undefined;
let dir: string;
let fleet: DemoFleet;
let console_: RunningConsole;
let browser: Browser;
let page: Page;
let gpu: { pod: string; pods: string[] };
let podPane = '';
let localPane = '';

beforeAll(async () => {
  requireTool('kubectl', 'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/) and put it on PATH');
  env = await startTerminalEnv({ nodes: 4, viewport: { width: 1600, height: 900 } });
  ({ dir, fleet, console: console_, browser, page } = env);
  gpu = await gpuPod(console_.baseUrl, console_.consoleToken, CONTEXT, 'inference');
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

/** A button elsewhere opened a pod shell: the Terminal view shows it, running in that pod. */
async function shellRuns(before: string[], pod: string): Promise<void> {
  await page.getByTestId('view-terminal').waitFor();
  const id = await newPane(page, before);
  await waitForStatus(page, id, 'open');
  await typeLine(page, id, 'hostname');
  await waitForText(page, id, new RegExp(`^${pod}$`, 'm'));
}

describe('terminal (issue 14)', () => {
  it('opens a shell in a demo GPU pod from the pod picker and shows nvidia-smi’s table', async () => {
    podPane = await openPodShell(page, { namespace: 'inference', pod: gpu.pod });
    const [info] = await panes(page);
    // Wide enough for nvidia-smi's 89 columns: the fit addon sized the remote TTY to the pane.
    expect(info.cols).toBeGreaterThanOrEqual(100);
    // ...and the remote TTY has that size (the demo shell's stty reports what resizes set).
    await typeLine(page, podPane, 'stty size');
    await waitForText(page, podPane, new RegExp(`^${info.rows} ${info.cols}$`, 'm'));
    await typeLine(page, podPane, 'nvidia-smi');
    const text = await waitForText(page, podPane, /Processes:[\s\S]*\+-{20,}/);
    expect(text).toMatch(/^\| NVIDIA-SMI [\d.]+ +Driver Version: [\d.]+ +CUDA Version: [\d.]+ +\|$/m);
    expect(text).toMatch(/^\| GPU {2}Name {17}Persistence-M \| Bus-Id {8}Disp\.A \| Volatile Uncorr\. ECC \|$/m);
    expect(text).toMatch(/^\| +0 {2}NVIDIA /m);
    expect(await page.getByTestId('terminal-pane').first().getAttribute('aria-label')).toContain(gpu.pod);
    await screenshot(page, 'terminal-pod-nvidia-smi', { docs: true });
  }, 60_000);

  it('a local shell split beside it runs kubectl against the demo fleet: get pods -n inference lists its pods', async () => {
    // Wide enough that each half still holds nvidia-smi's 89 columns (the docs picture).
    await page.setViewportSize({ width: 1920, height: 1000 });
    await expect.poll(async () => (await panes(page))[0].cols).toBeGreaterThan(200);
    const wide = (await panes(page))[0].cols;
    localPane = await openLocalShell(page, { split: true });
    expect(await page.getByTestId('terminal-pane').count()).toBe(2);
    // The pod pane got narrower: the resize reached the pod's TTY.
    await expect.poll(async () => (await panes(page)).find((p) => p.id === podPane)!.cols).toBeLessThan(wide * 0.7);
    const narrow = (await panes(page)).find((p) => p.id === podPane)!;
    await typeLine(page, podPane, 'stty size');
    await waitForText(page, podPane, new RegExp(`^${narrow.rows} ${narrow.cols}$`, 'm'));
    await typeLine(page, localPane, 'kubectl get pods -n inference');
    const text = await waitForText(page, localPane, new RegExp(`^${gpu.pod}\\s+\\d+/\\d+\\s+Running`, 'm'));
    expect(text).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    for (const pod of gpu.pods.slice(0, 5)) expect(text).toContain(pod);
    await typeLine(page, localPane, 'kubectl config current-context');
    await waitForText(page, localPane, new RegExp(`^${CONTEXT}$`, 'm'));
    await page.locator(`[data-pane="${podPane}"] .term-box`).click();
    await screenshot(page, 'terminal-split', { docs: true });
  }, 60_000);

  it('keeps Ctrl+K and g for the shell; Ctrl+Shift+K is the way out to the palette; Ctrl+Shift+F searches the scrollback', async () => {
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await typeLine(page, localPane, 'echo one');
    await page.keyboard.type('echo gone');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+k'); // bash: kill to the end of the line
    await page.keyboard.type('g');
    await page.keyboard.type('t'); // "g t" would jump to Topology outside a terminal
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('echo kept-$((40+2))');
    await page.keyboard.press('Enter');
    await waitForText(page, localPane, /^kept-42$/m);
    expect(await palette.count()).toBe(0);
    expect(page.url()).toContain('#/terminal');
    expect(await paneText(page, localPane)).not.toMatch(/^gone$/m);

    await page.keyboard.press('Control+Shift+F');
    const search = page.getByTestId('terminal-search');
    await search.getByLabel('Find in terminal').fill('kept-42');
    await expect.poll(() => search.getByTestId('terminal-search-count').textContent()).toMatch(/^\d+ of [1-9]\d*$/);
    await search.getByRole('button', { name: 'Close search' }).click();

    await page.locator(`[data-pane="${localPane}"] .term-box`).click();
    await page.keyboard.press('Control+Shift+K');
    await palette.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => palette.count()).toBe(0);
  }, 60_000);

  it('Unicode 11 widths (an emoji of Unicode 9 takes two cells); copy a selection and paste with Ctrl+Shift+V', async () => {
    expect((await panes(page)).find((p) => p.id === localPane)!.unicode).toBe('11');
    await typeLine(page, localPane, "printf 'w=\\360\\237\\244\\243|\\n'");
    await expect.poll(() => paneCells(page, localPane, 'w=\u{1F923}|')).toEqual(['w', '=', '\u{1F923}', '', '|']);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: console_.baseUrl });
    await typeLine(page, localPane, 'echo copy-me-$((100+23))');
    await waitForText(page, localPane, /^copy-me-123$/m);
    // A double-click selects the word; a selection is copied (and Ctrl+Shift+C copies it again).
    const row = page.locator(`[data-pane="${localPane}"] .xterm-rows > div`, { hasText: /^copy-me-123\s*$/ }).last();
    const box = (await row.boundingBox())!;
    await page.mouse.dblclick(box.x + 15, box.y + box.height / 2);
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-123');
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((2+3))'));
    await page.locator(`[data-pane="${localPane}"] .term-box`).click();
    await page.keyboard.press('Control+Shift+V');
    await waitForText(page, localPane, /echo pasted-\$\(\(2\+3\)\)$/);
    await page.keyboard.press('Enter');
    await waitForText(page, localPane, /^pasted-5$/m);
  }, 60_000);

  it('an exited shell says its exit code and restarts as a new session', async () => {
    await typeLine(page, localPane, 'exit 3');
    await waitForStatus(page, localPane, 'exited');
    const banner = page.locator(`[data-pane="${localPane}"]`).getByTestId('terminal-exited');
    expect(await banner.textContent()).toMatch(/exited with code 3/);
    await banner.getByRole('button', { name: 'Restart' }).click();
    await waitForStatus(page, localPane, 'open');
    await typeLine(page, localPane, 'echo again-$((1+1))');
    await waitForText(page, localPane, /^again-2$/m);
  }, 60_000);

  it('a dropped exec socket shows Reconnect; reconnecting opens a new session and says so', async () => {
    // The demo API server restarting cuts every exec WebSocket, as a lost connection to a node does.
    await fleet.restart();
    await waitForStatus(page, podPane, 'dropped', 30_000);
    const banner = page.locator(`[data-pane="${podPane}"]`).getByTestId('terminal-dropped');
    expect(await banner.textContent()).toMatch(/cannot be resumed/);
    await screenshot(page, 'terminal-dropped');
    await banner.getByRole('button', { name: 'Reconnect' }).click();
    await waitForStatus(page, podPane, 'open', 30_000);
    expect((await panes(page)).find((p) => p.id === podPane)?.sessions).toBe(2);
    await waitForText(page, podPane, /a pod shell cannot be resumed; this is a new session/);
    await typeLine(page, podPane, 'echo marker-after-reconnect');
    await waitForText(page, podPane, /^marker-after-reconnect$/m);
  }, 90_000);

  it("opens a pod shell from Topology's pod details (the Shell button)", async () => {
    await page.evaluate("window.location.hash = '#/topology'");
    await page.getByRole('tab', { name: 'Pods' }).click();
    const table = page.getByTestId('table-pods');
    await table.waitFor();
    await page.getByLabel('Filter the table').fill(gpu.pod);
    await expect.poll(() => table.getByRole('row').count(), { timeout: 15_000 }).toBe(2);
    await table.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const before = (await panes(page)).map((p) => p.id);
    await page.getByTestId('details-panel').getByRole('button', { name: 'Shell', exact: true }).click();
    await shellRuns(before, gpu.pod);
    // The shells opened before are still there, with their scrollback.
    expect(await paneText(page, localPane)).toMatch(/^again-2$/m);
  }, 60_000);

  it('a runbook step that names a pod offers "Shell in pod"; a run offers a local shell in its context', async () => {
    const books = join(dir, 'books');
    mkdirSync(books);
    writeFileSync(join(books, 'gpu-check.md'), `---\ntitle: GPU check\n---\n\`\`\`kubectl {"name":"smi"}\nexec -n inference ${gpu.pod} -- nvidia-smi\n\`\`\`\n`);
    const res = await fetch(`${console_.baseUrl}/api/v1/call/runbooks.addFolder`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${console_.consoleToken}` },
      body: JSON.stringify({ path: books }),
    });
    expect(res.ok).toBe(true);
    await page.reload();
    await page.evaluate("window.location.hash = '#/runbooks?open=gpu-check'");
    await page.getByRole('button', { name: /^Start run in demo-admin/ }).click();
    const before = (await panes(page)).map((p) => p.id);
    await page.getByTestId('step-smi').getByRole('button', { name: 'Shell in pod' }).click();
    await shellRuns(before, gpu.pod);
    await page.evaluate("window.location.hash = '#/runbooks'");
    await page.getByTestId('run-header').getByRole('button', { name: 'Local shell' }).click();
    await page.getByTestId('view-terminal').waitFor();
    await expect.poll(async () => (await panes(page)).filter((p) => p.kind === 'local' && p.status === 'open').length).toBe(1);
  }, 60_000);

  it('a read-only screen gets no terminal and says why', async () => {
    const ro = await browser.newPage();
    await ro.goto(console_.readonlyUrl);
    await ro.evaluate("window.location.hash = '#/terminal'");
    expect(await ro.getByTestId('terminal-readonly').textContent()).toMatch(/read-only screen/);
    expect(await ro.getByRole('button', { name: '+ Local shell' }).count()).toBe(0);
    await ro.close();
  }, 30_000);
});
