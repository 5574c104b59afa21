// The error-rate-spike scenario with the demo's real Prometheus rules and real Alertmanager: its
// alerts reach the console grouped with their P-levels; a silence created through the action road
// (confirm, audited) is visible in Alertmanager's own API, silences the group, and expires on ask.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createApp, type App } from '../../electron/core/app.js';
import type { MethodResponse } from '../../shared/contract.js';
import { groupMatchers } from '../../shared/model/alert.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

const session = { kind: 'console', readOnly: false } as const;
const CONTEXT = 'demo-admin';
let dir: string;
let fleet: DemoFleet;
let app: App;
const call = <T>(method: string, request: unknown) => app.server.call(method, request, session) as Promise<T>;
type AlertList = MethodResponse<'alerts.list'>;
type AmSilence = { id: string; status: { state: string }; matchers: Array<{ name: string; value: string }>; createdBy: string; comment: string };

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

describe('alerts from the demo fleet’s real Alertmanager', () => {
  beforeAll(async () => {
    requireTool('prometheus', INSTALL_HINTS.prometheus);
    requireTool(['prometheus-alertmanager', 'alertmanager'], INSTALL_HINTS.alertmanager);
    dir = mkdtempSync(join(tmpdir(), 'flightdeck-alerts-'));
    // Speed 20: the spike starts after 3 s, the alerts fire within ~20 s and heal after ~33 s.
    fleet = await startDemoFleet({ scenario: 'error-rate-spike', prometheus: true, speed: 20 });
    expect(fleet.alertmanagerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    app = await createApp({
      mode: 'browser',
      dataDir: dir,
      kubeconfig: { demoKubeconfig: fleet.kubeconfig },
      demo: true,
      demoPrometheusUrl: fleet.prometheusUrl,
      demoAlertmanagerUrl: fleet.alertmanagerUrl,
      version: 'test',
      log: () => undefined,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the scenario’s alerts from Alertmanager with their P-levels, rule and runbook; a silence made in the console lives in Alertmanager and expires on ask', async () => {
    const list = await until('InferenceErrorRateHigh and ErrorBudgetBurnRateCritical active in Alertmanager', 90_000, async () => {
      const answer = await call<AlertList>('alerts.list', { context: CONTEXT });
      const names = new Set(answer.groups.filter((g) => g.active > 0).map((g) => g.alertname));
      return names.has('InferenceErrorRateHigh') && names.has('ErrorBudgetBurnRateCritical') ? answer : undefined;
    });
    expect(list.source).toMatchObject({ kind: 'alertmanager', url: fleet.alertmanagerUrl });
    const errorRate = list.groups.find((g) => g.alertname === 'InferenceErrorRateHigh')!;
    expect(errorRate).toMatchObject({ namespace: 'inference', service: 'llm-gateway', priority: 'P3' });
    expect(errorRate.alerts[0]).toMatchObject({ severity: 'warning', state: 'active', runbookId: 'error-rate-spike' });
    // The rule's expression comes from Prometheus' generator URL: the graph link runs it.
    expect(errorRate.alerts[0].expr).toContain('service:inference_errors:ratio_rate5m');
    const burn = list.groups.find((g) => g.alertname === 'ErrorBudgetBurnRateCritical')!;
    expect(burn.priority).toBe('P1');
    // P1 groups sort before P3 ones.
    expect(list.groups.indexOf(burn)).toBeLessThan(list.groups.indexOf(errorRate));

    const target = { kind: 'Silence', name: 'new' };
    const params = { matchers: groupMatchers(errorRate), durationMinutes: 60, comment: 'upstream model server timing out; on it', createdBy: 'alerts-integration' };
    const plan = await call<{ token: string | null; rbac: { allowed: boolean; checks: unknown[] }; requests: Array<{ method: string; path: string }> }>('actions.prepare', { context: CONTEXT, target, action: 'silence.create', params });
    expect(plan.rbac.allowed).toBe(true);
    expect(plan.requests).toMatchObject([{ method: 'POST', path: '/api/v2/silences' }]);
    const created = await call<{ message: string }>('actions.execute', { token: plan.token });
    const id = /Silence (\S+) created/.exec(created.message)?.[1];
    expect(id).toBeTruthy();

    // Alertmanager's own API has it, with our matchers, author and comment.
    const inAm = (await (await fetch(`${fleet.alertmanagerUrl}/api/v2/silence/${id}`)).json()) as AmSilence;
    expect(inAm.status.state).toBe('active');
    expect(inAm).toMatchObject({ createdBy: 'alerts-integration', comment: params.comment });
    expect(inAm.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual(['alertname=InferenceErrorRateHigh', 'namespace=inference', 'service=llm-gateway']);
    const silences = await call<MethodResponse<'alerts.silences'>>('alerts.silences', { context: CONTEXT });
    expect(silences.silences.find((s) => s.id === id)?.state).toBe('active');
    const after = await call<AlertList>('alerts.list', { context: CONTEXT });
    const silencedGroup = after.groups.find((g) => g.alertname === 'InferenceErrorRateHigh');
    // Silenced alerts are shown apart (suppressed, with the silence's id), not dropped.
    expect(silencedGroup?.alerts.length).toBeGreaterThan(0);
    expect(silencedGroup!.alerts.every((a) => a.state === 'suppressed' && a.silencedBy.includes(id!))).toBe(true);

    const expirePlan = await call<{ token: string }>('actions.prepare', { context: CONTEXT, target: { kind: 'Silence', name: id }, action: 'silence.expire', params: {} });
    await call('actions.execute', { token: expirePlan.token });
    const expired = (await (await fetch(`${fleet.alertmanagerUrl}/api/v2/silence/${id}`)).json()) as AmSilence;
    expect(expired.status.state).toBe('expired');

    const audit = await call<{ records: Array<{ action?: string; outcome: string; phase: string }> }>('audit.list', { context: CONTEXT });
    const executed = audit.records.filter((r) => r.phase === 'execute' && r.outcome === 'succeeded').map((r) => r.action);
    expect(executed).toEqual(expect.arrayContaining(['silence.create', 'silence.expire']));
  }, 150_000);

  it('falls back to Prometheus’ own alerts and rules when Alertmanager is gone', async () => {
    await app.server.call('settings.set', { alertmanagerUrls: { [CONTEXT]: 'http://127.0.0.1:1/' } }, session);
    const answer = await call<AlertList>('alerts.list', { context: CONTEXT });
    expect(answer.source.kind).toBe('prometheus');
    expect(answer.source.problem).toMatch(/not reachable/);
    expect(answer.groups.flatMap((g) => g.alerts).every((a) => a.state === 'active' || a.state === 'pending')).toBe(true);
    // The steady fleet keeps a hot GPU: its rule's expression comes from /api/v1/rules.
    const hot = answer.groups.flatMap((g) => g.alerts).find((a) => a.name === 'GPUHot');
    expect(hot?.expr).toMatch(/DCGM_FI_DEV_GPU_TEMP/);
  });
});
