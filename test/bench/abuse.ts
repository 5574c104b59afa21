// Browser mode under abuse (issue 11): the built console on the demo fleet as a child process, a
// well-behaved client calling app.info / clusters.list / resources.list steadily (and holding a
// topology.delta stream, as a screen does), then the subscription flood (3 read-only connections x
// 10,000 topology.delta subscribe messages) and a 30 s burst of hostile frames on 4 sockets.
// Prints `abuse.<metric> <value> <unit>`; the console's RSS growth and the well-behaved client's
// p95 while abused have targets. Abusive clients run on a worker thread (_abuse-clients.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { ROOT, stopChild } from '../e2e/harness.js';
import { percentile } from './_percentile.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONNECTIONS = 3;
const SUBSCRIPTIONS = arg('subscriptions', 10_000);
const HOSTILE_SECONDS = arg('seconds', 30);
const HOSTILE_SOCKETS = 4;

const print = (metric: string, value: number, unit: string, target?: string) => {
  console.log(`abuse.${metric} ${Number.isFinite(value) ? Math.round(value * 10) / 10 : 'NaN'} ${unit}`);
  if (target) console.log(`target abuse_${metric} ${target}`);
};
const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dataDir = mkdtempSync(join(tmpdir(), 'fd-bench-abuse-'));
const child = spawn(process.execPath, [join(ROOT, 'dist/electron/cli.js'), '--serve', '--demo', '--no-prometheus', '--data-dir', dataDir], {
  env: { ...process.env, HOME: dataDir, KUBECONFIG: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (d: Buffer) => (output += d.toString()));
child.stderr.on('data', (d: Buffer) => (output += d.toString()));
const worker = new Worker(new URL('./_abuse-clients.mjs', import.meta.url));
const ask = <T>(message: object): Promise<T> =>
  new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(message);
  });

try {
  const started = Date.now();
  while (!/^readonly \S+$/m.test(output)) {
    if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`the console did not start:\n${output}`);
    await sleep(50);
  }
  const consoleUrl = new URL(/^console (\S+)$/m.exec(output)![1]);
  const readonlyToken = new URL(/^readonly (\S+)$/m.exec(output)![1]).searchParams.get('token')!;
  const consoleToken = consoleUrl.searchParams.get('token')!;
  const base = consoleUrl.origin;
  const streamUrl = (token: string) => `${base.replace('http', 'ws')}/api/v1/stream?token=${token}`;

  const call = async (method: string, body: unknown): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/call/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${consoleToken}` }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${method} answered ${res.status}`);
    return performance.now() - t;
  };
  const wellBehavedRound = () => Promise.all([call('app.info', {}), call('clusters.list', {}), call('resources.list', { context: 'demo-admin', table: 'pods' })]);

  // Warm up: the demo fleet's caches, and a screen holding the topology stream.
  for (;;) {
    try {
      await wellBehavedRound();
      break;
    } catch (error) {
      if (Date.now() - started > 60_000) throw error;
      await sleep(200);
    }
  }
  const screen = new WebSocket(streamUrl(consoleToken));
  let screenEvents = 0;
  let screenClosed = false;
  screen.on('message', () => screenEvents++);
  screen.on('close', () => (screenClosed = true));
  await new Promise((resolve) => screen.once('open', resolve));
  screen.send(JSON.stringify({ op: 'subscribe', id: 'screen', stream: 'topology.delta', params: { context: 'demo-admin' } }));
  while (screenEvents === 0) await sleep(20);
  for (let i = 0; i < 20; i++) await wellBehavedRound();

  // Baseline: the quiet console's RSS (median of 2 s of samples) and the client's quiet p95.
  const quiet: number[] = [];
  const quietRss: number[] = [];
  const quietUntil = Date.now() + 2_000;
  while (Date.now() < quietUntil) {
    quiet.push(...(await wellBehavedRound()));
    quietRss.push(rssMb(child.pid!));
    await sleep(20);
  }
  const baseline = percentile(quietRss, 50);
  print('rss_baseline', baseline, 'MB');
  print('api_quiet_p95', percentile(quiet, 95), 'ms');

  // Abuse, with the well-behaved client and an RSS sampler running throughout.
  let abusing = true;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 100);
  const latencies: number[] = [];
  let failedCalls = 0;
  const client = (async () => {
    while (abusing) {
      try {
        latencies.push(...(await wellBehavedRound()));
      } catch {
        failedCalls++;
      }
      await sleep(20);
    }
  })();

  const floodStarted = performance.now();
  const flood = await ask<{ sockets: Array<{ sent: number; events: number; errors: Record<string, number>; closedByServer: boolean }> }>({
    type: 'flood',
    url: streamUrl(readonlyToken),
    connections: CONNECTIONS,
    subscriptions: SUBSCRIPTIONS,
    stream: 'topology.delta',
    params: { context: 'demo-admin' },
  });
  print('flood_seconds', (performance.now() - floodStarted) / 1000, 's');
  print('flood_messages_sent_before_close', flood.sockets.reduce((n, s) => n + s.sent, 0), 'messages');
  print('flood_subscriptions_served', flood.sockets.reduce((n, s) => n + s.events, 0), 'subscriptions');
  print('flood_refusals', flood.sockets.reduce((n, s) => n + Object.values(s.errors).reduce((a, b) => a + b, 0), 0), 'errors');
  print('flood_sockets_closed_by_server', flood.sockets.filter((s) => s.closedByServer).length, 'sockets');
  const floodLatencies = latencies.length;
  print('rss_flood_peak', peak, 'MB');

  const hostile = await ask<{ frames: number; answered: number; closes: number; refusedUpgrades: number }>({ type: 'hostile', url: streamUrl(readonlyToken), seconds: HOSTILE_SECONDS, parallel: HOSTILE_SOCKETS });
  print('hostile_frames', hostile.frames, 'frames');
  print('hostile_answered_with_error', hostile.answered, 'frames');
  print('hostile_sockets_closed', hostile.closes, 'sockets');

  await sleep(2_000);
  abusing = false;
  await client;
  clearInterval(sampler);

  print('rss_peak', peak, 'MB');
  print('rss_growth_mb', peak - baseline, 'MB', '<= 100');
  print('api_calls', latencies.length, 'calls');
  print('api_failed_calls', failedCalls, 'calls');
  print('api_flood_calls', floodLatencies, 'calls');
  print('api_flood_p95', percentile(latencies.slice(0, floodLatencies), 95), 'ms');
  print('api_p50_ms', percentile(latencies, 50), 'ms');
  print('api_p95_ms', percentile(latencies, 95), 'ms', '<= 200');
  print('api_max', Math.max(...latencies), 'ms');
  print('screen_stream_kept', screenClosed ? 0 : 1, 'bool');
  print('alive_after', (await call('app.info', {}).then(() => 1, () => 0)), 'bool');
  screen.close();
} finally {
  await worker.terminate();
  await stopChild(child);
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
