// Issue #15's "done when" for incidents, on the demo fleet with its real Prometheus and
// Alertmanager: declare from a firing alert, run the runbook, roll back through the action road,
// resolve, export. The report holds each of those with timestamps in order; the same data dir
// reopened with no cluster gives the same report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createApp, type App } from '../../electron/core/app.js';
import type { MethodResponse } from '../../shared/contract.js';
import type { IncidentDetail } from '../../shared/contract/incidents.js';
import type { RunState } from '../../shared/contract/runbooks.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

const console_ = { kind: 'console', readOnly: false } as const;
const readOnly = { kind: 'readonly', readOnly: true } as const;
const CONTEXT = 'demo-admin';
const DEPLOYMENT = { kind: 'Deployment', namespace: 'inference', name: 'llm-gateway' };
let dir: string;
let fleet: DemoFleet;
let app: App;
const call = <T>(method: string, request: unknown, session: { kind: 'console' | 'readonly'; readOnly: boolean } = console_) => app.server.call(method, request, session) as Promise<T>;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

async function act(action: string, params: Record<string, unknown>) {
  const plan = await call<{ token: string }>('actions.prepare', { context: CONTEXT, target: DEPLOYMENT, action, params });
  await call('actions.execute', { token: plan.token });
}

describe('an incident from alert to report on the demo fleet', () => {
  beforeAll(async () => {
    requireTool('prometheus', INSTALL_HINTS.prometheus);
    requireTool(['prometheus-alertmanager', 'alertmanager'], INSTALL_HINTS.alertmanager);
    dir = mkdtempSync(join(tmpdir(), 'fd-incidents-'));
    fleet = await startDemoFleet({ scenario: 'error-rate-spike', prometheus: true, speed: 20, log: () => undefined });
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

  it('declare, runbook, roll back, resolve, export; the same report offline', async () => {
    const alert = await until('an alert firing in inference', 90_000, async () => {
      const list = await call<MethodResponse<'alerts.list'>>('alerts.list', { context: CONTEXT });
      return list.groups.flatMap((g) => g.alerts).find((a) => a.state === 'active' && a.labels.namespace === 'inference');
    });

    // Read-only sessions (war-room screens) read incidents but cannot declare one.
    const declareRequest = { context: CONTEXT, title: 'Gateway 5xx spike', severity: 'P2', commander: 'alice', fromAlert: { fingerprint: alert.fingerprint, name: alert.name, labels: alert.labels } };
    await expect(call('incidents.declare', declareRequest, readOnly)).rejects.toMatchObject({ code: 'read_only' });

    const declared = await call<IncidentDetail>('incidents.declare', declareRequest);
    const id = declared.incident.id;
    expect(declared.incident.namespaces).toEqual(['inference']);
    expect(declared.timeline.map((e) => e.kind)).toContain('alert-firing');
    // Every source answered (alerts, Warning events, runbook runs; the audit log is local).
    expect(declared.problems).toEqual([]);

    // The war room (a read-only session) follows the incident over incidents.events.
    const seen: IncidentDetail[] = [];
    const unsubscribe = app.server.subscribe('incidents.events', { id }, readOnly, (event) => seen.push((event as { detail: IncidentDetail }).detail));

    const run = await call<RunState>('runbooks.start', { id: 'bundled/error-rate-spike.md', context: CONTEXT, inputs: {} });
    await call('runbooks.runStep', { runId: run.runId, stepId: 'pods' });
    await until('the runbook step to finish', 30_000, async () => {
      const state = await call<RunState>('runbooks.run', { runId: run.runId });
      return state.steps.find((s) => s.stepId === 'pods')?.status === 'running' ? undefined : state;
    });
    await act('restart', {});
    await act('undo', { toRevision: 0 });
    await call('incidents.note', { id, text: 'Rolled back the gateway; errors falling.', who: 'alice' });
    await call('incidents.setStatus', { id, status: 'monitoring' });
    await call('incidents.updateRetro', { id, retro: { rootCause: 'A bad gateway build returned 5xx.', actionItems: ['Canary the gateway'] } });
    const resolved = await call<IncidentDetail>('incidents.setStatus', { id, status: 'resolved' });
    expect(resolved.incident.resolvedAt).toBeDefined();
    await until('the war room to hear the resolve', 5_000, async () => (seen.at(-1)?.incident.status === 'resolved' ? true : undefined));
    expect(seen[0].incident.id).toBe(id);
    expect(seen.at(-1)!.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['note', 'action', 'runbook', 'status']));
    unsubscribe();

    // Flightdeck's own data, not the cluster: no RBAC review, but every change is in the audit log.
    const audited = await call<MethodResponse<'audit.list'>>('audit.list', { limit: 100, context: CONTEXT });
    expect(audited.records.filter((r) => r.target?.name === id).map((r) => r.method).reverse()).toEqual([
      'incidents.declare',
      'incidents.note',
      'incidents.setStatus',
      'incidents.updateRetro',
      'incidents.setStatus',
    ]);

    const { markdown } = await call<{ markdown: string }>('incidents.export', { id });
    if (process.env.SHOW_REPORT) process.stdout.write(markdown);
    const rows = markdown.split('\n').filter((line) => /^\| \d{4}-/.test(line));
    const times = rows.map((row) => row.split(' | ')[0].slice(2));
    expect([...times].sort()).toEqual(times);
    const rowOf = (pattern: RegExp) => {
      const index = rows.findIndex((row) => pattern.test(row));
      expect(index, `${pattern} in\n${rows.join('\n')}`).toBeGreaterThanOrEqual(0);
      return index;
    };
    const order = [
      rowOf(/\| declared \| P2 incident declared: Gateway 5xx spike \(from alert /),
      rowOf(/\| runbook \| Runbook “High error rate on an inference service” run started/),
      rowOf(/\| action \| restart Deployment inference\/llm-gateway: succeeded/),
      rowOf(/\| action \| undo Deployment inference\/llm-gateway: succeeded/),
      rowOf(/\| note \| Rolled back the gateway/),
      rowOf(/\| status \| Status: monitoring → resolved/),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(rowOf(/\| alert-firing \| P\d .* firing/)).toBeLessThan(order[0]);
    expect(markdown).toContain('A bad gateway build returned 5xx.');
    expect(markdown).toContain('- [ ] Canary the gateway');
    expect(markdown).toMatch(/\*\*Duration:\*\* \d+ s \(/);

    // Offline: no cluster, no Prometheus, no Alertmanager; the journal alone.
    await app.stop();
    await fleet.stop();
    app = await createApp({ mode: 'browser', dataDir: dir, kubeconfig: { demoKubeconfig: fleet.kubeconfig }, demo: true, version: 'test', log: () => undefined });
    const offline = await call<{ markdown: string }>('incidents.export', { id });
    expect(offline.markdown).toBe(markdown);
    const listed = await call<MethodResponse<'incidents.list'>>('incidents.list', {});
    expect(listed.incidents.map((i) => [i.id, i.status])).toEqual([[id, 'resolved']]);
  }, 180_000);
});
