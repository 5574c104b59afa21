// Test support for the metrics integration tests: the machine's real Prometheus on a temp TSDB, a
// tiny static DCGM exporter we control, and a proxy in front of Prometheus that can be slow, answer
// 400 or send garbage. Everything on loopback, ports from the OS, stopped by the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestPrometheus {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts again on the same port and TSDB (after stop). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startPrometheus(options: { targets?: string[]; scrapeInterval?: string; tsdbPath?: string; port?: number; retention?: string } = {}): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-prom-'));
  const config = join(dir, 'prometheus.yml');
  const scrape = options.scrapeInterval ?? '1s';
  writeFileSync(
    config,
    `global:\n  scrape_interval: ${scrape}\n  evaluation_interval: ${scrape}\nscrape_configs:\n` +
      (options.targets?.length ? `  - job_name: dcgm\n    static_configs:\n      - targets: [${options.targets.map((t) => `'${t}'`).join(', ')}]\n` : '  []\n'),
  );
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const tsdb = options.tsdbPath ?? join(dir, 'data');
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.retention.time=${options.retention ?? '1d'}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${url}/-/ready`)).ok) return;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('prometheus did not become ready within 30 s');
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => c.kill('SIGKILL'), 5_000);
      c.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    url,
    port,
    stop,
    restart: start,
    async cleanup() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Gpu {
  node: string;
  gpu: number;
  util: number;
  temp?: number;
  xid?: number;
  pod?: string;
  namespace?: string;
  /** Writes `hostname`/`exported_pod` instead of `Hostname`/`pod` (the other real-world label forms). */
  altLabels?: boolean;
  blank?: boolean;
}

export function dcgmText(gpus: Gpu[]): string {
  const lines: string[] = ['# TYPE DCGM_FI_DEV_GPU_UTIL gauge', '# TYPE DCGM_FI_DEV_GPU_TEMP gauge', '# TYPE DCGM_FI_DEV_XID_ERRORS gauge'];
  for (const g of gpus) {
    const host = g.altLabels ? `hostname="${g.node}"` : `Hostname="${g.node}"`;
    const pod = g.pod ? (g.altLabels ? `,exported_pod="${g.pod}",exported_namespace="${g.namespace}"` : `,pod="${g.pod}",namespace="${g.namespace}"`) : '';
    const labels = `{gpu="${g.gpu}",UUID="GPU-${g.node}-${g.gpu}",device="nvidia${g.gpu}",modelName="NVIDIA H100 80GB HBM3",${host}${pod}}`;
    lines.push(`DCGM_FI_DEV_GPU_UTIL${labels} ${g.blank ? '9223372036854775794' : g.util}`);
    lines.push(`DCGM_FI_DEV_GPU_TEMP${labels} ${g.temp ?? 50}`);
    lines.push(`DCGM_FI_DEV_XID_ERRORS${labels} ${g.xid ?? 0}`);
  }
  return lines.join('\n') + '\n';
}

export interface ServiceTraffic {
  service: string;
  pod: string;
  rps: number;
  errorRatio: number;
  /** Share of requests under each bucket bound (cumulative), for the bounds in LATENCY_BOUNDS. */
  latencyShares: number[];
  tokensPerRequest: number;
}

export const LATENCY_BOUNDS = [0.1, 0.25, 0.5, 1, 2.5, 5];

/** Inference request metrics as counters growing with time since `t0`, like a live service. */
export function serviceText(services: ServiceTraffic[], t0: number, now = Date.now()): string {
  const elapsed = (now - t0) / 1000;
  const lines = ['# TYPE inference_requests_total counter', '# TYPE inference_request_duration_seconds histogram', '# TYPE inference_tokens_generated_total counter'];
  for (const s of services) {
    const total = Math.floor(s.rps * elapsed);
    const errors = Math.floor(total * s.errorRatio);
    const l = `service="${s.service}",pod="${s.pod}",namespace="serving"`;
    lines.push(`inference_requests_total{${l},code="200"} ${total - errors}`, `inference_requests_total{${l},code="500"} ${errors}`);
    LATENCY_BOUNDS.forEach((b, i) => lines.push(`inference_request_duration_seconds_bucket{${l},le="${b}"} ${Math.floor(total * s.latencyShares[i])}`));
    lines.push(`inference_request_duration_seconds_bucket{${l},le="+Inf"} ${total}`, `inference_request_duration_seconds_count{${l}} ${total}`, `inference_request_duration_seconds_sum{${l}} ${total * 0.4}`);
    lines.push(`inference_tokens_generated_total{${l}} ${Math.floor((total - errors) * s.tokensPerRequest)}`);
  }
  return lines.join('\n') + '\n';
}

export async function startExporter(gpus: () => Gpu[], extra: () => string = () => ''): Promise<{ target: string; stop(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(dcgmText(gpus()) + extra());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { target: `127.0.0.1:${port}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

export type ProxyMode = 'pass' | 'slow' | 'bad-request' | 'garbage';

/** A proxy in front of Prometheus whose behaviour the test switches. */
export async function startFaultProxy(upstream: string): Promise<{ url: string; mode: ProxyMode; requests: number; stop(): Promise<void> }> {
  const state = { mode: 'pass' as ProxyMode, requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    if (state.mode === 'bad-request') {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end('{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error: unexpected end of input"}');
      return;
    }
    if (state.mode === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}, "values": [[1, 2');
      return;
    }
    const forward = () => {
      const target = new URL(req.url ?? '/', upstream);
      const up = http.request(target, { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end('bad gateway');
      });
      req.pipe(up);
    };
    if (state.mode === 'slow') setTimeout(forward, 3_000);
    else forward();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

/**
 * Writes history into a TSDB with `promtool tsdb create-blocks-from openmetrics`, so a Prometheus
 * started on it has hours of data at once. `text(t)` gives the exposition at unix second t.
 */
export async function backfill(tsdbPath: string, from: number, to: number, step: number, text: (t: number) => string): Promise<void> {
  const { execFile } = await import('node:child_process');
  const families = new Map<string, string[]>();
  for (let t = from; t <= to; t += step) {
    for (const line of text(t).split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const name = line.slice(0, line.search(/[{ ]/));
      let list = families.get(name);
      if (!list) families.set(name, (list = []));
      list.push(`${line} ${t}`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'fd-om-'));
  const file = join(dir, 'history.om');
  const out: string[] = [];
  for (const [name, lines] of families) {
    out.push(`# TYPE ${name} unknown`);
    // OpenMetrics wants each series' samples in time order: group by series.
    lines.sort((a, b) => {
      const sa = a.slice(0, a.lastIndexOf('}') + 1);
      const sb = b.slice(0, b.lastIndexOf('}') + 1);
      return sa < sb ? -1 : sa > sb ? 1 : Number(a.slice(a.lastIndexOf(' ') + 1)) - Number(b.slice(b.lastIndexOf(' ') + 1));
    });
    out.push(...lines);
  }
  out.push('# EOF');
  writeFileSync(file, out.join('\n') + '\n');
  await new Promise<void>((resolve, reject) =>
    execFile('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, tsdbPath], { maxBuffer: 64 * 1024 * 1024 }, (error, _o, stderr) =>
      error ? reject(new Error(`promtool backfill failed: ${stderr || error.message}`)) : resolve(),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}
