// A read-only session's mutating call is refused and recorded with the context, target and action
// it named, so a workload's audit panel (which lists one context's records, filtered by text) can
// show it; a payload its method's schema rejects records none of its values.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import type { AuditRecord } from '../../shared/contract/actions.js';

const consoleSession = { kind: 'console', readOnly: false } as const;
const readonlySession = { kind: 'readonly', readOnly: true } as const;

let app: App;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'audit-refused-'));
  app = await createApp({ mode: 'browser', dataDir, kubeconfig: { useHomeConfig: false }, demo: false, version: 'test', log: () => undefined });
});
afterEach(async () => {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const list = async (filter: Record<string, unknown>) => ((await app.server.call('audit.list', { limit: 10, ...filter }, consoleSession)) as { records: AuditRecord[] }).records;

describe('refused calls in the audit log', () => {
  it('records the context, target and action of a refused actions.prepare: the workload panel finds it', async () => {
    const request = { context: 'prod-eu', target: { kind: 'Deployment', namespace: 'serving', name: 'llm-gateway' }, action: 'restart', params: {} };
    await expect(app.server.call('actions.prepare', request, readonlySession)).rejects.toMatchObject({ code: 'read_only' });
    // What the Rollouts view's audit panel asks for: this context, the workload's name as text.
    const [record] = await list({ context: 'prod-eu', text: 'llm-gateway' });
    expect(record).toMatchObject({ phase: 'refused', outcome: 'refused', session: 'readonly', method: 'actions.prepare', context: 'prod-eu', target: request.target, action: 'restart', error: 'read-only session' });
  });

  it('names the target of a refused secrets.reveal, given flat', async () => {
    const request = { context: 'c1', kind: 'Deployment', namespace: 'default', name: 'vault-client', path: '/spec/template/spec/containers/0/env/0/value' };
    await expect(app.server.call('secrets.reveal', request, readonlySession)).rejects.toMatchObject({ code: 'read_only' });
    const [record] = await list({ context: 'c1', outcome: 'refused' });
    expect(record).toMatchObject({ method: 'secrets.reveal', context: 'c1', target: { kind: 'Deployment', namespace: 'default', name: 'vault-client' } });
    expect(record.action).toBeUndefined();
  });

  it('records only the method and session for a payload its schema rejects', async () => {
    const bogus = { context: 'x'.repeat(5_000), target: { kind: 'Deployment', name: 'Not A Name!' }, action: 'restart' };
    await expect(app.server.call('actions.prepare', bogus, readonlySession)).rejects.toMatchObject({ code: 'read_only' });
    const [record] = await list({ outcome: 'refused' });
    expect(record).toMatchObject({ phase: 'refused', method: 'actions.prepare', session: 'readonly' });
    expect(record.context).toBeUndefined();
    expect(record.target).toBeUndefined();
    expect(readFileSync(join(dataDir, 'audit.log'), 'utf8')).not.toContain('x'.repeat(300));
  });
});
