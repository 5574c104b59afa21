// Runbooks (issue 13): `npm run bench -- runbooks` (or `npx tsx test/bench/runbooks.ts`).
// - parse: 1,000 runbooks (the bundled ones, each made distinct) through the parser.
// - journal append: one step-end record with 2 KB of output, written and fsync'd, BENCH_RUNBOOK_APPENDS times.
// - step start: from the HTTP call (what a click sends in browser mode) to the step's shell having
//   spawned, BENCH_RUNBOOK_STEPS times, through the real console core and transport.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunbook } from '../../shared/model/runbook.js';
import { openJournal } from '../../electron/core/runbooks/journal.js';
import { createApp } from '../../electron/core/app.js';
import { startHttpTransport } from '../../electron/transport/http.js';
import { percentile } from './_percentile.js';

const APPENDS = Number(process.env.BENCH_RUNBOOK_APPENDS ?? 300);
const STEPS = Number(process.env.BENCH_RUNBOOK_STEPS ?? 60);
const figure = (metric: string, value: number, unit: string) => console.log(`runbooks.${metric} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bench-runbooks-'));

try {
  // Parse 1,000.
  const bundled = readdirSync(join(root, 'resources/runbooks')).map((f) => readFileSync(join(root, 'resources/runbooks', f), 'utf8'));
  const sources = Array.from({ length: 1000 }, (_, i) => bundled[i % bundled.length].replace(/^title: (.*)$/m, `title: $1 #${i}`));
  for (const s of sources.slice(0, 50)) parseRunbook(s, 'warm.md');
  const t0 = performance.now();
  let steps = 0;
  for (const [i, s] of sources.entries()) steps += parseRunbook(s, `rb-${i}.md`).steps.length;
  const parseMs = performance.now() - t0;
  figure('parse_1000_ms', parseMs, `ms (${steps} steps)`);
  console.log(`target parse_1000_ms <= 500 ${parseMs <= 500 ? 'met' : 'MISSED'}`);

  // Journal append with fsync.
  const journal = openJournal(dir, 'bench');
  const output = 'x'.repeat(2048);
  const appends: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    const a = performance.now();
    journal.append({ t: 'step-end', at: new Date().toISOString(), stepId: `step-${i}`, status: 'succeeded', exitCode: 0, durationMs: 12, output });
    appends.push(performance.now() - a);
  }
  journal.close();
  const appendP95 = percentile(appends, 95);
  figure('journal_append_p50_ms', percentile(appends, 50), 'ms');
  figure('journal_append_p95_ms', appendP95, `ms (${APPENDS} appends, 2 KB output, fsync each)`);
  console.log(`target journal_append_p95_ms <= 20 ${appendP95 <= 20 ? 'met' : 'MISSED'}`);

  // Step start: HTTP call -> bash spawned.
  const books = join(dir, 'books');
  mkdirSync(books);
  writeFileSync(join(books, 'many.md'), Array.from({ length: STEPS }, (_, i) => `\`\`\`sh {"name":"s${i}"}\ntrue\n\`\`\`\n`).join('\n'));
  const app = await createApp({ mode: 'browser', dataDir: join(dir, 'data'), kubeconfig: { explicitPath: join(dir, 'no-kubeconfig.yaml') }, demo: false, version: 'bench', log: () => undefined });
  const http = await startHttpTransport({ server: app.server, port: 0 });
  const call = async (method: string, body: unknown) => {
    const res = await fetch(`${http.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${http.consoleToken}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method}: ${await res.text()}`);
    return (await res.json()) as { runId: string };
  };
  await call('runbooks.addFolder', { path: books });
  const { runbooks } = (await (await fetch(`${http.url}/api/v1/call/runbooks.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${http.consoleToken}` }, body: JSON.stringify({ query: 'many' }) })).json()) as { runbooks: Array<{ id: string }> };
  const run = await call('runbooks.start', { id: runbooks[0].id, inputs: {} });
  const starts: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const a = performance.now();
    await call('runbooks.runStep', { runId: run.runId, stepId: `s${i}`, confirmChange: true });
    starts.push(performance.now() - a);
    await app.server.call('runbooks.run', { runId: run.runId }, { kind: 'console', readOnly: false });
    // The next step may start only when this one finished.
    for (;;) {
      const state = (await app.server.call('runbooks.run', { runId: run.runId }, { kind: 'console', readOnly: false })) as { steps: Array<{ status: string }> };
      if (state.steps[i].status !== 'running') break;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  await http.close();
  await app.stop();
  const startP95 = percentile(starts, 95);
  figure('step_start_p50_ms', percentile(starts, 50), 'ms');
  figure('step_start_p95_ms', startP95, `ms (${STEPS} steps, HTTP call to bash spawned)`);
  console.log(`target step_start_p95_ms <= 150 ${startP95 <= 150 ? 'met' : 'MISSED'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
