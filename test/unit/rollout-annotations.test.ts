// Rollout annotations on the Metrics charts: revision starts from ReplicaSet creation times, an Argo
// Rollout's promotion (Completed turning True) and abort (abortedAt), only for the workloads behind
// the asked services and only inside the range.
import { describe, expect, it } from 'vitest';
import { rolloutEvents, serviceOfWorkload } from '../../electron/core/rollouts/rollout-events.js';
import type { KubeObject } from '../../shared/model/kube.js';

const T0 = Date.parse('2026-12-02T06:00:00Z') / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

const workload = (kind: string, name: string, app: string, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1',
  kind,
  metadata: { name, namespace: 'inference', uid: `uid-${name}` },
  spec: { template: { metadata: { labels: { app } } } },
  status,
});
const replicaSet = (owner: KubeObject, revision: number, createdAt: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `${owner.metadata.name}-${revision}`,
    namespace: 'inference',
    creationTimestamp: iso(createdAt),
    annotations: { [owner.kind === 'Rollout' ? 'rollout.argoproj.io/revision' : 'deployment.kubernetes.io/revision']: String(revision) },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind ?? '', name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true }],
  },
});

const gateway = workload('Deployment', 'llm-gateway', 'llm-gateway');
const ranker = workload('Rollout', 'ranker', 'ranker', {
  abortedAt: iso(T0 + 900),
  conditions: [{ type: 'Completed', status: 'True', lastTransitionTime: iso(T0 + 600) }],
});
const embedder = workload('Deployment', 'embedder', 'embedder');
const objects = {
  Deployment: [gateway, embedder],
  StatefulSet: [],
  Rollout: [ranker],
  replicaSets: [replicaSet(gateway, 2, T0 - 86_400), replicaSet(gateway, 3, T0 + 300), replicaSet(ranker, 4, T0 + 120), replicaSet(embedder, 7, T0 + 200)],
  controllerRevisions: [],
};

describe('rollout annotations', () => {
  it('lists revision starts, promotions and aborts inside the range, oldest first', () => {
    const events = rolloutEvents(objects, { start: T0, end: T0 + 3600 });
    expect(events.map((e) => `${e.workload} ${e.label} @${e.at - T0}`)).toEqual([
      'ranker rev 4 started @120',
      'embedder rev 7 started @200',
      'llm-gateway rev 3 started @300',
      'ranker promoted @600',
      'ranker aborted @900',
    ]);
    expect(events.find((e) => e.type === 'aborted')).toMatchObject({ kind: 'Rollout', namespace: 'inference', service: 'ranker' });
    expect(events[2]).toMatchObject({ type: 'started', revision: 3, detail: 'Deployment inference/llm-gateway: revision 3 (llm-gateway-3) created' });
  });

  it('keeps only the workloads behind the asked services', () => {
    const events = rolloutEvents(objects, { services: ['llm-gateway', 'ranker'], start: T0, end: T0 + 3600 });
    expect(new Set(events.map((e) => e.workload))).toEqual(new Set(['llm-gateway', 'ranker']));
    expect(rolloutEvents(objects, { services: ['nobody'], start: T0, end: T0 + 3600 })).toEqual([]);
  });

  it('leaves out events outside the range (the day-old revision 2, the abort after the end)', () => {
    const events = rolloutEvents(objects, { start: T0 + 250, end: T0 + 700 });
    expect(events.map((e) => e.label)).toEqual(['rev 3 started', 'promoted']);
  });

  it('maps a workload to its service by app.kubernetes.io/name, then app, then its name', () => {
    const named = workload('Deployment', 'x', 'app-label');
    (named.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels['app.kubernetes.io/name'] = 'k8s-name';
    expect(serviceOfWorkload(named)).toBe('k8s-name');
    expect(serviceOfWorkload(workload('Deployment', 'x', 'app-label'))).toBe('app-label');
    expect(serviceOfWorkload({ metadata: { name: 'bare' } })).toBe('bare');
  });
});
