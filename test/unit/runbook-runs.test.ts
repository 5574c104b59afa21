// The executor and its journal without a cluster: run-to-end stops at the first failing step, the
// journal is 0600 JSON lines with secrets masked, a torn last line is reported and the rest kept,
// a step that was running when the process died reads "interrupted" and asks before re-running,
// completed steps never run again, and a runbook edited during a run is refused.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunbookLibrary, type RunbookLibrary } from '../../electron/core/runbooks/library.js';
import { createRunManager, type RunManager } from '../../electron/core/runbooks/runs.js';
import { journalPath, readJournal } from '../../electron/core/runbooks/journal.js';
import { reportMarkdown } from '../../electron/core/runbooks/run-state.js';
import type { ActionRoad } from '../../electron/core/actions/action-road.js';
import type { AuditEntry } from '../../electron/core/audit/index.js';
import type { AuditRecord } from '../../shared/contract/actions.js';

const session = { kind: 'console', readOnly: false } as const;
const noRoad = {} as ActionRoad;
// Shell steps may change the cluster: they are audited and RBAC-checked (runbook-mutating.test.ts).
const guardDeps = {
  audit: { append: (entry: AuditEntry): AuditRecord => ({ ...entry, id: 'audit', time: '' }) },
  reviewer: { review: async (_context: string, checks: unknown[]) => checks.map(() => ({ allowed: true })), userOf: () => 'tester' },
};
const confirmed = { confirmChange: true };
let dir: string;
let books: string;
let library: RunbookLibrary;
let runs: RunManager;

const RUNBOOK = [
  '---',
  'title: Three steps',
  'params:',
  '  token: { secret: true }',
  '---',
  '```sh {"name":"one"}',
  'echo "one $(cat {{marker}} 2>/dev/null || echo first) {{token}}"; echo ran >> {{marker}}',
  '```',
  '```sh {"name":"two"}',
  'exit {{code}}',
  '```',
  '```sh {"name":"three"}',
  'echo three',
  '```',
].join('\n');

const open = () => {
  library?.close();
  library = createRunbookLibrary({ dataDir: dir, bundledDir: books });
  runs = createRunManager({ dataDir: dir, library, road: noRoad, kubeconfigText: () => '', prometheus: async () => undefined, ...guardDeps });
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-runbook-runs-'));
  books = join(dir, 'books');
  mkdirSync(books);
  writeFileSync(join(books, 'three.md'), RUNBOOK);
  open();
});
afterEach(() => {
  runs.stop();
  library.close();
  rmSync(dir, { recursive: true, force: true });
});

const inputs = (code: string) => ({ token: 'hunter2-secret', marker: join(dir, 'marker'), code });

describe('runbook executor', () => {
  it('run-to-end stops at the first failing step; exit codes, durations and output per step', async () => {
    const started = runs.start('bundled/three.md', undefined, inputs('3'), session);
    runs.runToEnd(started.runId, session, { unattended: true });
    await runs.idle(started.runId);
    const state = runs.get(started.runId);
    expect(state.steps.map((s) => [s.stepId, s.status, s.exitCode])).toEqual([
      ['one', 'succeeded', 0],
      ['two', 'failed', 3],
      ['three', 'pending', undefined],
    ]);
    expect(state.notice).toMatch(/Stopped at "two".*exit 3/);
    expect(state.steps[0].durationMs).toBeGreaterThanOrEqual(0);
    // The secret is masked in the output, the inputs, the journal and the report.
    expect(state.steps[0].output).toBe('one first ••••••\n');
    expect(state.inputs.token).toBe('••••••');
    const journal = readFileSync(journalPath(dir, started.runId), 'utf8');
    expect(journal).not.toContain('hunter2');
    expect(reportMarkdown(state)).not.toContain('hunter2');
    expect(statSync(journalPath(dir, started.runId)).mode & 0o777).toBe(0o600);
  });

  it('after a crash: the running step is interrupted, completed steps never re-run, secrets asked again', async () => {
    const started = runs.start('bundled/three.md', undefined, inputs('0'), session);
    await runs.runStep(started.runId, 'one', false, session, confirmed);
    await runs.idle(started.runId);
    // The process "dies" while step two runs: its start is journaled, its end never is, and the
    // last record is torn half-way.
    const path = journalPath(dir, started.runId);
    appendFileSync(path, JSON.stringify({ t: 'step-start', at: new Date().toISOString(), stepId: 'two', attempt: 1, who: 'x' }) + '\n' + '{"t":"step-end","stepId":"tw');
    runs.stop();
    open();
    const offline = runs.get(started.runId);
    expect(offline.phase).toBe('stopped');
    expect(offline.steps.map((s) => s.status)).toEqual(['succeeded', 'interrupted', 'pending']);
    expect(offline.problems[0]).toMatch(new RegExp(`${started.runId}.jsonl:\\d+: torn last line`));
    expect(() => runs.resume(started.runId, {}, session)).toThrow(/secret params again.*"token" is missing/);
    const resumed = runs.resume(started.runId, { token: 'hunter2-secret' }, session);
    expect(resumed.notice).toMatch(/Resumed at "two" \(interrupted/);
    await expect(runs.runStep(started.runId, 'one', false, session)).rejects.toThrow(/already succeeded/);
    await expect(runs.runStep(started.runId, 'two', false, session)).rejects.toThrow(/was running when the app stopped/);
    await runs.runStep(started.runId, 'two', true, session, confirmed);
    await runs.idle(started.runId);
    runs.runToEnd(started.runId, session, { unattended: true });
    await runs.idle(started.runId);
    const done = runs.get(started.runId);
    expect(done.status).toBe('succeeded');
    // Step one ran exactly once across the crash.
    expect(readFileSync(join(dir, 'marker'), 'utf8')).toBe('ran\n');
    const records = readJournal(path).records;
    expect(records.filter((r) => r.t === 'step-start' && r.stepId === 'one')).toHaveLength(1);
  });

  it('refuses the next step when the runbook was edited during the run, and keeps the journal', async () => {
    const started = runs.start('bundled/three.md', undefined, inputs('0'), session);
    await runs.runStep(started.runId, 'one', false, session, confirmed);
    await runs.idle(started.runId);
    writeFileSync(join(books, 'three.md'), RUNBOOK.replace('echo three', 'rm -rf /tmp/nothing'));
    await expect(runs.runStep(started.runId, 'two', false, session, confirmed)).rejects.toThrow(/three\.md changed since this run started \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)/);
    expect(runs.get(started.runId).steps[0].status).toBe('succeeded');
  });

  it('refuses to start with a missing or invalid param, naming it', () => {
    expect(() => runs.start('bundled/three.md', undefined, { marker: 'm', code: '0' }, session)).toThrow(/param "token" is missing/);
  });
});

describe('runbook library', () => {
  it('sees a file added to a folder, finds by title, tag, alert and by the alert annotation’s short name', async () => {
    expect(library.list().runbooks.map((r) => r.id)).toEqual(['bundled/three.md']);
    writeFileSync(join(books, 'gpu.md'), '---\ntitle: GPU down\ntags: [gpu]\nalerts: [GPUNodeDown]\n---\n```sh\ntrue\n```\n');
    // The folder watch marks the library stale; the next read rescans.
    for (let i = 0; i < 50 && library.list().runbooks.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(library.list('gpunodedown').runbooks.map((r) => r.title)).toEqual(['GPU down']);
    expect(library.list('gpu down').runbooks).toHaveLength(1);
    expect(library.list('three').runbooks).toHaveLength(1);
    expect(library.get('gpu').id).toBe('bundled/gpu.md');
    expect(() => library.get('nope')).toThrow(/There is no runbook "nope"/);
  });

  it("serves a runbook's images from its own folder only, as data URLs", () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    mkdirSync(join(books, 'img'));
    writeFileSync(join(books, 'img', 'flow.png'), png);
    writeFileSync(join(dir, 'outside.png'), png);
    writeFileSync(join(books, 'evil.svg'), '<svg onload="alert(1)"/>');
    expect(library.image('bundled/three.md', 'img/flow.png')).toBe(`data:image/png;base64,${png.toString('base64')}`);
    expect(() => library.image('bundled/three.md', '../outside.png')).toThrow(/outside the runbook's folder/);
    expect(() => library.image('bundled/three.md', join(dir, 'outside.png'))).toThrow(/a relative path/);
    expect(() => library.image('bundled/three.md', 'evil.svg')).toThrow(/only png, jpeg, gif and webp/);
    expect(() => library.image('bundled/three.md', 'img/missing.png')).toThrow(/does not exist/);
  });

  it('adds a folder and keeps it (0600 list) for the next start', () => {
    const more = join(dir, 'more');
    mkdirSync(more);
    writeFileSync(join(more, 'plain.md'), 'Just notes.\n\n```bash\necho hi\n```\n');
    library.addFolder(more);
    open();
    expect(library.list('plain').runbooks.map((r) => [r.title, r.steps])).toEqual([['plain', 1]]);
    expect(statSync(join(dir, 'runbook-folders.json')).mode & 0o777).toBe(0o600);
    expect(() => library.addFolder(join(dir, 'missing'))).toThrow(/is not a folder/);
  });
});

describe('unattended run-to-end', () => {
  const ACTION_BOOK = '---\ntitle: Act\n---\n```sh {"name":"before"}\necho before\n```\n```action {"name":"act"}\naction: scale\ntarget: { kind: Deployment, namespace: ns, name: web }\nparams: { replicas: 2 }\n```\n```sh {"name":"after"}\necho after\n```\n';
  const fakeRoad = (plan: { token: string | null; confirmText?: string }) => {
    const calls: string[] = [];
    const road = {
      prepare: async (request: { action: string; params: Record<string, unknown> }) => {
        calls.push(`prepare ${request.action} ${JSON.stringify(request.params)}`);
        return { ...plan, rbac: { allowed: !!plan.token, reason: plan.token ? undefined : 'viewer cannot patch deployments/scale', checks: [] } };
      },
      execute: async (token: string) => {
        calls.push(`execute ${token}`);
        return { ok: true, message: 'deployment ns/web scaled', auditId: 'audit-1', durationMs: 1 };
      },
    } as unknown as ActionRoad;
    return { road, calls };
  };
  const withRoad = (road: ActionRoad) => {
    writeFileSync(join(books, 'act.md'), ACTION_BOOK);
    runs = createRunManager({ dataDir: dir, library, road, kubeconfigText: () => 'apiVersion: v1\nkind: Config\n', prometheus: async () => undefined, ...guardDeps });
  };

  it('plans and executes action steps through the road without a dialog, then goes on', async () => {
    const { road, calls } = fakeRoad({ token: 't1' });
    withRoad(road);
    const run = runs.start('bundled/act.md', 'ctx', {}, session);
    runs.runToEnd(run.runId, session, { unattended: true });
    await runs.idle(run.runId);
    const state = runs.get(run.runId);
    expect(state.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(state.steps[1]).toMatchObject({ auditId: 'audit-1', output: 'deployment ns/web scaled\n' });
    expect(calls).toEqual(['prepare scale {"replicas":2}', 'execute t1']);
  });

  it('interactive run-to-end waits at the action step', async () => {
    const { road, calls } = fakeRoad({ token: 't1' });
    withRoad(road);
    const run = runs.start('bundled/act.md', 'ctx', {}, session);
    await runs.runStep(run.runId, 'before', false, session, confirmed);
    await runs.idle(run.runId);
    runs.runToEnd(run.runId, session);
    await runs.idle(run.runId);
    expect(runs.get(run.runId).notice).toMatch(/Waiting for you to confirm action step "act"/);
    expect(calls).toEqual([]);
  });

  it('stops, executing nothing, when RBAC forbids or the context is production', async () => {
    for (const [plan, why] of [
      [{ token: null }, /the action road refused the plan \(viewer cannot patch/],
      [{ token: 't2', confirmText: 'web' }, /"ctx" is a production context/],
    ] as const) {
      const { road, calls } = fakeRoad(plan);
      withRoad(road);
      const run = runs.start('bundled/act.md', 'ctx', {}, session);
      runs.runToEnd(run.runId, session, { unattended: true });
      await runs.idle(run.runId);
      const state = runs.get(run.runId);
      expect(state.notice).toMatch(why);
      expect(state.steps.map((s) => s.status)).toEqual(['succeeded', 'pending', 'pending']);
      expect(calls.filter((c) => c.startsWith('execute'))).toEqual([]);
      runs.stop();
    }
  });
});
