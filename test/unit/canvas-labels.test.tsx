import { describe, expect, it } from 'vitest';
import type { GraphItem } from '../../shared/model/topology-graph';
import { fitText, MAX_SCREEN_LABELS, placeScreenLabels, shorten, type ScreenLabel, type TextMeasurer } from '../../renderer/views/topology/canvas/draw';

/** 6 px per character, whatever the font: enough to test placement without a canvas. */
const measurer = (): TextMeasurer => ({ font: '', measureText: (text: string) => ({ width: text.length * 6 }) as TextMetrics });
const item = (id: string, kind: GraphItem['kind'], h: GraphItem['h'] = 'ok', label = id): GraphItem => ({ id, kind, label, h, layer: 0, sort: id });
const overlap = (a: ScreenLabel, b: ScreenLabel) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function place(items: GraphItem[], boxes: { x: number; y: number; w: number; h: number }[], opts: { sel?: string; lit?: Set<string>; w?: number; h?: number } = {}) {
  const pl = new Map(items.map((it, i) => [it.id, boxes[i]]));
  const shown = items.map((it, index) => ({ item: it, p: boxes[index], index }));
  return placeScreenLabels(measurer(), pl, shown, opts.sel, opts.lit, 1, 0, 0, opts.w ?? 2000, opts.h ?? 2000);
}

describe('topology canvas label placement (zoomed out)', () => {
  it('never overlaps two labels; groups beat pods, problems beat healthy ones', () => {
    const stacked = { x: 100, y: 100, w: 200, h: 10 };
    const items = [item('pod/ok', 'pod'), item('pod/bad', 'pod', 'failing'), item('group/g', 'group')];
    const labels = place(items, [stacked, stacked, stacked]);
    expect(labels.map((l) => items[l.index].id)).toEqual(['group/g']);
    expect(labels[0].px).toBe(14);
    const two = place(items.slice(0, 2), [stacked, stacked]);
    expect(two.map((l) => items[l.index].id)).toEqual(['pod/bad']);
  });

  it('puts the selection first, and search misses after matches', () => {
    const stacked = { x: 100, y: 100, w: 200, h: 10 };
    const items = [item('group/g', 'group'), item('pod/p', 'pod')];
    expect(place(items, [stacked, stacked], { sel: 'pod/p' }).map((l) => l.index)).toEqual([1]);
    expect(place(items, [stacked, stacked], { lit: new Set(['pod/p']) }).map((l) => l.index)).toEqual([1]);
  });

  it('places labels on their box, left-aligned and vertically centred, off-screen ones left out', () => {
    const items = [item('pod/a', 'pod'), item('pod/far', 'pod')];
    const [a, ...rest] = place(items, [{ x: 10, y: 40, w: 300, h: 30 }, { x: 5000, y: 40, w: 300, h: 30 }], { w: 1000 });
    expect(rest).toEqual([]);
    // 12 px text: 17 px tall, centred on y 55; text 'pod/a' 30 px + 8 px padding.
    expect(a).toEqual({ id: 'pod/a', index: 0, x: 10, y: 46.5, w: 38, h: 17, px: 12 });
  });

  it('stops at MAX_SCREEN_LABELS, with no two overlapping', () => {
    const items = Array.from({ length: 2000 }, (_, i) => item(`pod/${i}`, 'pod'));
    const boxes = items.map((_, i) => ({ x: (i % 40) * 50, y: Math.floor(i / 40) * 11, w: 45, h: 10 }));
    const labels = place(items, boxes);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThanOrEqual(MAX_SCREEN_LABELS);
    const clashes = labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => overlap(a, b)));
    expect(clashes).toEqual([]);
  });

  it('names every box of side-by-side columns: a label too long for its neighbours is shortened to its own box', () => {
    // Two columns of 90 px boxes 100 px apart, long pod names: at full room (150 px) the left
    // column's labels run into the right column's boxes, which then got no label at all.
    const items = Array.from({ length: 8 }, (_, i) => item(`pod/${i}`, 'pod', 'ok', `inference-server-7f9c6d5b4-${i}bcde`));
    const boxes = items.map((_, i) => ({ x: (i % 2) * 100, y: Math.floor(i / 2) * 22, w: 90, h: 17 }));
    const labels = place(items, boxes);
    expect(labels.map((l) => l.index).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => overlap(a, b)))).toEqual([]);
  });

  it('shortens long names in the middle so they fit their room', () => {
    // The start and the end survive (pod names differ in their suffix), within the bound.
    expect(shorten('inference-server-7f9c6d5b4-abcde', 12)).toBe('infe…abcde');
    const text = fitText(measurer(), 'inference-server-7f9c6d5b4-abcde', 90);
    expect(text.length * 6).toBeLessThanOrEqual(90);
    expect(text.endsWith('abcde')).toBe(true);
    expect(fitText(measurer(), 'short', 90)).toBe('short');
  });
});
