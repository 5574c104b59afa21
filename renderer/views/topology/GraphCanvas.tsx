// The topology graph on one <canvas>: no DOM node per pod, so 10,000 pods cost a draw call each at
// most (and only those on screen). Pan by dragging, zoom with the wheel, fit on request; clicking
// a group expands it, clicking anything selects it. Positions come from the layout worker.
// Zoomed out, labels switch to screen space (semantic zoom): groups and workloads first, in a
// readable size, never overlapping. A search dims what it does not match.
import { useEffect, useRef } from 'react';
import type { GraphItem, GraphModel } from '../../../shared/model/topology-graph';
import type { Box } from '../../../shared/model/layered-layout';
import { graphOnScreen, notePainted, topologyStats } from '../../stores/topology-store';

/** The model as drawn, with the edge changes of the last patches (so a repaint can stay local). */
export type DrawnModel = GraphModel & { edgeHistory?: { from: [string, string][]; added: [string, string][]; removed: [string, string][] }[] };

/** Where an item is drawn (world space); the same box the layout's provisional placement uses. */
export type Placed = Box;

export const ITEM_SIZE: Record<GraphItem['kind'], [number, number]> = {
  svc: [180, 36], deploy: [190, 36], sts: [190, 36], ds: [190, 36], job: [190, 36], ro: [190, 36], rs: [190, 36],
  pod: [180, 34], group: [200, 44], node: [210, 48], gpu: [10, 10],
};

const KIND_LABEL: Record<GraphItem['kind'], string> = {
  svc: 'SVC', deploy: 'DEPLOY', sts: 'STS', ds: 'DS', job: 'JOB', ro: 'ROLLOUT', rs: 'RS', pod: 'POD', group: 'PODS', node: 'NODE', gpu: 'GPU',
};

interface Props {
  model: DrawnModel;
  placed: Map<string, Placed>;
  /** Newest topology delta the model includes: a paint closes latency figures up to it. */
  seq: number;
  selected?: string;
  /** Bump `n` to fit; `whole` shows everything, otherwise the fit keeps labels readable. */
  fitRequest: { n: number; whole: boolean };
  centerRequest?: { id: string; n: number };
  onSelect(id: string | undefined): void;
  onToggleGroup(id: string): void;
  /** Items a search lights up; the others are dimmed. Undefined: nothing is dimmed. */
  highlight?: ReadonlySet<string>;
  /** Said instead of a blank canvas when the filters leave nothing to draw. */
  emptyText?: string;
  onClearFilters?(): void;
}

/** World-space labels inside the boxes from this zoom up (12 px text reads at 8.4 px and more). */
const DETAIL_SCALE = 0.7;
/** Zoomed out: at most this many screen-space labels, and their sizes (CSS px). */
const MAX_SCREEN_LABELS = 400;
const MAX_LABEL_TRIES = 3000;
const GROUP_LABEL_PX = 14;
const LABEL_PX = 12;
const KIND_RANK: Record<GraphItem['kind'], number> = { group: 0, deploy: 1, sts: 1, ds: 1, job: 1, ro: 1, svc: 2, node: 3, rs: 4, pod: 5, gpu: 6 };
const HEALTH_RANK: Record<GraphItem['h'], number> = { failing: 0, warning: 1, unknown: 2, ok: 3 };

/** A zoomed-out label in screen space (CSS px); `index`: its item's position in the model. */
interface ScreenLabel {
  index: number;
  x: number;
  y: number;
  w: number;
  h: number;
  px: number;
}

/** Long names keep their start and their end (pod names differ in the suffix). */
const shorten = (label: string, max: number) => (label.length > max ? `${label.slice(0, Math.ceil(max / 2) - 2)}…${label.slice(-Math.floor(max / 2) + 1)}` : label);

/** A label as drawn (test hook): text, size and, zoomed out, its box on screen (CSS px). */
interface DrawnLabel {
  id: string;
  text: string;
  px: number;
  x?: number;
  y?: number;
  w?: number;
  h?: number;
}

declare global {
  interface Window {
    __flightdeckGraph?: {
      clientPoint(id: string): { x: number; y: number } | undefined;
      visibleIds(): string[];
      item(id: string): { label: string; count?: number } | undefined;
      /** The labels the last full frame drew: text and on-screen size (CSS px). */
      labels(): DrawnLabel[];
      /** Whether the last frame drew this item dimmed (a search not matching it). */
      dimmed(id: string): boolean;
      /** Frames drawn whole and frames repainted only where something changed. */
      repaints: { full: number; partial: number };
      scale(): number;
    };
    /** Benchmark hook (test/bench/startup.ts, topology.ts): called after each frame the canvas drew, with what it drew from. */
    __flightdeckPaintProbe?: (items: readonly GraphItem[], placed: ReadonlyMap<string, Placed>) => void;
  }
}

function palette(el: HTMLElement) {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
  return {
    bg: v('--bg'), raised: v('--bg-raised'), border: v('--border'), text: v('--text'), muted: v('--text-muted'), accent: v('--accent'),
    ok: v('--ok'), warning: v('--warning'), failing: v('--failing'), unknown: v('--unknown'), focus: v('--focus'),
  };
}

export function GraphCanvas({ model, placed, seq, selected, fitRequest, centerRequest, onSelect, onToggleGroup, highlight, emptyText, onClearFilters }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef({ scale: 1, tx: 20, ty: 20 });
  /** Until the user pans, zooms or centres something, every new layout is fitted to the canvas. */
  const autoFit = useRef(true);
  const dirty = useRef(true);
  /** The next draw repaints everything (theme change): colours are not part of the damage check. */
  const forceFull = useRef(true);
  const state = useRef({ model, placed, selected, seq, highlight });
  state.current = { model, placed, selected, seq, highlight };

  const requestDraw = () => {
    dirty.current = true;
  };

  useEffect(requestDraw, [model, placed, selected, highlight]);

  // Fit the whole graph into the canvas: on request, and on new layouts until the user took over.
  const lastFit = useRef(0);
  const refitNext = useRef(false);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || placed.size === 0) return;
    // A fit request also covers the layout it caused (filters change the graph a moment later).
    const requested = lastFit.current !== fitRequest.n;
    if (!autoFit.current && !requested && !refitNext.current) return;
    refitNext.current = requested;
    lastFit.current = fitRequest.n;
    let maxX = 0;
    let maxY = 0;
    for (const p of placed.values()) {
      maxX = Math.max(maxX, p.x + p.w);
      maxY = Math.max(maxY, p.y + p.h);
    }
    const { clientWidth: w, clientHeight: h } = canvas;
    const whole = Math.min((w - 40) / Math.max(1, maxX), (h - 40) / Math.max(1, maxY));
    // The automatic fit keeps labels readable (the rest is a pan away); the Fit button shows all.
    const scale = Math.min(1.2, Math.max(0.02, fitRequest.whole ? whole : Math.max(whole, Math.min(0.7, (w - 40) / Math.max(1, maxX)))));
    view.current = { scale, tx: 20, ty: 20 };
    requestDraw();
  }, [fitRequest, placed]);

  // Centre a revealed element once, as soon as the layout has placed it (it may be in a group
  // that is only now expanding); later layouts do not move the camera again.
  const lastCentered = useRef(0);
  useEffect(() => {
    const canvas = canvasRef.current;
    const p = centerRequest && placed.get(centerRequest.id);
    if (!canvas || !p || lastCentered.current === centerRequest.n) return;
    lastCentered.current = centerRequest.n;
    autoFit.current = false;
    const scale = Math.max(view.current.scale, 0.9);
    view.current = { scale, tx: canvas.clientWidth / 2 - (p.x + p.w / 2) * scale, ty: canvas.clientHeight / 2 - (p.y + p.h / 2) * scale };
    requestDraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [centerRequest?.n, placed]);

  useEffect(() => {
    const canvas = canvasRef.current!;
    let frame = 0;
    let colors = palette(canvas);
    const themeObserver = new MutationObserver(() => {
      colors = palette(canvas);
      forceFull.current = true;
      requestDraw();
    });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const resize = new ResizeObserver(requestDraw);
    resize.observe(canvas);

    /** What the canvas shows now: a repaint can stay inside the regions that changed since. */
    let last: { model: DrawnModel; placed: Map<string, Placed>; selected?: string; highlight?: ReadonlySet<string>; scale: number; tx: number; ty: number; w: number; h: number; thin: boolean } | undefined;
    const MAX_REGIONS = 64;
    /** Zoomed out: the labels the last full frame placed (a local repaint redraws those it touches). */
    let screenLabels: ScreenLabel[] = [];
    const labelOf = new Map<number, ScreenLabel>();
    let drawnLabels: () => DrawnLabel[] = () => [];
    const repaints = { full: 0, partial: 0 };

    /**
     * World-space rectangles that differ between what was drawn and the model now: items replaced
     * by a patch (same layout, same array positions) and edges added or removed. Undefined when
     * the whole canvas must be drawn (new layout, camera, selection, size, too much changed).
     */
    const damage = (m: DrawnModel, pl: Map<string, Placed>, sel: string | undefined, lit: ReadonlySet<string> | undefined, scale: number, tx: number, ty: number, w: number, h: number, thin: boolean): Box[] | undefined => {
      // A search starting or ending changes every item's look; a new set of matches only a few.
      if (forceFull.current || !last || last.placed !== pl || last.selected !== sel || (last.highlight === undefined) !== (lit === undefined) || last.scale !== scale || last.tx !== tx || last.ty !== ty || last.w !== w || last.h !== h || last.thin !== thin) return undefined;
      const prev = last.model;
      if (prev.items.length !== m.items.length) return undefined;
      const pad = 6 / Math.max(scale, 0.3);
      const rects: Box[] = [];
      const litBefore = last.highlight;
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
            if (thin && a !== sel && b !== sel && a.startsWith('group/') && b.startsWith('node/')) continue;
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
    };

    const draw = () => {
      frame = requestAnimationFrame(draw);
      graphOnScreen.current = true;
      if (!dirty.current) {
        notePainted(state.current.seq);
        return;
      }
      dirty.current = false;
      const started = performance.now();
      const dpr = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
        last = undefined;
      }
      const ctx = canvas.getContext('2d')!;
      const { scale, tx, ty } = view.current;
      const { model: m, placed: pl, selected: sel, highlight: lit } = state.current;
      const thin = m.edges.length > 3000;
      const regions = damage(m, pl, sel, lit, scale, tx, ty, w, h, thin);
      forceFull.current = false;
      last = { model: m, placed: pl, selected: sel, highlight: lit, scale, tx, ty, w, h, thin };
      if (regions && regions.length === 0) {
        notePainted(state.current.seq);
        return;
      }
      if (regions) repaints.partial++;
      else repaints.full++;
      ctx.save();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      /** The screen box being repainted (CSS px): zoomed-out labels touching it are drawn again. */
      let screenBox = { x0: 0, y0: 0, x1: w, y1: h };
      let minX = -tx / scale;
      let minY = -ty / scale;
      let maxX = (w - tx) / scale;
      let maxY = (h - ty) / scale;
      if (regions) {
        // Clip to the changed rectangles, snapped to whole device pixels (no seams at the edges).
        const clip = new Path2D();
        let bx0 = Infinity;
        let by0 = Infinity;
        let bx1 = -Infinity;
        let by1 = -Infinity;
        for (const r of regions) {
          const x0 = Math.floor(tx + r.x * scale);
          const y0 = Math.floor(ty + r.y * scale);
          const x1 = Math.ceil(tx + (r.x + r.w) * scale);
          const y1 = Math.ceil(ty + (r.y + r.h) * scale);
          clip.rect(x0, y0, x1 - x0, y1 - y0);
          bx0 = Math.min(bx0, x0);
          by0 = Math.min(by0, y0);
          bx1 = Math.max(bx1, x1);
          by1 = Math.max(by1, y1);
        }
        ctx.clip(clip);
        ctx.fillStyle = colors.bg;
        ctx.fill(clip);
        screenBox = { x0: bx0, y0: by0, x1: bx1, y1: by1 };
        // Draw only what reaches the changed area (its bounding box, inside the viewport).
        minX = Math.max(minX, (bx0 - tx) / scale);
        minY = Math.max(minY, (by0 - ty) / scale);
        maxX = Math.min(maxX, (bx1 - tx) / scale);
        maxY = Math.min(maxY, (by1 - ty) / scale);
      } else {
        ctx.fillStyle = colors.bg;
        ctx.fillRect(0, 0, w, h);
      }
      ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * tx, dpr * ty);
      const onScreen = (p: Placed) => p.x + p.w >= minX && p.x <= maxX && p.y + p.h >= minY && p.y <= maxY;
      // An edge's curve stays inside the box of its two ends (the control points share their x/y).
      const edgeOnScreen = (x1: number, y1: number, x2: number, y2: number) => Math.max(x1, x2) >= minX && Math.min(x1, x2) <= maxX && Math.max(y1, y2) >= minY && Math.min(y1, y2) <= maxY;

      // Edges first, faint; those touching the selection stronger. With thousands of them (groups
      // fan out to every node their pods run on) the group->node fan-out is left implicit unless
      // selected, and paths are stroked in chunks: one giant path is slow to rasterize.
      ctx.lineWidth = 1 / Math.max(scale, 0.3);
      ctx.strokeStyle = colors.muted;
      // A search dims the wiring too: what matches is the boxes.
      ctx.globalAlpha = (thin ? 0.18 : 0.35) * (lit ? 0.45 : 1);
      const strong: [Placed, Placed][] = [];
      let inPath = 0;
      ctx.beginPath();
      for (const [a, b] of m.edges) {
        const touchesSelection = sel !== undefined && (a === sel || b === sel);
        if (thin && !touchesSelection && a.startsWith('group/') && b.startsWith('node/')) continue;
        const pa = pl.get(a);
        const pb = pl.get(b);
        if (!pa || !pb) continue;
        const x1 = pa.x + pa.w;
        const y1 = pa.y + pa.h / 2;
        const x2 = pb.x;
        const y2 = pb.y + pb.h / 2;
        if (!edgeOnScreen(x1, y1, x2, y2)) continue;
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

      const detailed = scale >= DETAIL_SCALE;
      ctx.textBaseline = 'middle';
      const shown: { item: GraphItem; p: Placed; index: number }[] = [];
      m.items.forEach((item, index) => {
        const p = pl.get(item.id);
        if (p && onScreen(p)) shown.push({ item, p, index });
      });
      // A search draws what does not match faint, first; what matches on top, in full.
      const faint = lit ? shown.filter(({ item }) => !lit.has(item.id)) : [];
      const bright = lit ? shown.filter(({ item }) => lit.has(item.id)) : shown;
      if (faint.length) {
        ctx.globalAlpha = 0.22;
        drawBoxes(ctx, faint, colors, scale, detailed);
        ctx.globalAlpha = 1;
      }
      drawBoxes(ctx, bright, colors, scale, detailed);
      const selected = sel !== undefined ? pl.get(sel) : undefined;
      if (selected && onScreen(selected)) {
        ctx.strokeStyle = colors.focus;
        ctx.lineWidth = 3 / Math.max(scale, 0.3);
        ctx.beginPath();
        ctx.roundRect(selected.x, selected.y, selected.w, selected.h, 5);
        ctx.stroke();
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (detailed) {
        screenLabels = [];
        labelOf.clear();
        if (!regions) drawnLabels = () => shown.map(({ item }) => ({ id: item.id, text: item.label, px: 12 * scale }));
      } else {
        if (!regions) {
          // A new view: choose the labels again (a local repaint keeps these places).
          screenLabels = placeScreenLabels(ctx, pl, shown, sel, lit, scale, tx, ty, w, h);
          labelOf.clear();
          for (const label of screenLabels) labelOf.set(label.index, label);
          const placedLabels = screenLabels;
          drawnLabels = () => placedLabels.map((l) => ({ id: m.items[l.index].id, text: m.items[l.index].label, px: l.px, x: l.x, y: l.y, w: l.w, h: l.h }));
        }
        const { x0, y0, x1, y1 } = screenBox;
        const touching = regions ? screenLabels.filter((l) => l.x + l.w >= x0 && l.x <= x1 && l.y + l.h >= y0 && l.y <= y1) : screenLabels;
        drawScreenLabels(ctx, touching, m.items, sel, lit, colors);
      }
      const spent = performance.now() - started;
      ctx.restore();
      topologyStats.frameTimes.push(spent);
      if (topologyStats.frameTimes.length > 20_000) topologyStats.frameTimes.splice(0, 10_000);
      notePainted(state.current.seq);
      window.__flightdeckPaintProbe?.(m.items, pl);
    };
    frame = requestAnimationFrame(draw);

    const toWorld = (clientX: number, clientY: number) => {
      const rect = canvas.getBoundingClientRect();
      const { scale, tx, ty } = view.current;
      return { x: (clientX - rect.left - tx) / scale, y: (clientY - rect.top - ty) / scale };
    };
    const hit = (clientX: number, clientY: number): GraphItem | undefined => {
      const { x, y } = toWorld(clientX, clientY);
      const { model: m, placed: pl } = state.current;
      for (let i = m.items.length - 1; i >= 0; i--) {
        const p = pl.get(m.items[i].id);
        if (p && x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + p.h) return m.items[i];
      }
      return undefined;
    };

    let drag: { x: number; y: number; moved: boolean } | undefined;
    const onDown = (e: PointerEvent) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      canvas.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        autoFit.current = false;
        view.current.tx += dx;
        view.current.ty += dy;
        drag.x = e.clientX;
        drag.y = e.clientY;
        requestDraw();
      }
    };
    const onUp = (e: PointerEvent) => {
      // A release that did not start here (a search suggestion picked with the mouse vanishes on
      // press, so its release lands on the canvas) neither selects nor clears anything.
      if (!drag) return;
      const wasDrag = drag.moved;
      drag = undefined;
      if (wasDrag) return;
      const item = hit(e.clientX, e.clientY);
      if (item?.kind === 'group') onToggleGroupRef.current(item.id);
      onSelectRef.current(item?.id);
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      autoFit.current = false;
      const rect = canvas.getBoundingClientRect();
      const cx = e.clientX - rect.left;
      const cy = e.clientY - rect.top;
      const v = view.current;
      const factor = Math.exp(-e.deltaY * 0.0015);
      const scale = Math.min(4, Math.max(0.02, v.scale * factor));
      v.tx = cx - ((cx - v.tx) * scale) / v.scale;
      v.ty = cy - ((cy - v.ty) * scale) / v.scale;
      v.scale = scale;
      requestDraw();
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('wheel', onWheel, { passive: false });

    window.__flightdeckGraph = {
      clientPoint(id) {
        const p = state.current.placed.get(id);
        if (!p) return undefined;
        const rect = canvas.getBoundingClientRect();
        const { scale, tx, ty } = view.current;
        return { x: rect.left + tx + (p.x + p.w / 2) * scale, y: rect.top + ty + (p.y + p.h / 2) * scale };
      },
      visibleIds: () => state.current.model.items.map((i) => i.id),
      item(id) {
        const item = state.current.model.items.find((i) => i.id === id);
        return item && { label: item.label, count: item.group?.count };
      },
      labels: () => drawnLabels(),
      dimmed: (id) => last?.highlight !== undefined && !last.highlight.has(id),
      repaints,
      scale: () => view.current.scale,
    };
    return () => {
      cancelAnimationFrame(frame);
      graphOnScreen.current = false;
      themeObserver.disconnect();
      resize.disconnect();
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('wheel', onWheel);
      delete window.__flightdeckGraph;
    };
  }, []);

  const onSelectRef = useRef(onSelect);
  const onToggleGroupRef = useRef(onToggleGroup);
  useEffect(() => {
    onSelectRef.current = onSelect;
    onToggleGroupRef.current = onToggleGroup;
  });

  return (
    <>
      <canvas
        ref={canvasRef}
        className="topology-canvas"
        data-testid="topology-canvas"
        role="img"
        aria-label={`Topology graph: ${model.items.length} items. Use the search box or the tables to reach any object.`}
      />
      {model.items.length === 0 && seq >= 0 && emptyText ? (
        <div className="topo-graph-empty" role="status" data-testid="topology-graph-empty">
          <p>{emptyText}</p>
          {onClearFilters ? (
            <button type="button" onClick={onClearFilters}>
              Clear filters
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

type Colors = ReturnType<typeof palette>;

/** Boxes, health bars, group bars and GPU cells, batched by style (one path per colour). */
function drawBoxes(ctx: CanvasRenderingContext2D, shown: readonly { item: GraphItem; p: Placed }[], colors: Colors, scale: number, detailed: boolean): void {
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

const labelFont = (px: number) => `${px === GROUP_LABEL_PX ? '600 ' : ''}${px}px system-ui, sans-serif`;

/**
 * Zoomed out: which items get a screen-space label, and where (on the item's box, left-aligned).
 * The selection and search matches first, then groups, workloads, services, nodes, ReplicaSets
 * and pods, problems before healthy ones; a label that would overlap one already placed is left
 * out (labels are bucketed by 64 px cells, so the check looks at a few neighbours only).
 */
function placeScreenLabels(
  ctx: CanvasRenderingContext2D,
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
  const order = shown.map((s) => ({ s, r: rank(s.item) })).sort((a, b) => a.r - b.r);
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
  for (const { s } of order) {
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
    // A label may run past its box, but not far: groups (the zoomed-out story) get more room.
    const room = Math.max(p.w * scale, group ? 320 : 150) - 8;
    ctx.font = labelFont(px);
    const text = fitText(ctx, s.item.label, room);
    const lw = textWidth(ctx, text) + 8;
    if (overlaps(x, y, lw, lh)) continue;
    const label: ScreenLabel = { index: s.index, x, y, w: lw, h: lh, px };
    for (const k of cellsOf(label)) {
      const list = buckets.get(k);
      if (list) list.push(label);
      else buckets.set(k, [label]);
    }
    labels.push(label);
  }
  return labels;
}

/** Text widths by font and text: panning zoomed out places the same labels frame after frame. */
const widths = new Map<string, number>();
function textWidth(ctx: CanvasRenderingContext2D, text: string): number {
  const key = `${ctx.font}|${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    if (widths.size > 50_000) widths.clear();
    width = ctx.measureText(text).width;
    widths.set(key, width);
  }
  return width;
}

/** The label, shortened in its middle until it fits `room` px in the current font. */
function fitText(ctx: CanvasRenderingContext2D, label: string, room: number): string {
  const full = textWidth(ctx, label);
  if (full <= room) return label;
  let max = Math.max(6, Math.floor((room / full) * label.length));
  let text = shorten(label, max);
  while (max > 6 && textWidth(ctx, text) > room) text = shorten(label, (max -= 2));
  return text;
}

/** Draws zoomed-out labels (screen space): a backing pill so they read over boxes and edges. */
function drawScreenLabels(ctx: CanvasRenderingContext2D, labels: readonly ScreenLabel[], items: readonly GraphItem[], sel: string | undefined, lit: ReadonlySet<string> | undefined, colors: Colors): void {
  for (const faint of [true, false]) {
    const mine = labels.filter((l) => (lit !== undefined && !lit.has(items[l.index].id)) === faint);
    if (!mine.length) continue;
    ctx.globalAlpha = faint ? 0.35 : 1;
    ctx.fillStyle = colors.bg;
    ctx.beginPath();
    for (const l of mine) ctx.roundRect(l.x, l.y, l.w, l.h, 4);
    ctx.globalAlpha = faint ? 0.3 : 0.82;
    ctx.fill();
    ctx.globalAlpha = faint ? 0.45 : 1;
    for (const l of mine) {
      const item = items[l.index];
      ctx.font = labelFont(l.px);
      ctx.fillStyle = item.id === sel ? colors.focus : item.h === 'ok' ? colors.text : colors[item.h];
      // The text as placed, or a shorter one if it grew since (a group's count).
      ctx.fillText(fitText(ctx, item.label, l.w - 8), l.x + 4, l.y + l.h / 2);
    }
  }
  ctx.globalAlpha = 1;
}

