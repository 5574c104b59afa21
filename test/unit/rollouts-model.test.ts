import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/model/kube.js';
import { deploymentProgress, modelVersionLabel, rolloutPhase, statefulSetProgress, summarizeWorkload } from '../../shared/model/rollout.js';

const fixture = (name: string) => parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'argo-rollouts', name), 'utf8')) as KubeObject;

function deployment(status: Record<string, unknown>, opts: { generation?: number; replicas?: number; conditions?: unknown[] } = {}): KubeObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'inference', generation: opts.generation ?? 2, annotations: { 'deployment.kubernetes.io/revision': '3' } },
    spec: { replicas: opts.replicas ?? 4, template: { spec: { containers: [{ name: 'web', image: 'vllm:0.6' }] } } },
    status: { observedGeneration: 2, conditions: opts.conditions ?? [], ...status },
  };
}

describe('deployment progress follows kubectl rollout status', () => {
  it('waits for the spec update to be observed first', () => {
    expect(deploymentProgress(deployment({ updatedReplicas: 4, replicas: 4, availableReplicas: 4 }, { generation: 3 }))).toMatchObject({
      done: false,
      message: 'Waiting for deployment spec update to be observed...',
    });
  });
  it('reports the progress deadline as a failure before anything else', () => {
    const p = deploymentProgress(deployment({ updatedReplicas: 1, replicas: 5 }, { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(p).toMatchObject({ done: false, failed: true, message: 'deployment "web" exceeded its progress deadline' });
  });
  it('walks the same branches in the same order', () => {
    expect(deploymentProgress(deployment({ updatedReplicas: 1, replicas: 5, availableReplicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 4 new replicas have been updated...',
    );
    expect(deploymentProgress(deployment({ updatedReplicas: 4, replicas: 6, availableReplicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 2 old replicas are pending termination...',
    );
    expect(deploymentProgress(deployment({ updatedReplicas: 4, replicas: 4, availableReplicas: 3 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 3 of 4 updated replicas are available...',
    );
    const done = deploymentProgress(deployment({ updatedReplicas: 4, replicas: 4, availableReplicas: 4 }));
    expect(done).toEqual({ done: true, failed: false, message: 'deployment "web" successfully rolled out', fraction: 1 });
  });
  it('never shows a full bar before done', () => {
    expect(deploymentProgress(deployment({ updatedReplicas: 4, replicas: 4, availableReplicas: 3 })).fraction).toBeLessThan(1);
  });
});

describe('statefulset progress follows kubectl rollout status', () => {
  const sts = (status: Record<string, unknown>, updateStrategy: Record<string, unknown> = { type: 'RollingUpdate' }): KubeObject => ({
    metadata: { name: 'db', namespace: 'x', generation: 1 },
    spec: { replicas: 3, updateStrategy },
    status: { observedGeneration: 1, ...status },
  });
  it('refuses OnDelete like kubectl', () => {
    expect(statefulSetProgress(sts({}, { type: 'OnDelete' })).failed).toBe(true);
  });
  it('waits for ready pods, then compares revisions', () => {
    expect(statefulSetProgress(sts({ readyReplicas: 1 })).message).toBe('Waiting for 2 pods to be ready...');
    expect(statefulSetProgress(sts({ readyReplicas: 3, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' })).done).toBe(false);
    expect(statefulSetProgress(sts({ readyReplicas: 3, updatedReplicas: 3, currentRevision: 'db-2', updateRevision: 'db-2' })).done).toBe(true);
  });
  it('honours a partition', () => {
    const s = sts({ readyReplicas: 3, updatedReplicas: 1 }, { type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
    expect(statefulSetProgress(s).message).toBe('Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...');
  });
});

describe('Argo Rollouts summary', () => {
  it('shows the upstream canary fixture at step 0 with its progress deadline', () => {
    const ro = fixture('canary-rollout.yaml');
    const s = summarizeWorkload('Rollout', ro, []);
    expect(s.strategy).toBe('Canary');
    expect(s.revision).toBe('31');
    expect(s.canary).toMatchObject({ stepIndex: 0, stepCount: 8, setWeight: 20, stableRS: 'canary-demo-877894d5b', canaryRS: 'canary-demo-65fb5ffc84' });
    expect(s.conditions.find((c) => c.type === 'Progressing')?.reason).toBe('ProgressDeadlineExceeded');
  });
  it('computes the weight from available canary pods when there is no traffic routing', () => {
    const ro = fixture('canary-rollout.yaml');
    const rs = (hash: string, available: number): KubeObject => ({
      metadata: { name: `canary-demo-${hash}`, namespace: 'jesse-test', labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'canary-demo', uid: ro.metadata.uid ?? '', controller: true }] },
      status: { availableReplicas: available },
    });
    const s = summarizeWorkload('Rollout', ro, [rs('877894d5b', 4), rs('65fb5ffc84', 1)]);
    // availableReplicas 5 on the rollout, 1 on the canary ReplicaSet -> 20%.
    expect(s.canary?.weight).toBe(20);
  });
  it('shows blue-green active and preview ReplicaSets with their selectors', () => {
    const s = summarizeWorkload('Rollout', fixture('bluegreen-bluegreen-rollout.yaml'), [fixture('bluegreen-active-rs.yaml'), fixture('bluegreen-preview-rs.yaml')]);
    expect(s.blueGreen).toMatchObject({
      activeRS: 'bluegreen-demo-6cbccd9f99',
      previewRS: 'bluegreen-demo-74b948fccb',
      activeSelector: 'rollouts-pod-template-hash=6cbccd9f99',
      previewSelector: 'rollouts-pod-template-hash=74b948fccb',
      pauseReasons: ['BlueGreenPause'],
    });
  });
  it('says the spec is not observed when observedGeneration (a string) lags', () => {
    const ro = fixture('canary-rollout.yaml');
    expect(rolloutPhase(ro).phase).not.toBe('Progressing x');
    expect(rolloutPhase({ ...ro, metadata: { ...ro.metadata, generation: 430 } })).toEqual({ phase: 'Progressing', message: 'waiting for rollout spec update to be observed' });
  });
  it('is done only when Healthy', () => {
    const ro = fixture('canary-rollout.yaml');
    const healthy = { ...ro, status: { ...(ro.status as object), phase: 'Healthy' } };
    expect(summarizeWorkload('Rollout', healthy).progress).toMatchObject({ done: true, fraction: 1 });
    const degraded = { ...ro, status: { ...(ro.status as object), phase: 'Degraded', message: 'RolloutAborted' } };
    expect(summarizeWorkload('Rollout', degraded).progress).toMatchObject({ done: false, failed: true, message: 'Degraded - RolloutAborted' });
  });
});

describe('model versions print once', () => {
  it('adds a "v" only to a bare numeric version', () => {
    expect(modelVersionLabel('3.1')).toBe('v3.1');
    expect(modelVersionLabel('2')).toBe('v2');
    expect(modelVersionLabel('v1.5')).toBe('v1.5');
    expect(modelVersionLabel('V2.0')).toBe('V2.0');
    expect(modelVersionLabel('2024-07-23-fp8')).toBe('2024-07-23-fp8');
  });
});
