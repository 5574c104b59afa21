import { describe, expect, it } from 'vitest';
import { centerOn, fitView, MAX_SCALE, MIN_SCALE, toScreen, toWorld, visibleWorld, zoomAt } from '../../renderer/views/topology/canvas/viewport';

describe('topology canvas viewport', () => {
  it('maps world to screen and back', () => {
    const v = { scale: 0.5, tx: 30, ty: -10 };
    expect(toScreen(v, 100, 40)).toEqual({ x: 80, y: 10 });
    expect(toWorld(v, 80, 10)).toEqual({ x: 100, y: 40 });
    expect(visibleWorld(v, 230, 90)).toEqual({ minX: -60, minY: 20, maxX: 400, maxY: 200 });
  });

  it('fits the whole graph, or keeps a wide one readable', () => {
    const wide = [{ x: 0, y: 0, w: 4000, h: 100 }];
    // 1040 px canvas: the whole width needs (1040 - 40) / 4000 = 0.25.
    expect(fitView(wide, 1040, 600, true)).toEqual({ scale: 0.25, tx: 20, ty: 20 });
    // Readable: the width-bound fit is capped at 0.7 but not below the whole-graph fit.
    expect(fitView(wide, 1040, 600, false).scale).toBe(0.25);
    const tall = [{ x: 0, y: 0, w: 500, h: 10_000 }];
    expect(fitView(tall, 1040, 600, true).scale).toBeCloseTo(0.056);
    expect(fitView(tall, 1040, 600, false).scale).toBe(0.7);
    // A tiny graph is not blown up past 1.2; an empty one does not divide by zero.
    expect(fitView([{ x: 0, y: 0, w: 10, h: 10 }], 1040, 600, true).scale).toBe(1.2);
    expect(fitView([], 1040, 600, true).scale).toBe(1.2);
    expect(fitView([{ x: 0, y: 0, w: 1e9, h: 1e9 }], 1040, 600, true).scale).toBe(MIN_SCALE);
  });

  it('centres a box and zooms in to at least 0.9', () => {
    const v = centerOn({ x: 100, y: 200, w: 20, h: 10 }, 0.2, 800, 600);
    expect(v.scale).toBe(0.9);
    expect(toScreen(v, 110, 205)).toEqual({ x: 400, y: 300 });
    expect(centerOn({ x: 0, y: 0, w: 0, h: 0 }, 2, 800, 600).scale).toBe(2);
  });

  it('zooms around the pointer: the world point under it stays put', () => {
    const v = { scale: 1, tx: 20, ty: 20 };
    const before = toWorld(v, 300, 200);
    const zoomed = zoomAt(v, 300, 200, -200);
    expect(zoomed.scale).toBeGreaterThan(1);
    const after = toWorld(zoomed, 300, 200);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(zoomAt(v, 0, 0, -1e6).scale).toBe(MAX_SCALE);
    expect(zoomAt(v, 0, 0, 1e6).scale).toBe(MIN_SCALE);
  });
});
