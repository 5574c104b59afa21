// The topology graph on one <canvas>: no DOM node per pod, so 10,000 pods cost a draw call each at
// most (and only those on screen). Pan by dragging, zoom with the wheel, fit on request; clicking
// a group expands it, clicking anything selects it. Positions come from the layout worker.
// Zoomed out, labels switch to screen space (semantic zoom): groups and workloads first, in a
// readable size, never overlapping. A search dims what it does not match.
// This file wires React, the DOM and the frame loop; the work is in ./canvas: viewport (camera),
// hit-test, damage (what a patch repaints), draw (edges, boxes, labels), test-hook (window hooks).
import { useEffect, useRef } from 'react';
import type { GraphItem } from '../../../shared/model/topology-graph';
import type { Box } from '../../../shared/model/layered-layout';
import { graphOnScreen, noteFrameTime, notePainted } from '../../stores/topology-bench-hook';
import { centerOn, fitView, toWorld, visibleWorld, zoomAt } from './canvas/viewport';
import { boxReaches, hitItem, type Bounds } from './canvas/hit-test';
import { damageRegions, MAX_COVERAGE, sameBox, screenDamage, type DrawnModel, type Frame } from './canvas/damage';
import { DETAIL_SCALE, drawBoxes, drawEdges, drawScreenLabels, palette, placeScreenLabels, type ScreenLabel } from './canvas/draw';
import { installGraphHook, probePaint, type DrawnLabel } from './canvas/test-hook';

export type { DrawnModel } from './canvas/damage';

/** Where an item is drawn (world space); the same box the layout's provisional placement uses. */
export type Placed = Box;

export const ITEM_SIZE: Record<GraphItem['kind'], [number, number]> = {
  svc: [180, 36], deploy: [190, 36], sts: [190, 36], ds: [190, 36], job: [190, 36], ro: [190, 36], rs: [190, 36],
  pod: [180, 34], group: [200, 44], node: [210, 48], gpu: [10, 10],
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
    // The automatic fit keeps labels readable (the rest is a pan away); the Fit button shows all.
    view.current = fitView(placed.values(), canvas.clientWidth, canvas.clientHeight, fitRequest.whole);
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
    view.current = centerOn(p, view.current.scale, canvas.clientWidth, canvas.clientHeight);
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
    let last: Frame | undefined;
    /** Zoomed out: the labels the last full frame placed (a local repaint redraws those it touches). */
    let screenLabels: ScreenLabel[] = [];
    /** Item id -> its label, and where the item was when the label was placed there. */
    const labelOf = new Map<string, ScreenLabel>();
    const labelAt = new Map<string, Placed>();
    /** The drawn model's item with this id (by the model's own index when it has one). */
    let indexed: DrawnModel | undefined;
    let index: ReadonlyMap<string, number> = new Map();
    const itemOf = (model: DrawnModel, id: string): GraphItem | undefined => {
      if (indexed !== model) {
        indexed = model;
        index = model.indexOf ?? new Map(model.items.map((item, i) => [item.id, i]));
      }
      const at = index.get(id);
      return at === undefined ? undefined : model.items[at];
    };
    let drawnLabels: () => DrawnLabel[] = () => [];
    const repaints = { full: 0, partial: 0 };

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
      const now: Frame = { model: m, placed: pl, selected: sel, highlight: lit, scale, tx, ty, w, h, thin: m.edges.length > 3000 };
      const changed = forceFull.current ? undefined : damageRegions(last, now, labelOf);
      forceFull.current = false;
      last = now;
      if (changed && changed.length === 0) {
        notePainted(state.current.seq);
        return;
      }
      // Damage over much of the canvas: drawing it all is cheaper than a clip of many cells.
      const damaged = changed && screenDamage(changed, view.current, w, h);
      const regions = damaged && damaged.coverage <= MAX_COVERAGE ? changed : undefined;
      if (regions) repaints.partial++;
      else repaints.full++;
      ctx.save();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      /** The screen box being repainted (CSS px): zoomed-out labels touching it are drawn again. */
      let screenBox = { x0: 0, y0: 0, x1: w, y1: h };
      const bounds = visibleWorld(view.current, w, h);
      /** A local repaint: the changed rectangles (world space); only what reaches one is drawn. */
      let areas: Bounds[] | undefined;
      if (regions && damaged) {
        // Clip to the changed cells; draw only what reaches one of them (damage is often
        // scattered: what reaches their bounding box can be most of the graph).
        areas = damaged.rects.map((r) => ({ minX: (r.x0 - tx) / scale, minY: (r.y0 - ty) / scale, maxX: (r.x1 - tx) / scale, maxY: (r.y1 - ty) / scale }));
        const clip = new Path2D();
        for (const r of damaged.rects) clip.rect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        ctx.clip(clip);
        ctx.fillStyle = colors.bg;
        ctx.fill(clip);
        screenBox = damaged.box;
        bounds.minX = Math.max(bounds.minX, (screenBox.x0 - tx) / scale);
        bounds.minY = Math.max(bounds.minY, (screenBox.y0 - ty) / scale);
        bounds.maxX = Math.min(bounds.maxX, (screenBox.x1 - tx) / scale);
        bounds.maxY = Math.min(bounds.maxY, (screenBox.y1 - ty) / scale);
      } else {
        ctx.fillStyle = colors.bg;
        ctx.fillRect(0, 0, w, h);
      }
      ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * tx, dpr * ty);
      drawEdges(ctx, m.edges, pl, sel, lit, scale, now.thin, bounds, colors, areas);

      const detailed = scale >= DETAIL_SCALE;
      ctx.textBaseline = 'middle';
      const shown: { item: GraphItem; p: Placed; index: number }[] = [];
      m.items.forEach((item, index) => {
        const p = pl.get(item.id);
        if (p && boxReaches(p, bounds) && (!areas || areas.some((a) => boxReaches(p, a)))) shown.push({ item, p, index });
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
      const selectedBox = sel !== undefined ? pl.get(sel) : undefined;
      if (selectedBox && boxReaches(selectedBox, bounds)) {
        ctx.strokeStyle = colors.focus;
        ctx.lineWidth = 3 / Math.max(scale, 0.3);
        ctx.beginPath();
        ctx.roundRect(selectedBox.x, selectedBox.y, selectedBox.w, selectedBox.h, 5);
        ctx.stroke();
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (detailed) {
        screenLabels = [];
        labelOf.clear();
        labelAt.clear();
        if (!regions) drawnLabels = () => shown.map(({ item }) => ({ id: item.id, text: item.label, px: 12 * scale }));
      } else {
        if (!regions) {
          // A new view: choose the labels again (a local repaint keeps these places).
          screenLabels = placeScreenLabels(ctx, pl, shown, sel, lit, scale, tx, ty, w, h);
          labelOf.clear();
          labelAt.clear();
          for (const label of screenLabels) {
            labelOf.set(label.id, label);
            labelAt.set(label.id, pl.get(label.id)!);
          }
          const placedLabels = screenLabels;
          drawnLabels = () => placedLabels.map((l) => ({ id: l.id, text: m.items[l.index].label, px: l.px, x: l.x, y: l.y, w: l.w, h: l.h }));
        }
        const { x0, y0, x1, y1 } = screenBox;
        if (regions) {
          // A local repaint keeps the labels of the last full frame, by id: an item that went or
          // moved since loses its label until the next full frame chooses them again.
          const touching = screenLabels.filter((l) => l.x + l.w >= x0 && l.x <= x1 && l.y + l.h >= y0 && l.y <= y1);
          drawScreenLabels(ctx, touching, (l) => (sameBox(pl.get(l.id), labelAt.get(l.id)) ? itemOf(m, l.id) : undefined), sel, lit, colors);
        } else drawScreenLabels(ctx, screenLabels, (l) => m.items[l.index], sel, lit, colors);
      }
      const spent = performance.now() - started;
      ctx.restore();
      noteFrameTime(spent);
      notePainted(state.current.seq);
      probePaint(m.items, pl);
    };
    frame = requestAnimationFrame(draw);

    const hit = (clientX: number, clientY: number): GraphItem | undefined => {
      const rect = canvas.getBoundingClientRect();
      const { x, y } = toWorld(view.current, clientX - rect.left, clientY - rect.top);
      return hitItem(state.current.model.items, state.current.placed, x, y);
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
      view.current = zoomAt(view.current, e.clientX - rect.left, e.clientY - rect.top, e.deltaY);
      requestDraw();
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('wheel', onWheel, { passive: false });

    const removeHook = installGraphHook({
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
    });
    return () => {
      cancelAnimationFrame(frame);
      graphOnScreen.current = false;
      themeObserver.disconnect();
      resize.disconnect();
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('wheel', onWheel);
      removeHook();
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
