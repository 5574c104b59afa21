// A browser on another machine (browser mode off loopback) runs no process on Flightdeck's machine:
// a runbook's shell and kubectl steps are refused to it (their text, params filled in, goes to bash),
// "run to end" stops in front of them saying why, and the same steps run for a client on this machine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunbookLibrary, type RunbookLibrary } from '../../electron/core/runbooks/library.js';
import { createRunManager, REMOTE_STEP_REFUSED, type RunManager } from '../../electron/core/runbooks/runs.js';
import type { ActionRoad } from '../../electron/core/actions/action-road.js';
import type { AuditRecord } from '../../shared/contract/actions.js';

const here = { kind: 'console', readOnly: false } as const;
const remote = { kind: 'console', readOnly: false, remote: true } as const;
let dir: string;
let library: RunbookLibrary;
let runs: RunManager;

const RUNBOOK = ['---', 'title: Two steps', '---', '- [ ] look at the dashboard', '```sh {"name":"hello"}', 'echo hello from this machine', '```'].join('\n');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-runbook-remote-'));
  const books = join(dir, 'books');
  mkdirSync(books);
  writeFileSync(join(books, 'two.md'), RUNBOOK);
  library = createRunbookLibrary({ dataDir: dir, bundledDir: books });
  runs = createRunManager({
    dataDir: dir,
    library,
    road: {} as ActionRoad,
    kubeconfigText: () => '',
    prometheus: async () => undefined,
    audit: { append: (entry) => ({ ...entry, id: 'audit', time: '' }) as AuditRecord },
    reviewer: { review: async (_context: string, checks: unknown[]) => checks.map(() => ({ allowed: true })), userOf: () => 'tester' },
  });
});
afterEach(() => {
  runs.stop();
  library.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runbook steps for a browser on another machine', () => {
  it('refuses shell steps, stops run-to-end in front of them, and runs them for this machine', async () => {
    const run = runs.start('bundled/two.md', undefined, {}, remote);
    const shell = run.steps.find((s) => s.stepId === 'hello');
    expect(shell).toBeDefined();
    await expect(runs.runStep(run.runId, 'hello', false, remote, { confirmChange: true })).rejects.toMatchObject({ code: 'forbidden', message: REMOTE_STEP_REFUSED });
    expect(runs.get(run.runId).steps.find((s) => s.stepId === 'hello')?.status).toBe('pending');

    // The manual step first: run to end then stops at the shell step, saying why.
    const manual = run.steps[0].stepId;
    await runs.runStep(run.runId, manual, false, remote);
    runs.runToEnd(run.runId, remote);
    await runs.idle(run.runId);
    const after = runs.get(run.runId);
    expect(after.notice).toBe(`Stopped at "hello": ${REMOTE_STEP_REFUSED}`);
    expect(after.steps.find((s) => s.stepId === 'hello')?.status).toBe('pending');

    // The same run, from this machine.
    await runs.runStep(run.runId, 'hello', false, here, { confirmChange: true });
    await runs.idle(run.runId);
    const done = runs.get(run.runId).steps.find((s) => s.stepId === 'hello');
    expect(done?.status).toBe('succeeded');
    expect(done?.output).toContain('hello from this machine');
  });
});
