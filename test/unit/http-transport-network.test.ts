// Browser mode on a network (issue 11): HTTPS off loopback with a kept self-signed certificate or a
// given one, the machine's real address in the printed URL, and Host / Origin checks.
import { mkdtempSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpTransport, type HttpTransport, type HttpTransportOptions } from '../../electron/transport/http.js';
import { hostPolicy, isLoopbackAddress, servedHostnames, shownAddress } from '../../electron/transport/host-check.js';
import { fakeCore, openSocket, rawRequest } from './http-transport-helpers.js';

const transports: HttpTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

async function serve(options: Partial<HttpTransportOptions> = {}): Promise<HttpTransport> {
  const http = await startHttpTransport({ server: fakeCore(), log: () => undefined, ...options });
  transports.push(http);
  return http;
}

const portOf = (http: HttpTransport) => Number(new URL(http.url).port);
const appInfo = (http: HttpTransport, host: string, ca?: string, skipTlsNameCheck = false) =>
  rawRequest(`${http.url.replace(new URL(http.url).hostname, '127.0.0.1')}/api/v1/call/app.info`, {
    method: 'POST',
    headers: { Host: host, Authorization: `Bearer ${http.consoleToken}` },
    ca,
    skipTlsNameCheck,
  });

describe('Host and Origin checks (DNS rebinding)', () => {
  it('answers only to loopback names on a loopback bind', async () => {
    const http = await serve();
    const port = portOf(http);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) expect((await appInfo(http, host)).status).toBe(200);
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'evil.example', `192.0.2.99:${port}`, `127.0.0.1:${port}@evil`]) {
      const res = await appInfo(http, host);
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('DNS rebinding') } });
    }
    // The static files too: a rebinding page must not read anything from this server.
    expect((await rawRequest(`${http.url}/`, { headers: { Host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('refuses a WebSocket from another origin or host, and accepts its own', async () => {
    const http = await serve();
    const url = `${http.url.replace('http', 'ws')}/api/v1/stream?token=${http.consoleToken}`;
    await expect(openSocket(url, { origin: 'http://evil.example' })).rejects.toThrow(/status 403 .*another site/);
    await expect(openSocket(url, { origin: 'null' })).rejects.toThrow(/status 403/);
    await expect(openSocket(url, { origin: `https://127.0.0.1:${portOf(http)}` })).rejects.toThrow(/status 403/);
    await expect(openSocket(url, { headers: { Host: 'evil.example' } })).rejects.toThrow(/status 403 .*DNS rebinding/);
    const own = await openSocket(url, { origin: http.url });
    own.ws.close();
    const noOrigin = await openSocket(url);
    noOrigin.ws.close();
  });

  it('lists the served names for each kind of bind', () => {
    const interfaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: 'fd00::2', family: 'IPv6', internal: false },
        { address: '10.1.2.3', family: 'IPv4', internal: false },
      ],
    } as unknown as ReturnType<typeof networkInterfaces>;
    expect(shownAddress('0.0.0.0', interfaces)).toBe('10.1.2.3');
    expect(shownAddress('::', interfaces)).toBe('10.1.2.3');
    expect(shownAddress('0.0.0.0', { lo: interfaces.lo })).toBe('127.0.0.1');
    expect(shownAddress('10.1.2.3', interfaces)).toBe('10.1.2.3');
    expect([...servedHostnames('127.0.0.1', [], interfaces, 'box')].sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect([...servedHostnames('0.0.0.0', [], interfaces, 'Box')].sort()).toEqual(['10.1.2.3', '127.0.0.1', '::1', 'box', 'fd00::2', 'localhost']);
    expect([...servedHostnames('10.1.2.3', ['console.example.org'], interfaces, 'box')].sort()).toEqual(['10.1.2.3', 'console.example.org']);
    const policy = hostPolicy({ names: new Set(['fd00::2', 'box']), port: 443, scheme: 'https', shownUrl: 'https://box' });
    expect(policy.refuseHost('[fd00::2]')).toBeUndefined();
    expect(policy.refuseHost('box.:443')).toBeUndefined();
    expect(policy.refuseHost('box:80')).toMatch(/DNS rebinding/);
    expect(policy.refuseOrigin('https://box')).toBeUndefined();
    expect(policy.refuseOrigin('http://box')).toMatch(/another site/);
  });
});

describe('HTTPS off loopback', () => {
  it('serves HTTPS with a self-signed certificate kept in the data dir, and prints the real address', async () => {
    const tlsDir = join(mkdtempSync(join(tmpdir(), 'http-tls-')), 'data');
    const http = await serve({ host: '0.0.0.0', tlsDir });
    const port = portOf(http);
    expect(http.url).toBe(`https://${shownAddress('0.0.0.0')}:${port}`);
    expect(http.url).not.toContain('0.0.0.0');
    expect(http.tls).toMatchObject({ selfSigned: true, created: true, fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    for (const file of ['browser-mode-cert.pem', 'browser-mode-key.pem']) expect(statSync(join(tlsDir, file)).mode & 0o777).toBe(0o600);
    // Verified with the certificate as the only trust anchor, under the names a client may use.
    expect((await appInfo(http, `127.0.0.1:${port}`, http.tls?.cert)).status).toBe(200);
    expect((await appInfo(http, `localhost:${port}`, http.tls?.cert)).status).toBe(200);
    // Plain HTTP gets nothing.
    await expect(rawRequest(`http://127.0.0.1:${port}/api/v1/call/app.info`, { method: 'POST', headers: { Authorization: `Bearer ${http.consoleToken}` } })).rejects.toThrow();
    // A WebSocket over TLS, from the console's own origin.
    const socket = await openSocket(`wss://127.0.0.1:${port}/api/v1/stream?token=${http.consoleToken}`, { ca: http.tls?.cert, origin: `https://127.0.0.1:${port}` });
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'q', stream: 'test.quiet' }));
    await expect.poll(() => socket.frames[0]?.op, { timeout: 5000 }).toBe('event');
    socket.ws.close();
    const fingerprint = http.tls?.fingerprint;
    await http.close();
    transports.length = 0;
    // The next start keeps the same certificate (the fingerprint the operator checked).
    const again = await serve({ host: '0.0.0.0', tlsDir });
    expect(again.tls).toMatchObject({ created: false, fingerprint });
  });

  it('serves a given certificate and answers to its names', async () => {
    const made = await selfsigned.generate([{ name: 'commonName', value: 'console.example.org' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'console.example.org' }, { type: 7, ip: '127.0.0.1' }] }],
    });
    const http = await serve({ tls: { cert: made.cert, key: made.private } });
    const port = portOf(http);
    expect(http.url).toBe(`https://127.0.0.1:${port}`);
    expect(http.tls).toMatchObject({ selfSigned: false, created: false });
    expect((await appInfo(http, `console.example.org:${port}`, made.cert)).status).toBe(200);
    // A name the certificate does not hold (the TLS name check skipped so the Host check is what answers).
    expect((await appInfo(http, `other.example.org:${port}`, made.cert, true)).status).toBe(403);
  });

  it('refuses to serve a non-loopback address in cleartext', async () => {
    await expect(startHttpTransport({ server: fakeCore(), host: '0.0.0.0' })).rejects.toThrow(/needs HTTPS/);
  });
});

describe('peer addresses', () => {
  it('knows this machine’s loopback, IPv4-mapped included, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['10.0.0.5', '::ffff:10.0.0.5', '192.168.1.2', 'fe80::1', '', undefined, '1127.0.0.1', '127.0.0.1.example']) expect(isLoopbackAddress(address), String(address)).toBe(false);
  });
});
