import { describe, expect, it } from 'vitest';
import type { GraphItem } from '../../shared/model/topology-graph';
import { boxReaches, edgeHidden, edgeReaches, hitItem } from '../../renderer/views/topology/canvas/hit-test';

const item = (id: string): GraphItem => ({ id, kind: 'pod', label: id, h: 'ok', layer: 0, sort: id });

describe('topology canvas hit-testing', () => {
  const items = [item('pod/a'), item('pod/b'), item('pod/c')];
  const placed = new Map([
    ['pod/a', { x: 0, y: 0, w: 100, h: 40 }],
    // b overlaps a and is drawn after it: it wins where they overlap.
    ['pod/b', { x: 50, y: 20, w: 100, h: 40 }],
  ]);

  it('finds the topmost item under a point, edges included', () => {
    expect(hitItem(items, placed, 10, 10)?.id).toBe('pod/a');
    expect(hitItem(items, placed, 60, 30)?.id).toBe('pod/b');
    expect(hitItem(items, placed, 150, 60)?.id).toBe('pod/b');
    expect(hitItem(items, placed, 151, 10)).toBeUndefined();
    // An item without a place yet (layout pending) is never hit.
    expect(hitItem([item('pod/c')], placed, 10, 10)).toBeUndefined();
  });

  it('culls boxes and edges outside the drawn rectangle', () => {
    const b = { minX: 0, minY: 0, maxX: 100, maxY: 100 };
    expect(boxReaches({ x: -50, y: 10, w: 50, h: 10 }, b)).toBe(true);
    expect(boxReaches({ x: -50, y: 10, w: 49, h: 10 }, b)).toBe(false);
    expect(boxReaches({ x: 10, y: 101, w: 5, h: 5 }, b)).toBe(false);
    // An edge crossing the rectangle with both ends outside still reaches it.
    expect(edgeReaches(-10, 50, 200, 60, b)).toBe(true);
    expect(edgeReaches(110, 50, 200, 60, b)).toBe(false);
  });

  it('hides group->node fan-out on a crowded graph unless it touches the selection', () => {
    expect(edgeHidden('group/x', 'node/n', true, undefined)).toBe(true);
    expect(edgeHidden('group/x', 'node/n', false, undefined)).toBe(false);
    expect(edgeHidden('group/x', 'node/n', true, 'node/n')).toBe(false);
    expect(edgeHidden('deploy/x', 'node/n', true, undefined)).toBe(false);
  });
});
