// settings.setAuth / settings.authStatus through the same contract server the transports use: the
// credential lands in a 0600 file in the main process, is never answered back nor audited, and a
// read-only session cannot set one.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import type { AuditRecord } from '../../shared/contract/actions.js';

const consoleSession = { kind: 'console', readOnly: false } as const;
const readonlySession = { kind: 'readonly', readOnly: true } as const;

let app: App;
let dataDir: string;
const start = async () => createApp({ mode: 'browser', dataDir, kubeconfig: { useHomeConfig: false }, demo: false, version: 'test', log: () => undefined });
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'service-auth-'));
  app = await start();
});
afterEach(async () => {
  await app.stop();
});

describe('service credentials (Alertmanager, log store)', () => {
  it('stores the credential in the main process only: status says which kind, the file is 0600, the audit names the kind', async () => {
    expect(await app.server.call('settings.authStatus', { context: 'prod' }, consoleSession)).toEqual({ alertmanager: 'none', logs: 'none' });
    const answer = await app.server.call('settings.setAuth', { context: 'prod', service: 'logs', auth: { kind: 'bearer', token: 'loki-s3cret' } }, consoleSession);
    expect(answer).toEqual({ auth: 'bearer' });
    expect(JSON.stringify(answer)).not.toContain('loki-s3cret');
    expect(await app.server.call('settings.authStatus', { context: 'prod' }, consoleSession)).toEqual({ alertmanager: 'none', logs: 'bearer' });

    const file = join(dataDir, 'service-auth.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('loki-s3cret');
    const { records } = (await app.server.call('audit.list', { limit: 5 }, consoleSession)) as { records: AuditRecord[] };
    expect(records[0]).toMatchObject({ method: 'settings.setAuth', outcome: 'succeeded', context: 'prod', params: { service: 'logs', auth: 'bearer', previous: 'none' } });
    expect(readFileSync(join(dataDir, 'audit.log'), 'utf8')).not.toContain('loki-s3cret');

    // Kept across a restart; 'none' removes it.
    await app.stop();
    app = await start();
    expect(await app.server.call('settings.authStatus', { context: 'prod' }, consoleSession)).toEqual({ alertmanager: 'none', logs: 'bearer' });
    await app.server.call('settings.setAuth', { context: 'prod', service: 'logs', auth: { kind: 'none' } }, consoleSession);
    expect(await app.server.call('settings.authStatus', { context: 'prod' }, consoleSession)).toEqual({ alertmanager: 'none', logs: 'none' });
    expect(readFileSync(file, 'utf8')).not.toContain('loki-s3cret');
  });

  it('refuses a read-only session and an unknown service', async () => {
    await expect(app.server.call('settings.setAuth', { context: 'prod', service: 'alertmanager', auth: { kind: 'bearer', token: 't' } }, readonlySession)).rejects.toThrow(/read-only/i);
    await expect(app.server.call('settings.setAuth', { context: 'prod', service: 'grafana', auth: { kind: 'none' } }, consoleSession)).rejects.toThrow(/service/);
    expect(await app.server.call('settings.authStatus', { context: 'prod' }, consoleSession)).toEqual({ alertmanager: 'none', logs: 'none' });
  });

  it('keeps Alertmanager and log store URLs per context in the settings', async () => {
    const next = (await app.server.call('settings.set', { alertmanagerUrls: { prod: 'https://am.example:9093/' }, logStoreUrls: { prod: 'https://loki.example:3100/' } }, consoleSession)) as Record<string, unknown>;
    expect(next).toMatchObject({ alertmanagerUrls: { prod: 'https://am.example:9093/' }, logStoreUrls: { prod: 'https://loki.example:3100/' } });
    await expect(app.server.call('settings.set', { logStoreUrls: { prod: 'not a url' } }, consoleSession)).rejects.toThrow();
  });
});
