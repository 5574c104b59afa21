// Node plans: the exact requests cordon/uncordon/drain send, and which pods drain leaves alone.
import { describe, expect, it } from 'vitest';
import { drainMessage, planCordon, planDrain, skipReason } from '../../electron/core/nodes/index.js';
import type { KubeObject } from '../../shared/model/kube.js';

const node = (unschedulable?: boolean): KubeObject => ({ metadata: { name: 'gpu-1' }, spec: unschedulable ? { unschedulable } : {} });
const pod = (name: string, extra: Partial<KubeObject['metadata']> & { deletionTimestamp?: string } = {}, spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'ml', ...extra },
  spec,
});
const owned = (kind: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name: 'x', uid: 'u', controller: true }] });

describe('cordon and uncordon', () => {
  it('sends the strategic merge patch kubectl sends (null removes the field on uncordon)', () => {
    expect(planCordon(node(), true).requests[1]).toEqual({ method: 'PATCH', path: '/api/v1/nodes/gpu-1', contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable: true } } });
    expect(planCordon(node(true), false).requests[1]?.body).toEqual({ spec: { unschedulable: null } });
    expect(planCordon(node(true), true).warnings).toEqual(['Node gpu-1 is already cordoned: this changes nothing.']);
    expect(planCordon(node(), true).access).toContainEqual({ verb: 'patch', group: '', resource: 'nodes', name: 'gpu-1' });
  });
});

describe('drain', () => {
  const pods = [
    pod('web-1', owned('ReplicaSet')),
    pod('dcgm-exporter', owned('DaemonSet')),
    pod('kube-proxy-gpu-1', { annotations: { 'kubernetes.io/config.mirror': 'abc' } }),
    pod('leaving', { ...owned('ReplicaSet'), deletionTimestamp: '2026-01-01T00:00:00Z' }),
    pod('bare', {}, { volumes: [{ name: 'scratch', emptyDir: {} }] }),
  ];

  it('skips DaemonSet, mirror and terminating pods; evicts the rest, after the cordon', () => {
    expect(pods.map(skipReason)).toEqual([undefined, 'DaemonSet-managed', 'mirror pod', 'already terminating', undefined]);
    const draft = planDrain({ node: node(), pods });
    expect(draft.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/nodes/gpu-1',
      'GET /api/v1/pods?fieldSelector=spec.nodeName%3Dgpu-1',
      'PATCH /api/v1/nodes/gpu-1',
      'POST /api/v1/namespaces/ml/pods/web-1/eviction',
      'POST /api/v1/namespaces/ml/pods/bare/eviction',
    ]);
    expect(draft.requests[3]?.body).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'ml' } });
    expect(draft.access).toContainEqual({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: 'ml' });
    expect(draft.warnings).toEqual([
      'Not managed by a controller, so not recreated elsewhere: ml/bare.',
      'emptyDir data is lost with: ml/bare.',
      'Left on the node: ml/dcgm-exporter (DaemonSet-managed), ml/kube-proxy-gpu-1 (mirror pod), ml/leaving (already terminating).',
    ]);
  });

  it('does not cordon a cordoned node again, and names the pods a dry run found held', () => {
    const draft = planDrain({ node: node(true), pods: [pods[0]], refusals: new Map([['ml/web-1', 'budget says no (HTTP 429)']]) });
    expect(draft.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(draft.warnings).toContain('ml/web-1 cannot be evicted now (dry run): budget says no (HTTP 429)');
  });

  it('reports evicted, gone and refused pods', () => {
    expect(drainMessage('gpu-1', { evicted: ['ml/a'], gone: [], refused: [] })).toBe('Node gpu-1 cordoned; 1 pod evicted.');
    expect(drainMessage('gpu-1', { evicted: ['ml/a', 'ml/b'], gone: ['ml/c'], refused: [{ pod: 'ml/d', reason: 'no (HTTP 429)' }] })).toBe(
      'Node gpu-1 cordoned; 2 pods evicted, 1 already gone. 1 could not be evicted: ml/d: no (HTTP 429). Drain again once the budget allows it.',
    );
  });
});
