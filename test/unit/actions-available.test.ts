// actions.available is the action road's: it answers for every registered handler serving the
// target's kind (not only workloads), with the refusal sentence the plan's RBAC verdict uses.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { createActionRoad, READ_ONLY_SESSION, type AccessReviewer } from '../../electron/core/actions/index.js';
import { createRolloutActionHandlers, type WorkloadReader } from '../../electron/core/rollouts/index.js';
import type { AccessCheck } from '../../shared/contract/actions.js';
import { counterAction } from './test-action.js';

const console_ = { kind: 'console', readOnly: false } as const;

/** Allows everything except the verbs listed, and records what it was asked. */
function reviewer(deniedVerbs: string[] = [], asked: AccessCheck[] = []): AccessReviewer {
  return {
    userOf: () => 'viewer',
    review: async (_context, checks) => {
      asked.push(...checks);
      return checks.map((c) => (deniedVerbs.includes(c.verb) ? { allowed: false, reason: 'no RBAC policy matched' } : { allowed: true }));
    },
  };
}

function road(review: AccessReviewer) {
  const audit = openAuditLog(join(mkdtempSync(join(tmpdir(), 'available-')), 'audit.log'));
  const r = createActionRoad({ audit, reviewer: review, productionPattern: () => '' });
  r.register(counterAction({ replicas: 1, executions: 0 }));
  const unused = (): never => {
    throw new Error('actions.available must not read the object');
  };
  const reader: WorkloadReader = { list: unused, get: unused };
  for (const h of createRolloutActionHandlers({ reader, configFor: unused as unknown as (c: string) => KubeConfig })) r.register(h);
  return r;
}

describe('actions.available', () => {
  it('answers for a non-workload handler too, from its declared access', async () => {
    const asked: AccessCheck[] = [];
    const { actions } = await road(reviewer([], asked)).available({ context: 'dev', target: { kind: 'Counter', namespace: 'ns', name: 'c1' } }, console_);
    expect(actions).toEqual([{ action: 'scale', allowed: true }]);
    expect(asked).toEqual([{ verb: 'patch', group: 'test', resource: 'counters', subresource: 'scale', namespace: 'ns', name: 'c1' }]);
  });

  it('lists the workload actions per kind in the same order and checks as before', async () => {
    const asked: AccessCheck[] = [];
    const r = road(reviewer([], asked));
    const names = async (kind: string) => (await r.available({ context: 'dev', target: { kind, namespace: 'ml', name: 'w' } }, console_)).actions.map((a) => a.action);
    expect(await names('Deployment')).toEqual(['scale', 'restart', 'pause', 'resume', 'undo']);
    expect(await names('StatefulSet')).toEqual(['scale', 'restart', 'undo']);
    expect(await names('Rollout')).toEqual(['restart', 'pause', 'resume', 'undo', 'promote', 'abort', 'retry']);
    expect(await names('ConfigMap')).toEqual([]);
    expect(asked).toContainEqual({ verb: 'list', group: 'apps', resource: 'controllerrevisions', namespace: 'ml' });
    expect(asked).toContainEqual({ verb: 'patch', group: 'argoproj.io', resource: 'rollouts', subresource: 'status', namespace: 'ml', name: 'w' });
  });

  it('a refusal names the user, the verb, the resource and the namespace, as the plan verdict does', async () => {
    const r = road(reviewer(['patch']));
    const { actions } = await r.available({ context: 'dev', target: { kind: 'Deployment', name: 'web' } }, console_);
    const scale = actions.find((a) => a.action === 'scale');
    expect(scale).toEqual({ action: 'scale', allowed: false, reason: 'viewer cannot patch deployments/scale in namespace "default" (no RBAC policy matched)' });
    const plan = await r.prepare({ context: 'dev', target: { kind: 'Counter', namespace: 'ns', name: 'c1' }, action: 'scale', params: { replicas: 3 } }, console_);
    expect(plan.rbac.reason).toBe('viewer cannot patch counters/scale in namespace "ns" (no RBAC policy matched)');
  });

  it('read-only sessions get every action refused with one sentence, without asking RBAC', async () => {
    const asked: AccessCheck[] = [];
    const { actions } = await road(reviewer([], asked)).available({ context: 'dev', target: { kind: 'Rollout', namespace: 'ml', name: 'r' } }, { kind: 'readonly', readOnly: true });
    expect(actions.length).toBe(7);
    expect(actions.every((a) => !a.allowed && a.reason === READ_ONLY_SESSION)).toBe(true);
    expect(asked).toEqual([]);
  });

  it('a reviewer failure is a reason, not an error', async () => {
    const failing: AccessReviewer = { userOf: () => 'viewer', review: async () => Promise.reject(new Error('API server unreachable')) };
    const { actions } = await road(failing).available({ context: 'dev', target: { kind: 'Counter', name: 'c1' } }, console_);
    expect(actions).toEqual([{ action: 'scale', allowed: false, reason: 'Could not check permissions: API server unreachable' }]);
  });
});
