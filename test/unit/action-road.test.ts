import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { createActionRoad, TOKEN_TTL_MS } from '../../electron/core/actions/action-road.js';
import { counterAction, fixedReviewer } from './test-action.js';

const session = { kind: 'console', readOnly: false } as const;
const request = { context: 'dev', target: { kind: 'Counter', namespace: 'ns', name: 'web' }, action: 'scale', params: { replicas: 5 } };

function setup(options: { allowed?: boolean; production?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'road-'));
  const audit = openAuditLog(join(dir, 'audit.log'));
  const clock = { t: 1_000_000 };
  const state = { replicas: 2, executions: 0 };
  const road = createActionRoad({ audit, reviewer: fixedReviewer(options.allowed ?? true), productionPattern: () => options.production ?? '', now: () => clock.t });
  road.register(counterAction(state));
  return { road, audit, clock, state, dir };
}

describe('action road', () => {
  it('plans with exact requests, summary, diff and an RBAC verdict, then executes once', async () => {
    const { road, state, audit } = setup();
    const plan = await road.prepare(request, session);
    expect(plan.token).toBeTruthy();
    expect(plan.summary).toBe('Scale web from 2 to 5');
    expect(plan.requests[0]).toMatchObject({ method: 'PATCH', body: { spec: { replicas: 5 } } });
    expect(plan.rbac.allowed).toBe(true);
    expect(state.executions).toBe(0);
    const result = await road.execute(plan.token as string, undefined, session);
    expect(result.ok).toBe(true);
    expect(state).toEqual({ replicas: 5, executions: 1 });
    await expect(road.execute(plan.token as string, undefined, session)).rejects.toMatchObject({ code: 'token_used' });
    expect(state.executions).toBe(1);
    const outcomes = audit.list({ limit: 10 }).records.map((r) => `${r.phase}:${r.outcome}`);
    expect(outcomes).toEqual(['execute:refused', 'execute:succeeded', 'prepare:planned']);
  });

  it('refuses an expired token', async () => {
    const { road, clock, state } = setup();
    const plan = await road.prepare(request, session);
    clock.t += TOKEN_TTL_MS + 1;
    await expect(road.execute(plan.token as string, undefined, session)).rejects.toMatchObject({ code: 'token_expired' });
    expect(state.executions).toBe(0);
  });

  it('gives a forbidden plan no token and says why', async () => {
    const { road, audit } = setup({ allowed: false });
    const plan = await road.prepare(request, session);
    expect(plan.token).toBeNull();
    expect(plan.rbac.allowed).toBe(false);
    expect(plan.rbac.reason).toContain('cannot patch counters/scale');
    expect(audit.list({ limit: 5 }).records[0]).toMatchObject({ phase: 'prepare', outcome: 'forbidden', user: 'tester' });
  });

  it('audits a plan the handler refuses, and passes its error on', async () => {
    const { road, audit, state } = setup();
    state.replicas = 5;
    await expect(road.prepare(request, session)).rejects.toMatchObject({ code: 'conflict' });
    expect(audit.list({ limit: 5 }).records[0]).toMatchObject({ phase: 'prepare', outcome: 'refused', action: 'scale', error: expect.stringContaining('already') });
  });

  it('validates action parameters with the handler schema', async () => {
    const { road } = setup();
    await expect(road.prepare({ ...request, params: { replicas: -1 } }, session)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(road.prepare({ ...request, action: 'explode' }, session)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(road.prepare({ ...request, target: { ...request.target, kind: 'Pod' } }, session)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('asks production contexts to type the target name, keeping the token on a typo', async () => {
    const { road, state } = setup({ production: 'prod' });
    const plan = await road.prepare({ ...request, context: 'gke-prod-eu' }, session);
    expect(plan.confirmText).toBe('web');
    await expect(road.execute(plan.token as string, 'wbe', session)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(road.execute(plan.token as string, 'web', session)).resolves.toMatchObject({ ok: true });
    expect(state.executions).toBe(1);
  });

  it('writes one JSON line per record, appended, never rewritten', async () => {
    const { road, audit } = setup();
    const plan = await road.prepare(request, session);
    const before = readFileSync(audit.path, 'utf8');
    await road.execute(plan.token as string, undefined, session);
    const after = readFileSync(audit.path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.trim().split('\n').map((l) => JSON.parse(l).phase)).toEqual(['prepare', 'execute']);
  });
});
