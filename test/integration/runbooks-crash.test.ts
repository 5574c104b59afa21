// Crash test (issue 13): a process runs a multi-step runbook on the demo fleet and is killed with
// SIGKILL in the middle of its third step, after a mutating action step (scale, through the action
// road). Reopening finds the run, offers to resume at the interrupted step, refuses to re-run the
// completed scale, and finishes; the scale ran exactly once (one audited execute) and the cluster
// shows its result.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createApp, type App } from '../../electron/core/app.js';
import type { RunState, RunSummary } from '../../shared/contract/runbooks.js';
import type { AuditRecord } from '../../shared/contract/actions.js';
import { requireTool } from '../require-tool.js';

const session = { kind: 'console', readOnly: false } as const;
const RUNBOOK = `---
title: Crash drill
tags: [crash]
alerts: [Drill]
---
# Crash drill

\`\`\`kubectl {"name":"read"}
get deployment ranker -n inference -o jsonpath='{.spec.replicas}'
\`\`\`

\`\`\`action {"name":"scale"}
action: scale
target: { kind: Deployment, namespace: inference, name: ranker }
params: { replicas: 5 }
\`\`\`

\`\`\`sh {"name":"long"}
echo waiting; sleep 30; echo waited
\`\`\`

\`\`\`kubectl {"name":"check"}
get deployment ranker -n inference -o jsonpath='{.spec.replicas}'
\`\`\`
`;

let dir: string;
let fleet: DemoFleet;
let app: App | undefined;
const kubeconfigPath = () => join(dir, 'kubeconfig.yaml');

describe('runbook run killed mid-step, reopened and resumed', () => {
  beforeAll(async () => {
    requireTool('kubectl', 'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/) and put it on PATH');
    dir = mkdtempSync(join(tmpdir(), 'fd-runbooks-crash-'));
    mkdirSync(join(dir, 'books'));
    writeFileSync(join(dir, 'books', 'crash.md'), RUNBOOK);
    fleet = await startDemoFleet({ kubeconfigOut: kubeconfigPath() });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resumes at the interrupted step and the completed scale ran exactly once', async () => {
    const data = join(dir, 'data');
    // The child runs steps 1-2, starts step 3 and is SIGKILLed (with its shell) while it sleeps.
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'runbooks-crash-child.ts'), data, kubeconfigPath(), join(dir, 'books')], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const runId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /RUNNING (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before the long step: ${err}`)));
    });
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // The killed step's KUBECONFIG copy (credentials) was left behind; reopening removes it.
    const leftovers = () => readdirSync(join(data, 'runbook-runs')).filter((f) => f.endsWith('.kubeconfig'));
    expect(leftovers()).toHaveLength(1);
    app = await createApp({ mode: 'browser', dataDir: data, kubeconfig: { explicitPath: kubeconfigPath() }, demo: false, version: 'test', log: () => undefined });
    const call = <T>(method: string, request: unknown) => app!.server.call(method, request, session) as Promise<T>;
    expect(leftovers()).toEqual([]);
    await call('runbooks.addFolder', { path: join(dir, 'books') });
    const { runs } = await call<{ runs: RunSummary[] }>('runbooks.runs', {});
    const past = runs.find((r) => r.runId === runId)!;
    expect(past).toMatchObject({ phase: 'stopped', status: 'interrupted', resumeAt: 'long', done: 2, total: 4 });

    const resumed = await call<RunState>('runbooks.resume', { runId });
    expect(resumed.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'interrupted', 'pending']);
    // The completed mutating step is never planned or executed again.
    await expect(call('runbooks.prepareAction', { runId, stepId: 'scale' })).rejects.toThrow(/already succeeded/);
    await expect(call('runbooks.runStep', { runId, stepId: 'long' })).rejects.toThrow(/was running when the app stopped/);
    await call('runbooks.skipStep', { runId, stepId: 'long' });
    await call('runbooks.runToEnd', { runId });
    await app.server.call('runbooks.run', { runId }, session);
    let final: RunState | undefined;
    for (let i = 0; i < 200 && final?.status !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      final = await call<RunState>('runbooks.run', { runId });
      if (final.status === 'failed') break;
    }
    expect(final?.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'skipped', 'succeeded']);
    expect(final?.steps[3].output).toBe('5');

    const audit = await call<{ records: AuditRecord[] }>('audit.list', { action: 'scale' });
    const executes = audit.records.filter((r) => r.phase === 'execute' && r.outcome === 'succeeded' && r.target?.name === 'ranker');
    expect(executes).toHaveLength(1);
    expect(final?.steps[1].auditId).toBe(executes[0].id);
  }, 180_000);
});
