// problems.list (issue 17): failing workloads of the context on screen, offline and degraded
// contexts, a check that broke — worst first, each with where, since and a link to act.
import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../shared/contract/clusters.js';
import type { WorkloadSummary } from '../../shared/contract/rollouts.js';
import { alertProblems, contextProblems, createProblemsService, workloadProblems } from '../../electron/core/problems/index.js';
import { withLocalProblems } from '../../shared/model/local-problems.js';

const status = (context: string, state: ClusterStatus['state'], extra: Partial<ClusterStatus> = {}): ClusterStatus => ({ context, state, since: '2026-12-02T06:00:00.000Z', ...extra });
const workload = (name: string, failure?: WorkloadSummary['failure']) => ({ kind: 'Rollout', namespace: 'inference', name, failure }) as WorkloadSummary;

describe('problems.list', () => {
  it('a failing canary of the context on screen is P2 with where, since and a link that opens it in Rollouts', async () => {
    const service = createProblemsService([workloadProblems(async () => ({ workloads: [workload('recommender', { reason: 'canary error rate 14.9 % vs stable 0.0 %', source: 'errorRate', since: '2026-12-02T06:01:00.000Z' }), workload('ranker')] }))]);
    const { problems } = await service.list({ context: 'demo-admin' });
    expect(problems).toEqual([
      {
        id: 'workload/demo-admin/Rollout/inference/recommender',
        severity: 'P2',
        source: 'workload',
        what: 'canary error rate 14.9 % vs stable 0.0 %',
        where: 'demo-admin · Rollout inference/recommender',
        context: 'demo-admin',
        since: '2026-12-02T06:01:00.000Z',
        link: { label: 'Open in Rollouts', view: 'rollouts', context: 'demo-admin', select: 'Rollout/inference/recommender' },
      },
    ]);
    expect((await service.list({})).problems).toEqual([]);
  });

  it('offline contexts: P2 for the one on screen, P3 for others, with the snapshot time; degraded is stale data; live is nothing', async () => {
    const statuses = [
      status('prod', 'offline', { reason: 'connection refused', staleSince: '2026-12-02T05:59:00.000Z' }),
      status('staging', 'error', { reason: 'certificate expired' }),
      status('lab', 'degraded', { reason: 'watch lagging' }),
      status('demo', 'live'),
    ];
    const { problems } = await createProblemsService([contextProblems(() => statuses)]).list({ context: 'prod' });
    expect(problems.map((p) => [p.severity, p.source, p.where, p.what, p.link.label])).toEqual([
      ['P2', 'context', 'prod', 'offline: connection refused; data shown is as of 2026-12-02T05:59:00.000Z', 'Open Topology'],
      ['P3', 'context', 'staging', 'error: certificate expired', 'Switch to staging'],
      ['P3', 'staleness', 'lab', 'data may be stale: watch lagging', 'Switch to lab'],
    ]);
  });

  it('a source that throws is itself a problem, and the others still answer', async () => {
    const broken = { name: 'alerts', problems: () => Promise.reject(new Error('Alertmanager unreachable')) };
    const { problems } = await createProblemsService([broken, contextProblems(() => [status('prod', 'offline')])]).list({ context: 'prod' });
    expect(problems.map((p) => [p.severity, p.what])).toEqual([
      ['P2', 'offline'],
      ['P3', 'Could not check alerts: Alertmanager unreachable'],
    ]);
  });

  it('alerts plug in as a source: a P1 sorts first', async () => {
    const alerts = { name: 'alerts', problems: async () => [{ id: 'alert/x', severity: 'P1' as const, source: 'alert' as const, what: 'CanaryErrorRateHigh', where: 'demo-admin', link: { label: 'Open Alerts', view: 'alerts' } }] };
    const { problems } = await createProblemsService([contextProblems(() => [status('prod', 'offline')]), alerts]).list({ context: 'prod' });
    expect(problems.map((p) => p.severity)).toEqual(['P1', 'P2']);
  });
});

describe('firing alerts are problems at their P-level', () => {
  const alert = (state: 'active' | 'suppressed' | 'pending') => ({ fingerprint: state, name: 'CanaryErrorRateHigh', state, priority: 'P1' as const, labels: {}, annotations: { summary: 'recommender canary 5xx above 5 %' }, startsAt: '2026-12-02T06:02:00.000Z', silencedBy: [], inhibitedBy: [] });
  const group = (active: number, state: 'active' | 'suppressed' | 'pending' = 'active') => ({
    key: `CanaryErrorRateHigh/inference/recommender/${state}`,
    alertname: 'CanaryErrorRateHigh',
    namespace: 'inference',
    service: 'recommender',
    priority: 'P1' as const,
    active,
    silenced: state === 'suppressed' ? 1 : 0,
    inhibited: 0,
    pending: state === 'pending' ? 1 : 0,
    since: '2026-12-02T06:02:00.000Z',
    alerts: [alert(state)],
  });

  it('a firing group is a P1 first in the list, linking to Alerts; silenced or pending groups are not problems', async () => {
    const service = createProblemsService([
      contextProblems(() => [status('demo-admin', 'degraded')]),
      alertProblems(async () => ({ groups: [group(1), group(0, 'suppressed'), group(0, 'pending')] })),
    ]);
    const { problems } = await service.list({ context: 'demo-admin' });
    expect(problems[0]).toEqual({
      id: 'alert/demo-admin/CanaryErrorRateHigh/inference/recommender/active',
      severity: 'P1',
      source: 'alert',
      what: 'CanaryErrorRateHigh firing: recommender canary 5xx above 5 %',
      where: 'demo-admin · inference/recommender',
      context: 'demo-admin',
      since: '2026-12-02T06:02:00.000Z',
      link: { label: 'Open in Alerts', view: 'alerts', context: 'demo-admin' },
    });
    expect(problems.map((p) => p.source)).toEqual(['alert', 'staleness']);
  });

  it('a failed check is not reported twice when the context itself is down', async () => {
    const failing = () => Promise.reject(new Error('connect ECONNREFUSED'));
    const sources = [alertProblems(failing), workloadProblems(failing), contextProblems(() => [status('lab', 'offline')])];
    const down = await createProblemsService(sources, { contextDown: (c) => c === 'lab' }).list({ context: 'lab' });
    expect(down.problems.map((p) => p.what)).toEqual(['offline']);
    const up = await createProblemsService([alertProblems(failing)], { contextDown: () => false }).list({ context: 'lab' });
    expect(up.problems.map((p) => p.what)).toEqual(['Could not check alerts: connect ECONNREFUSED']);
  });

  it('a source that does not answer in time is reported, not waited for', async () => {
    const hung = { name: 'alerts', problems: () => new Promise<never>(() => undefined) };
    const started = Date.now();
    const { problems } = await createProblemsService([hung], { timeoutMs: 50 }).list({ context: 'demo-admin' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(problems.map((p) => p.what)).toEqual(['Could not check alerts: no answer within 0.05 s']);
  });
});

describe('the renderer adds what only it knows', () => {
  it('a lost server link is a P2 staleness problem first; an old answer is P3; a fresh one adds nothing', () => {
    const now = Date.parse('2026-12-02T06:10:00.000Z');
    const lost = withLocalProblems([], { state: 'closed', since: now - 30_000, reason: 'socket closed' }, now - 40_000, undefined, now);
    expect(lost.map((p) => [p.severity, p.source, p.what.split(';')[0]])).toEqual([['P2', 'staleness', 'server link lost: socket closed']]);
    expect(withLocalProblems([], { state: 'open', since: 0 }, now - 60_000, undefined, now).map((p) => p.id)).toEqual(['problems-stale']);
    expect(withLocalProblems([], { state: 'open', since: 0 }, now - 1_000, undefined, now)).toEqual([]);
  });
});
