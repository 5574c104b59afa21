// Which item is under a point, and what reaches a rectangle (culling). Pure, world space.
import type { GraphItem } from '../../../../shared/model/topology-graph';
import type { Box } from '../../../../shared/model/layered-layout';

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The topmost item (drawn last) whose box contains (x, y). */
export function hitItem(items: readonly GraphItem[], placed: ReadonlyMap<string, Box>, x: number, y: number): GraphItem | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const p = placed.get(items[i].id);
    if (p && x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + p.h) return items[i];
  }
  return undefined;
}

export const boxReaches = (p: Box, b: Bounds) => p.x + p.w >= b.minX && p.x <= b.maxX && p.y + p.h >= b.minY && p.y <= b.maxY;

/** An edge's curve stays inside the box of its two ends (the control points share their x/y). */
export const edgeReaches = (x1: number, y1: number, x2: number, y2: number, b: Bounds) =>
  Math.max(x1, x2) >= b.minX && Math.min(x1, x2) <= b.maxX && Math.max(y1, y2) >= b.minY && Math.min(y1, y2) <= b.maxY;

/** Group->node fan-out edges are left implicit on a crowded graph unless they touch the selection. */
export const edgeHidden = (a: string, b: string, thin: boolean, sel: string | undefined) => thin && a !== sel && b !== sel && a.startsWith('group/') && b.startsWith('node/');
