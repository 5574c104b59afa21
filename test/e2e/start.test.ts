// `npm start` where Electron's binary is missing (our offline machines): one line saying so, then
// browser mode on the demo fleet, within 10 s of launch.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, stopChild } from './harness.js';

describe('npm start without the Electron binary', () => {
  it('falls back to browser mode on the demo fleet within 10 s', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fd-start-'));
    const started = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist/electron/start.js'), '--demo', '--no-prometheus', '--data-dir', dataDir], {
      env: { ...process.env, HOME: dataDir, KUBECONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => /^readonly \S+$/m.test(out), { timeout: 10_000, interval: 100 }).toBe(true);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(10_000);
      const lines = out.split('\n');
      expect(lines.filter((l) => /Electron binary not available/.test(l))).toHaveLength(1);
      const consoleUrl = /^console (\S+)$/m.exec(out)?.[1] as string;
      const token = new URL(consoleUrl).searchParams.get('token');
      const clusters = (await fetch(new URL('/api/v1/call/clusters.list', consoleUrl), { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json())) as { contexts: Array<{ name: string; source: string }> };
      expect(clusters.contexts.map((c) => `${c.name}:${c.source}`)).toEqual(expect.arrayContaining(['demo-admin:demo', 'demo-viewer:demo']));
    } finally {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
