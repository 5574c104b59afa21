// Starts the machine's real Prometheus (and Alertmanager, when installed) on loopback for the demo
// fleet: config and TSDB in a temp dir, one DCGM target per GPU node via file_sd (a node going
// NotReady shows up as `up == 0`, as with a DaemonSet), the inference pods' metrics as a second
// job, the bundled rules rescaled to the fleet's speed. Both processes are stopped by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { defaultRulesDir, formatDuration, loadScaledRules } from './rules.js';

export interface PrometheusOptions {
  /** Exporter base URL, e.g. http://127.0.0.1:40123 */
  exporterUrl: string;
  host: string;
  /** Wall time per simulated time: 1 / speed. */
  timeFactor: number;
  /** Real-time scrape interval before scaling; 5 s by default. */
  scrapeIntervalMs?: number;
  rulesDir?: string;
  prometheusBin?: string;
  alertmanagerBin?: string;
  log?: (line: string) => void;
  /** Where to look for the binaries; $PATH by default. */
  searchPath?: string;
}

export interface RunningPrometheus {
  prometheusUrl: string;
  alertmanagerUrl?: string;
  /** Rewrites the DCGM target list (GPU node names). */
  setGpuNodes(nodes: readonly string[]): void;
  stop(): Promise<void>;
}

/** The target labels a ServiceMonitor adds for the DaemonSet's exporter pod on `node` (monitoring/dcgm-exporter). */
export function exporterPodLabels(node: string): { namespace: string; pod: string; container: string; service: string; endpoint: string } {
  let h = 2166136261;
  for (let i = 0; i < node.length; i++) h = Math.imul(h ^ node.charCodeAt(i), 16777619);
  const suffix = (h >>> 0).toString(36).padStart(5, '0').slice(-5);
  return { namespace: 'monitoring', pod: `dcgm-exporter-${suffix}`, container: 'dcgm-exporter', service: 'dcgm-exporter', endpoint: 'metrics' };
}

export function findOnPath(names: readonly string[], searchPath = process.env.PATH ?? ''): string | undefined {
  const dirs = searchPath.split(delimiter);
  for (const name of names) {
    for (const dir of dirs) {
      if (!dir) continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** GET <url> answered 2xx. node:http, not fetch: fetch loads undici (~0.1 s of CPU) on the demo's start-up path. */
function answersReady(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false)); // not listening yet
  });
}

async function waitReady(url: string, child: ChildProcess, logFile: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await answersReady(`${url}/-/ready`)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const tail = readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n');
  child.kill('SIGKILL');
  throw new Error(`${what} did not become ready at ${url}/-/ready within ${timeoutMs / 1000}s (exit code ${child.exitCode}). Last log lines from ${logFile}:\n${tail}`);
}

function startProcess(bin: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus | undefined> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const promBin = opts.prometheusBin ?? findOnPath(['prometheus'], opts.searchPath);
  if (!promBin) {
    log('prometheus: not found on PATH; the demo runs without metrics history (install it: apt-get install prometheus, or put the binary on PATH)');
    return undefined;
  }
  const amBin = opts.alertmanagerBin ?? findOnPath(['prometheus-alertmanager', 'alertmanager'], opts.searchPath);
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-prometheus-'));
  const host = opts.host;
  const exporter = new URL(opts.exporterUrl);
  const scrapeMs = Math.max(1000, Math.round((opts.scrapeIntervalMs ?? 5000) * opts.timeFactor));
  const interval = formatDuration(scrapeMs);

  let alertmanager: ChildProcess | undefined;
  let alertmanagerUrl: string | undefined;
  if (amBin) {
    const amPort = await freePort(host);
    alertmanagerUrl = `http://${host}:${amPort}`;
    writeFileSync(join(dir, 'alertmanager.yml'), stringify({
      route: { receiver: 'demo-null', group_by: ['alertname', 'namespace', 'service', 'Hostname'], group_wait: '1s', group_interval: '5s', repeat_interval: '1h' },
      receivers: [{ name: 'demo-null' }],
    }));
    alertmanager = startProcess(amBin, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager-data')}`,
      `--web.listen-address=${host}:${amPort}`,
      '--cluster.listen-address=',
    ], join(dir, 'alertmanager.log'));
  } else {
    log('alertmanager: not found on PATH (prometheus-alertmanager); alerts stay in Prometheus only');
  }

  const rules = loadScaledRules(opts.rulesDir ?? defaultRulesDir(), { factor: opts.timeFactor, minRangeMs: 4 * scrapeMs });
  const ruleFiles = rules.map((r) => {
    const path = join(dir, r.name);
    writeFileSync(path, r.text);
    return path;
  });
  const port = await freePort(host);
  const targetsFile = join(dir, 'dcgm-targets.json');
  const writeTargets = (nodes: readonly string[]) => {
    const groups = nodes.map((node) => ({
      targets: [exporter.host],
      labels: { __metrics_path__: `/nodes/${encodeURIComponent(node)}/metrics`, instance: node, node, ...exporterPodLabels(node) },
    }));
    writeFileSync(`${targetsFile}.tmp`, JSON.stringify(groups));
    renameSync(`${targetsFile}.tmp`, targetsFile);
  };
  writeTargets([]);
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: ruleFiles,
    alerting: alertmanagerUrl ? { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanagerUrl).host] }] }] } : undefined,
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`${host}:${port}`] }] },
      // As the dcgm-exporter Helm chart's ServiceMonitor scrapes: honorLabels false and the exporter
      // pod's own pod/namespace/container as target labels, so an allocated GPU's labels arrive as
      // exported_pod/exported_namespace/exported_container and a free GPU carries the exporter's pod.
      { job_name: 'dcgm-exporter', honor_labels: false, file_sd_configs: [{ files: [targetsFile], refresh_interval: '5s' }] },
      { job_name: 'inference', metrics_path: '/inference/metrics', honor_labels: true, static_configs: [{ targets: [exporter.host] }] },
    ],
  };
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const prometheusUrl = `http://${host}:${port}`;
  const prometheus = startProcess(promBin, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=${host}:${port}`,
    '--storage.tsdb.retention.time=1d',
    '--web.enable-lifecycle',
    '--log.level=warn',
  ], join(dir, 'prometheus.log'));

  const stop = async () => {
    await Promise.all([stopProcess(prometheus), stopProcess(alertmanager)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([
      waitReady(prometheusUrl, prometheus, join(dir, 'prometheus.log'), 'prometheus'),
      alertmanager && alertmanagerUrl ? waitReady(alertmanagerUrl, alertmanager, join(dir, 'alertmanager.log'), 'alertmanager') : Promise.resolve(),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  let last = '';
  return {
    prometheusUrl,
    alertmanagerUrl,
    setGpuNodes(nodes) {
      const key = nodes.join('\n');
      if (key === last) return;
      last = key;
      writeTargets(nodes);
    },
    stop,
  };
}
