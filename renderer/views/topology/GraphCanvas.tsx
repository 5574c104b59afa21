// The topology graph on one <canvas>: no DOM node per pod, so 10,000 pods cost a draw call each at
// most (and only those on screen). Pan by dragging, zoom with the wheel, fit on request; clicking
// a group expands it, clicking anything selects it. Positions come from the layout worker.
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
}

declare global {
  interface Window {
    __flightdeckGraph?: { clientPoint(id: string): { x: number; y: number } | undefined; visibleIds(): string[]; item(id: string): { label: string; count?: number } | undefined };
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

export function GraphCanvas({ model, placed, seq, selected, fitRequest, centerRequest, onSelect, onToggleGroup }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef({ scale: 1, tx: 20, ty: 20 });
  /** Until the user pans, zooms or centres something, every new layout is fitted to the canvas. */
  const autoFit = useRef(true);
  const dirty = useRef(true);
  /** The next draw repaints everything (theme change): colours are not part of the damage check. */
  const forceFull = useRef(true);
  const state = useRef({ model, placed, selected, seq });
  state.current = { model, placed, selected, seq };

  const requestDraw = () => {
    dirty.current = true;
  };

  useEffect(requestDraw, [model, placed, selected]);

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
    let last: { model: DrawnModel; placed: Map<string, Placed>; selected?: string; scale: number; tx: number; ty: number; w: number; h: number; thin: boolean } | undefined;
    const MAX_REGIONS = 64;

    /**
     * World-space rectangles that differ between what was drawn and the model now: items replaced
     * by a patch (same layout, same array positions) and edges added or removed. Undefined when
     * the whole canvas must be drawn (new layout, camera, selection, size, too much changed).
     */
    const damage = (m: DrawnModel, pl: Map<string, Placed>, sel: string | undefined, scale: number, tx: number, ty: number, w: number, h: number, thin: boolean): Box[] | undefined => {
      if (forceFull.current || !last || last.placed !== pl || last.selected !== sel || last.scale !== scale || last.tx !== tx || last.ty !== ty || last.w !== w || last.h !== h || last.thin !== thin) return undefined;
      const prev = last.model;
      if (prev.items.length !== m.items.length) return undefined;
      const pad = 6 / Math.max(scale, 0.3);
      const rects: Box[] = [];
      for (let i = 0; i < m.items.length; i++) {
        if (m.items[i] === prev.items[i]) continue;
        if (m.items[i].id !== prev.items[i].id) return undefined;
        const p = pl.get(m.items[i].id);
        if (p) rects.push({ x: p.x - pad, y: p.y - pad, w: p.w + 2 * pad, h: p.h + 2 * pad });
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
      const { model: m, placed: pl, selected: sel } = state.current;
      const thin = m.edges.length > 3000;
      const regions = damage(m, pl, sel, scale, tx, ty, w, h, thin);
      forceFull.current = false;
      last = { model: m, placed: pl, selected: sel, scale, tx, ty, w, h, thin };
      if (regions && regions.length === 0) {
        notePainted(state.current.seq);
        return;
      }
      ctx.save();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
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
      ctx.globalAlpha = thin ? 0.18 : 0.35;
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

      const detailed = scale > 0.45;
      ctx.textBaseline = 'middle';
      // Batched by style: one path per colour instead of one fill per box (thousands per frame).
      const shown: { item: GraphItem; p: Placed }[] = [];
      for (const item of m.items) {
        const p = pl.get(item.id);
        if (p && onScreen(p)) shown.push({ item, p });
      }
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
      const selected = sel !== undefined ? pl.get(sel) : undefined;
      if (selected && onScreen(selected)) {
        ctx.strokeStyle = colors.focus;
        ctx.lineWidth = 3 / Math.max(scale, 0.3);
        ctx.beginPath();
        ctx.roundRect(selected.x, selected.y, selected.w, selected.h, 5);
        ctx.stroke();
      }
      if (detailed) {
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
        for (const { item, p } of shown) {
          // Middle ellipsis: pod names differ in their suffix, so keep it.
          const label = item.label.length > 27 ? `${item.label.slice(0, 12)}…${item.label.slice(-14)}` : item.label;
          ctx.fillText(label, p.x + 10, p.y + 24);
        }
      }
      const spent = performance.now() - started;
      ctx.restore();
      topologyStats.frameTimes.push(spent);
      if (topologyStats.frameTimes.length > 20_000) topologyStats.frameTimes.splice(0, 10_000);
      notePainted(state.current.seq);
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
      const wasDrag = drag?.moved;
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
    <canvas
      ref={canvasRef}
      className="topology-canvas"
      data-testid="topology-canvas"
      role="img"
      aria-label={`Topology graph: ${model.items.length} items. Use the search box or the tables to reach any object.`}
    />
  );
}

