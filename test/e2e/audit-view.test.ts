// The Audit log view in Chromium on the demo fleet: records made through the real contract (a
// settings change, a planned and an executed scale on the action road, a call refused on the
// read-only link, a payload the contract rejected) are all listed, newest first; each filter
// (user, context, action, outcome, time) narrows the rows to what audit.list says; the exports
// (JSON lines, CSV) hold exactly the rows on screen. Screenshot: test-results/screenshots/audit-view.png.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { auditRecordSchema, type AuditRecord } from '../../shared/contract/actions.js';
import { launchBrowser, screenshot, startConsole, type RunningConsole } from './harness.js';

let running: RunningConsole;
let browser: Browser;
let page: Page;
let context: string;

async function call<T>(method: string, body: unknown, token = running.consoleToken): Promise<{ status: number; json: T }> {
  const res = await fetch(`${running.baseUrl}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}
const list = async (filter: Record<string, unknown> = {}) => (await call<{ records: AuditRecord[] }>('audit.list', { limit: 1000, ...filter })).json.records;

const rows = () => page.getByTestId('audit-row');
const filters = () => page.getByRole('form', { name: 'Audit filters' });
const cellTexts = async (column: number) => rows().locator(`td:nth-child(${column})`).allTextContents();

beforeAll(async () => {
  running = await startConsole({ args: ['--demo', '--no-prometheus'] });
  const { json } = await call<{ contexts: Array<{ name: string; current: boolean }> }>('clusters.list', {});
  context = (json.contexts.find((c) => c.current) ?? json.contexts[0]).name;
  // One of each kind of record, through the contract as any client would.
  await call('settings.set', { gpuHourPriceUsd: 3 });
  // The context's caches fill in the first seconds after start.
  let deploy: Array<string | number> | undefined;
  for (const deadline = Date.now() + 30_000; !deploy; await new Promise((r) => setTimeout(r, 250))) {
    const { json: workloads } = await call<{ rows?: Array<Array<string | number>> }>('resources.list', { context, table: 'workloads' });
    deploy = workloads.rows?.find((r) => r[0] === 'deploy' && r[1] === 'inference');
    if (!deploy && Date.now() > deadline) throw new Error(`the demo fleet shows no Deployment in inference: ${JSON.stringify(workloads).slice(0, 300)}`);
  }
  const target = { kind: 'Deployment', namespace: 'inference', name: String(deploy[2]) };
  const { json: plan } = await call<{ token: string; confirmText?: string }>('actions.prepare', { context, target, action: 'scale', params: { replicas: 2 } });
  const executed = await call('actions.execute', { token: plan.token, confirmText: plan.confirmText });
  if (executed.status !== 200) throw new Error(`scale failed: ${JSON.stringify(executed.json)}`);
  const refused = await call('settings.set', { theme: 'light' }, running.readonlyToken);
  expect(refused.status).toBeGreaterThanOrEqual(400);
  const invalid = await call('actions.prepare', { context, target: { ...target, name: 'x'.repeat(5_000) }, action: 'scale', params: { replicas: 1 } });
  expect(invalid.status, JSON.stringify(invalid.json)).toBeGreaterThanOrEqual(400);

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  await page.goto(`${running.consoleUrl}#/topology`);
  await page.getByTestId('view-topology').waitFor();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Audit log', exact: true }).click();
  await page.getByTestId('view-audit').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('audit view', () => {
  it('lists every record audit.list has, newest first, with ages (absolute time on hover)', async () => {
    const all = await list();
    expect(new Set(all.map((r) => r.outcome))).toEqual(new Set(['succeeded', 'planned', 'refused', 'invalid']));
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(all.length);
    const actions = await cellTexts(5);
    expect(actions).toEqual(all.map((r) => r.action ?? r.method ?? ''));
    const age = rows().first().locator('td').first();
    expect(await age.textContent()).toMatch(/^\d+s$/);
    expect(new Date(String(await age.getAttribute('title'))).getTime()).not.toBeNaN();
    await screenshot(page, 'audit-view', { docs: true });
  });

  it('filters by outcome, action, user, context and time as the log says', async () => {
    await filters().getByLabel('Outcome', { exact: true }).selectOption('refused');
    const refused = await list({ outcome: 'refused' });
    expect(refused.length).toBeGreaterThan(0);
    await expect.poll(() => cellTexts(7)).toEqual(refused.map(() => 'refused'));
    expect(await cellTexts(3)).toEqual(refused.map((r) => r.session));
    await filters().getByLabel('Outcome', { exact: true }).selectOption('');

    await filters().getByLabel('Action', { exact: true }).selectOption('scale');
    const scale = (await list()).filter((r) => r.action === 'scale');
    await expect.poll(() => rows().count()).toBe(scale.length);
    expect(await cellTexts(7)).toEqual(scale.map((r) => r.outcome));

    const user = scale.find((r) => r.user)?.user;
    expect(user).toBeTruthy();
    await filters().getByLabel('User', { exact: true }).fill(String(user));
    await expect.poll(() => cellTexts(2)).toEqual(scale.filter((r) => r.user === user).map(() => String(user)));
    await filters().getByLabel('User', { exact: true }).fill('nobody-by-this-name');
    await expect.poll(() => rows().count()).toBe(0);
    await filters().getByLabel('User', { exact: true }).fill('');
    await filters().getByLabel('Action', { exact: true }).selectOption('');

    await filters().getByLabel('Context', { exact: true }).selectOption(context);
    const inContext = await list({ context });
    await expect.poll(() => rows().count()).toBe(inContext.length);
    expect(inContext.length).toBeLessThan((await list()).length);
    await filters().getByLabel('Context', { exact: true }).selectOption('');

    // A time window that starts after every record holds none; one that ends after all holds all.
    const later = new Date(Date.now() + 3_600_000);
    const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await filters().getByLabel('From', { exact: true }).fill(local(later));
    await expect.poll(() => rows().count()).toBe(0);
    await filters().getByLabel('From', { exact: true }).fill('');
    await filters().getByLabel('To', { exact: true }).fill(local(later));
    await expect.poll(() => rows().count()).toBe((await list()).length);
    await filters().getByLabel('To', { exact: true }).fill('');
  });

  it('exports exactly the rows on screen as JSON lines and as CSV', async () => {
    await filters().getByLabel('Outcome', { exact: true }).selectOption('succeeded');
    const succeeded = await list({ outcome: 'succeeded' });
    await expect.poll(() => rows().count()).toBe(succeeded.length);

    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON lines' }).click()]);
    expect(jsonl.suggestedFilename()).toMatch(/^flightdeck-audit-.*\.jsonl$/);
    const lines = (await readFile(String(await jsonl.path()), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => auditRecordSchema.parse(JSON.parse(l)))).toEqual(succeeded);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const csvLines = (await readFile(String(await csv.path()), 'utf8')).trimEnd().split('\r\n');
    expect(csvLines[0]).toBe('time,user,session,context,action,target,phase,outcome,error,durationMs,id');
    expect(csvLines.slice(1).map((l) => l.split(',').at(-1))).toEqual(succeeded.map((r) => r.id));
    await filters().getByLabel('Outcome', { exact: true }).selectOption('');
  });
});
