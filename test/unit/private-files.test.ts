// Every file the console writes is 0600 in a 0700 data directory, whatever the umask, and what
// an older version left looser is tightened.
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot, writeSnapshotChunked, type OfflineSnapshot } from '../../electron/core/clusters/offline-snapshot.js';
import { openSettingsStore } from '../../electron/core/settings/settings-store.js';
import { openAuthStore } from '../../electron/core/metrics/prometheus-auth.js';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { createApp } from '../../electron/core/app.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const scratch = () => mkdtempSync(join(tmpdir(), 'modes-'));
const snapshot: OfflineSnapshot = { context: 'prod', asOf: new Date(0).toISOString(), objects: { pods: [] } };

// A permissive umask (the common default): files would come out 0644 and directories 0755.
let previousUmask = 0;
beforeAll(() => {
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
});

describe('file modes', () => {
  it('writes offline snapshots 0600 in a 0700 directory (both writers)', async () => {
    const dir = join(scratch(), 'snapshots');
    writeSnapshot(dir, snapshot);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, 'prod.json'))).toBe(0o600);
    await writeSnapshotChunked(dir, { ...snapshot, context: 'dev' });
    expect(modeOf(join(dir, 'dev.json'))).toBe(0o600);
  });

  it('tightens a snapshot directory and leftover temp file that exist with looser modes', async () => {
    const dir = join(scratch(), 'snapshots');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, `dev.json.${process.pid}.bg.tmp`), 'old', { mode: 0o644 });
    writeFileSync(join(dir, `prod.json.${process.pid}.tmp`), 'old', { mode: 0o644 });
    writeSnapshot(dir, snapshot);
    await writeSnapshotChunked(dir, { ...snapshot, context: 'dev' });
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, 'prod.json'))).toBe(0o600);
    expect(modeOf(join(dir, 'dev.json'))).toBe(0o600);
  });

  it('writes settings and Prometheus credentials 0600 and tightens existing 0644 files', () => {
    const dataDir = join(scratch(), 'data');
    openSettingsStore(join(dataDir, 'settings.json')).set({ theme: 'light' });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'settings.json'))).toBe(0o600);

    chmodSync(join(dataDir, 'settings.json'), 0o644);
    openSettingsStore(join(dataDir, 'settings.json'));
    expect(modeOf(join(dataDir, 'settings.json'))).toBe(0o600);

    writeFileSync(join(dataDir, 'prometheus-auth.json'), '{}', { mode: 0o644 });
    openAuthStore(join(dataDir, 'prometheus-auth.json'));
    expect(modeOf(join(dataDir, 'prometheus-auth.json'))).toBe(0o600);
  });

  it('tightens an existing 0644 audit log on the next append', () => {
    const path = join(scratch(), 'audit.log');
    writeFileSync(path, '', { mode: 0o644 });
    openAuditLog(path).append({ phase: 'prepare', outcome: 'planned', session: 'console' });
    expect(modeOf(path)).toBe(0o600);
  });

  it('makes the data directory 0700 at start and tightens what an older version left readable', async () => {
    const dataDir = join(scratch(), 'flightdeck');
    mkdirSync(join(dataDir, 'snapshots'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    for (const name of ['audit.log', 'audit.log.1', 'settings.json', 'prometheus-auth.json', 'snapshots/prod.json']) {
      writeFileSync(join(dataDir, name), name.endsWith('.json') ? '{}' : '', { mode: 0o644 });
    }
    writeFileSync(join(dataDir, 'Cookies'), '', { mode: 0o644 }); // not ours (Chromium's profile shares the folder)
    const app = await createApp({ mode: 'browser', dataDir, kubeconfig: { useHomeConfig: false }, demo: false, version: 'test', log: () => undefined });
    await app.stop();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'snapshots'))).toBe(0o700);
    for (const name of ['audit.log', 'audit.log.1', 'settings.json', 'prometheus-auth.json', 'snapshots/prod.json']) expect([name, modeOf(join(dataDir, name))]).toEqual([name, 0o600]);
    expect(modeOf(join(dataDir, 'Cookies'))).toBe(0o644);
  });

  it('refuses a shared folder (sticky bit, like /tmp) as the data directory instead of locking it', async () => {
    const shared = scratch();
    chmodSync(shared, 0o1777);
    await expect(createApp({ mode: 'browser', dataDir: shared, kubeconfig: { useHomeConfig: false }, demo: false, version: 'test', log: () => undefined })).rejects.toThrow(/shared folder.*--data-dir/);
    expect(modeOf(shared)).toBe(0o777);
  });
});
