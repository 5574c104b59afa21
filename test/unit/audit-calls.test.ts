// settings.set, metrics.setAuth and schema-rejected mutating calls reach the audit log, through
// the same contract server the transports use.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import type { AuditRecord } from '../../shared/contract/actions.js';

const consoleSession = { kind: 'console', readOnly: false } as const;
const ipcSession = { kind: 'ipc', readOnly: false } as const;

let app: App;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'audit-calls-'));
  app = await createApp({ mode: 'browser', dataDir, kubeconfig: { useHomeConfig: false }, demo: false, version: 'test', log: () => undefined });
});
afterEach(async () => {
  await app.stop();
});

const newest = async (filter: Record<string, unknown> = {}) => ((await app.server.call('audit.list', { limit: 10, ...filter }, consoleSession)) as { records: AuditRecord[] }).records;
const auditFile = () => readFileSync(join(dataDir, 'audit.log'), 'utf8');

describe('audited calls', () => {
  it('records settings.set with what changed (turning typed confirmation off) and the session kind', async () => {
    const before = (await app.server.call('settings.get', {}, ipcSession)) as { productionContextPattern: string };
    await app.server.call('settings.set', { productionContextPattern: '', theme: 'dark' }, ipcSession);
    const [record] = await newest();
    expect(record).toMatchObject({ phase: 'execute', outcome: 'succeeded', method: 'settings.set', session: 'ipc' });
    expect(record.params).toEqual({ changed: { productionContextPattern: { from: before.productionContextPattern, to: '' } } });

    await app.server.call('settings.set', { prometheusUrls: { prod: 'https://ops:hunter2@prom.example:9090/' } }, ipcSession);
    const [urls] = await newest();
    expect(urls.params).toEqual({ changed: { prometheusUrls: { from: {}, to: { prod: 'https://[credentials]@prom.example:9090/' } } } });
    expect(auditFile()).not.toContain('hunter2');
  });

  it('records metrics.setAuth: context, kind and source, never the credential', async () => {
    await app.server.call('metrics.setAuth', { context: 'prod', auth: { kind: 'bearer', token: 'sekret-token-123' } }, consoleSession);
    await app.server.call('metrics.setAuth', { context: 'prod', auth: { kind: 'basic', username: 'ops', password: 'hunter2-pass' } }, consoleSession);
    const records = await newest({ context: 'prod' });
    expect(records.map((r) => [r.method, r.outcome, r.params])).toEqual([
      ['metrics.setAuth', 'succeeded', { auth: 'basic', previous: 'bearer', source: 'auto-detected' }],
      ['metrics.setAuth', 'succeeded', { auth: 'bearer', previous: 'none', source: 'auto-detected' }],
    ]);
    expect(auditFile()).not.toMatch(/sekret-token-123|hunter2-pass/);
  });

  it('records a schema-rejected actions.prepare, its payload summarized and capped, never whole', async () => {
    const name = 'x'.repeat(400_000);
    const payload = { context: 'prod', target: { kind: 'Deployment', namespace: 'inference', name }, action: 'scale', params: { replicas: 3 } };
    await expect(app.server.call('actions.prepare', payload, consoleSession)).rejects.toMatchObject({ code: 'invalid_request' });
    const [record] = await newest({ outcome: 'invalid' });
    expect(record).toMatchObject({ phase: 'prepare', outcome: 'invalid', session: 'console', method: 'actions.prepare', context: 'prod', action: 'scale' });
    expect(record.error).toMatch(/invalid request: field "target.name"/);
    expect(JSON.stringify(record.params)).toContain('inference');
    expect(JSON.stringify(record.params)).toContain('[truncated');
    expect(statSync(join(dataDir, 'audit.log')).size).toBeLessThan(8_000);
  });

  it('records a schema-rejected actions.execute without its token, and a rejected setAuth without its secret', async () => {
    await expect(app.server.call('actions.execute', { token: 'plan-token-abc', confirmText: 'ranker', extra: 1 }, consoleSession)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(app.server.call('metrics.setAuth', { context: 'prod', auth: { kind: 'bearer', token: 'leaky-secret' }, oops: true }, consoleSession)).rejects.toMatchObject({ code: 'invalid_request' });
    const records = await newest({ outcome: 'invalid' });
    expect(records.map((r) => [r.method, r.phase])).toEqual([
      ['metrics.setAuth', 'execute'],
      ['actions.execute', 'execute'],
    ]);
    expect(records[1].params).toEqual({ payload: { token: '[not recorded]', confirmText: 'ranker', extra: 1 } });
    expect(records[0].params).toEqual({ payload: { fields: ['context', 'auth', 'oops'] } });
    expect(auditFile()).not.toMatch(/plan-token-abc|leaky-secret/);
  });

  it('does not record rejected reads (only mutating methods are audited)', async () => {
    await expect(app.server.call('audit.list', { limit: -1 }, consoleSession)).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await newest()).toEqual([]);
  });
});
