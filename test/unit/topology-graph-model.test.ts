import { describe, expect, it } from 'vitest';
import { buildGraph, NO_FILTERS, searchElements } from '../../shared/model/topology-graph.js';
import { layeredLayout } from '../../shared/model/layered-layout.js';
import type { TopoElement } from '../../shared/contract/topology.js';

function fleet(podsPerRs: number): TopoElement[] {
  const els: TopoElement[] = [
    { id: 'node//n1', k: 'node', n: 'n1', h: 'ok', g: 2, pool: 'A100' },
    { id: 'node//n2', k: 'node', n: 'n2', h: 'failing', r: 'NotReady', pool: 'H100' },
    { id: 'gpu//n1/0', k: 'gpu', n: 'n1/gpu0', h: 'ok', on: 'node//n1', by: 'pod/ml/train-0' },
    { id: 'gpu//n1/1', k: 'gpu', n: 'n1/gpu1', h: 'ok', on: 'node//n1' },
    { id: 'deploy/ml/train', k: 'deploy', n: 'train', ns: 'ml', h: 'ok' },
    { id: 'rs/ml/train-abc', k: 'rs', n: 'train-abc', ns: 'ml', h: 'ok', o: 'deploy/ml/train' },
    { id: 'svc/ml/train', k: 'svc', n: 'train', ns: 'ml', h: 'ok', to: ['deploy/ml/train'] },
    { id: 'deploy/web/front', k: 'deploy', n: 'front', ns: 'web', h: 'ok' },
    { id: 'rs/web/front-x', k: 'rs', n: 'front-x', ns: 'web', h: 'ok', o: 'deploy/web/front' },
    { id: 'pod/web/front-x-1', k: 'pod', n: 'front-x-1', ns: 'web', h: 'failing', r: 'CrashLoopBackOff', o: 'rs/web/front-x', on: 'node//n2' },
  ];
  for (let i = 0; i < podsPerRs; i++) els.push({ id: `pod/ml/train-${i}`, k: 'pod', n: `train-${i}`, ns: 'ml', h: i === 3 ? 'warning' : 'ok', o: 'rs/ml/train-abc', on: 'node//n1' });
  return els;
}

describe('graph model', () => {
  it('collapses replicas above the threshold into one group with health counts, and expands it on request', () => {
    const collapsed = buildGraph(fleet(20), NO_FILTERS, 'namespace', new Set());
    const group = collapsed.items.find((i) => i.kind === 'group');
    expect(group).toMatchObject({ id: 'group/rs/ml/train-abc', h: 'warning', group: { count: 20, ok: 19, warning: 1 } });
    expect(collapsed.items.filter((i) => i.kind === 'pod').map((i) => i.id)).toEqual(['pod/web/front-x-1']);
    expect(collapsed.memberOf.get('pod/ml/train-7')).toBe('group/rs/ml/train-abc');
    expect(collapsed.edges).toContainEqual(['rs/ml/train-abc', 'group/rs/ml/train-abc']);
    expect(collapsed.edges).toContainEqual(['group/rs/ml/train-abc', 'node//n1']);
    const expanded = buildGraph(fleet(20), NO_FILTERS, 'namespace', new Set(['group/rs/ml/train-abc']));
    expect(expanded.items.filter((i) => i.kind === 'pod')).toHaveLength(21);
    expect(expanded.memberOf.size).toBe(0);
  });

  it('keeps small replica sets as individual pods', () => {
    const model = buildGraph(fleet(5), NO_FILTERS, 'namespace', new Set());
    expect(model.items.filter((i) => i.kind === 'group')).toHaveLength(0);
    expect(model.items.filter((i) => i.kind === 'pod')).toHaveLength(6);
  });

  it('groups by node when asked', () => {
    const model = buildGraph(fleet(20), NO_FILTERS, 'node', new Set());
    expect(model.items.find((i) => i.kind === 'group')?.id).toBe('group/node/node//n1');
  });

  it('filters by namespace, health and GPU pool, keeping the owners and nodes of what matches', () => {
    const byNs = buildGraph(fleet(3), { ...NO_FILTERS, namespace: 'web' }, 'namespace', new Set());
    expect(byNs.items.map((i) => i.id).sort()).toEqual(['deploy/web/front', 'node//n2', 'pod/web/front-x-1', 'rs/web/front-x']);
    const problems = buildGraph(fleet(3), { ...NO_FILTERS, health: 'failing' }, 'namespace', new Set());
    expect(problems.items.map((i) => i.id)).toContain('pod/web/front-x-1');
    expect(problems.items.map((i) => i.id)).not.toContain('pod/ml/train-0');
    const pool = buildGraph(fleet(3), { ...NO_FILTERS, pool: 'A100' }, 'namespace', new Set());
    expect(pool.items.filter((i) => i.kind === 'node').map((i) => i.id)).toEqual(['node//n1']);
    expect(pool.items.find((i) => i.id === 'node//n1')?.gpus).toEqual([{ h: 'ok', by: 'pod/ml/train-0' }, { h: 'ok' }]);
  });

  it('search finds a pod even inside a collapsed group', () => {
    const els = fleet(40);
    const hits = searchElements(els, 'train-37');
    expect(hits[0].id).toBe('pod/ml/train-37');
    expect(buildGraph(els, NO_FILTERS, 'namespace', new Set()).memberOf.has(hits[0].id)).toBe(true);
  });

  it('lays out layers left to right with every item placed and no overlaps in a column', () => {
    const model = buildGraph(fleet(200), NO_FILTERS, 'namespace', new Set(['group/rs/ml/train-abc']));
    const out = layeredLayout({ items: model.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: 100, h: 20 })), edges: model.edges });
    const pos = model.items.map((item, i) => ({ item, x: out.positions[i * 2], y: out.positions[i * 2 + 1] }));
    const x = (kind: string) => Math.min(...pos.filter((p) => p.item.kind === kind).map((p) => p.x));
    expect(x('svc')).toBeLessThan(x('deploy'));
    expect(x('deploy')).toBeLessThan(x('rs'));
    expect(x('rs')).toBeLessThan(x('pod'));
    expect(x('pod')).toBeLessThan(x('node'));
    const seen = new Set(pos.map((p) => `${p.x},${p.y}`));
    expect(seen.size).toBe(pos.length);
    expect(out.height).toBeLessThan(60 * 28);
  });
});
