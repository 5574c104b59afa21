// `--serve=0.0.0.0:…` (issue 11): HTTPS with a self-signed certificate kept in the data directory,
// its fingerprint printed, and a URL with the machine's real address instead of 0.0.0.0.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shownAddress } from '../../electron/transport/host-check.js';
import { rawRequest } from '../unit/http-transport-helpers.js';
import { startConsole } from './harness.js';

describe('browser mode on a network address', () => {
  it('serves HTTPS on 0.0.0.0 and prints the real address and the fingerprint', async () => {
    const running = await startConsole({ args: ['--serve=0.0.0.0:0'] });
    try {
      const url = new URL(running.consoleUrl);
      expect(url.protocol).toBe('https:');
      expect(url.hostname).toBe(shownAddress('0.0.0.0'));
      const cert = readFileSync(join(running.dataDir, 'browser-mode-cert.pem'), 'utf8');
      expect(statSync(join(running.dataDir, 'browser-mode-key.pem')).mode & 0o777).toBe(0o600);
      const fingerprint = new X509Certificate(cert).fingerprint256;
      expect(running.output()).toMatch(new RegExp(`^tls self-signed certificate \\(new\\).* sha256 ${fingerprint}$`, 'm'));
      const res = await rawRequest(`https://127.0.0.1:${url.port}/api/v1/call/app.info`, { method: 'POST', headers: { Authorization: `Bearer ${running.consoleToken}` }, ca: cert });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ name: 'Flightdeck' });
    } finally {
      await running.stop();
    }
  });

  it('refuses a certificate without its key', async () => {
    await expect(startConsole({ args: ['--tls-cert', '/nonexistent.pem'], timeoutMs: 10_000 })).rejects.toThrow(/--tls-cert and --tls-key go together/);
  });
});
