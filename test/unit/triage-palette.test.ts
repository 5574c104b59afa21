// The palette's search (issue 17): k9s jumps first on their exact alias, resources of every kind
// across namespaces by fuzzy name, and workload actions that become action-road requests.
import { describe, expect, it } from 'vitest';
import { actionEntries, actionFor, jumpEntries, resourceEntries, scaleCount, searchPalette, type ResourceRef } from '../../shared/model/palette-search.js';

const resources: ResourceRef[] = [
  { k: 'deploy', namespace: 'ml', name: 'ranker', id: 'deploy/ml/ranker', desired: 2 },
  { k: 'deploy', namespace: 'default', name: 'llm-gateway', id: 'deploy/default/llm-gateway', desired: 3 },
  { k: 'ro', namespace: 'inference', name: 'recommender', id: 'ro/inference/recommender', desired: 4 },
  { k: 'pod', namespace: 'inference', name: 'recommender-7d9f-abcde', id: 'pod/inference/recommender-7d9f-abcde' },
  { k: 'pod', namespace: 'kube-system', name: 'coredns-5d78-x1', id: 'pod/kube-system/coredns-5d78-x1' },
  { k: 'node', name: 'gpu-a100-03', id: 'node//gpu-a100-03' },
];
const workloads = resources.filter((r) => ['deploy', 'sts', 'ro'].includes(r.k));
const entries = (q: string) => [...jumpEntries(), ...resourceEntries(resources), ...actionEntries(workloads, q)];
const search = (q: string) => searchPalette(q, entries(q));

describe('palette search', () => {
  it(':pods, :nodes and :deploy jump first, as in k9s (with or without the colon)', () => {
    expect(search(':pods')[0].id).toBe('jump:po');
    expect(search(':nodes')[0].id).toBe('jump:no');
    expect(search('deploy')[0].id).toBe('jump:deploy');
    expect(search(':sts')[0].id).toBe('jump:sts');
  });

  it('finds resources of every kind across namespaces by a fuzzy name', () => {
    expect(search('coredns').map((e) => e.id)).toContain('res:pod/kube-system/coredns-5d78-x1');
    expect(search('a100 03').map((e) => e.id)).toContain('res:node//gpu-a100-03');
    expect(search('llmgw').map((e) => e.id)).toContain('res:deploy/default/llm-gateway');
  });

  it('"restart llm-gateway" and "undo recommender" rank their action first; it names the action-road request', () => {
    const restart = search('restart llm-gateway')[0];
    expect(restart.label).toBe('Restart llm-gateway');
    expect(actionFor(restart.id)).toEqual({ action: 'restart', target: { kind: 'Deployment', namespace: 'default', name: 'llm-gateway' }, params: {} });
    const undo = search('undo recommender')[0];
    expect(actionFor(undo.id)).toEqual({ action: 'undo', target: { kind: 'Rollout', namespace: 'inference', name: 'recommender' }, params: { toRevision: 0 } });
  });

  it('"scale ranker 5" plans 5 replicas; "scale ranker" asks for the count first', () => {
    expect(scaleCount('scale ranker 5')).toBe(5);
    expect(scaleCount('scale ranker')).toBeUndefined();
    const five = search('scale ranker 5')[0];
    expect([five.label, five.hint]).toEqual(['Scale ranker to 5', 'Deployment ml/ranker · now 2']);
    expect(actionFor(five.id)).toEqual({ action: 'scale', target: { kind: 'Deployment', namespace: 'ml', name: 'ranker' }, params: { replicas: 5 } });
    const ask = search('scale ranker')[0];
    expect(actionFor(ask.id)).toMatchObject({ action: 'scale', needsInput: true });
  });

  it('an empty query lists jumps and views, not every pod; nonsense finds nothing', () => {
    expect(search('').every((e) => e.group !== 'resource' && e.group !== 'action')).toBe(true);
    expect(search('zzzqqq')).toEqual([]);
  });
});
