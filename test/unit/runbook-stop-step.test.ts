// Stopping a running step: a step that hangs (a `kubectl … -w`, a pipeline waiting on a pod) must not
// hold the run forever. Stop sends SIGTERM to the step's whole process group, SIGKILL after the grace;
// the step ends failed with who stopped it, the journal says so, and the step can be retried.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunbookLibrary, type RunbookLibrary } from '../../electron/core/runbooks/library.js';
import { createRunManager, type RunManager } from '../../electron/core/runbooks/runs.js';
import { journalPath, readJournal } from '../../electron/core/runbooks/journal.js';
import { spawnShellStep } from '../../electron/core/runbooks/step-runners.js';
import type { ActionRoad } from '../../electron/core/actions/action-road.js';
import type { AuditEntry } from '../../electron/core/audit/index.js';
import type { AuditRecord } from '../../shared/contract/actions.js';
import type { RunbookStep } from '../../shared/model/runbook.js';

const session = { kind: 'console', readOnly: false } as const;
const audited: AuditEntry[] = [];
const guardDeps = {
  audit: { append: (entry: AuditEntry): AuditRecord => (audited.push(entry), { ...entry, id: 'audit', time: '' }) },
  reviewer: { review: async (_context: string, checks: unknown[]) => checks.map(() => ({ allowed: true })), userOf: () => 'tester' },
};
let dir: string;
let library: RunbookLibrary;
let runs: RunManager;

const RUNBOOK = ['---', 'title: Hangs', '---', '```sh {"name":"wait"}', 'echo waiting; sleep 30 | cat; echo never', '```', '```sh {"name":"after"}', 'echo after', '```'].join('\n');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-runbook-stop-'));
  const books = join(dir, 'books');
  mkdirSync(books);
  writeFileSync(join(books, 'hangs.md'), RUNBOOK);
  library = createRunbookLibrary({ dataDir: dir, bundledDir: books });
  runs = createRunManager({ dataDir: dir, library, road: {} as ActionRoad, kubeconfigText: () => '', prometheus: async () => undefined, ...guardDeps });
});
afterEach(() => {
  runs.stop();
  library.close();
  rmSync(dir, { recursive: true, force: true });
});

const pidsOf = (pattern: string) => {
  // Processes still alive whose command line is exactly the step's sleep.
  const alive: number[] = [];
  for (const entry of readdirNumbers('/proc')) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() === pattern) alive.push(entry);
    } catch {
      // gone meanwhile
    }
  }
  return alive;
};
const readdirNumbers = (path: string): number[] => readdirSync(path).filter((n) => /^\d+$/.test(n)).map(Number);

describe('stopping a running runbook step', () => {
  it('ends the step failed, says who stopped it, kills the whole pipeline, and lets it be retried', async () => {
    const run = runs.start('bundled/hangs.md', undefined, {}, session);
    await runs.runStep(run.runId, 'wait', false, session, { confirmChange: true });
    // Its output arrived, so the pipeline is running.
    for (let i = 0; i < 100 && !runs.get(run.runId).steps[0].output.includes('waiting'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(pidsOf('sleep 30').length).toBeGreaterThan(0);
    expect(() => runs.stopStep(run.runId, 'after', session)).toThrow(/not running/);

    const stopping = runs.stopStep(run.runId, 'wait', session);
    expect(stopping.notice).toMatch(/Stopping "wait": SIGTERM/);
    const t0 = Date.now();
    await runs.idle(run.runId);
    expect(Date.now() - t0).toBeLessThan(4_000);
    const step = runs.get(run.runId).steps[0];
    expect(step.status).toBe('failed');
    expect(step.exitCode).toBe(143);
    expect(step.error).toMatch(/^stopped by .+ \(console\) after \d+ s \(exit 143\)$/);
    expect(step.output).not.toMatch(/never/);
    expect(pidsOf('sleep 30')).toEqual([]);

    const journal = readJournal(journalPath(dir, run.runId)).records.map((r) => r.t);
    expect(journal).toEqual(['start', 'step-start', 'step-stop', 'step-end']);
    expect(audited.filter((e) => e.phase === 'execute').at(-1)).toMatchObject({ outcome: 'failed', error: step.error });

    // The run is not stuck: the step can be run again (and skipped past).
    expect(() => runs.skipStep(run.runId, 'wait', session)).not.toThrow();
    await runs.runStep(run.runId, 'after', false, session, { confirmChange: true });
    await runs.idle(run.runId);
    expect(runs.get(run.runId).steps[1]).toMatchObject({ status: 'succeeded', output: 'after\n' });
  }, 20_000);

  it('sends SIGKILL after the grace when a process ignores SIGTERM', async () => {
    const step = { id: 'stubborn', kind: 'sh', lang: 'sh', section: '', code: "trap '' TERM; echo ready; sleep 20 & wait; echo never", line: 1, mutating: false } as RunbookStep;
    let output = '';
    const proc = spawnShellStep(step, process.env, (chunk) => (output += chunk));
    for (let i = 0; i < 100 && !output.includes('ready'); i++) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    proc.stop(300);
    const code = await proc.done;
    expect(code).toBe(137);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(output).not.toMatch(/never/);
  }, 10_000);
});
