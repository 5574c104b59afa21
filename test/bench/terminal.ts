// Terminal benchmark (issue 14), end to end as a user runs it: the built console (`--serve`) on
// the demo fleet, the Terminal view in Chromium, a local shell and a shell in a demo pod.
// - <kind>_echo_p95_ms: from the key's keydown in the page (a capture listener on window, before
//   xterm sees it) to xterm's write callback for the output chunk that echoes it: the key went
//   page -> WebSocket -> console -> pty / exec socket -> shell -> back, and is in xterm's buffer.
//   ECHO_SAMPLES keys per kind, one at a time.
// - <kind>_mb_per_s: BENCH_TERMINAL_MB (default 1000) MB of output through the session into xterm
//   (`yes <119 x> | head -c N`: characters xterm's write callbacks counted, per second of wall time
//   from Enter until N are written), with the console's flow control (acks after xterm's write
//   callbacks) in the loop.
// - memory growth while that flows: the console process's RSS and the page's JS heap, sampled every
//   250 ms, peak minus the level before the flood (after a GC); memory_growth_mb is the largest.
// Prints `terminal.<metric> <value> <unit>` and `target ...` lines. `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { startDemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, ROOT, stopChild } from '../e2e/harness.js';
import { gotoTerminal, gpuPod, openLocalShell, openPodShell, panes, typeLine, waitForText } from '../e2e/terminal-page.js';
import { percentile } from './_percentile.js';

const MB = Number(process.env.BENCH_TERMINAL_MB ?? 1000);
const ECHO_SAMPLES = Number(process.env.BENCH_TERMINAL_ECHO ?? 100);
const LINE = 120;

const print = (metric: string, value: number, unit: string, target?: string) => {
  console.log(`terminal.${metric} ${Number(value.toFixed(1))} ${unit}`);
  if (target) console.log(`target ${metric} ${target}`);
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** ~`bytes` of 120-character lines (the demo pod shell streams `yes | head -c` too; it runs nothing after a streamed command, so the end is the count written). */
const floodCommand = (bytes: number) => `yes ${'x'.repeat(LINE - 1)} | head -c ${bytes}`;

type EchoWindow = Window & {
  __benchEcho?: { armed?: string; pending?: { ch: string; t0: number }; results: number[] };
  __flightdeckTerminal?: { onWritten(id: string, listener: (data: string) => void): () => void };
};

/** Keystroke -> echo latencies (ms) in one pane. */
async function echoLatencies(page: Page, paneId: string, samples: number): Promise<number[]> {
  await page.locator(`[data-pane="${paneId}"] .term-box`).click();
  await page.evaluate((id) => {
    const w = window as EchoWindow;
    const state: NonNullable<EchoWindow['__benchEcho']> = { results: [] };
    w.__benchEcho = state;
    w.__flightdeckTerminal?.onWritten(id, (data) => {
      if (state.pending && data.includes(state.pending.ch)) {
        state.results.push(performance.now() - state.pending.t0);
        state.pending = undefined;
      }
    });
    window.addEventListener(
      'keydown',
      (e) => {
        if (state.armed && e.key === state.armed) {
          state.pending = { ch: e.key, t0: performance.now() };
          state.armed = undefined;
        }
      },
      true,
    );
  }, paneId);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < samples; i++) {
    const ch = letters[i % 20];
    await page.evaluate((c) => ((window as EchoWindow).__benchEcho!.armed = c), ch);
    await page.keyboard.press(ch);
    await page.waitForFunction((n) => ((window as EchoWindow).__benchEcho?.results.length ?? 0) >= n, i + 1, { timeout: 10_000 });
    // Keep the line short: rub out every 20 characters (the rub-outs echo too, unmeasured).
    if (i % 20 === 19) for (let k = 0; k < 20; k++) await page.keyboard.press('Backspace');
  }
  for (let k = 0; k < samples % 20; k++) await page.keyboard.press('Backspace');
  return page.evaluate(() => (window as EchoWindow).__benchEcho!.results);
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const heapMb = async (cdp: CDPSession) => (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;

/** Floods one pane with `MB` megabytes; throughput and the memory peaks while it flows. */
async function flood(page: Page, cdp: CDPSession, consolePid: number, paneId: string, kind: 'local' | 'exec') {
  await cdp.send('HeapProfiler.collectGarbage');
  const rss0 = rssMb(consolePid);
  const heap0 = await heapMb(cdp);
  const written0 = (await panes(page)).find((p) => p.id === paneId)!.written;
  let rssPeak = rss0;
  let heapPeak = heap0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      rssPeak = Math.max(rssPeak, rssMb(consolePid));
      heapPeak = Math.max(heapPeak, await heapMb(cdp).catch(() => heapPeak));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const bytes = MB * 1_000_000;
  const started = Date.now();
  await typeLine(page, paneId, floodCommand(bytes));
  // The TTY turns each \n into \r\n, so xterm gets a little more than `bytes`: timed to `bytes` written.
  const deadline = started + 30 * 60_000;
  const writtenNow = async () => (await panes(page)).find((p) => p.id === paneId)!.written - written0;
  let written = 0;
  try {
    while ((written = await writtenNow()) < bytes) {
      if (Date.now() > deadline) throw new Error(`${kind}: ${bytes} bytes not written within 30 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    sampling = false;
  }
  const seconds = (Date.now() - started) / 1000;
  await sampler;
  // Let the rest drain (the demo pod shell reads no keys while it streams), then the shell answers again.
  for (let last = -1; last !== (written = await writtenNow()); last = written) await new Promise((r) => setTimeout(r, 1_000));
  await typeLine(page, paneId, 'echo flood-"over"');
  await waitForText(page, paneId, /^flood-over$/m, 60_000);
  return { mbPerS: bytes / 1e6 / seconds, seconds, writtenMb: written / 1e6, rssGrowth: rssPeak - rss0, heapGrowth: heapPeak - heap0, rss0, heap0 };
}

console.log(`# terminal bench: ${MB} MB per kind, ${ECHO_SAMPLES} echo samples per kind (load average ${load()})`);
const dir = mkdtempSync(join(tmpdir(), 'fd-bench-terminal-'));
const kubeconfig = join(dir, 'kubeconfig.yaml');
const fleet = await startDemoFleet({ kubeconfigOut: kubeconfig, nodes: 4, log: () => undefined });
const child = spawn(process.execPath, [join(ROOT, 'dist/electron/cli.js'), '--serve', '--data-dir', join(dir, 'data'), '--kubeconfig', kubeconfig], {
  env: { ...process.env, HOME: dir, KUBECONFIG: '' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const browser = await launchBrowser();
try {
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^console (\S+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the console exited (${code}): ${out}`)));
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(url);
  await gotoTerminal(page);
  const cdp = await page.context().newCDPSession(page);
  const base = new URL(url);
  const { pod } = await gpuPod(base.origin, base.searchParams.get('token') ?? '', 'demo-admin', 'inference');

  const growth: number[] = [];
  for (const kind of ['local', 'exec'] as const) {
    const paneId = kind === 'local' ? await openLocalShell(page) : await openPodShell(page, { namespace: 'inference', pod });
    await typeLine(page, paneId, 'echo bench-"ready"');
    await waitForText(page, paneId, /^bench-ready$/m);
    const echoes = await echoLatencies(page, paneId, ECHO_SAMPLES);
    print(`${kind}_echo_p50_ms`, percentile(echoes, 50), 'ms');
    print(`${kind}_echo_p95_ms`, percentile(echoes, 95), 'ms', kind === 'local' ? '<= 20' : '<= 40');
    const f = await flood(page, cdp, child.pid!, paneId, kind);
    print(`${kind}_mb_per_s`, f.mbPerS, 'MB/s', kind === 'local' ? '>= 20' : '>= 10');
    console.log(`# ${kind}: ${f.writtenMb.toFixed(0)} MB written into xterm in ${f.seconds.toFixed(1)} s; renderer ${(await panes(page)).find((p) => p.id === paneId)?.renderer}`);
    print(`${kind}_server_rss_growth_mb`, f.rssGrowth, 'MB');
    print(`${kind}_renderer_heap_growth_mb`, f.heapGrowth, 'MB');
    console.log(`# ${kind}: console RSS before ${f.rss0.toFixed(0)} MB, page JS heap before ${f.heap0.toFixed(0)} MB (load average ${load()})`);
    growth.push(f.rssGrowth, f.heapGrowth);
    await page.locator(`[data-pane="${paneId}"]`).getByRole('button', { name: /^Close pane/ }).click();
  }
  print('memory_growth_mb', Math.max(...growth), 'MB', '<= 100');
} finally {
  await browser.close();
  await stopChild(child);
  await fleet.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`# terminal bench done (load average ${load()})`);
process.exit(0);
