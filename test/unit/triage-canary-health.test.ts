// A failing canary reads red everywhere (issue 17): by error rate against the stable, by a failed
// AnalysisRun, by abort or Degraded, and Topology's rollout health says so while the phase is Paused.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/model/kube.js';
import { canaryErrorRateFailure, rolloutFailure } from '../../shared/model/canary-health.js';
import { rolloutHealth } from '../../shared/model/health.js';
import { summarizeWorkload } from '../../shared/model/rollout.js';
import { createCanaryVerdicts } from '../../electron/core/rollouts/canary-verdicts.js';
import type { WorkloadList } from '../../electron/core/rollouts/rollouts-reads.js';
import { TopologyProjection } from '../../shared/model/topology.js';

const pausedCanary = (status: Record<string, unknown> = {}): KubeObject => ({
  kind: 'Rollout',
  metadata: { name: 'recommender', namespace: 'inference', uid: 'r1', generation: 2 },
  spec: { replicas: 4, strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } }, template: { spec: { containers: [{ name: 'rec', image: 'rec:2.4.0-rc1' }] } } },
  status: { observedGeneration: '2', phase: 'Paused', message: 'CanaryPauseStep', currentStepIndex: 1, currentPodHash: 'new', stableRS: 'old', pauseConditions: [{ reason: 'CanaryPauseStep' }], ...status },
});

describe('canary error rate verdict', () => {
  it('14.9 % against 0 % fails, with both numbers in the reason', () => {
    expect(canaryErrorRateFailure({ canary: 0.149, stable: 0 })).toBe('canary error rate 14.9 % vs stable 0.0 %');
  });
  it('under the 1 % floor or under twice the stable is not a failure', () => {
    expect(canaryErrorRateFailure({ canary: 0.009, stable: 0 })).toBeUndefined();
    expect(canaryErrorRateFailure({ canary: 0.05, stable: 0.03 })).toBeUndefined();
    expect(canaryErrorRateFailure({ canary: null, stable: 0 })).toBeUndefined();
  });
  it('a canary without a stable number is judged against the floor', () => {
    expect(canaryErrorRateFailure({ canary: 0.2, stable: null })).toBe('canary error rate 20.0 % vs stable —');
  });
});

describe('failure Argo reports on the Rollout', () => {
  it('a failed step AnalysisRun is failing while the phase still says Paused', () => {
    const ro = pausedCanary({ canary: { currentStepAnalysisRunStatus: { name: 'recommender-7d9-2', status: 'Failed', message: 'Metric "success-rate" assessed Failed' } } });
    expect(rolloutFailure(ro)).toEqual({ reason: 'analysis recommender-7d9-2 Failed: Metric "success-rate" assessed Failed', source: 'analysis' });
    expect(rolloutHealth(ro)).toEqual({ h: 'failing', r: 'analysis recommender-7d9-2 Failed: Metric "success-rate" assessed Failed' });
    expect(summarizeWorkload('Rollout', ro).failure).toEqual({ reason: 'analysis recommender-7d9-2 Failed: Metric "success-rate" assessed Failed', source: 'analysis' });
  });
  it('a background analysis in Error counts too; a Running one does not', () => {
    expect(rolloutFailure(pausedCanary({ canary: { currentBackgroundAnalysisRunStatus: { name: 'bg', status: 'Error' } } }))?.source).toBe('analysis');
    expect(rolloutFailure(pausedCanary({ canary: { currentBackgroundAnalysisRunStatus: { name: 'bg', status: 'Running' } } }))).toBeUndefined();
  });
  it('abort and Degraded are failures; a healthy pause is not', () => {
    expect(rolloutFailure(pausedCanary({ abort: true, message: 'RolloutAborted' }))).toEqual({ reason: 'aborted: RolloutAborted', source: 'abort' });
    expect(rolloutFailure(pausedCanary({ phase: 'Degraded', message: 'ProgressDeadlineExceeded' }))?.source).toBe('degraded');
    expect(rolloutFailure(pausedCanary())).toBeUndefined();
    expect(summarizeWorkload('Rollout', pausedCanary()).failure).toBeUndefined();
    expect(rolloutHealth(pausedCanary()).h).toBe('warning');
  });
});

describe('canary verdicts on the rollouts list', () => {
  const list = (): WorkloadList => ({ workloads: [summarizeWorkload('Rollout', pausedCanary(), [])], at: new Date(0).toISOString(), problems: [] });
  // summarizeWorkload names the canary RS only when it finds it; give the row one as the list would.
  const withCanaryRs = (l: WorkloadList): WorkloadList => ({ ...l, workloads: l.workloads.map((w) => ({ ...w, canary: w.canary && { ...w.canary, canaryRS: 'recommender-new' } })) });

  it('marks a live canary failing by its error rate, with since, and asks Prometheus at most once per ttl', async () => {
    let asked = 0;
    let clock = 1_000_000;
    const verdicts = createCanaryVerdicts({ forTarget: async () => (asked++, { canary: 0.149, stable: 0 }) }, { ttlMs: 5_000, now: () => clock });
    const first = await verdicts.apply('demo', withCanaryRs(list()));
    expect(first.workloads[0].failure).toEqual({ reason: 'canary error rate 14.9 % vs stable 0.0 %', source: 'errorRate', since: new Date(1_000_000).toISOString() });
    clock += 1_000;
    const second = await verdicts.apply('demo', withCanaryRs(list()));
    expect(asked).toBe(1);
    expect(second.workloads[0].failure?.since).toBe(new Date(1_000_000).toISOString());
  });
  it('a clean canary, or no metrics source, leaves the row alone', async () => {
    const clean = createCanaryVerdicts({ forTarget: async () => ({ canary: 0.001, stable: 0 }) });
    expect((await clean.apply('demo', withCanaryRs(list()))).workloads[0].failure).toBeUndefined();
    const none = createCanaryVerdicts({ forTarget: async () => ({ canary: null, stable: null }) });
    expect((await none.apply('demo', withCanaryRs(list()))).workloads[0].failure).toBeUndefined();
    const broken = createCanaryVerdicts({ forTarget: async () => Promise.reject(new Error('down')) });
    expect((await broken.apply('demo', withCanaryRs(list()))).workloads[0].failure).toBeUndefined();
  });
});

describe('Topology shows a canary failing by error rate', () => {
  const rs = (name: string, hash: string): KubeObject => ({
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'inference', labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'recommender', uid: 'r1', controller: true }] },
    spec: { replicas: 1 },
    status: { readyReplicas: 1 },
  });
  const pod = (name: string, owner: string): KubeObject => ({
    kind: 'Pod',
    metadata: { name, namespace: 'inference', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] },
    spec: { nodeName: 'n1', containers: [{ name: 'rec' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'rec', ready: true, restartCount: 0 }] },
  });

  it('the Rollout, the canary ReplicaSet and its pods turn failing with the reason; the stable pods stay ok; clearing restores them', () => {
    const p = new TopologyProjection();
    p.apply('rollouts', 'ADDED', pausedCanary());
    p.apply('replicasets', 'ADDED', rs('recommender-new', 'new'));
    p.apply('replicasets', 'ADDED', rs('recommender-old', 'old'));
    p.apply('pods', 'ADDED', pod('recommender-new-a', 'recommender-new'));
    p.apply('pods', 'ADDED', pod('recommender-old-a', 'recommender-old'));
    p.takeChanges();
    expect(p.get('ro/inference/recommender')?.h).toBe('warning');
    expect(p.get('pod/inference/recommender-new-a')?.h).toBe('ok');
    const reason = 'canary error rate 14.9 % vs stable 0.0 %';
    p.setExternalVerdict('ro/inference/recommender', { h: 'failing', r: reason });
    p.setExternalVerdict('rs/inference/recommender-new', { h: 'failing', r: reason });
    expect(p.get('ro/inference/recommender')).toMatchObject({ h: 'failing', r: reason });
    expect(p.get('pod/inference/recommender-new-a')).toMatchObject({ h: 'failing', r: reason });
    expect(p.get('pod/inference/recommender-old-a')?.h).toBe('ok');
    expect(p.takeChanges().upserts.map((e) => e.id).sort()).toEqual(['pod/inference/recommender-new-a', 'ro/inference/recommender', 'rs/inference/recommender-new']);
    // A new canary pod arriving later is coloured too.
    p.apply('pods', 'ADDED', pod('recommender-new-b', 'recommender-new'));
    expect(p.get('pod/inference/recommender-new-b')?.h).toBe('failing');
    p.setExternalVerdict('ro/inference/recommender', undefined);
    p.setExternalVerdict('rs/inference/recommender-new', undefined);
    expect(p.get('ro/inference/recommender')?.h).toBe('warning');
    expect(p.get('pod/inference/recommender-new-a')?.h).toBe('ok');
  });

  it('the verdicts tell Topology when a canary starts and stops failing', async () => {
    const told: Array<[string, string | undefined, string | undefined]> = [];
    let rate = 0.149;
    const verdicts = createCanaryVerdicts({ forTarget: async () => ({ canary: rate, stable: 0 }) }, { ttlMs: 0, onChange: (_c, canary, reason) => told.push([canary.name, canary.canaryRS, reason]) });
    const row = { ...summarizeWorkload('Rollout', pausedCanary(), []) };
    const list = (): WorkloadList => ({ workloads: [{ ...row, canary: row.canary && { ...row.canary, canaryRS: 'recommender-new' } }], at: '', problems: [] });
    await verdicts.apply('demo', list());
    await verdicts.apply('demo', list());
    rate = 0;
    await verdicts.apply('demo', list());
    expect(told).toEqual([
      ['recommender', 'recommender-new', 'canary error rate 14.9 % vs stable 0.0 %'],
      ['recommender', 'recommender-new', undefined],
    ]);
  });
});
