// The resource browser's generic handlers reach the action road for any kind named plural.version.group
// (matchesKind), with RBAC checks on that group and resource, and never for plain kind names.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { createActionRoad, type AccessReviewer } from '../../electron/core/actions/index.js';
import { createResourceActionHandlers } from '../../electron/core/browser/index.js';
import type { AccessCheck } from '../../shared/contract/actions.js';

const session = { kind: 'console', readOnly: false } as const;

function setup() {
  const asked: AccessCheck[] = [];
  const reviewer: AccessReviewer = {
    async review(_context, checks) {
      asked.push(...checks);
      return checks.map((c) => ({ allowed: c.verb === 'patch' }));
    },
    userOf: () => 'dev-user',
  };
  const road = createActionRoad({ audit: openAuditLog(join(mkdtempSync(join(tmpdir(), 'browser-road-')), 'audit.log')), reviewer, productionPattern: () => '' });
  for (const handler of createResourceActionHandlers({ configFor: () => new KubeConfig() })) road.register(handler);
  return { road, asked };
}

describe('generic resource actions on the action road', () => {
  it('offers apply and delete for a custom kind, each checked against its group and resource', async () => {
    const { road, asked } = setup();
    const target = { kind: 'widgets.v1.example.com', namespace: 'team-a', name: 'w1' };
    const { actions } = await road.available({ context: 'dev', target }, session);
    expect(actions).toEqual([
      { action: 'resource.apply', allowed: true },
      { action: 'resource.delete', allowed: false, reason: expect.stringMatching(/dev-user cannot delete .*widgets/) },
    ]);
    expect(asked).toEqual(
      expect.arrayContaining([
        { verb: 'patch', group: 'example.com', resource: 'widgets', namespace: 'team-a', name: 'w1' },
        { verb: 'delete', group: 'example.com', resource: 'widgets', namespace: 'team-a', name: 'w1' },
      ]),
    );
  });

  it('serves core kinds as plural.version and not plain kind names', async () => {
    const { road } = setup();
    expect((await road.available({ context: 'dev', target: { kind: 'configmaps.v1', namespace: 'ns', name: 'c' } }, session)).actions.map((a) => a.action)).toEqual(['resource.apply', 'resource.delete']);
    expect((await road.available({ context: 'dev', target: { kind: 'ConfigMap', namespace: 'ns', name: 'c' } }, session)).actions).toEqual([]);
    await expect(road.prepare({ context: 'dev', target: { kind: 'ConfigMap', namespace: 'ns', name: 'c' }, action: 'resource.delete', params: {} }, session)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
