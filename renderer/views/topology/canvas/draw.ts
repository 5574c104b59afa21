// Drawing the topology graph on a 2D context: edges, boxes (batched by colour), and zoomed out,
// screen-space labels placed without overlap (semantic zoom). Label placement measures text
// through a TextMeasurer only, so it is testable without a canvas.
import type { GraphItem } from '../../../../shared/model/topology-graph';
import type { Box } from '../../../../shared/model/layered-layout';
import { edgeHidden, edgeReaches, type Bounds } from './hit-test';

type Placed = Box;
/** What label placement needs from a context: the font and text measuring. */
export type TextMeasurer = Pick<CanvasRenderingContext2D, 'font' | 'measureText'>;

const KIND_LABEL: Record<GraphItem['kind'], string> = {
  svc: 'SVC', deploy: 'DEPLOY', sts: 'STS', ds: 'DS', job: 'JOB', ro: 'ROLLOUT', rs: 'RS', pod: 'POD', group: 'PODS', node: 'NODE', gpu: 'GPU',
};

/** World-space labels inside the boxes from this zoom up (12 px text reads at 8.4 px and more). */
export const DETAIL_SCALE = 0.7;
/** Zoomed out: at most this many screen-space labels, and their sizes (CSS px). */
export const MAX_SCREEN_LABELS = 400;
const MAX_LABEL_TRIES = 3000;
const GROUP_LABEL_PX = 14;
const LABEL_PX = 12;
const KIND_RANK: Record<GraphItem['kind'], number> = { group: 0, deploy: 1, sts: 1, ds: 1, job: 1, ro: 1, svc: 2, node: 3, rs: 4, pod: 5, gpu: 6 };
const HEALTH_RANK: Record<GraphItem['h'], number> = { failing: 0, warning: 1, unknown: 2, ok: 3 };

/** A zoomed-out label in screen space (CSS px); `index`: its item's position in the model then. */
export interface ScreenLabel {
  id: string;
  index: number;
  x: number;
  y: number;
  w: number;
  h: number;
  px: number;
}

/** Long names keep their start and their end (pod names differ in the suffix). */
export const shorten = (label: string, max: number) => (label.length > max ? `${label.slice(0, Math.ceil(max / 2) - 2)}…${label.slice(-Math.floor(max / 2) + 1)}` : label);

export function palette(el: HTMLElement) {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
  return {
    bg: v('--bg'), raised: v('--bg-raised'), border: v('--border'), text: v('--text'), muted: v('--text-muted'), accent: v('--accent'),
    ok: v('--ok'), warning: v('--warning'), failing: v('--failing'), unknown: v('--unknown'), focus: v('--focus'),
  };
}

/** Edges first, faint; those touching the selection stronger. With thousands of them (groups
 * fan out to every node their pods run on) the group->node fan-out is left implicit unless
 * selected, and paths are stroked in chunks: one giant path is slow to rasterize. `areas`: a
 * local repaint draws only edges reaching one of these (inside `bounds`). */
export function drawEdges(ctx: CanvasRenderingContext2D, edges: readonly [string, string][], pl: ReadonlyMap<string, Placed>, sel: string | undefined, lit: ReadonlySet<string> | undefined, scale: number, thin: boolean, bounds: Bounds, colors: Colors, areas?: readonly Bounds[]): void {
  ctx.lineWidth = 1 / Math.max(scale, 0.3);
  ctx.strokeStyle = colors.muted;
  // A search dims the wiring too: what matches is the boxes.
  ctx.globalAlpha = (thin ? 0.18 : 0.35) * (lit ? 0.45 : 1);
  const strong: [Placed, Placed][] = [];
  let inPath = 0;
  ctx.beginPath();
  for (const [a, b] of edges) {
    const touchesSelection = sel !== undefined && (a === sel || b === sel);
    if (edgeHidden(a, b, thin, sel)) continue;
    const pa = pl.get(a);
    const pb = pl.get(b);
    if (!pa || !pb) continue;
    const x1 = pa.x + pa.w;
    const y1 = pa.y + pa.h / 2;
    const x2 = pb.x;
    const y2 = pb.y + pb.h / 2;
    if (!edgeReaches(x1, y1, x2, y2, bounds) || (areas && !areas.some((a) => edgeReaches(x1, y1, x2, y2, a)))) continue;
    if (touchesSelection) strong.push([pa, pb]);
    const mid = (x1 + x2) / 2;
    ctx.moveTo(x1, y1);
    ctx.bezierCurveTo(mid, y1, mid, y2, x2, y2);
    if (++inPath === 400) {
      ctx.stroke();
      ctx.beginPath();
      inPath = 0;
    }
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  if (strong.length) {
    ctx.strokeStyle = colors.accent;
    ctx.lineWidth = 2 / Math.max(scale, 0.3);
    ctx.beginPath();
    for (const [pa, pb] of strong) {
      const mid = (pa.x + pa.w + pb.x) / 2;
      ctx.moveTo(pa.x + pa.w, pa.y + pa.h / 2);
      ctx.bezierCurveTo(mid, pa.y + pa.h / 2, mid, pb.y + pb.h / 2, pb.x, pb.y + pb.h / 2);
    }
    ctx.stroke();
  }
}

export type Colors = ReturnType<typeof palette>;

/** Boxes, health bars, group bars and GPU cells, batched by style (one path per colour). */
export function drawBoxes(ctx: CanvasRenderingContext2D, shown: readonly { item: GraphItem; p: Placed }[], colors: Colors, scale: number, detailed: boolean): void {
  ctx.fillStyle = colors.raised;
  ctx.strokeStyle = colors.border;
  ctx.lineWidth = 1 / Math.max(scale, 0.3);
  ctx.beginPath();
  for (const { p } of shown) ctx.roundRect(p.x, p.y, p.w, p.h, 5);
  ctx.fill();
  ctx.stroke();
  const bars: Record<string, Path2D> = {};
  const bar = (color: string) => (bars[color] ??= new Path2D());
  const gpuFree = new Path2D();
  for (const { item, p } of shown) {
    bar(colors[item.h]).rect(p.x, p.y + 2, 4, p.h - 4);
    if (item.kind === 'group' && item.group) {
      // A stacked bar of member health: the group's story at a glance.
      const g = item.group;
      let x = p.x + 8;
      const bw = p.w - 16;
      for (const key of ['ok', 'warning', 'failing', 'unknown'] as const) {
        const part = (g[key] / Math.max(1, g.count)) * bw;
        if (part > 0) bar(colors[key]).rect(x, p.y + p.h - 8, part, 4);
        x += part;
      }
    }
    if (item.gpus) {
      const size = Math.min(9, (p.w - 16) / Math.max(1, item.gpus.length) - 2);
      item.gpus.forEach((gpu, i) => {
        const gx = p.x + 8 + i * (size + 2);
        const gy = p.y + p.h - size - 4;
        if (gpu.h !== 'ok') bar(colors[gpu.h]).rect(gx, gy, size, size);
        else if (gpu.by) bar(colors.accent).rect(gx, gy, size, size);
        gpuFree.rect(gx, gy, size, size);
      });
    }
  }
  for (const [color, path] of Object.entries(bars)) {
    ctx.fillStyle = color;
    ctx.fill(path);
  }
  ctx.lineWidth = 0.5;
  ctx.strokeStyle = colors.border;
  ctx.stroke(gpuFree);
  if (!detailed) return;
  ctx.font = '9px system-ui, sans-serif';
  for (const { item, p } of shown) {
    ctx.fillStyle = colors.muted;
    ctx.fillText(KIND_LABEL[item.kind], p.x + 10, p.y + 10);
    if (item.sub) {
      ctx.fillStyle = item.h === 'ok' ? colors.muted : colors[item.h];
      const sub = item.sub.length > 30 ? `${item.sub.slice(0, 29)}…` : item.sub;
      ctx.fillText(sub, p.x + 58, p.y + 10);
    }
  }
  ctx.fillStyle = colors.text;
  ctx.font = '12px system-ui, sans-serif';
  // Middle ellipsis: pod names differ in their suffix, so keep it.
  for (const { item, p } of shown) ctx.fillText(shorten(item.label, 27), p.x + 10, p.y + 24);
}

export const labelFont = (px: number) => `${px === GROUP_LABEL_PX ? '600 ' : ''}${px}px system-ui, sans-serif`;

/**
 * Zoomed out: which items get a screen-space label, and where (on the item's box, left-aligned).
 * The selection and search matches first, then groups, workloads, services, nodes, ReplicaSets
 * and pods, problems before healthy ones; a label that would overlap one already placed is left
 * out (labels are bucketed by 64 px cells, so the check looks at a few neighbours only).
 */
export function placeScreenLabels(
  ctx: TextMeasurer,
  pl: ReadonlyMap<string, Placed>,
  shown: readonly { item: GraphItem; p: Placed; index: number }[],
  sel: string | undefined,
  lit: ReadonlySet<string> | undefined,
  scale: number,
  tx: number,
  ty: number,
  w: number,
  h: number,
): ScreenLabel[] {
  const rank = (item: GraphItem) => (item.id === sel ? -1000 : 0) + (lit && !lit.has(item.id) ? 100 : 0) + KIND_RANK[item.kind] * 10 + HEALTH_RANK[item.h];
  // A few dozen distinct ranks: bucket the items (in their order) instead of sorting thousands.
  const byRank = new Map<number, (typeof shown)[number][]>();
  for (const s of shown) {
    const r = rank(s.item);
    const list = byRank.get(r);
    if (list) list.push(s);
    else byRank.set(r, [s]);
  }
  const order = [...byRank.keys()].sort((a, b) => a - b).flatMap((r) => byRank.get(r)!);
  const CELL = 64;
  const buckets = new Map<number, ScreenLabel[]>();
  const cellsOf = (l: ScreenLabel) => {
    const keys: number[] = [];
    for (let cy = Math.floor(l.y / CELL); cy <= Math.floor((l.y + l.h) / CELL); cy++) for (let cx = Math.floor(l.x / CELL); cx <= Math.floor((l.x + l.w) / CELL); cx++) keys.push(cy * 100_000 + cx);
    return keys;
  };
  const overlaps = (x: number, y: number, lw: number, lh: number) => {
    for (let cy = Math.floor(y / CELL); cy <= Math.floor((y + lh) / CELL); cy++)
      for (let cx = Math.floor(x / CELL); cx <= Math.floor((x + lw) / CELL); cx++)
        if (buckets.get(cy * 100_000 + cx)?.some((o) => o.x < x + lw && x < o.x + o.w && o.y < y + lh && y < o.y + o.h)) return true;
    return false;
  };
  const labels: ScreenLabel[] = [];
  let tried = 0;
  // Setting a context's font parses it: only when the size changes.
  let font = '';
  for (const s of order) {
    // Zoomed far out most candidates are refused; a bound keeps a full frame's cost flat.
    if (labels.length >= MAX_SCREEN_LABELS || ++tried > MAX_LABEL_TRIES) break;
    const p = pl.get(s.item.id)!;
    const group = s.item.kind === 'group';
    const px = group ? GROUP_LABEL_PX : LABEL_PX;
    const lh = px + 5;
    const x = tx + p.x * scale;
    const y = ty + (p.y + p.h / 2) * scale - lh / 2;
    if (x + 40 < 0 || x > w || y + lh < 0 || y > h) continue;
    // Cheap refusal first: even a short label would overlap one placed (no text measured).
    if (overlaps(x, y, 40, lh)) continue;
    // Groups (the zoomed-out story) may run past their box. Other labels stay inside a box wide
    // enough for a shortened name, so side-by-side columns each keep theirs (running into the
    // next column left every other box blank); only boxes too small for that borrow room.
    const boxPx = p.w * scale;
    const room = (group ? Math.max(boxPx, 320) : boxPx >= 48 ? boxPx : 150) - 8;
    if (font !== labelFont(px)) ctx.font = font = labelFont(px);
    const text = fitText(ctx, s.item.label, room, font);
    const lw = textWidth(ctx, text, font) + 8;
    if (overlaps(x, y, lw, lh)) continue;
    const label: ScreenLabel = { id: s.item.id, index: s.index, x, y, w: lw, h: lh, px };
    for (const k of cellsOf(label)) {
      const list = buckets.get(k);
      if (list) list.push(label);
      else buckets.set(k, [label]);
    }
    labels.push(label);
  }
  return labels;
}

/**
 * Text widths by font and text: panning zoomed out places the same labels frame after frame.
 * `font`: the context's font when the caller knows it (reading it back serializes it).
 */
const widths = new Map<string, number>();
export function textWidth(ctx: TextMeasurer, text: string, font = ctx.font): number {
  const key = `${font}|${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    if (widths.size > 50_000) widths.clear();
    width = ctx.measureText(text).width;
    widths.set(key, width);
  }
  return width;
}

/** The label, shortened in its middle until it fits `room` px in the current font. */
export function fitText(ctx: TextMeasurer, label: string, room: number, font = ctx.font): string {
  const full = textWidth(ctx, label, font);
  if (full <= room) return label;
  let max = Math.max(6, Math.floor((room / full) * label.length));
  let text = shorten(label, max);
  while (max > 6 && textWidth(ctx, text, font) > room) text = shorten(label, (max -= 2));
  return text;
}

/**
 * Draws zoomed-out labels (screen space): a backing pill so they read over boxes and edges.
 * `itemOf`: a label's item now (undefined: gone, the label is not drawn).
 */
export function drawScreenLabels(ctx: CanvasRenderingContext2D, labels: readonly ScreenLabel[], itemOf: (label: ScreenLabel) => GraphItem | undefined, sel: string | undefined, lit: ReadonlySet<string> | undefined, colors: Colors): void {
  const live = labels.flatMap((label) => {
    const item = itemOf(label);
    return item ? [{ label, item }] : [];
  });
  for (const faint of [true, false]) {
    const mine = live.filter(({ item }) => (lit !== undefined && !lit.has(item.id)) === faint);
    if (!mine.length) continue;
    ctx.globalAlpha = faint ? 0.35 : 1;
    ctx.fillStyle = colors.bg;
    ctx.beginPath();
    for (const { label: l } of mine) ctx.roundRect(l.x, l.y, l.w, l.h, 4);
    ctx.globalAlpha = faint ? 0.3 : 0.82;
    ctx.fill();
    ctx.globalAlpha = faint ? 0.45 : 1;
    let font = '';
    for (const { label: l, item } of mine) {
      if (font !== labelFont(l.px)) ctx.font = font = labelFont(l.px);
      ctx.fillStyle = item.id === sel ? colors.focus : item.h === 'ok' ? colors.text : colors[item.h];
      // The text as placed, or a shorter one if it grew since (a group's count).
      ctx.fillText(fitText(ctx, item.label, l.w - 8, font), l.x + 4, l.y + l.h / 2);
    }
  }
  ctx.globalAlpha = 1;
}

