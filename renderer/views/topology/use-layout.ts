// Runs the layered layout in the Web Worker and returns positions for the current graph. While a
// layout is computing, the previous positions stay on screen; stale answers are dropped.
import { useEffect, useRef, useState } from 'react';
import type { GraphItem, GraphModel } from '../../../shared/model/topology-graph';
import type { Placed } from './GraphCanvas';

export function useLayout(model: GraphModel, sizes: Record<GraphItem['kind'], [number, number]>): Map<string, Placed> {
  const worker = useRef<Worker>(undefined);
  const latest = useRef(0);
  const [placed, setPlaced] = useState<Map<string, Placed>>(new Map());
  const pendingItems = useRef<GraphItem[]>([]);

  useEffect(() => {
    const w = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (event: MessageEvent<{ id: number; positions: Float64Array }>) => {
      if (event.data.id !== latest.current) return;
      const items = pendingItems.current;
      const next = new Map<string, Placed>();
      const { positions } = event.data;
      items.forEach((item, i) => {
        const [w, h] = sizes[item.kind];
        next.set(item.id, { x: positions[i * 2], y: positions[i * 2 + 1], w, h });
      });
      setPlaced(next);
    };
    return () => w.terminate();
    // The worker lives as long as the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Re-layout only when the set of items or their edges change, not when a health colour does.
  const shapeKey = useRef('');
  useEffect(() => {
    const key = `${model.items.length}:${model.edges.length}:${model.items.map((i) => i.id).join('|').length}:${hash(model)}`;
    if (key === shapeKey.current) return;
    shapeKey.current = key;
    const id = ++latest.current;
    pendingItems.current = model.items;
    worker.current?.postMessage({
      id,
      items: model.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: sizes[i.kind][0], h: sizes[i.kind][1] })),
      edges: model.edges,
    });
  }, [model, sizes]);

  return placed;
}

function hash(model: GraphModel): number {
  let h = 0;
  for (const item of model.items) for (let i = 0; i < item.id.length; i++) h = (h * 31 + item.id.charCodeAt(i)) | 0;
  for (const [a, b] of model.edges) h = (h * 31 + a.length * 7 + b.length) | 0;
  return h;
}
