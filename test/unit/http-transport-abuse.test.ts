// Browser mode under abuse (issue 11, "Crashes and floods"): hostile frames, floods of
// subscriptions, clients that do not read, oversized bodies, bad paths. The process keeps serving.
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import { startHttpTransport, type HttpTransport, type HttpTransportOptions } from '../../electron/transport/http.js';
import { fakeCore, hostileFrames, nextFrameOrClose, openSocket, rawRequest, type TestSocket } from './http-transport-helpers.js';

let app: App;
const transports: HttpTransport[] = [];
const logged: string[] = [];

beforeAll(async () => {
  app = await createApp({ mode: 'browser', dataDir: mkdtempSync(join(tmpdir(), 'http-abuse-')), kubeconfig: { useHomeConfig: false }, demo: false, version: '9.9.9', log: () => undefined });
});

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  logged.length = 0;
});

afterAll(async () => {
  await app.stop();
});

async function serve(options: Partial<HttpTransportOptions> = {}): Promise<HttpTransport> {
  const http = await startHttpTransport({ server: app.server, log: (line) => logged.push(line), ...options });
  transports.push(http);
  return http;
}

const streamUrl = (http: HttpTransport, token: string) => `${http.url.replace(/^http/, 'ws')}/api/v1/stream?token=${token}`;
const call = (http: HttpTransport, method: string, body: unknown, token: string) =>
  fetch(`${http.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('browser mode under hostile stream messages', () => {
  it('answers 1,000 hostile frames with an error or a close, and keeps serving', async () => {
    const http = await serve();
    let socket: TestSocket | undefined;
    const outcomes = new Map<string, number>();
    for (const frame of hostileFrames(1000)) {
      if (!socket || socket.isClosed()) {
        socket?.ws.terminate();
        socket = await openSocket(streamUrl(http, http.readonlyToken));
      }
      const before = socket.frames.length;
      socket.ws.send(frame.data, { binary: frame.binary });
      const outcome = await nextFrameOrClose(socket, before);
      const answer = outcome === 'frame' ? socket.frames[before] : undefined;
      if (answer) {
        expect(answer).toMatchObject({ op: 'error', error: { code: expect.any(String), message: expect.any(String) } });
        expect(answer.error?.code).not.toBe('internal');
      }
      const key = answer ? `error:${answer.error?.code}` : 'closed';
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    socket?.ws.close();
    expect([...outcomes.values()].reduce((a, b) => a + b)).toBe(1000);
    expect(outcomes.get('error:invalid_request')).toBeGreaterThan(10);
    // The process is alive and answers, calls and streams alike.
    const info = await call(http, 'app.info', {}, http.readonlyToken);
    expect(info.status).toBe(200);
    const fresh = await openSocket(streamUrl(http, http.consoleToken));
    fresh.ws.send(JSON.stringify({ op: 'subscribe', id: 'ok', stream: 'clusters.status', params: {} }));
    await expect.poll(() => fresh.frames.find((f) => f.id === 'ok')?.op, { timeout: 5000 }).toBe('event');
    fresh.ws.close();
    expect(logged.filter((l) => /unexpectedly/.test(l))).toEqual([]);
  }, 60_000);

  it('answers `null` with an error frame (it used to kill the process)', async () => {
    const http = await serve();
    const socket = await openSocket(streamUrl(http, http.readonlyToken));
    socket.ws.send('null');
    await expect.poll(() => socket.frames[0], { timeout: 5000 }).toMatchObject({ op: 'error', id: null, error: { code: 'invalid_request' } });
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'b', stream: 'clusters.status', params: {} }));
    await expect.poll(() => socket.frames.find((f) => f.id === 'b')?.op, { timeout: 5000 }).toBe('event');
    socket.ws.close();
  });

  it('logs a bug in a stream handler and keeps the socket and the process', async () => {
    const core = fakeCore();
    const http = await serve({ server: core });
    const socket = await openSocket(streamUrl(http, http.consoleToken));
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'boom', stream: 'test.throws' }));
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'stop', stream: 'test.bad-stop' }));
    socket.ws.send(JSON.stringify({ op: 'unsubscribe', id: 'stop' }));
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'fine', stream: 'test.quiet' }));
    await expect.poll(() => socket.frames.find((f) => f.id === 'fine')?.op, { timeout: 5000 }).toBe('event');
    expect(socket.frames.find((f) => f.id === 'boom')).toMatchObject({ op: 'error', error: { code: 'internal' } });
    expect(core.stopped).toContain('test.bad-stop');
    expect(logged.join('\n')).toMatch(/test\.throws failed unexpectedly/);
    expect(logged.join('\n')).toMatch(/stop failed/);
    expect(socket.isClosed()).toBe(false);
    socket.ws.close();
  });
});

describe('browser mode limits', () => {
  it('caps subscriptions per connection with a clear error', async () => {
    const http = await serve({ limits: { maxSubscriptionsPerConnection: 64, subscribeBurst: 1000 } });
    const socket = await openSocket(streamUrl(http, http.readonlyToken));
    for (let i = 0; i < 70; i++) socket.ws.send(JSON.stringify({ op: 'subscribe', id: `s${i}`, stream: 'clusters.status', params: {} }));
    await expect.poll(() => socket.frames.length, { timeout: 5000 }).toBeGreaterThanOrEqual(70);
    expect(socket.frames.filter((f) => f.op === 'event')).toHaveLength(64);
    const refused = socket.frames.filter((f) => f.op === 'error');
    expect(refused.map((f) => f.id)).toEqual(['s64', 's65', 's66', 's67', 's68', 's69']);
    expect(refused[0].error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('64 subscriptions') });
    // Unsubscribing makes room again.
    socket.ws.send(JSON.stringify({ op: 'unsubscribe', id: 's0' }));
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'again', stream: 'clusters.status', params: {} }));
    await expect.poll(() => socket.frames.find((f) => f.id === 'again')?.op, { timeout: 5000 }).toBe('event');
    socket.ws.close();
  });

  it('closes a socket that keeps sending refused messages, and only that client', async () => {
    const http = await serve({ limits: { refusalBurst: 20, refusalsPerSecond: 1 } });
    const flooder = await openSocket(streamUrl(http, http.readonlyToken));
    for (let i = 0; i < 200; i++) flooder.ws.send('null');
    const { code } = await flooder.closed;
    expect(code).toBe(1008);
    expect(flooder.frames.length).toBeLessThanOrEqual(21);
    expect(flooder.frames.at(-1)).toMatchObject({ op: 'error', error: { code: 'rate_limited' } });
    // Another client (the console token) is not affected.
    const other = await openSocket(streamUrl(http, http.consoleToken));
    other.ws.send('null');
    await expect.poll(() => other.frames[0]?.error?.code, { timeout: 5000 }).toBe('invalid_request');
    other.ws.close();
  });

  it('rate-limits subscriptions started per client, across its sockets', async () => {
    const http = await serve({ limits: { subscribeBurst: 8, subscribesPerSecond: 1 } });
    const [a, b] = [await openSocket(streamUrl(http, http.readonlyToken)), await openSocket(streamUrl(http, http.readonlyToken))];
    for (let i = 0; i < 6; i++) for (const s of [a, b]) s.ws.send(JSON.stringify({ op: 'subscribe', id: `x${i}`, stream: 'clusters.status', params: {} }));
    await expect.poll(() => a.frames.length + b.frames.length, { timeout: 5000 }).toBeGreaterThanOrEqual(12);
    const frames = [...a.frames, ...b.frames];
    expect(frames.filter((f) => f.op === 'event')).toHaveLength(8);
    expect(frames.filter((f) => f.error?.code === 'rate_limited').map((f) => f.error?.message)).toEqual(Array(4).fill(expect.stringContaining('Subscribing faster than 1 per second')));
    // The console token (another client) still subscribes.
    const other = await openSocket(streamUrl(http, http.consoleToken));
    other.ws.send(JSON.stringify({ op: 'subscribe', id: 'o', stream: 'clusters.status', params: {} }));
    await expect.poll(() => other.frames[0]?.op, { timeout: 5000 }).toBe('event');
    for (const s of [a, b, other]) s.ws.close();
  });

  it('rate-limits messages per socket', async () => {
    const http = await serve({ limits: { messageBurst: 10, messagesPerSecond: 1 } });
    const socket = await openSocket(streamUrl(http, http.readonlyToken));
    for (let i = 0; i < 15; i++) socket.ws.send(JSON.stringify({ op: 'subscribe', id: `m${i}`, stream: 'clusters.status', params: {} }));
    await expect.poll(() => socket.frames.length, { timeout: 5000 }).toBeGreaterThanOrEqual(15);
    expect(socket.frames.filter((f) => f.op === 'event')).toHaveLength(10);
    expect(socket.frames.filter((f) => f.error?.code === 'rate_limited')).toHaveLength(5);
    socket.ws.close();
  });

  it('drops a client that does not read instead of buffering without bound', async () => {
    const core = fakeCore();
    const http = await serve({ server: core, limits: { maxSendBufferBytes: 1 << 20 } });
    const socket = await openSocket(streamUrl(http, http.readonlyToken));
    socket.ws.send(JSON.stringify({ op: 'subscribe', id: 'f', stream: 'test.firehose' }));
    await expect.poll(() => core.started.length, { timeout: 5000 }).toBe(1);
    socket.ws.pause(); // stop reading: the kernel buffers fill, then the server's
    await expect.poll(() => core.stopped, { timeout: 20_000, interval: 50 }).toEqual(['test.firehose']);
    expect(logged.join('\n')).toMatch(/stopped reading/);
    socket.ws.resume();
    expect([1006, 1008]).toContain((await socket.closed).code); // cut after the grace period, or closed if the close frame got through
  }, 30_000);

  it('caps WebSockets per token with 429', async () => {
    const http = await serve({ limits: { maxConnectionsPerToken: 2 } });
    const a = await openSocket(streamUrl(http, http.readonlyToken));
    const b = await openSocket(streamUrl(http, http.readonlyToken));
    await expect(openSocket(streamUrl(http, http.readonlyToken))).rejects.toThrow(/status 429 .*rate_limited.*2 WebSockets/);
    const console_ = await openSocket(streamUrl(http, http.consoleToken));
    a.ws.close();
    await a.closed;
    await expect.poll(async () => (await openSocket(streamUrl(http, http.readonlyToken)).then((c) => (c.ws.close(), 'open'), (e: Error) => e.message)), { timeout: 5000 }).toBe('open');
    b.ws.close();
    console_.ws.close();
  });

  it('rate-limits refused calls with 429; good calls and the audit log are spared', async () => {
    const http = await serve({ limits: { refusalBurst: 5, refusalsPerSecond: 0.5 } });
    const before = ((await (await call(http, 'audit.list', {}, http.consoleToken)).json()) as { records: Array<{ outcome: string }> }).records.filter((r) => r.outcome === 'refused').length;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await call(http, 'settings.set', { theme: 'light' }, http.readonlyToken);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      } else await res.arrayBuffer();
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5)).toEqual(Array(7).fill(429));
    // Good calls of the same client still answer while it is limited.
    expect((await call(http, 'app.info', {}, http.readonlyToken)).status).toBe(200);
    const after = ((await (await call(http, 'audit.list', {}, http.consoleToken)).json()) as { records: Array<{ outcome: string }> }).records.filter((r) => r.outcome === 'refused').length;
    expect(after - before).toBe(5);
  });
});

describe('browser mode HTTP edge cases', () => {
  it('answers a 50 MB body with 413, declared or streamed', async () => {
    const http = await serve();
    const declared = await fetch(`${http.url}/api/v1/call/settings.set`, { method: 'POST', headers: { Authorization: `Bearer ${http.consoleToken}` }, body: Buffer.alloc(50 << 20, 0x20) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'too_large', message: expect.stringContaining('1048576 bytes') } });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 50; i++) controller.enqueue(new Uint8Array(1 << 20).fill(0x20));
        controller.close();
      },
    });
    const streamed = await fetch(`${http.url}/api/v1/call/settings.set`, { method: 'POST', headers: { Authorization: `Bearer ${http.consoleToken}` }, body, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await call(http, 'app.info', {}, http.consoleToken)).status).toBe(200);
  });

  it('answers a malformed percent-encoding with 400', async () => {
    const http = await serve({ staticDir: mkdtempSync(join(tmpdir(), 'http-static-')) });
    const res = await fetch(`${http.url}/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('answers malformed HTTP with 400 and keeps serving', async () => {
    const http = await serve();
    const port = Number(new URL(http.url).port);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GARBAGE / NOT-HTTP\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    const res = await rawRequest(`${http.url}/api/v1/call/app.info`, { method: 'POST', headers: { Authorization: `Bearer ${http.consoleToken}` } });
    expect(res.status).toBe(200);
  });
});
