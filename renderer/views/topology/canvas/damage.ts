// Damage tracking: which world-space rectangles differ between the frame on screen and the model
// now, so a patch repaints a few boxes instead of 10,000. Pure.
import type { GraphItem, GraphModel } from '../../../../shared/model/topology-graph';
import type { Box } from '../../../../shared/model/layered-layout';
import { edgeHidden } from './hit-test';
import type { View } from './viewport';

/**
 * The model as drawn, with the edge changes of the last patches (so a repaint can stay local) and,
 * when its maker keeps one, each item's position in `items` by id.
 */
export type DrawnModel = GraphModel & {
  edgeHistory?: { from: [string, string][]; added: [string, string][]; removed: [string, string][] }[];
  indexOf?: ReadonlyMap<string, number>;
};

const positions = (m: DrawnModel): ReadonlyMap<string, number> => m.indexOf ?? new Map(m.items.map((item, i) => [item.id, i]));

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

/** Past this many rectangles a full repaint is cheaper (how much of the canvas they cover decides too: see screenDamage). */
export const MAX_REGIONS = 600;
/** An edge whose box is bigger than this (world px at scale 1, both ways) is damaged piecewise along its curve. */
const LONG_EDGE = 120;
const EDGE_PIECES = 8;

/** Whether two placements are the same box (or both absent). */
export const sameBox = (a: Box | undefined, b: Box | undefined) => a === b || (a !== undefined && b !== undefined && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);

/**
 * Rectangles (world space) to repaint to go from `last` to `now`: items replaced by a patch, items
 * that appeared, went or moved (a change of the graph's shape placed provisionally), the edges
 * touching those, their zoomed-out labels (screen boxes by item id), and edges added or removed.
 * Undefined when the whole canvas must be drawn (no last frame, camera, selection, size, a search
 * starting or ending, or too much changed, e.g. a new tidy layout).
 */
export function damageRegions(last: Frame | undefined, now: Frame, labelOf: ReadonlyMap<string, Box>): Box[] | undefined {
  if (!last || last.selected !== now.selected || (last.highlight === undefined) !== (now.highlight === undefined)) return undefined;
  if (last.scale !== now.scale || last.tx !== now.tx || last.ty !== now.ty || last.w !== now.w || last.h !== now.h || last.thin !== now.thin) return undefined;
  const { model: m, placed: pl, scale, tx, ty } = now;
  const prev = last.model;
  const pad = 6 / Math.max(scale, 0.3);
  const rects: Box[] = [];
  const box = (p: Box) => rects.push({ x: p.x - pad, y: p.y - pad, w: p.w + 2 * pad, h: p.h + 2 * pad });
  // An item's zoomed-out label reaches past its box (the text may have changed too).
  const label = (id: string) => {
    const l = labelOf.get(id);
    if (l) rects.push({ x: (l.x - tx) / scale - pad, y: (l.y - ty) / scale - pad, w: l.w / scale + 2 * pad, h: l.h / scale + 2 * pad });
  };
  const litBefore = last.highlight;
  const lit = now.highlight;
  // A new set of search matches changes the look of the items that joined or left it only.
  const relit = litBefore !== lit && litBefore !== undefined && lit !== undefined;
  const relitChanged = (id: string) => relit && litBefore.has(id) !== lit.has(id);
  /** Items drawn somewhere else than before (appeared, went, moved): their edges move too. */
  const moved = new Set<string>();
  const samePlaces = last.placed === pl && prev.items.length === m.items.length;
  let byId = samePlaces;
  // The usual patch: same layout, items replaced in place.
  for (let i = 0; byId && i < m.items.length; i++) {
    const item = m.items[i];
    if (item === prev.items[i] && !relitChanged(item.id)) continue;
    if (item.id !== prev.items[i].id) byId = false;
    else {
      const p = pl.get(item.id);
      if (p) box(p);
      label(item.id);
      if (rects.length > MAX_REGIONS) return undefined;
    }
  }
  if (!byId) {
    // A new shape or new positions: compare by id (drawn = in the model and placed).
    rects.length = 0;
    const before = positions(prev);
    const after = positions(m);
    for (const item of m.items) {
      const at = before.get(item.id);
      const old: GraphItem | undefined = at === undefined ? undefined : prev.items[at];
      const p = pl.get(item.id);
      const q = old ? last.placed.get(item.id) : undefined;
      const same = sameBox(p, q);
      if (old === item && same && !relitChanged(item.id)) continue;
      if (q) box(q);
      if (p && !same) box(p);
      if (!same) moved.add(item.id);
      label(item.id);
      if (rects.length > MAX_REGIONS) return undefined;
    }
    for (const { id } of prev.items) {
      if (after.has(id)) continue;
      const q = last.placed.get(id);
      if (q) box(q);
      moved.add(id);
      label(id);
      if (rects.length > MAX_REGIONS) return undefined;
    }
  }
  const span = (a: string, b: string, where: ReadonlyMap<string, Box>) => {
    const pa = where.get(a);
    const pb = where.get(b);
    if (!pa || !pb) return;
    const x1 = pa.x + pa.w;
    const x2 = pb.x;
    const y1 = pa.y + pa.h / 2;
    const y2 = pb.y + pb.h / 2;
    if (Math.abs(x2 - x1) * scale < LONG_EDGE || Math.abs(y2 - y1) * scale < LONG_EDGE) {
      rects.push({ x: Math.min(x1, x2) - pad, y: Math.min(y1, y2) - pad, w: Math.abs(x2 - x1) + 2 * pad, h: Math.abs(y2 - y1) + 2 * pad });
      return;
    }
    // A long diagonal edge (a pod to its node across the graph): its box would be much of the
    // canvas. The curve (control points at mid x) moves monotonically in x and y, so each piece
    // between two points on it stays inside their box.
    const mid = (x1 + x2) / 2;
    const at = (t: number) => {
      const u = 1 - t;
      return { x: u * u * u * x1 + 3 * u * u * t * mid + 3 * u * t * t * mid + t * t * t * x2, y: u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2 };
    };
    let from = { x: x1, y: y1 };
    for (let i = 1; i <= EDGE_PIECES; i++) {
      const to = at(i / EDGE_PIECES);
      rects.push({ x: Math.min(from.x, to.x) - pad, y: Math.min(from.y, to.y) - pad, w: Math.abs(to.x - from.x) + 2 * pad, h: Math.abs(to.y - from.y) + 2 * pad });
      from = to;
    }
  };
  /** Edges already damaged (an edge can be both in the history and at a moved item). */
  const done = new Set<string>();
  /** An edge as drawn before and as drawn now (its ends may have moved). */
  const edge = (a: string, b: string) => {
    // Implicit fan-out edges are not drawn: their coming and going changes no pixel.
    if (edgeHidden(a, b, now.thin, now.selected)) return;
    const k = `${a}>${b}`;
    if (done.has(k)) return;
    done.add(k);
    span(a, b, pl);
    if (last.placed !== pl && (!sameBox(pl.get(a), last.placed.get(a)) || !sameBox(pl.get(b), last.placed.get(b)))) span(a, b, last.placed);
  };
  if (m.edges !== prev.edges) {
    const history = m.edgeHistory ?? [];
    const from = history.findIndex((step) => step.from === prev.edges);
    if (from < 0) return undefined;
    for (const step of history.slice(from)) {
      for (const [a, b] of [...step.added, ...step.removed]) {
        edge(a, b);
        if (rects.length > MAX_REGIONS) return undefined;
      }
    }
  }
  if (moved.size) {
    // Edges that stayed but whose ends appeared, went or moved.
    for (const [a, b] of m.edges) {
      if (!moved.has(a) && !moved.has(b)) continue;
      edge(a, b);
      if (rects.length > MAX_REGIONS) return undefined;
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

/** Damage is gathered on a grid of cells this size (CSS px): a few hundred rectangles at most. */
export const DAMAGE_CELL = 32;
/** Past this share of the canvas repainting it all is cheaper than a clip of many cells. */
export const MAX_COVERAGE = 0.45;

/**
 * The damage in screen space: the cells of a DAMAGE_CELL grid that the regions reach (outside
 * the canvas: nothing), as rectangles (runs of cells merged across rows), their bounding box, and
 * the share of the canvas they cover. Snapped to whole cells, so no seams at the edges.
 */
export function screenDamage(regions: readonly Box[], v: View, w: number, h: number): { rects: ScreenRect[]; box: ScreenRect; coverage: number } {
  const cols = Math.max(1, Math.ceil(w / DAMAGE_CELL));
  const rows = Math.max(1, Math.ceil(h / DAMAGE_CELL));
  const marked = new Uint8Array(cols * rows);
  let count = 0;
  for (const r of regions) {
    const c0 = Math.max(0, Math.floor((v.tx + r.x * v.scale) / DAMAGE_CELL));
    const c1 = Math.min(cols - 1, Math.floor((v.tx + (r.x + r.w) * v.scale) / DAMAGE_CELL));
    const r0 = Math.max(0, Math.floor((v.ty + r.y * v.scale) / DAMAGE_CELL));
    const r1 = Math.min(rows - 1, Math.floor((v.ty + (r.y + r.h) * v.scale) / DAMAGE_CELL));
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        if (marked[row * cols + col]) continue;
        marked[row * cols + col] = 1;
        count++;
      }
    }
  }
  const rects: ScreenRect[] = [];
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  /** Runs of the row above, by their columns: a run spanning the same columns grows downwards. */
  let above = new Map<string, ScreenRect>();
  for (let row = 0; row < rows; row++) {
    const here = new Map<string, ScreenRect>();
    for (let col = 0; col < cols; col++) {
      if (!marked[row * cols + col]) continue;
      let end = col;
      while (end + 1 < cols && marked[row * cols + end + 1]) end++;
      const key = `${col}:${end}`;
      const y1 = Math.min(h, (row + 1) * DAMAGE_CELL);
      let rect = above.get(key);
      if (rect) rect.y1 = y1;
      else rects.push((rect = { x0: col * DAMAGE_CELL, y0: row * DAMAGE_CELL, x1: Math.min(w, (end + 1) * DAMAGE_CELL), y1 }));
      here.set(key, rect);
      box.x0 = Math.min(box.x0, rect.x0);
      box.y0 = Math.min(box.y0, rect.y0);
      box.x1 = Math.max(box.x1, rect.x1);
      box.y1 = Math.max(box.y1, y1);
      col = end;
    }
    above = here;
  }
  return { rects, box, coverage: count / (cols * rows) };
}
