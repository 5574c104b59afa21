// Triage first in Metrics & SLOs (issue #17) on the demo fleet in Chromium: SLO cards in triage order
// (paging first, within budget last), and a restart through the action road shows on the service
// charts as a "rev N started" mark at the time of the restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;

async function call<T>(method: string, body: unknown): Promise<T> {
  const res = await fetch(`${running.baseUrl}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${running.consoleToken}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${method}: ${json.error?.message ?? res.status}`);
  return json;
}

// Same ranks as the cards' badges read: the text of each state.
const BADGE_RANK: Array<[RegExp, number]> = [
  [/^Page/, 0],
  [/^Budget exhausted/, 1],
  [/^Ticket/, 2],
  [/^Cannot evaluate/, 3],
  [/^No traffic/, 4],
  [/^Not enough data/, 5],
  [/^Within budget/, 6],
];

beforeAll(async () => {
  // error-rate-spike: llm-gateway pages one simulated minute in, so the cards hold several states.
  // Real-time speed: the restart's ReplicaSet is stamped by the demo clock, the charts by Prometheus.
  running = await startConsole({ args: ['--demo', '--demo-scenario', 'error-rate-spike'] });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('Metrics & SLOs: triage first', () => {
  it('marks a restart on the service charts as "rev N started" at the time it happened', async () => {
    await expect.poll(() => running.output(), { timeout: 30_000 }).toMatch(/^prometheus http:\/\/127\.0\.0\.1:\d+/m);
    await page.goto(`${running.consoleUrl}#/metrics`);
    await page.getByTestId('view-metrics').waitFor();
    const { contexts } = await call<{ contexts: Array<{ name: string; current: boolean }> }>('clusters.list', {});
    const context = (contexts.find((c) => c.current) ?? contexts[0]).name;
    // A service the charts show whose Deployment we restart.
    await expect.poll(() => page.getByTestId('panel-requestRate').locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const { workloads } = await call<{ workloads: Array<{ kind: string; namespace: string; name: string; revision?: string }> }>('rollouts.list', { context, namespace: 'inference' });
    const heading = (await page.getByRole('region', { name: 'Inference services' }).getByRole('heading').first().textContent()) ?? '';
    const deployment = workloads.find((w) => w.kind === 'Deployment' && heading.includes(w.name));
    expect(deployment, `no charted Deployment among ${heading}`).toBeDefined();
    const target = { kind: 'Deployment', namespace: 'inference', name: deployment!.name };
    const restartedAt = Date.now() / 1000;
    const plan = await call<{ token: string; confirmText?: string }>('actions.prepare', { context, target, action: 'restart', params: {} });
    await call('actions.execute', { token: plan.token, confirmText: plan.confirmText });
    const revision = Number(deployment!.revision) + 1;

    // The mark appears with the next refresh of the charts.
    const mark = page.getByTestId('panel-requestRate').getByTestId('rollout-mark').filter({ hasText: `${deployment!.name} rev ${revision} started` });
    await mark.first().waitFor({ timeout: 60_000 });
    const at = Number(await mark.first().getAttribute('data-at'));
    expect(Math.abs(at - restartedAt)).toBeLessThan(30);
    expect(await mark.first().getAttribute('data-type')).toBe('started');
    // Only this panel's services: the events answer for another service does not carry it.
    const other = await call<{ events: Array<{ workload: string }> }>('rollouts.events', { context, services: ['no-such-service'], start: restartedAt - 600, end: restartedAt + 600 });
    expect(other.events).toEqual([]);
  }, 120_000);
  it('orders the SLO cards by state, paging first, by name within a state', async () => {
    // llm-gateway (files are read in name order, after chat-frontend and embedder) must come first.
    const first = page.getByTestId('slo-card').first();
    await expect.poll(() => first.locator('.badge').textContent(), { timeout: 150_000 }).toMatch(/^Page/);
    const cards = await page.getByTestId('slo-card').evaluateAll((els) => els.map((el) => ({ name: el.getAttribute('aria-label') ?? '', badge: el.querySelector('.badge')?.textContent ?? '' })));
    const ranks = cards.map((c) => BADGE_RANK.find(([re]) => re.test(c.badge))?.[1] ?? -1);
    expect(ranks, JSON.stringify(cards)).not.toContain(-1);
    for (let i = 1; i < cards.length; i++) {
      expect(ranks[i], JSON.stringify(cards)).toBeGreaterThanOrEqual(ranks[i - 1]);
      if (ranks[i] === ranks[i - 1]) expect(cards[i].name.localeCompare(cards[i - 1].name, 'en'), JSON.stringify(cards)).toBeGreaterThan(0);
    }
    expect(new Set(ranks).size, 'the scenario gives more than one state').toBeGreaterThan(1);
    await page.getByTestId('panel-requestRate').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-annotations', { docs: true });
  }, 180_000);

});
