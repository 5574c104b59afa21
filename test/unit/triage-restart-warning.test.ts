// Restart warns about "two restarts within the same second" only when the live template already
// carries a restartedAt from that second (issue 17): otherwise the warning is noise on every restart.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/model/kube.js';
import { planRestart, RESTARTED_AT } from '../../electron/core/rollouts/workload-plans.js';

const now = new Date('2026-11-24T19:20:03.456Z');

function deploy(restartedAt?: string): KubeObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'inference', uid: 'u1', generation: 3 },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' }, annotations: restartedAt ? { [RESTARTED_AT]: restartedAt } : undefined }, spec: { containers: [{ name: 'web', image: 'vllm:2' }] } },
    },
  };
}

describe('restart plan warnings', () => {
  it('a first restart has no same-second warning', () => {
    expect(planRestart({ kind: 'Deployment', live: deploy(), now }).warnings ?? []).toEqual([]);
  });
  it('a restart from an earlier second has no warning either', () => {
    expect(planRestart({ kind: 'Deployment', live: deploy('2026-11-24T19:20:02Z'), now }).warnings ?? []).toEqual([]);
  });
  it('a restart annotation from the same second is warned about: this restart would change nothing', () => {
    const warnings = planRestart({ kind: 'Deployment', live: deploy('2026-11-24T19:20:03Z'), now }).warnings ?? [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/already restarted at 2026-11-24T19:20:03Z.*changes nothing/);
  });
});
