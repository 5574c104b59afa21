// The graph search's dimming set and the words the graph says when filters leave nothing.
import { describe, expect, it } from 'vitest';
import { buildGraph, describeEmptyGraph, NO_FILTERS, searchHighlight } from '../../shared/model/topology-graph.js';
import type { TopoElement } from '../../shared/contract/topology.js';

const els: TopoElement[] = [
  { id: 'node//n1', k: 'node', n: 'n1', h: 'ok', g: 1, pool: 'A100' },
  { id: 'gpu//n1/0', k: 'gpu', n: 'train-gpu0', h: 'ok', on: 'node//n1' },
  { id: 'deploy/ml/train', k: 'deploy', n: 'train', ns: 'ml', h: 'ok' },
  { id: 'rs/ml/train-abc', k: 'rs', n: 'train-abc', ns: 'ml', h: 'ok', o: 'deploy/ml/train' },
  ...Array.from({ length: 12 }, (_, i): TopoElement => ({ id: `pod/ml/train-abc-${i}`, k: 'pod', n: `train-abc-${i}`, ns: 'ml', h: 'ok', o: 'rs/ml/train-abc', on: 'node//n1' })),
  { id: 'deploy/web/front', k: 'deploy', n: 'front', ns: 'web', h: 'ok' },
];

describe('graph search highlight', () => {
  it('dims nothing without a search', () => {
    expect(searchHighlight(els, '  ', 'namespace')).toBeUndefined();
  });

  it('lights the matching elements and the group holding a matching pod, per grouping', () => {
    const byWorkload = searchHighlight(els, 'TRAIN-abc-7', 'namespace')!;
    expect([...byWorkload].sort()).toEqual(['group/rs/ml/train-abc', 'pod/ml/train-abc-7']);
    // The group key names an item the model draws (the pods are collapsed).
    expect(buildGraph(els, NO_FILTERS, 'namespace', new Set()).items.map((i) => i.id)).toContain('group/rs/ml/train-abc');
    expect(searchHighlight(els, 'train-abc-7', 'node')).toContain('group/node/node//n1');
    // Namespace/name matches too; GPUs are not search results (their node is).
    const ml = searchHighlight(els, 'ml/train', 'namespace')!;
    expect(ml.has('deploy/ml/train')).toBe(true);
    expect(ml.has('gpu//n1/0')).toBe(false);
    expect(ml.has('deploy/web/front')).toBe(false);
  });
});

describe('empty graph notice', () => {
  it('says there are no problems when "Problems only" leaves nothing, naming the scope', () => {
    const filters = { ...NO_FILTERS, health: 'problems' as const, namespace: 'ml' };
    expect(buildGraph(els, filters, 'namespace', new Set()).items).toEqual([]);
    expect(describeEmptyGraph(filters)).toBe('No problems in namespace ml: no pod, node, workload or service is warning or failing.');
    expect(describeEmptyGraph({ ...NO_FILTERS, health: 'failing', pool: 'H100' })).toBe('Nothing in GPU pool H100 is failing.');
    expect(describeEmptyGraph(NO_FILTERS)).toBe('Nothing to show.');
  });
});
