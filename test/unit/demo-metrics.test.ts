import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { DcgmExporter } from '../../electron/demo/metrics/dcgm-exporter.js';
import { FaultRegistry } from '../../electron/demo/metrics/faults.js';
import { ServiceModel } from '../../electron/demo/metrics/service-model.js';
import { defaultRulesDir, loadScaledRules, scaleExpr } from '../../electron/demo/metrics/rules.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

const T0 = Date.parse('2026-11-24T12:00:00Z');

function node(name: string, product: string, gpus = 8, ready = true): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'nvidia.com/gpu.product': product } },
    status: { allocatable: { 'nvidia.com/gpu': String(gpus) }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pod(name: string, ns: string, nodeName: string, opts: { gpus?: number; job?: boolean; app?: string; image?: string; hash?: string; phase?: string } = {}): KubeObject {
  const labels: Record<string, string> = { app: opts.app ?? name.replace(/-\w+$/, '') };
  if (opts.hash) labels['rollouts-pod-template-hash'] = opts.hash;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, labels, ownerReferences: opts.job ? [{ apiVersion: 'batch/v1', kind: 'Job', name: 'train', uid: 'u' }] : [] },
    spec: { nodeName, containers: [{ name: 'main', image: opts.image ?? 'registry.demo/model:1.0.0', resources: { limits: { 'nvidia.com/gpu': String(opts.gpus ?? 1) } } }] },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** Two GPU nodes: a100-0 runs an 8-GPU training job, h100-0 two inference pods and six idle GPUs. */
function fleet(): ObjectStore {
  const store = new ObjectStore();
  store.create('nodes', node('gpu-a100-0', 'NVIDIA-A100-SXM4-80GB'));
  store.create('nodes', node('gpu-h100-0', 'NVIDIA-H100-80GB-HBM3'));
  store.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cpu-0' }, status: { allocatable: { cpu: '32' } } });
  store.create('pods', pod('llama-train-0', 'training', 'gpu-a100-0', { gpus: 8, job: true }));
  store.create('pods', pod('llm-gateway-a', 'inference', 'gpu-h100-0', { app: 'llm-gateway' }));
  store.create('pods', pod('llm-gateway-b', 'inference', 'gpu-h100-0', { app: 'llm-gateway' }));
  return store;
}

function exporter(store: ObjectStore, seed = 7, faults = new FaultRegistry()) {
  const services = new ServiceModel(store, seed, faults);
  const dcgm = new DcgmExporter(store, seed, faults, (ns, s) => services.load(ns, s, T0));
  return { dcgm, services, faults };
}

type Sample = { name: string; labels: Record<string, string>; value: number };
function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}
const gpuValue = (samples: Sample[], name: string, host: string, gpu: number) =>
  samples.find((s) => s.name === name && s.labels.Hostname === host && s.labels.gpu === String(gpu))?.value;

/** promtool from PATH; a machine without it fails these checks with the install hint. */
const promtool = () => requireTool('promtool', INSTALL_HINTS.promtool);

/** promtool exit 0, or 3 with only the lint complaints the real exporter's own names cause. */
function promtoolMetrics(text: string): { status: number | null; problems: string[] } {
  const res = spawnSync(promtool(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const problems = `${res.stdout}${res.stderr}`.split('\n').filter(Boolean);
  return { status: res.status, problems };
}
const UPSTREAM_LINTS = [/counter metrics should have "_total" suffix/, /label names should be written in 'snake_case' not 'camelCase'/, /metric name should not include type 'counter'/];

describe('DCGM exporter', () => {
  it('exports every enabled default counter with the upstream HELP and TYPE', () => {
    const { dcgm } = exporter(fleet());
    const text = dcgm.fleetMetrics(T0).toString();
    const csv = readFileSync(join(__dirname, '../fixtures/dcgm/default-counters.csv'), 'utf8');
    const rows = csv.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(',').map((c) => c.trim()));
    const expected = rows.filter(([, type, help]) => type !== 'label' && help && !/vGPU/.test(help));
    expect(expected.length).toBeGreaterThan(20);
    for (const [name, type, help] of expected) {
      expect(text, name).toContain(`# HELP ${name} ${[help, ...rows.find((r) => r[0] === name)!.slice(3)].join(', ')}\n# TYPE ${name} ${type}\n`);
    }
  });

  it('has one series per GPU per metric, with the exporter labels and pod labels on allocated GPUs', () => {
    const { dcgm } = exporter(fleet());
    const samples = parseSamples(dcgm.fleetMetrics(T0).toString());
    const util = samples.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL');
    expect(util).toHaveLength(16);
    expect(new Set(util.map((s) => s.labels.UUID)).size).toBe(16);
    for (const s of util) {
      expect(Object.keys(s.labels).slice(0, 7)).toEqual(['gpu', 'UUID', 'pci_bus_id', 'device', 'modelName', 'Hostname', 'DCGM_FI_DRIVER_VERSION']);
      expect(s.labels.UUID).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(s.labels.device).toBe(`nvidia${s.labels.gpu}`);
    }
    const training = util.filter((s) => s.labels.Hostname === 'gpu-a100-0');
    expect(training.every((s) => s.labels.pod === 'llama-train-0' && s.labels.namespace === 'training' && s.labels.container === 'main')).toBe(true);
    expect(training[0].labels.modelName).toBe('NVIDIA A100-SXM4-80GB');
    const h100 = util.filter((s) => s.labels.Hostname === 'gpu-h100-0');
    expect(h100.filter((s) => s.labels.pod).map((s) => s.labels.pod).sort()).toEqual(['llm-gateway-a', 'llm-gateway-b']);
    expect(h100.filter((s) => !s.labels.pod)).toHaveLength(6);
    expect(samples.filter((s) => s.name === 'DCGM_FI_DEV_FB_USED')).toHaveLength(16);
  });

  it('drives values by what runs where: training busy, idle GPUs at zero, one hot GPU', () => {
    const { dcgm } = exporter(fleet());
    const samples = parseSamples(dcgm.fleetMetrics(T0).toString());
    for (let g = 0; g < 8; g++) {
      expect(gpuValue(samples, 'DCGM_FI_DEV_GPU_UTIL', 'gpu-a100-0', g)).toBeGreaterThanOrEqual(90);
      expect(gpuValue(samples, 'DCGM_FI_DEV_FB_USED', 'gpu-a100-0', g)).toBeGreaterThan(60_000);
    }
    const idle = samples.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL' && !s.labels.pod);
    expect(idle.every((s) => s.value === 0)).toBe(true);
    expect(samples.filter((s) => s.name === 'DCGM_FI_DEV_FB_USED' && !s.labels.pod).every((s) => s.value === 0)).toBe(true);
    // One of the two inference GPUs is allocated but idle: model in memory, nothing running.
    const inference = samples.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL' && s.labels.namespace === 'inference');
    const parked = inference.filter((s) => s.value <= 1);
    expect(parked).toHaveLength(1);
    expect(gpuValue(samples, 'DCGM_FI_DEV_FB_USED', 'gpu-h100-0', Number(parked[0].labels.gpu))).toBeGreaterThan(20_000);
    expect(inference.filter((s) => s.value > 10)).toHaveLength(1);
    const hot = samples.filter((s) => s.name === 'DCGM_FI_DEV_GPU_TEMP' && s.value > 85);
    expect(hot).toHaveLength(1);
    const fbTotal = (host: string, g: number) => ['FB_USED', 'FB_FREE', 'FB_RESERVED'].reduce((sum, f) => sum + (gpuValue(samples, `DCGM_FI_DEV_${f}`, host, g) ?? 0), 0);
    expect(fbTotal('gpu-a100-0', 0)).toBe(81920);
    expect(fbTotal('gpu-h100-0', 3)).toBe(81559);
  });

  it('integrates the energy counter over simulated time and never goes back', () => {
    const { dcgm } = exporter(fleet());
    const at = (t: number) => gpuValue(parseSamples(dcgm.fleetMetrics(t).toString()), 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'gpu-a100-0', 0) ?? 0;
    const e0 = at(T0);
    const e1 = at(T0 + 5_000);
    const e2 = at(T0 + 60_000);
    // ~300-400 W of a training A100 for 5 s is 1.5-2 MJ... in mJ: 1.5e6-2e6.
    expect(e1 - e0).toBeGreaterThan(1.2e6);
    expect(e1 - e0).toBeLessThan(2.1e6);
    expect(e2).toBeGreaterThan(e1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = exporter(fleet(), 42).dcgm;
    const b = exporter(fleet(), 42).dcgm;
    const c = exporter(fleet(), 43).dcgm;
    for (const t of [T0, T0 + 5_000, T0 + 30_000]) expect(a.fleetMetrics(t).equals(b.fleetMetrics(t))).toBe(true);
    expect(a.fleetMetrics(T0 + 35_000).equals(c.fleetMetrics(T0 + 35_000))).toBe(false);
  });

  it('reports XID faults and drops a NotReady node: its own page answers down and its series vanish', () => {
    const store = fleet();
    const { dcgm, faults } = exporter(store);
    faults.setXid('gpu-h100-0', 5, 79);
    let samples = parseSamples(dcgm.fleetMetrics(T0).toString());
    expect(gpuValue(samples, 'DCGM_FI_DEV_XID_ERRORS', 'gpu-h100-0', 5)).toBe(79);
    expect(gpuValue(samples, 'DCGM_FI_DEV_XID_ERRORS', 'gpu-h100-0', 4)).toBe(0);
    store.mutate('nodes', undefined, 'gpu-h100-0', (n) => {
      (n.status as { conditions: { status: string }[] }).conditions[0].status = 'Unknown';
    });
    expect(dcgm.nodeMetrics('gpu-h100-0', T0 + 5_000).status).toBe('down');
    expect(dcgm.nodeMetrics('gpu-a100-0', T0 + 5_000).status).toBe('ok');
    expect(dcgm.nodeMetrics('cpu-0', T0 + 5_000).status).toBe('unknown');
    samples = parseSamples(dcgm.fleetMetrics(T0 + 5_000).toString());
    expect(samples.some((s) => s.labels.Hostname === 'gpu-h100-0')).toBe(false);
    expect(samples.filter((s) => s.name === 'DCGM_FI_DEV_GPU_UTIL')).toHaveLength(8);
  });

  it('keeps the step cached through pod status churn, but not through a change of GPU holder', () => {
    const store = fleet();
    const { dcgm } = exporter(store);
    const first = dcgm.fleetMetrics(T0);
    store.mutate('pods', 'inference', 'llm-gateway-a', (p) => {
      (p.status as { startTime?: string }).startTime = '2026-11-24T11:00:00Z';
    });
    expect(dcgm.fleetMetrics(T0)).toBe(first);
    store.delete('pods', 'inference', 'llm-gateway-a');
    const after = dcgm.fleetMetrics(T0);
    expect(after).not.toBe(first);
    expect(after.toString()).not.toContain('pod="llm-gateway-a"');
  });

  it('passes promtool check metrics (only the lints upstream names cause)', () => {
    const { dcgm } = exporter(fleet());
    const { status, problems } = promtoolMetrics(dcgm.fleetMetrics(T0).toString());
    expect([0, 3]).toContain(status);
    expect(problems.filter((p) => !UPSTREAM_LINTS.some((re) => re.test(p)))).toEqual([]);
    const page = dcgm.nodeMetrics('gpu-a100-0', T0);
    expect(page.status).toBe('ok');
    if (page.status === 'ok') expect([0, 3]).toContain(promtoolMetrics(page.text.toString()).status);
  });
});

describe('inference service metrics', () => {
  function canaryFleet() {
    const store = fleet();
    for (const [i, hash] of ['stable1', 'stable1', 'stable1', 'stable1', 'canary1'].entries()) {
      store.create('pods', pod(`recommender-${hash}-${i}`, 'inference', 'gpu-h100-0', { app: 'recommender', hash, image: hash === 'canary1' ? 'registry.demo/recommender:2.4.0-rc1' : 'registry.demo/recommender:2.3.1' }));
    }
    store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'recommender', namespace: 'inference' }, spec: { selector: { app: 'recommender' } } });
    return store;
  }
  const byPod = (samples: Sample[], podName: string, code?: string) =>
    samples.filter((s) => s.name === 'inference_requests_total' && s.labels.pod === podName && (!code || s.labels.code === code)).reduce((a, s) => a + s.value, 0);

  it('exposes requests by code, a latency histogram and tokens, labelled by service, pod, version and hash', () => {
    const { services } = exporter(canaryFleet());
    services.advanceTo(T0);
    const text = services.render(T0 + 120_000);
    const samples = parseSamples(text);
    const s = samples.find((x) => x.name === 'inference_requests_total' && x.labels.pod === 'recommender-canary1-4' && x.labels.code === '200');
    expect(s?.labels).toEqual({ namespace: 'inference', service: 'recommender', pod: 'recommender-canary1-4', version: '2.4.0-rc1', rollouts_pod_template_hash: 'canary1', code: '200' });
    expect(s?.value).toBeGreaterThan(0);
    const buckets = samples.filter((x) => x.name === 'inference_request_duration_seconds_bucket' && x.labels.pod === 'llm-gateway-a');
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
    const count = samples.find((x) => x.name === 'inference_request_duration_seconds_count' && x.labels.pod === 'llm-gateway-a')?.value;
    expect(count).toBe(buckets.at(-1)?.value);
    expect(samples.some((x) => x.name === 'inference_tokens_generated_total' && x.labels.service === 'llm-gateway' && x.value > 0)).toBe(true);
    expect(samples.some((x) => x.name === 'inference_tokens_generated_total' && x.labels.service === 'recommender')).toBe(false);
    expect(promtoolMetrics(text)).toEqual({ status: 0, problems: [] });
  });

  it('a bad image makes only its pods fail; a basic canary gets its share of traffic', () => {
    const faults = new FaultRegistry();
    faults.setImageFault(':2.4.0-rc1', { errorRatio: 0.4 });
    const { services } = exporter(canaryFleet(), 7, faults);
    services.advanceTo(T0);
    const samples = parseSamples(services.render(T0 + 300_000));
    const canary = byPod(samples, 'recommender-canary1-4');
    const canary5xx = byPod(samples, 'recommender-canary1-4', '500') + byPod(samples, 'recommender-canary1-4', '503');
    expect(canary5xx / canary).toBeGreaterThan(0.3);
    expect(canary5xx / canary).toBeLessThan(0.5);
    const stable = byPod(samples, 'recommender-stable1-0');
    const stable5xx = byPod(samples, 'recommender-stable1-0', '500') + byPod(samples, 'recommender-stable1-0', '503');
    expect(stable5xx / stable).toBeLessThan(0.01);
    expect(canary / stable).toBeGreaterThan(0.8);
    expect(canary / stable).toBeLessThan(1.25);
  });

  it('a ramped fault climbs from the base error rate to full strength', () => {
    const faults = new FaultRegistry();
    faults.setImageFault(':2.4.0-rc1', { errorRatio: 0.4, rampMs: 120_000, since: T0 });
    const { services } = exporter(canaryFleet(), 7, faults);
    services.advanceTo(T0);
    const ratioAt = (t: number) => {
      const s = parseSamples(services.render(t));
      return (byPod(s, 'recommender-canary1-4', '500') + byPod(s, 'recommender-canary1-4', '503')) / byPod(s, 'recommender-canary1-4');
    };
    const early = ratioAt(T0 + 30_000);
    const late = ratioAt(T0 + 600_000);
    expect(early).toBeLessThan(0.1);
    expect(late).toBeGreaterThan(0.3);
  });

  it('counts identically for a seed however the time is walked', () => {
    const a = exporter(canaryFleet(), 9).services;
    const b = exporter(canaryFleet(), 9).services;
    a.advanceTo(T0);
    b.advanceTo(T0);
    for (let t = T0; t <= T0 + 60_000; t += 7_000) a.advanceTo(t);
    expect(a.render(T0 + 60_000)).toBe(b.render(T0 + 60_000));
  });
});

describe('Prometheus rules', () => {
  it('rescales range windows and keeps them above a floor', () => {
    expect(scaleExpr('rate(x[5m]) / rate(y[1h])', { factor: 1 / 60, minRangeMs: 4000 })).toBe('rate(x[5s]) / rate(y[60s])');
    expect(scaleExpr('rate(x[1m])', { factor: 1 / 60, minRangeMs: 4000 })).toBe('rate(x[4s])');
    expect(scaleExpr('max_over_time(x[10m:1m])', { factor: 1 / 2, minRangeMs: 1000 })).toBe('max_over_time(x[300s:30s])');
    expect(scaleExpr('rate(x[5m])', { factor: 1, minRangeMs: 4000 })).toBe('rate(x[5m])');
  });

  it('bundled and rescaled rule files pass promtool check rules', () => {
    const bin = promtool();
    const dir = mkdtempSync(join(tmpdir(), 'fd-rules-'));
    try {
      for (const factor of [1, 1 / 60]) {
        for (const rule of loadScaledRules(defaultRulesDir(), { factor, minRangeMs: 4000 })) {
          const file = join(dir, `${factor}-${rule.name}`);
          writeFileSync(file, rule.text);
          const res = spawnSync(bin, ['check', 'rules', file], { encoding: 'utf8' });
          expect(res.status, `${file}: ${res.stdout}${res.stderr}`).toBe(0);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exporter HTTP server', () => {
  it('serves the fleet page plain and gzip, node pages, and 503 for a node whose exporter is down', async () => {
    const { startExporterServer } = await import('../../electron/demo/metrics/server.js');
    const { gunzipSync } = await import('node:zlib');
    const { request } = await import('node:http');
    const store = fleet();
    const { dcgm, services, faults } = exporter(store);
    const server = await startExporterServer(dcgm, services, () => T0);
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        request(`${server.url}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject).end();
      });
    try {
      const plain = await get('/metrics');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const zipped = await get('/metrics', { 'Accept-Encoding': 'gzip' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.body.length).toBeLessThan(plain.body.length / 5);
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
      const nodePage = await get('/nodes/gpu-a100-0/metrics');
      expect(nodePage.status).toBe(200);
      expect(nodePage.body.toString()).toContain('Hostname="gpu-a100-0"');
      expect(nodePage.body.toString()).not.toContain('Hostname="gpu-h100-0"');
      faults.setExporterDown('gpu-a100-0', true);
      expect((await get('/nodes/gpu-a100-0/metrics')).status).toBe(503);
      expect((await get('/nodes/nope/metrics')).status).toBe(404);
      expect((await get('/inference/metrics')).body.toString()).toContain('# TYPE inference_request_duration_seconds histogram');
    } finally {
      await server.close();
    }
  });
});

describe('Prometheus launcher', () => {
  it('says in one line that prometheus is missing and goes on without it', async () => {
    const { startPrometheus } = await import('../../electron/demo/metrics/prometheus.js');
    const lines: string[] = [];
    const running = await startPrometheus({ exporterUrl: 'http://127.0.0.1:1', host: '127.0.0.1', timeFactor: 1, searchPath: '/nonexistent', log: (l) => lines.push(l) });
    expect(running).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^prometheus: not found on PATH; .*install/);
  });
});
