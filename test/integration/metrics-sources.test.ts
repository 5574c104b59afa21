// Finding Prometheus: through the API server's service proxy (a fake API server in front of a real
// Prometheus, as kube-prometheus-stack installs it), with the kubeconfig's credentials; and the
// bearer / basic credentials a user stores for a Prometheus URL, which stay in the main process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createMetricsService, type MetricsService } from '../../electron/core/metrics/index.js';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings-store.js';
import { startPrometheus, type TestPrometheus } from './metrics-support.js';

const session = { session: { kind: 'console' as const, readOnly: false } };
const PROXY = '/api/v1/namespaces/monitoring/services/prometheus-operated:web/proxy/';
let prom: TestPrometheus;
let api: http.Server;
let apiUrl: string;
const seen: Array<{ url: string; auth?: string }> = [];
let dataDir: string;
let service: MetricsService;

beforeAll(async () => {
  prom = await startPrometheus({ scrapeInterval: '1s' });
  api = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    if (req.headers.authorization !== 'Bearer kube-token' && !req.url?.startsWith('/direct/')) {
      res.writeHead(401).end();
      return;
    }
    if (req.url?.startsWith('/api/v1/services')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'ServiceList',
          apiVersion: 'v1',
          metadata: {},
          items: [
            { metadata: { name: 'grafana', namespace: 'monitoring' }, spec: { ports: [{ name: 'http', port: 80 }] } },
            { metadata: { name: 'prometheus-operated', namespace: 'monitoring' }, spec: { ports: [{ name: 'web', port: 9090 }] } },
          ],
        }),
      );
      return;
    }
    const prefix = req.url?.startsWith(PROXY) ? PROXY : req.url?.startsWith('/direct/') ? '/direct/' : undefined;
    if (!prefix) {
      res.writeHead(404).end();
      return;
    }
    const up = http.request(new URL('/' + (req.url ?? '').slice(prefix.length), prom.url), { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? '' } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'fd-sources-'));
  service = createMetricsService({
    dataDir,
    settings: () => ({ ...DEFAULT_SETTINGS, prometheusUrls: { manual: `${apiUrl}/direct/` } }),
    isDemoContext: () => false,
    kubeConfig: () => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: apiUrl, skipTLSVerify: true }],
        users: [{ name: 'u', token: 'kube-token' }],
        contexts: [{ name: 'prod', cluster: 'c', user: 'u' }],
        currentContext: 'prod',
      });
      return kc;
    },
    clusterGpuNodes: async () => ({ gpus: new Map(), pools: {} }),
    clientOptions: { timeoutMs: 3_000, retries: 0 },
  });
});

afterAll(async () => {
  await new Promise<void>((r) => api?.close(() => r()));
  await prom?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Prometheus sources', () => {
  it('finds prometheus-operated through the API server proxy with the kubeconfig credentials', async () => {
    const source = await service.handlers['metrics.source']({ context: 'prod' }, session);
    expect(source).toMatchObject({ kind: 'service-proxy', healthy: true, url: `${apiUrl}${PROXY}` });
    expect(source.detail).toBe('found service monitoring/prometheus-operated:web, read through the API server proxy');
    const answer = await service.handlers['metrics.query']({ context: 'prod', query: 'vector(42)' }, session);
    expect(answer.rows[0].value).toBe('42');
    expect(seen.some((s) => s.url.startsWith(`${PROXY}api/v1/query`) && s.auth === 'Bearer kube-token')).toBe(true);
  });

  it('sends stored bearer and basic credentials, keeps them out of every answer and in a 0600 file', async () => {
    await service.handlers['metrics.setAuth']({ context: 'manual', auth: { kind: 'bearer', token: 's3cret' } }, session);
    const source = await service.handlers['metrics.source']({ context: 'manual' }, session);
    expect(source).toMatchObject({ kind: 'settings', healthy: true, auth: 'bearer' });
    expect(JSON.stringify(source)).not.toContain('s3cret');
    expect(seen.at(-1)?.auth).toBe('Bearer s3cret');
    await service.handlers['metrics.setAuth']({ context: 'manual', auth: { kind: 'basic', username: 'ops', password: 'pw' } }, session);
    await service.handlers['metrics.source']({ context: 'manual' }, session);
    expect(seen.at(-1)?.auth).toBe(`Basic ${Buffer.from('ops:pw').toString('base64')}`);
    const file = join(dataDir, 'prometheus-auth.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('ops');
  });

  it('says what it tried when no Prometheus is found', async () => {
    api.removeAllListeners('request');
    api.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"kind":"ServiceList","apiVersion":"v1","metadata":{},"items":[]}');
    });
    const source = await service.handlers['metrics.source']({ context: 'prod', recheck: true }, session);
    expect(source).toMatchObject({ kind: 'none', healthy: false });
    expect(source.detail).toMatch(/No Prometheus found for prod: no service named like prometheus-operated or prometheus-server\. Set its URL in Settings/);
    await expect(service.handlers['gpu.heatmap']({ context: 'prod', metric: 'util', range: { start: 0, end: 60 }, groupBy: 'node', sort: 'name', callouts: false, rowOffset: 0, labels: 'all' }, session)).rejects.toMatchObject({
      code: 'upstream_unavailable',
    });
  });
});
