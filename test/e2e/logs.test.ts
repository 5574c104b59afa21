// The Logs view in Chromium on the demo fleet: follow a Deployment's logs (lines from each of its
// pods, prefixed and coloured per pod, stern-like), search them (count, highlight, next), pause
// and resume (the "N new lines" marker counts what came while paused), and open a pod's logs from
// Topology's details panel; Loki (a replay of its wire format: no Loki can be installed here): a
// LogQL range query's lines prefixed per stream, the label browser writing the selector, and a live
// tail that shows pushed entries and says when Loki dropped some. Screenshots: logs-follow,
// logs-search, logs-loki (docs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';
import { startLokiReplay, type LokiReplay } from '../support/loki-replay.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;
let loki: LokiReplay;

const held = async () => Number(await page.getByTestId('logs-held').getAttribute('data-held'));

beforeAll(async () => {
  running = await startConsole({ args: ['--demo', '--no-prometheus'], timeoutMs: 90_000 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(`${running.consoleUrl}#/logs`);
  await page.getByTestId('view-logs').waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await loki?.close();
});

const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const gateway = { namespace: 'inference', app: 'llm-gateway', pod: 'llm-gateway-7c9f-abcde', container: 'vllm' };
const embedder = { namespace: 'inference', app: 'embedder', pod: 'embedder-5d4-xyz12', container: 'tei' };

describe('logs view', () => {
  it('follows a Deployment: lines from each of its pods, each prefixed with its pod and container', async () => {
    const picker = page.getByTestId('logs-picker');
    await expect.poll(() => picker.getByLabel('Namespace').locator('option').allTextContents(), { timeout: 30_000 }).toContain('inference');
    await picker.getByLabel('Namespace').selectOption('inference');
    await picker.getByLabel('Target kind').selectOption('workload');
    await picker.getByLabel('Workload').selectOption('Deployment/llm-gateway');
    await expect.poll(() => page.getByTestId('logs-resolved').textContent(), { timeout: 15_000 }).toMatch(/^3 pods, 3 containers/);
    await page.getByTestId('logs-follow').click();

    await expect.poll(held, { timeout: 30_000 }).toBeGreaterThan(100);
    expect(await page.getByTestId('logs-status').textContent()).toBe('Following');
    await expect.poll(() => page.getByTestId('log-source').count(), { timeout: 15_000 }).toBe(3);
    // Stern-like prefixes: each pod's lines say which pod (and container) they came from, in its colour.
    const shown = await page.locator('.log-line .log-src').evaluateAll((els) => els.map((e) => [e.textContent ?? '', (e as HTMLElement).style.color]));
    for (const [p] of shown) expect(p).toMatch(/^llm-gateway-[a-z0-9]+-[a-z0-9]+\/vllm$/);
    // One colour per pod, none shared.
    const colourOf = new Map(shown.map(([p, c]) => [p, c]));
    expect(new Set(colourOf.values()).size).toBe(colourOf.size);
    expect(new Set(shown.map(([, c]) => c)).size).toBe(colourOf.size);
    // Lines from several pods are on screen (they interleave by arrival).
    await expect.poll(async () => new Set(await page.locator('.log-line .log-src').allTextContents()).size, { timeout: 20_000 }).toBeGreaterThan(1);
    // Level colouring: vLLM's INFO lines are read as info.
    expect(await page.locator('.log-line.lvl-info').count()).toBeGreaterThan(0);
    await screenshot(page, 'logs-follow', { docs: true });
  }, 90_000);

  it('searches held lines: a count, highlighted matches, next moves to the next matching line', async () => {
    await page.getByTestId('logs-search').fill('throughput');
    const count = page.getByTestId('logs-match-count');
    await expect.poll(() => count.textContent(), { timeout: 15_000 }).toMatch(/^1 \/ [\d,]+ lines$/);
    const total = Number(/\/ ([\d,]+) lines/.exec((await count.textContent()) ?? '')?.[1].replace(/,/g, ''));
    expect(total).toBeGreaterThan(10);
    // A matching line is on screen with its match highlighted.
    await expect.poll(() => page.locator('.log-line mark').count()).toBeGreaterThan(0);
    expect((await page.locator('.log-line mark').first().textContent())?.toLowerCase()).toBe('throughput');
    await page.getByTestId('logs-next').click();
    await expect.poll(() => count.textContent()).toMatch(/^2 \/ [\d,]+ lines$/);
    const current = page.locator('.log-line.current');
    await expect.poll(() => current.count()).toBe(1);
    expect(await current.locator('mark').count()).toBeGreaterThan(0);
    // Next pauses the follow (the view stays on the match).
    expect(await page.getByTestId('logs-status').textContent()).toBe('Paused');
    // Only matches: every line shown matches.
    await page.getByTestId('logs-filter').click();
    await expect.poll(async () => (await page.locator('.log-line .log-text').allTextContents()).every((t) => /throughput/i.test(t))).toBe(true);
    await screenshot(page, 'logs-search', { docs: true });
    await page.getByTestId('logs-filter').click();
    // An invalid regex is said plainly.
    await page.getByRole('button', { name: '.*' }).click();
    await page.getByTestId('logs-search').fill('Avg (prompt');
    await expect.poll(() => count.textContent()).toMatch(/^Invalid regular expression: /);
    await page.getByTestId('logs-search').fill('');
    await page.getByRole('button', { name: '.*' }).click();
  }, 60_000);

  it('pauses and resumes: the marker counts the lines that came while paused, resume jumps to them', async () => {
    const pause = page.getByTestId('logs-pause');
    if ((await pause.textContent())?.includes('Resume')) await pause.click();
    await expect.poll(() => page.getByTestId('logs-status').textContent()).toBe('Following');
    await pause.click();
    expect(await page.getByTestId('logs-status').textContent()).toBe('Paused');
    const top = await page.getByTestId('log-scroll').getAttribute('data-top-line');
    const marker = page.getByTestId('logs-new-lines');
    await expect.poll(async () => Number((await marker.getAttribute('data-count').catch(() => null)) ?? 0), { timeout: 30_000 }).toBeGreaterThan(1);
    // Paused, what is on screen stays put while lines arrive.
    expect(await page.getByTestId('log-scroll').getAttribute('data-top-line')).toBe(top);
    expect(await marker.textContent()).toMatch(/^▼ [\d,]+ new lines — Resume$/);
    await marker.click();
    await expect.poll(() => page.getByTestId('logs-status').textContent()).toBe('Following');
    expect(await marker.count()).toBe(0);
    // Following again: the newest held line is on screen.
    await expect
      .poll(async () => {
        const lastShown = Number(await page.locator('.log-line').last().getAttribute('data-line'));
        const total = Number(await page.getByTestId('logs-held').getAttribute('data-total'));
        return total - lastShown;
      })
      .toBeLessThanOrEqual(3);
  }, 60_000);

  it('opens a pod’s logs from Topology’s details panel', async () => {
    await page.goto(`${running.consoleUrl}#/topology`);
    await page.getByTestId('view-topology').waitFor();
    await page.getByRole('tab', { name: 'Pods' }).click();
    const table = page.getByTestId('table-pods');
    await table.waitFor();
    await page.getByLabel('Filter the table').fill('embedder');
    await expect.poll(() => table.getByRole('row').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await table.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('details-panel');
    await panel.getByRole('heading', { name: /embedder-/ }).waitFor();
    const pod = ((await panel.getByRole('heading').first().textContent()) ?? '').replace(/^\s*pod\s*/i, '').trim();
    await panel.getByTestId('details-logs').click();
    await page.getByTestId('view-logs').waitFor();
    await expect.poll(() => page.getByTestId('logs-title').textContent(), { timeout: 15_000 }).toContain(`inference/${pod}`);
    await expect.poll(held, { timeout: 30_000 }).toBeGreaterThan(10);
    // One pod, one container: no prefix needed, every line is that pod's.
    await expect.poll(() => page.getByTestId('log-source').allTextContents()).toEqual([`${pod}/tei`]);
  }, 60_000);

  it('Loki: a LogQL range query shows each stream’s lines with its prefix; the label browser writes the selector; live tail shows new entries and Loki’s dropped ones', async () => {
    const now = Date.now();
    loki = await startLokiReplay([
      { stream: gateway, values: Array.from({ length: 40 }, (_, i) => [ns(now - 60_000 + i * 1000), `time=${new Date(now - 60_000 + i * 1000).toISOString()} level=${i % 10 === 3 ? 'error' : 'info'} msg="request completed" n=${i}`] as [string, string]) },
      { stream: embedder, values: Array.from({ length: 20 }, (_, i) => [ns(now - 50_000 + i * 2000), JSON.stringify({ level: 'info', msg: 'embedded batch', n: i })] as [string, string]) },
    ]);
    const res = await fetch(`${running.baseUrl}/api/v1/call/settings.set`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` }, body: JSON.stringify({ logStoreUrls: { 'demo-admin': loki.url } }) });
    expect(res.status).toBe(200);
    await page.goto(`${running.consoleUrl}#/logs`);
    await page.getByRole('tab', { name: 'Loki' }).click();
    const panel = page.getByTestId('loki-panel');
    await panel.waitFor({ timeout: 15_000 });
    // The label browser: namespace -> inference writes the stream selector.
    await panel.getByTestId('loki-labels').getByRole('button', { name: 'namespace', exact: true }).click();
    await panel.getByRole('button', { name: 'inference', exact: true }).click();
    expect(await panel.getByLabel('LogQL query').inputValue()).toBe('{namespace="inference"}');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(held, { timeout: 15_000 }).toBe(60);
    expect(await page.getByTestId('logs-status').textContent()).toMatch(/^Ended: 60 lines$/);
    const prefixes = new Set(await page.locator('.log-line .log-src').allTextContents());
    expect([...prefixes].sort()).toEqual(['embedder-5d4-xyz12/tei', 'llm-gateway-7c9f-abcde/vllm']);
    // Oldest first, whatever direction Loki answered in.
    const times = await page.locator('.log-line').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(await page.locator('.log-line.lvl-error').count()).toBeGreaterThan(0);
    // A JSON line pretty-prints on click.
    await page.locator('.log-line', { hasText: '"msg":"embedded batch"' }).last().click();
    await expect.poll(() => page.locator('.log-json').first().textContent()).toContain('"msg": "embedded batch"');
    await screenshot(page, 'logs-loki', { docs: true });

    // Live tail: entries pushed to Loki appear; dropped entries are said.
    await panel.getByLabel('LogQL query').fill('{app="llm-gateway"}');
    await panel.getByRole('button', { name: 'Live tail' }).click();
    await expect.poll(() => page.getByTestId('logs-status').textContent(), { timeout: 15_000 }).toBe('Following');
    await expect.poll(() => loki.openTails(), { timeout: 15_000 }).toBe(1);
    const before = Number(await page.getByTestId('logs-held').getAttribute('data-total'));
    loki.dropNext(7);
    loki.push(gateway, [[ns(Date.now()), 'level=warn msg="tail entry one"'], [ns(Date.now() + 1), 'level=info msg="tail entry two"']]);
    await expect.poll(() => page.locator('.log-line', { hasText: 'tail entry two' }).count(), { timeout: 15_000 }).toBe(1);
    expect(Number(await page.getByTestId('logs-held').getAttribute('data-total'))).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('logs-notices').textContent(), { timeout: 10_000 }).toMatch(/Loki dropped 7 entries/);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  }, 90_000);
});
