// Runbook steps that change the cluster meet the action road's standard: kubectl command lines are
// read for the changes they make (verb, group/resource, subresource, namespace, name), a denied
// check refuses the step and runs nothing, a confirmed step is audited at start and end with its
// secrets masked, read-only steps are not audited, and run-to-end stops at a changing step unless
// the run is unattended (where it is still RBAC-checked and audited).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reviewStepChanges } from '../../shared/model/runbook-kubectl.js';
import type { AccessCheck, AuditRecord } from '../../shared/contract/actions.js';
import { createRunbookLibrary, type RunbookLibrary } from '../../electron/core/runbooks/library.js';
import { createRunManager, type RunManager } from '../../electron/core/runbooks/runs.js';
import type { ActionRoad } from '../../electron/core/actions/index.js';
import type { AuditEntry } from '../../electron/core/audit/index.js';

const kc = (line: string, ns = 'default') => reviewStepChanges('kubectl', line, ns);
const check = (verb: string, group: string, resource: string, rest: Partial<AccessCheck> = {}): AccessCheck => ({ verb, group, resource, ...rest });

describe('kubectl change parser', () => {
  it.each([
    ['scale deploy/web --replicas=3 -n ml', [check('patch', 'apps', 'deployments', { subresource: 'scale', namespace: 'ml', name: 'web' })]],
    ['kubectl scale statefulset db --replicas 2 --namespace=data', [check('patch', 'apps', 'statefulsets', { subresource: 'scale', namespace: 'data', name: 'db' })]],
    ['delete po web-0 -n ml', [check('delete', '', 'pods', { namespace: 'ml', name: 'web-0' })]],
    ['delete pods -l app=web -n ml', [check('delete', '', 'pods', { namespace: 'ml' })]],
    ['create deployment web --image=nginx -n ml', [check('create', 'apps', 'deployments', { namespace: 'ml', name: 'web' })]],
    ['create secret generic creds --from-literal=a=b -n ml', [check('create', '', 'secrets', { namespace: 'ml', name: 'creds' })]],
    ['create ns team-a', [check('create', '', 'namespaces', { name: 'team-a' })]],
    ["patch svc web -n ml -p '{\"spec\":{}}'", [check('patch', '', 'services', { namespace: 'ml', name: 'web' })]],
    ['edit cm settings -n ml', [check('patch', '', 'configmaps', { namespace: 'ml', name: 'settings' })]],
    ['label node gpu-1 pool=a --overwrite', [check('patch', '', 'nodes', { name: 'gpu-1' })]],
    ['annotate deployment/web note=x -n ml', [check('patch', 'apps', 'deployments', { namespace: 'ml', name: 'web' })]],
    ['set image deployment/web app=registry.io/web:2 -n ml', [check('patch', 'apps', 'deployments', { namespace: 'ml', name: 'web' })]],
    ['rollout restart deploy/web -n ml', [check('patch', 'apps', 'deployments', { namespace: 'ml', name: 'web' })]],
    ['rollout undo deployment web -n ml', [check('patch', 'apps', 'deployments', { namespace: 'ml', name: 'web' })]],
    ['rollout pause rollout/recommender -n inference', [check('patch', 'argoproj.io', 'rollouts', { namespace: 'inference', name: 'recommender' })]],
    ['rollout resume sts/db -n data', [check('patch', 'apps', 'statefulsets', { namespace: 'data', name: 'db' })]],
    ['cordon gpu-1', [check('patch', '', 'nodes', { name: 'gpu-1' })]],
    ['uncordon gpu-1', [check('patch', '', 'nodes', { name: 'gpu-1' })]],
    ['drain gpu-1 --ignore-daemonsets --delete-emptydir-data', [check('patch', '', 'nodes', { name: 'gpu-1' }), check('create', '', 'pods', { subresource: 'eviction' })]],
    ['taint nodes gpu-1 gpu=broken:NoSchedule', [check('patch', '', 'nodes', { name: 'gpu-1' })]],
    ['taint node gpu-1 gpu:NoSchedule-', [check('patch', '', 'nodes', { name: 'gpu-1' })]],
  ])('%s', (line, checks) => {
    expect(kc(line)).toEqual({ checks, unchecked: [] });
  });

  it('uses the context namespace when none is named, and none for cluster-scoped kinds or -A', () => {
    expect(kc('scale deployments.apps/web --replicas=1', 'team-a').checks).toEqual([check('patch', 'apps', 'deployments', { subresource: 'scale', namespace: 'team-a', name: 'web' })]);
    expect(kc('delete pods --all -A').checks).toEqual([check('delete', '', 'pods')]);
    expect(kc('kubectl -n ml delete svc/a cm/b').checks).toEqual([check('delete', '', 'services', { namespace: 'ml', name: 'a' }), check('delete', '', 'configmaps', { namespace: 'ml', name: 'b' })]);
  });

  it('reads several lines and continuations; read-only commands and dry runs need nothing', () => {
    const review = kc('get pods -n ml\nrollout status deploy/web -n ml\nscale deploy/web \\\n  --replicas=0 -n ml\ndelete pod x --dry-run=client');
    expect(review).toEqual({ checks: [check('patch', 'apps', 'deployments', { subresource: 'scale', namespace: 'ml', name: 'web' })], unchecked: [] });
    expect(kc('get pods -n ml | grep web | wc -l')).toEqual({ checks: [], unchecked: [] });
  });

  it('says what it cannot check instead of guessing', () => {
    expect(kc('apply -f manifest.yaml').unchecked[0]).toMatch(/reads its objects from a file/);
    expect(kc('delete widgets x').unchecked[0]).toMatch(/"widgets" is not a kind Flightdeck knows/);
    expect(kc('exec web-0 -- rm -rf /data').unchecked[0]).toMatch(/kubectl exec is not a command Flightdeck can RBAC-check/);
    expect(kc('scale deploy/web --replicas=0 --context prod').unchecked[0]).toMatch(/another cluster or identity \(--context prod\)/);
    const sh = reviewStepChanges('sh', 'kubectl cordon gpu-1\nnodes=$(kubectl get nodes -o name)\n./repair.sh');
    expect(sh.checks).toEqual([check('patch', '', 'nodes', { name: 'gpu-1' })]);
    expect(sh.unchecked).toHaveLength(2);
    expect(sh.unchecked[1]).toMatch(/\.\/repair\.sh is not kubectl/);
  });
});

describe('running a step that changes the cluster', () => {
  let dir: string;
  let library: RunbookLibrary;
  let runs: RunManager;
  let audit: AuditRecord[];
  let reviewed: AccessCheck[][];
  let deny: (check: AccessCheck) => boolean;
  const session = { kind: 'console', readOnly: false } as const;
  const BOOK = [
    '---',
    'title: Changes',
    'params:',
    '  replicas: { default: "0" }',
    '  token: { secret: true }',
    '---',
    '```kubectl {"name":"look"}',
    'get pods -n ml',
    '```',
    '```kubectl {"name":"scale"}',
    `scale deploy/web --replicas={{replicas}} -n ml`,
    '```',
    '```sh {"name":"shell"}',
    'echo "calling with {{token}} --api-key={{token}}-x" > {{marker}}',
    '```',
  ].join('\n');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-runbook-mutating-'));
    const books = join(dir, 'books');
    mkdirSync(books);
    writeFileSync(join(books, 'changes.md'), BOOK);
    // kubectl is a stub that records it ran: a refused step must not reach it.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\necho "kubectl $*" >> ${join(dir, 'kubectl-calls')}\n`, { mode: 0o755 });
    process.env.PATH = `${bin}:${process.env.PATH}`;
    audit = [];
    reviewed = [];
    deny = () => false;
    library = createRunbookLibrary({ dataDir: dir, bundledDir: books });
    runs = createRunManager({
      dataDir: dir,
      library,
      road: {} as ActionRoad,
      kubeconfigText: () => 'apiVersion: v1\nkind: Config\n',
      prometheus: async () => undefined,
      audit: {
        append: (entry: AuditEntry) => {
          const record = { ...entry, id: `a${audit.length}`, time: new Date().toISOString() };
          audit.push(record);
          return record;
        },
      },
      reviewer: {
        review: async (_context, checks) => {
          reviewed.push(checks);
          return checks.map((c) => (deny(c) ? { allowed: false, reason: 'no RBAC policy matched' } : { allowed: true }));
        },
        userOf: () => 'viewer',
      },
    });
  });
  afterEach(() => {
    process.env.PATH = process.env.PATH!.split(':').slice(1).join(':');
    runs.stop();
    library.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = () => runs.start('bundled/changes.md', 'demo', { token: 'hunter2', marker: join(dir, 'marker') }, session);

  it('a denied check refuses the step with the road’s sentence and runs nothing', async () => {
    deny = (c) => c.subresource === 'scale';
    const run = start();
    const review = await runs.reviewStep(run.runId, 'scale');
    expect(review).toMatchObject({ changes: true, context: 'demo', command: 'kubectl scale deploy/web --replicas=0 -n ml', rbac: { allowed: false, reason: 'viewer cannot patch deployments/scale in namespace "ml" (no RBAC policy matched)' } });
    await expect(runs.runStep(run.runId, 'scale', false, session, { confirmChange: true })).rejects.toThrow('Step "scale" was not run: viewer cannot patch deployments/scale in namespace "ml" (no RBAC policy matched). Nothing was changed.');
    expect(existsSync(join(dir, 'kubectl-calls'))).toBe(false);
    expect(runs.get(run.runId).steps[1]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(audit.map((r) => [r.phase, r.outcome, r.action])).toEqual([['prepare', 'forbidden', 'runbook-step']]);
    expect(reviewed).toEqual([[{ verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'ml', name: 'web' }], [{ verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'ml', name: 'web' }]]);
  });

  it('needs a confirmation, then audits start and end; read-only steps are not audited', async () => {
    const run = start();
    await runs.runStep(run.runId, 'look', false, session);
    await runs.idle(run.runId);
    expect(audit).toEqual([]);
    await expect(runs.runStep(run.runId, 'scale', false, session)).rejects.toThrow(/may change the cluster: review its command/);
    expect(audit).toEqual([]);
    await runs.runStep(run.runId, 'scale', false, session, { confirmChange: true });
    await runs.idle(run.runId);
    expect(audit.map((r) => [r.phase, r.outcome])).toEqual([
      ['prepare', 'planned'],
      ['execute', 'succeeded'],
    ]);
    expect(audit[1]).toMatchObject({ session: 'console', context: 'demo', user: 'viewer', action: 'runbook-step', target: { kind: 'RunbookStep', name: 'bundled/changes.md#scale' } });
    expect(audit[1].params).toMatchObject({ runId: run.runId, runbook: 'bundled/changes.md', runbookHash: run.hash, step: 'scale', command: 'kubectl scale deploy/web --replicas=0 -n ml', exitCode: 0, rbac: ['allowed: patch apps/deployments/scale web in ml'] });
    expect(runs.get(run.runId).steps[1]).toMatchObject({ status: 'succeeded', auditId: 'a1' });
  });

  it('a mutating shell step is audited with its secrets masked and a note that it was not RBAC-checked', async () => {
    const run = start();
    const review = await runs.reviewStep(run.runId, 'shell');
    expect(review.unchecked[0]).toMatch(/redirections cannot be checked/);
    await runs.runStep(run.runId, 'shell', false, session, { confirmChange: true });
    await runs.idle(run.runId);
    expect(audit.map((r) => [r.phase, r.outcome])).toEqual([
      ['prepare', 'planned'],
      ['execute', 'succeeded'],
    ]);
    const text = JSON.stringify(audit);
    expect(text).not.toContain('hunter2');
    expect(audit[0].params?.command).toMatch(/^echo "calling with •••••• --api-key=<redacted: \d+ chars #[0-9a-f]+>" > /);
    expect(audit[0].params?.notRbacChecked).toEqual(review.unchecked);
  });

  it('run-to-end stops at a changing step; unattended runs it, still RBAC-checked and audited', async () => {
    const run = start();
    runs.runToEnd(run.runId, session);
    await runs.idle(run.runId);
    expect(runs.get(run.runId).notice).toBe('Waiting for you to confirm step "scale": it may change the cluster.');
    expect(audit).toEqual([]);
    deny = (c) => c.subresource === 'scale';
    runs.runToEnd(run.runId, session, { unattended: true });
    await runs.idle(run.runId);
    expect(runs.get(run.runId).notice).toMatch(/^Stopped at "scale": Step "scale" was not run: viewer cannot patch deployments\/scale/);
    expect(readFileSync(join(dir, 'kubectl-calls'), 'utf8')).toBe('kubectl get pods -n ml\n');
    deny = () => false;
    runs.runToEnd(run.runId, session, { unattended: true });
    await runs.idle(run.runId);
    expect(runs.get(run.runId).status).toBe('succeeded');
    expect(audit.map((r) => [r.phase, r.outcome, r.params?.step, r.params?.unattended])).toEqual([
      ['prepare', 'forbidden', 'scale', true],
      ['prepare', 'planned', 'scale', true],
      ['execute', 'succeeded', 'scale', true],
      ['prepare', 'planned', 'shell', true],
      ['execute', 'succeeded', 'shell', true],
    ]);
  });
});
