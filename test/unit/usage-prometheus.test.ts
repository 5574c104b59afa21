// The CPU/memory fallback when a cluster has no metrics API: read from a fake Prometheus that
// answers /api/v1/query in Prometheus' own wire format, picking answers by the PromQL it is sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { createPrometheusClient } from '../../electron/core/metrics/prometheus-client.js';
import { USAGE_QUERIES, readPrometheusUsage } from '../../electron/core/metrics/usage-prometheus.js';
import { readClusterUsage } from '../../electron/core/metrics/usage.js';
import { KubeError } from '../../electron/core/kube/index.js';

type Answers = Record<string, { metric: Record<string, string>; value: [number, string] }[]>;
let answers: Answers = {};
const asked: string[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://x');
    const params = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString()) : u.searchParams;
    if (u.pathname === '/api/v1/status/buildinfo') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":{"version":"2.54.1"}}');
      return;
    }
    const query = params.get('query') ?? '';
    asked.push(query);
    const body = { status: 'success', data: { resultType: 'vector', result: answers[query] ?? [] } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const t = 1_764_660_000.123;
const client = () => createPrometheusClient({ url }, { retries: 0, timeoutMs: 2_000, cacheTtlMs: 0 });

describe('usage from Prometheus', () => {
  it('reads pods and nodes from the cAdvisor series', async () => {
    answers = {
      [USAGE_QUERIES.podCpu]: [{ metric: { namespace: 'inference', pod: 'llm-0' }, value: [t, '1.25'] }],
      [USAGE_QUERIES.podMemory]: [{ metric: { namespace: 'inference', pod: 'llm-0' }, value: [t, '2147483648'] }],
      [USAGE_QUERIES.nodeCpu]: [{ metric: { node: 'gpu-1' }, value: [t, '7.5'] }],
      [USAGE_QUERIES.nodeMemory]: [{ metric: { node: 'gpu-1' }, value: [t, '1e10'] }],
    };
    const usage = await readPrometheusUsage(client());
    expect(usage).toEqual({ pods: { 'inference/llm-0': { cpu: 1.25, memory: 2 ** 31 } }, nodes: { 'gpu-1': { cpu: 7.5, memory: 1e10 } } });
  });

  it('falls back to node-exporter for nodes, naming them by the instance host, and skips NaN samples', async () => {
    answers = {
      [USAGE_QUERIES.nodeCpuExporter]: [{ metric: { instance: 'cpu-1:9100' }, value: [t, '0.5'] }, { metric: { instance: 'cpu-2:9100' }, value: [t, 'NaN'] }],
      [USAGE_QUERIES.nodeMemoryExporter]: [{ metric: { instance: 'cpu-1:9100' }, value: [t, '4096'] }],
    };
    expect(await readPrometheusUsage(client())).toEqual({ pods: {}, nodes: { 'cpu-1': { cpu: 0.5, memory: 4096 } } });
    expect(asked).toContain(USAGE_QUERIES.nodeCpuExporter);
  });

  it('answers undefined when Prometheus holds none of these series', async () => {
    answers = {};
    expect(await readPrometheusUsage(client())).toBeUndefined();
  });
});

describe('readClusterUsage', () => {
  const kc = new KubeConfig();
  it('uses Prometheus when the metrics API is not installed (404), and says so', async () => {
    answers = { [USAGE_QUERIES.podCpu]: [{ metric: { namespace: 'a', pod: 'b' }, value: [t, '0.1'] }] };
    const usage = await readClusterUsage(
      { kubeConfig: () => kc, prometheus: async () => client(), readMetricsApi: async () => Promise.reject(new KubeError('GET /apis/metrics.k8s.io/v1beta1/nodes answered HTTP 404', 404, 'NotFound')) },
      'prod',
    );
    expect(usage).toMatchObject({ source: 'prometheus', pods: { 'a/b': { cpu: 0.1, memory: 0 } } });
    expect(usage.detail).toContain('the metrics API (metrics.k8s.io) is not installed');
  });

  it('prefers the metrics API when it answers', async () => {
    const usage = await readClusterUsage({ kubeConfig: () => kc, prometheus: async () => client(), readMetricsApi: async () => ({ nodes: { n: { cpu: 1, memory: 2 } }, pods: {} }) }, 'prod');
    expect(usage).toMatchObject({ source: 'metrics-api', nodes: { n: { cpu: 1, memory: 2 } } });
  });

  it('says why there are no figures when neither answers', async () => {
    const usage = await readClusterUsage({ kubeConfig: () => kc, prometheus: async () => Promise.reject(new Error('No Prometheus found for prod')), readMetricsApi: async () => Promise.reject(new KubeError('forbidden', 403, 'Forbidden', 'nodes.metrics.k8s.io is forbidden')) }, 'prod');
    expect(usage).toMatchObject({ source: 'none', nodes: {}, pods: {} });
    expect(usage.detail).toBe('No usage figures: the metrics API failed: nodes.metrics.k8s.io is forbidden, and Prometheus could not be read (No Prometheus found for prod).');
  });
});
