// Damage tracking: which world-space rectangles differ between the frame on screen and the model
// now, so a patch repaints a few boxes instead of 10,000. Pure.
import type { GraphModel } from '../../../../shared/model/topology-graph';
import type { Box } from '../../../../shared/model/layered-layout';
import { edgeHidden } from './hit-test';
import type { View } from './viewport';

/** The model as drawn, with the edge changes of the last patches (so a repaint can stay local). */
export type DrawnModel = GraphModel & { edgeHistory?: { from: [string, string][]; added: [string, string][]; removed: [string, string][] }[] };

/** What a frame was drawn from. */
export interface Frame extends View {
  model: DrawnModel;
  placed: ReadonlyMap<string, Box>;
  selected?: string;
  highlight?: ReadonlySet<string>;
  w: number;
  h: number;
  /** Crowded graph: group->node fan-out edges are not drawn. */
  thin: boolean;
}

/** Past this many rectangles a full repaint is cheaper. */
export const MAX_REGIONS = 64;

/**
 * Rectangles (world space) to repaint to go from `last` to `now`: items replaced by a patch (same
 * layout, same array positions), their zoomed-out labels (screen boxes by item index), and edges
 * added or removed. Undefined when the whole canvas must be drawn (no last frame, new layout,
 * camera, selection, size, a search starting or ending, or too much changed).
 */
export function damageRegions(last: Frame | undefined, now: Frame, labelOf: ReadonlyMap<number, Box>): Box[] | undefined {
  if (!last || last.placed !== now.placed || last.selected !== now.selected || (last.highlight === undefined) !== (now.highlight === undefined)) return undefined;
  if (last.scale !== now.scale || last.tx !== now.tx || last.ty !== now.ty || last.w !== now.w || last.h !== now.h || last.thin !== now.thin) return undefined;
  const { model: m, placed: pl, scale, tx, ty } = now;
  const prev = last.model;
  if (prev.items.length !== m.items.length) return undefined;
  const pad = 6 / Math.max(scale, 0.3);
  const rects: Box[] = [];
  const litBefore = last.highlight;
  const lit = now.highlight;
  // A new set of search matches changes the look of the items that joined or left it only.
  const relit = litBefore !== lit && litBefore !== undefined && lit !== undefined;
  for (let i = 0; i < m.items.length; i++) {
    if (m.items[i] === prev.items[i] && !(relit && litBefore.has(m.items[i].id) !== lit.has(m.items[i].id))) continue;
    if (m.items[i].id !== prev.items[i].id) return undefined;
    const p = pl.get(m.items[i].id);
    if (p) rects.push({ x: p.x - pad, y: p.y - pad, w: p.w + 2 * pad, h: p.h + 2 * pad });
    // Its zoomed-out label reaches past its box (the text may have changed too).
    const label = labelOf.get(i);
    if (label) rects.push({ x: (label.x - tx) / scale - pad, y: (label.y - ty) / scale - pad, w: label.w / scale + 2 * pad, h: label.h / scale + 2 * pad });
    if (rects.length > MAX_REGIONS) return undefined;
  }
  if (m.edges !== prev.edges) {
    const history = m.edgeHistory ?? [];
    const from = history.findIndex((step) => step.from === prev.edges);
    if (from < 0) return undefined;
    for (const step of history.slice(from)) {
      for (const [a, b] of [...step.added, ...step.removed]) {
        // Implicit fan-out edges are not drawn: their coming and going changes no pixel.
        if (edgeHidden(a, b, now.thin, now.selected)) continue;
        const pa = pl.get(a);
        const pb = pl.get(b);
        if (!pa || !pb) continue;
        const x1 = pa.x + pa.w;
        const x2 = pb.x;
        const y1 = pa.y + pa.h / 2;
        const y2 = pb.y + pb.h / 2;
        rects.push({ x: Math.min(x1, x2) - pad, y: Math.min(y1, y2) - pad, w: Math.abs(x2 - x1) + 2 * pad, h: Math.abs(y2 - y1) + 2 * pad });
        if (rects.length > MAX_REGIONS) return undefined;
      }
    }
  }
  return rects;
}

/** Screen rectangle in CSS px, corners inclusive of partly covered pixels. */
export interface ScreenRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The damage in screen space, snapped outwards to whole pixels (no seams at the edges), and
 * merged into one bounding box: what is drawn again is what reaches that box.
 */
export function screenDamage(regions: readonly Box[], v: View): { rects: ScreenRect[]; box: ScreenRect } {
  const rects: ScreenRect[] = [];
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const r of regions) {
    const rect = { x0: Math.floor(v.tx + r.x * v.scale), y0: Math.floor(v.ty + r.y * v.scale), x1: Math.ceil(v.tx + (r.x + r.w) * v.scale), y1: Math.ceil(v.ty + (r.y + r.h) * v.scale) };
    rects.push(rect);
    box.x0 = Math.min(box.x0, rect.x0);
    box.y0 = Math.min(box.y0, rect.y0);
    box.x1 = Math.max(box.x1, rect.x1);
    box.y1 = Math.max(box.y1, rect.y1);
  }
  return { rects, box };
}
