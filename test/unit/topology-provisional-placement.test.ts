// New items placed at once (before the worker's tidy layout): existing positions kept, new items
// stacked under their layer's rightmost column, no overlaps; too many new items wait for the worker.
import { describe, expect, it } from 'vitest';
import { layeredLayout, provisionalPlacement, type Box } from '../../shared/model/layered-layout.js';

const SIZES = { pod: [180, 34], node: [210, 48], group: [200, 44] } as Record<'pod' | 'node' | 'group', [number, number]>;

function laidOut(items: { id: string; layer: number; kind: 'pod' | 'node' | 'group' }[]) {
  const out = layeredLayout({ items: items.map((i) => ({ id: i.id, layer: i.layer, sort: i.id, w: SIZES[i.kind][0], h: SIZES[i.kind][1] })), edges: [] });
  return new Map<string, Box>(items.map((i, n) => [i.id, { x: out.positions[n * 2], y: out.positions[n * 2 + 1], w: SIZES[i.kind][0], h: SIZES[i.kind][1] }]));
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('provisional placement', () => {
  const before = [
    ...Array.from({ length: 130 }, (_, i) => ({ id: `pod/${i}`, layer: 3, kind: 'pod' as const })),
    ...Array.from({ length: 40 }, (_, i) => ({ id: `node/${i}`, layer: 4, kind: 'node' as const })),
  ];
  const placed = laidOut(before);

  it('keeps every placed item where it was and puts new ones in free space of their layer', () => {
    const after = [...before.filter((i) => i.id !== 'pod/7'), { id: 'group/x', layer: 3, kind: 'group' as const }, { id: 'pod/new', layer: 3, kind: 'pod' as const }];
    const out = provisionalPlacement(after, placed, SIZES)!;
    expect(out.size).toBe(after.length);
    for (const item of after) if (placed.has(item.id)) expect(out.get(item.id)).toBe(placed.get(item.id));
    const boxes = [...out.values()];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j])).toBe(false);
    // In the pods' layer: left of the nodes.
    const firstNodeX = Math.min(...[...out].filter(([id]) => id.startsWith('node/')).map(([, b]) => b.x));
    expect(out.get('pod/new')!.x).toBeLessThan(firstNodeX);
  });

  it('leaves big changes and new layers to the worker', () => {
    const many = [...before, ...Array.from({ length: 60 }, (_, i) => ({ id: `pod/more-${i}`, layer: 3, kind: 'pod' as const }))];
    expect(provisionalPlacement(many, placed, SIZES)).toBeUndefined();
    expect(provisionalPlacement([...before, { id: 'group/g', layer: 2, kind: 'group' as const }], placed, SIZES)).toBeUndefined();
  });
});
