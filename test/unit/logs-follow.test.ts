// logs.follow against a scripted Kubernetes API: a stream dropped mid-line re-attaches from the last
// second and nothing is delivered twice or lost (the partial line comes whole), invalid UTF-8 passes
// as replacement characters, a Pending pod shows the API's 400 message as is and is attached when it
// starts, a deleted pod's source ends and a new pod is read from its start (no tail).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startFollow } from '../../electron/core/logs/index.js';
import type { LogEvent } from '../../shared/contract/logs.js';

interface Pod {
  metadata: { name: string; namespace: string; uid: string; labels: Record<string, string> };
  spec: { containers: { name: string }[] };
  status: Record<string, unknown>;
}
const running = (name: string, id = `containerd://${name}`): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 0, containerID: id, state: { running: { startedAt: '2026-12-02T10:00:00Z' } } }] },
});
const pending = (name: string): Pod => ({
  ...running(name),
  status: { phase: 'Pending', containerStatuses: [{ name: 'app', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
});

type LogHandler = (query: URLSearchParams, res: http.ServerResponse, attempt: number) => void;

function fakeApi(initial: Pod[]) {
  const watchers = new Set<http.ServerResponse>();
  const logs = new Map<string, LogHandler>();
  const attempts = new Map<string, number>();
  const logQueries: { pod: string; query: URLSearchParams }[] = [];
  const pods = new Map(initial.map((p) => [p.metadata.name, p]));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://api');
    const log = /^\/api\/v1\/namespaces\/ns\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log) {
      const pod = log[1];
      const attempt = (attempts.get(pod) ?? 0) + 1;
      attempts.set(pod, attempt);
      logQueries.push({ pod, query: url.searchParams });
      const handler = pods.has(pod) ? logs.get(pod) : undefined;
      if (!handler) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: `pods "${pod}" not found`, code: 404 }));
        return;
      }
      handler(url.searchParams, res, attempt);
      return;
    }
    if (url.pathname === '/apis/apps/v1/namespaces/ns/deployments/web') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } }));
      return;
    }
    if (url.pathname === '/api/v1/namespaces/ns/pods') {
      expect(url.searchParams.get('labelSelector')).toBe('app=web');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (url.searchParams.get('watch') === 'true') {
        res.flushHeaders();
        watchers.add(res);
        res.on('close', () => watchers.delete(res));
        return;
      }
      res.end(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [...pods.values()] }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return {
    server,
    logs,
    logQueries,
    event(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod) {
      if (type === 'DELETED') pods.delete(pod.metadata.name);
      else pods.set(pod.metadata.name, pod);
      for (const w of watchers) w.write(JSON.stringify({ type, object: pod }) + '\n');
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
        users: [{ name: 'u', token: 't' }],
        contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
        currentContext: 'ctx',
      });
      return kc;
    },
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

const until = async (what: string, check: () => boolean, ms = 4_000, seen?: unknown) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${seen ? `; events: ${JSON.stringify(seen).slice(0, 2_000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Starts a follow against the fake API; the test's end stops it and closes the server and open responses. */
function follow(api: ReturnType<typeof fakeApi>, params: Parameters<typeof startFollow>[0], deps: Parameters<typeof startFollow>[2], open: http.ServerResponse[] = []): LogEvent[] {
  const events: LogEvent[] = [];
  const stop = startFollow(params, (e) => events.push(e), deps);
  cleanups.push(() => {
    stop();
    for (const r of open) r.destroy();
    api.server.closeAllConnections();
    api.server.close();
  });
  return events;
}

const ts = (second: number, nanos: number) => `2026-12-02T10:00:${String(second).padStart(2, '0')}.${String(nanos).padStart(9, '0')}Z`;

describe('logs.follow', () => {
  it('re-attaches a stream dropped mid-line from the last second: nothing twice, nothing lost, the cut line whole', async () => {
    const api = fakeApi([running('web-1')]);
    const open: http.ServerResponse[] = [];
    api.logs.set('web-1', (query, res, attempt) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      open.push(res);
      if (attempt === 1) {
        expect(query.get('tailLines')).toBe('10');
        res.write(`${ts(4, 500)} before\n${ts(5, 1)} one\n${ts(5, 2)} two\n${ts(5, 2)} two\n`);
        res.write(`${ts(5, 3)} a line cut in ha`);
        setTimeout(() => res.socket?.destroy(), 30);
      } else {
        expect(query.get('sinceTime')).toBe('2026-12-02T10:00:05Z');
        expect(query.get('tailLines')).toBeNull();
        res.write(`${ts(5, 1)} one\n${ts(5, 2)} two\n${ts(5, 2)} two\n${ts(5, 3)} a line cut in half, now whole\n`);
        res.write(Buffer.concat([Buffer.from(`${ts(6, 0)} bad `), Buffer.from([0xc3, 0x28]), Buffer.from(' utf-8\n')]));
      }
    });
    const kc = await api.start();
    const events = follow(api, { context: 'ctx', namespace: 'ns', target: { kind: 'workload', workloadKind: 'Deployment', name: 'web' }, previous: false, follow: true, tailLines: 10, maxSources: 10 }, { kc, redact: (t) => t, batchIntervalMs: 5 }, open);
    const texts = () => events.flatMap((e) => (e.type === 'lines' ? e.lines.map((l) => l.text) : []));
    await until('the lines after the re-attach', () => texts().includes('bad \uFFFD( utf-8'));
    expect(texts()).toEqual(['before', 'one', 'two', 'two', 'a line cut in half, now whole', 'bad \uFFFD( utf-8']);
    const states = events.filter((e) => e.type === 'source').map((e) => (e.type === 'source' ? e.state : ''));
    expect(states).toEqual(['attached', 'reattached']);
    const first = events.find((e) => e.type === 'lines');
    expect(first?.type === 'lines' && first.lines[0]).toEqual({ src: 0, t: Date.UTC(2026, 11, 2, 10, 0, 4, 0), text: 'before' });
    expect(events.find((e) => e.type === 'notice')).toMatchObject({ level: 'info', message: 'Following pods matching app=web in ns.' });
  });

  it('a Pending pod shows the API’s message as is, and is attached when it starts; a deleted pod ends; a new pod is read from its start', async () => {
    const api = fakeApi([pending('web-2')]);
    const open: http.ServerResponse[] = [];
    let started = false;
    const message = 'container "app" in pod "web-2" is waiting to start: ContainerCreating';
    api.logs.set('web-2', (_q, res) => {
      if (!started) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message, reason: 'BadRequest', code: 400 }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      open.push(res);
      res.write(`${ts(7, 0)} web-2 up\n`);
    });
    api.logs.set('web-3', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      open.push(res);
      res.write(`${ts(1, 0)} web-3 first line\n${ts(8, 0)} web-3 later\n`);
    });
    const kc = await api.start();
    const events = follow(api, { context: 'ctx', namespace: 'ns', target: { kind: 'selector', selector: 'app=web' }, previous: false, follow: true, tailLines: 1, maxSources: 10 }, { kc, redact: (t) => t, batchIntervalMs: 5 }, open);
    const sourceEvents = () => events.filter((e) => e.type === 'source');
    await until('the waiting message', () => sourceEvents().length > 0, 4_000, events);
    expect(sourceEvents()[0]).toEqual({ type: 'source', src: 0, pod: 'web-2', container: 'app', state: 'waiting', message });
    started = true;
    api.event('MODIFIED', running('web-2'));
    const texts = () => events.flatMap((e) => (e.type === 'lines' ? e.lines.map((l) => l.text) : []));
    await until('web-2 lines', () => texts().includes('web-2 up'), 4_000, events);
    expect(sourceEvents().at(-1)).toMatchObject({ src: 0, state: 'attached' });

    api.event('ADDED', running('web-3'));
    await until('web-3 lines', () => texts().includes('web-3 later'), 4_000, events);
    expect(texts().filter((t) => t.startsWith('web-3'))).toEqual(['web-3 first line', 'web-3 later']);
    expect(api.logQueries.find((q) => q.pod === 'web-3')?.query.get('tailLines')).toBeNull();
    expect(api.logQueries.find((q) => q.pod === 'web-2' && q.query.get('tailLines') === '1')).toBeTruthy();

    api.event('DELETED', running('web-2'));
    for (const r of open.splice(0, 1)) r.end();
    await until('web-2 ended', () => sourceEvents().some((e) => e.type === 'source' && e.pod === 'web-2' && e.state === 'ended'), 4_000, events);
  });

  it('not following: reads each container once and ends', async () => {
    const api = fakeApi([running('web-1'), running('web-4')]);
    for (const pod of ['web-1', 'web-4']) {
      api.logs.set(pod, (query, res) => {
        expect(query.get('follow')).toBeNull();
        expect(query.get('limitBytes')).toBe(String(64 << 20));
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`${ts(1, 0)} ${pod} only line\n${ts(2, 0)} ${pod} no newline at the end`);
      });
    }
    const kc = await api.start();
    const events = follow(api, { context: 'ctx', namespace: 'ns', target: { kind: 'selector', selector: 'app=web' }, previous: false, follow: false, maxSources: 10 }, { kc, redact: (t) => t, batchIntervalMs: 5, limitBytes: 64 << 20 });
    await until('the end', () => events.some((e) => e.type === 'end'));
    const texts = events.flatMap((e) => (e.type === 'lines' ? e.lines.map((l) => l.text) : [])).sort();
    expect(texts).toEqual(['web-1 no newline at the end', 'web-1 only line', 'web-4 no newline at the end', 'web-4 only line']);
  });
  it('a crash-looping container: waiting with its reason while it backs off, then the new instance from its start', async () => {
    const api = fakeApi([running('web-5', 'containerd://first')]);
    const open: http.ServerResponse[] = [];
    api.logs.set('web-5', (query, res, attempt) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      if (attempt === 1) {
        res.end(`${ts(1, 0)} first instance\n${ts(2, 0)} fatal: CUDA error\n`);
        return;
      }
      expect(query.get('sinceTime')).toBeNull();
      expect(query.get('tailLines')).toBeNull();
      open.push(res);
      res.write(`${ts(9, 0)} second instance\n`);
    });
    const kc = await api.start();
    const crashLooping: Pod = {
      ...running('web-5'),
      status: { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 1, containerID: 'containerd://first', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }] },
    };
    // The stream ends when the container dies; the watch already says it is backing off.
    api.event('MODIFIED', crashLooping);
    const events = follow(api, { context: 'ctx', namespace: 'ns', target: { kind: 'selector', selector: 'app=web' }, previous: false, follow: true, tailLines: 5, maxSources: 10 }, { kc, redact: (t) => t, batchIntervalMs: 5 }, open);
    const texts = () => events.flatMap((e) => (e.type === 'lines' ? e.lines.map((l) => l.text) : []));
    await until('the waiting state', () => events.some((e) => e.type === 'source' && e.state === 'waiting'), 4_000, events);
    expect(events.find((e) => e.type === 'source' && e.state === 'waiting')).toMatchObject({ message: 'container "app" in pod "web-5" is waiting to start: CrashLoopBackOff' });
    api.event('MODIFIED', running('web-5', 'containerd://second'));
    await until('the new instance', () => texts().includes('second instance'), 4_000, events);
    expect(texts()).toEqual(['first instance', 'fatal: CUDA error', 'second instance']);
  });
});
