import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../electron/core/app.js';
import { startHttpTransport, type HttpTransport } from '../../electron/transport/http.js';
import { counterAction, fixedReviewer } from './test-action.js';

let app: App;
let http: HttpTransport;
const state = { replicas: 1, executions: 0 };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'http-'));
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Flightdeck</title>');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  app = await createApp({
    mode: 'browser',
    dataDir: dir,
    kubeconfig: { useHomeConfig: false },
    demo: false,
    version: '9.9.9',
    reviewer: fixedReviewer(true),
    actionHandlers: [counterAction(state)],
    log: () => undefined,
  });
  // These tests are about the answers; the refusal rate limit (which 1,000 malformed requests
  // trip) is tested in http-transport-abuse.test.ts.
  http = await startHttpTransport({ server: app.server, staticDir, limits: { refusalBurst: 100_000 } });
});

afterAll(async () => {
  await http.close();
  await app.stop();
});

const call = (method: string, body: unknown, token?: string, raw?: string) =>
  fetch(`${http.url}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });

describe('browser-mode HTTP transport', () => {
  it('binds loopback by default and prints token URLs', () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(http.consoleUrl).toContain(`token=${http.consoleToken}`);
    expect(http.readonlyToken).not.toBe(http.consoleToken);
  });

  it('answers a call with the console token', async () => {
    const res = await call('app.info', {}, http.consoleToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'Flightdeck', version: '9.9.9', readOnly: false });
  });

  it('refuses requests without a valid token with 401 and no data', async () => {
    for (const token of [undefined, 'wrong', http.consoleToken + 'x']) {
      const res = await call('app.info', {}, token);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string }; name?: string };
      expect(body.error.code).toBe('unauthorized');
      expect(body.name).toBeUndefined();
    }
  });

  it('answers an unknown method with 404', async () => {
    const res = await call('nope.nothing', {}, http.consoleToken);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_method' } });
  });

  it('answers malformed JSON and invalid payloads with 400', async () => {
    const bad = await call('settings.set', null, http.consoleToken, '{"theme":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('JSON') } });
    const invalid = await call('settings.set', { theme: 42 }, http.consoleToken);
    expect(invalid.status).toBe(400);
  });

  it('refuses mutating methods to the read-only token with 403, and allows reads', async () => {
    const set = await call('settings.set', { theme: 'light' }, http.readonlyToken);
    expect(set.status).toBe(403);
    expect(await set.json()).toMatchObject({ error: { code: 'read_only' } });
    const prepare = await call('actions.prepare', { context: 'c', target: { kind: 'Counter', name: 'web' }, action: 'scale', params: { replicas: 3 } }, http.readonlyToken);
    expect(prepare.status).toBe(403);
    const info = await call('app.info', {}, http.readonlyToken);
    expect(await info.json()).toMatchObject({ readOnly: true });
    const audit = await (await call('audit.list', {}, http.readonlyToken)).json() as { records: Array<{ outcome: string; method?: string }> };
    expect(audit.records.filter((r) => r.outcome === 'refused').map((r) => r.method)).toEqual(expect.arrayContaining(['settings.set', 'actions.prepare']));
  });

  it('runs an action once over HTTP: second execute is 409', async () => {
    const plan = (await (await call('actions.prepare', { context: 'c', target: { kind: 'Counter', name: 'web' }, action: 'scale', params: { replicas: 3 } }, http.consoleToken)).json()) as { token: string };
    const first = await call('actions.execute', { token: plan.token }, http.consoleToken);
    expect(first.status).toBe(200);
    const second = await call('actions.execute', { token: plan.token }, http.consoleToken);
    expect(second.status).toBe(409);
    expect(state.executions).toBe(1);
  });

  it('keeps serving after 1,000 malformed requests', async () => {
    const garbage = ['{', '[]', '"x"', '{"theme":1}', 'null', '\u0000\u0001', '{"a":'.repeat(50)];
    const statuses = new Set<number>();
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, j) => call(j % 3 === 0 ? 'settings.set' : j % 3 === 1 ? 'no.such' : 'actions.execute', null, j % 7 === 0 ? undefined : http.consoleToken, garbage[(i + j) % garbage.length])),
      );
      for (const res of batch) {
        statuses.add(res.status);
        await res.arrayBuffer();
      }
    }
    expect([...statuses].every((s) => [400, 401, 404].includes(s))).toBe(true);
    const res = await call('app.info', {}, http.consoleToken);
    expect(res.status).toBe(200);
  }, 20_000); // 1,000 requests: seconds on a loaded 2-core machine

  it('rejects a WebSocket without token and streams with one', async () => {
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${http.url.replace('http', 'ws')}/api/v1/stream`);
      ws.on('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe('status 401');

    const ws = new WebSocket(`${http.url.replace('http', 'ws')}/api/v1/stream?token=${http.readonlyToken}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const messages: Array<{ op: string; id: string | null; data?: unknown; error?: { code: string } }> = [];
    ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
    ws.send('not json');
    ws.send(JSON.stringify({ op: 'subscribe', id: 'a', stream: 'no.stream', params: {} }));
    ws.send(JSON.stringify({ op: 'subscribe', id: 'b', stream: 'clusters.status', params: {} }));
    await expect.poll(() => messages.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(messages[0]).toMatchObject({ op: 'error', error: { code: 'invalid_request' } });
    expect(messages.find((m) => m.id === 'a')).toMatchObject({ op: 'error', error: { code: 'unknown_method' } });
    expect(messages.find((m) => m.id === 'b')).toMatchObject({ op: 'event', data: { statuses: [] } });
    ws.close();
  });

  it('serves the renderer with a strict CSP and never files outside it', async () => {
    const page = await fetch(`${http.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = await fetch(`${http.url}/..%2fsecret.txt`);
    expect(await escape.text()).not.toContain('do not serve');
  });
});
