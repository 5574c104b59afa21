import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { WATCHED_KINDS } from '../../shared/model/kube.js';
import { createClusterGpuNodes } from '../../electron/core/metrics/cluster-gpu-nodes.js';
import { createConnectionMonitor } from '../../electron/core/clusters/connection-monitor.js';
import { loadKubeconfig } from '../../electron/core/clusters/index.js';
import { collectionPath, getJson, KINDS, kindInfo, kubeRequest, KubeError, objectPath, streamWatch, WATCHED_KIND_INFO, type WatchLine } from '../../electron/core/kube/index.js';

const configFor = (server: string): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
};

describe('kinds table', () => {
  it('builds core, group and namespaced paths from one entry per kind', () => {
    expect(collectionPath(KINDS.Pod)).toBe('/api/v1/pods');
    expect(collectionPath(KINDS.Pod, 'ml')).toBe('/api/v1/namespaces/ml/pods');
    expect(collectionPath(KINDS.Node, 'ml')).toBe('/api/v1/nodes');
    expect(objectPath(KINDS.Rollout, 'ml', 'web', 'status')).toBe('/apis/argoproj.io/v1alpha1/namespaces/ml/rollouts/web/status');
    expect(objectPath(KINDS.Deployment, 'a b', 'x/y')).toBe('/apis/apps/v1/namespaces/a%20b/deployments/x%2Fy');
  });
  it('knows every watched kind, by kind or plural', () => {
    for (const plural of WATCHED_KINDS) expect(WATCHED_KIND_INFO[plural].plural).toBe(plural);
    expect(kindInfo('statefulsets')).toBe(KINDS.StatefulSet);
    expect(kindInfo('StatefulSet')).toBe(KINDS.StatefulSet);
    expect(kindInfo('Secret')).toBeUndefined();
  });
});

describe('Kubernetes requests', () => {
  let server: http.Server;
  let base: string;
  const seen: { method?: string; url?: string; auth?: string; type?: string; body: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body });
        if (req.url === '/version') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-test' }));
        } else if (req.url === '/api/v1/nodes') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ kind: 'NodeList', items: [
            { metadata: { name: 'gpu-1', labels: { 'karpenter.sh/nodepool': 'h100' } }, status: { capacity: { 'nvidia.com/gpu': '8' } } },
            { metadata: { name: 'cpu-1', labels: {} }, status: { capacity: { cpu: '16' } } },
          ] }));
        } else if (req.url?.startsWith('/forbidden')) {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'pods is forbidden: User "viewer" cannot list' }));
        } else if (req.url?.startsWith('/plain-error')) {
          res.writeHead(500);
          res.end('oops');
        } else if (req.url?.includes('watch=true')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
          res.end(JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } }) + '\n');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the plan bytes with the kubeconfig credentials', async () => {
    const answer = await kubeRequest(configFor(base), { method: 'PATCH', path: '/x', contentType: 'application/merge-patch+json', body: { spec: { replicas: 2 } } });
    expect(answer).toEqual({ ok: true });
    expect(seen.at(-1)).toMatchObject({ method: 'PATCH', url: '/x', auth: 'Bearer secret-token', type: 'application/merge-patch+json', body: '{"spec":{"replicas":2}}' });
  });

  it('a Status answer becomes one KubeError with status, reason and the server message', async () => {
    const error = await getJson(configFor(base), '/forbidden').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    expect(error).toMatchObject({ status: 403, reason: 'Forbidden', statusMessage: 'pods is forbidden: User "viewer" cannot list' });
    expect((error as KubeError).message).toBe('GET /forbidden answered HTTP 403: pods is forbidden: User "viewer" cannot list');
    expect((error as KubeError).detail).toBe('pods is forbidden: User "viewer" cannot list');
    const plain = (await getJson(configFor(base), '/plain-error').catch((e: unknown) => e)) as KubeError;
    expect(plain.detail).toBe('GET /plain-error answered HTTP 500');
  });

  it('an unreachable server is status 0 with a sentence', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const error = (await getJson(configFor(`http://127.0.0.1:${port}`), '/version').catch((e: unknown) => e)) as KubeError;
    expect(error).toBeInstanceOf(KubeError);
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/connection refused by 127\.0\.0\.1:\d+/);
  });

  it('the metrics domain lists GPU nodes through the same client', async () => {
    const nodes = await createClusterGpuNodes(() => configFor(base))('ctx');
    expect(nodes.gpus).toEqual(new Map([['gpu-1', 8]]));
    expect(nodes.pools).toEqual({ 'gpu-1': 'h100' });
    expect([...(nodes.names ?? [])]).toEqual(['gpu-1', 'cpu-1']);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/v1/nodes', auth: 'Bearer secret-token' });
  });

  it('the connection probe asks /version through the same client', async () => {
    const yaml = (server: string) =>
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${server}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: secret-token}\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\n`;
    const loaded = loadKubeconfig({ demoKubeconfig: yaml(base), useHomeConfig: false });
    const monitor = createConnectionMonitor(() => loaded, { intervalMs: 600_000 });
    await monitor.probeNow('ctx');
    monitor.stop();
    expect(monitor.statuses().find((s) => s.context === 'ctx')).toMatchObject({ state: 'live', serverVersion: 'v1.32.0-test' });
    expect(seen.at(-1)).toMatchObject({ url: '/version', auth: 'Bearer secret-token' });
  });

  it('streams watch lines until the server ends the watch', async () => {
    const lines: WatchLine[] = [];
    await streamWatch(configFor(base), '/api/v1/pods?watch=true', new AbortController().signal, (l) => lines.push(l), 5_000);
    expect(lines.map((l) => l.type)).toEqual(['ADDED', 'BOOKMARK']);
  });
});
