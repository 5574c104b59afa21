// The camera over the topology graph: world space (layout boxes) to screen space (CSS px) and
// back, and the fit, centre and wheel-zoom moves. Pure: GraphCanvas holds the current view.
import type { Box } from '../../../../shared/model/layered-layout';

/** screen = world * scale + (tx, ty), in CSS px. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 4;
/** Margin the fit leaves around the graph (CSS px). */
const FIT_MARGIN = 20;

export const toWorld = (v: View, sx: number, sy: number) => ({ x: (sx - v.tx) / v.scale, y: (sy - v.ty) / v.scale });
export const toScreen = (v: View, x: number, y: number) => ({ x: v.tx + x * v.scale, y: v.ty + y * v.scale });

/** The world-space rectangle a w x h canvas shows. */
export function visibleWorld(v: View, w: number, h: number): { minX: number; minY: number; maxX: number; maxY: number } {
  return { minX: -v.tx / v.scale, minY: -v.ty / v.scale, maxX: (w - v.tx) / v.scale, maxY: (h - v.ty) / v.scale };
}

/**
 * The view that fits the graph into a w x h canvas. `whole` shows everything; otherwise the fit
 * keeps labels readable (at least the graph's width at 0.7, the rest is a pan away).
 */
export function fitView(placed: Iterable<Box>, w: number, h: number, whole: boolean): View {
  let maxX = 0;
  let maxY = 0;
  for (const p of placed) {
    maxX = Math.max(maxX, p.x + p.w);
    maxY = Math.max(maxY, p.y + p.h);
  }
  const all = Math.min((w - 2 * FIT_MARGIN) / Math.max(1, maxX), (h - 2 * FIT_MARGIN) / Math.max(1, maxY));
  const readable = Math.max(all, Math.min(0.7, (w - 2 * FIT_MARGIN) / Math.max(1, maxX)));
  const scale = Math.min(1.2, Math.max(MIN_SCALE, whole ? all : readable));
  return { scale, tx: FIT_MARGIN, ty: FIT_MARGIN };
}

/** The view with box p in the middle of a w x h canvas, zoomed in to at least 0.9. */
export function centerOn(p: Box, currentScale: number, w: number, h: number): View {
  const scale = Math.max(currentScale, 0.9);
  return { scale, tx: w / 2 - (p.x + p.w / 2) * scale, ty: h / 2 - (p.y + p.h / 2) * scale };
}

/** The view after a wheel step at screen point (cx, cy): that point stays where it is. */
export function zoomAt(v: View, cx: number, cy: number, deltaY: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * Math.exp(-deltaY * 0.0015)));
  return { scale, tx: cx - ((cx - v.tx) * scale) / v.scale, ty: cy - ((cy - v.ty) * scale) / v.scale };
}
