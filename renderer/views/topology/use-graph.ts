// The graph on screen. The incremental model (LiveGraph) runs here on the UI thread, fed each
// topology delta as it arrives: a pod delta costs O(changed) (its item or its group's counts and
// edges), so a new pod is in the next painted frame without a thread hop. When items appear or
// disappear, a few new ones are placed at once under their layer (provisionalPlacement) and the
// layout worker (renderer/workers/layout.worker.ts) lays the new shape out tidily; while the shape
// keeps changing (a busy fleet) it is asked at most once per TIDY_MS, so the canvas repaints only
// around what changed instead of moving every box ten times a second. A change too big to place
// at once asks the worker straight away; until it answers, the new items are not drawn.
import { useEffect, useRef, useState } from 'react';
import type { GraphItem } from '../../../shared/model/topology-graph';
import type { Filters, GroupBy } from '../../../shared/model/topology-graph';
import { LiveGraph } from '../../../shared/model/topology-graph-live';
import { provisionalPlacement } from '../../../shared/model/layered-layout';
import { onTopologyDelta } from '../../stores/topology-store';
import { noteBuilt, topologyStats } from '../../stores/topology-bench-hook';
import type { LayoutAnswer, LayoutRequest } from '../../workers/layout.worker';
import type { DrawnModel, Placed } from './GraphCanvas';

export interface GraphOnScreen {
  model: DrawnModel;
  placed: Map<string, Placed>;
  /** Newest delta included (and placed: held back while a new shape waits for its layout). */
  seq: number;
}

const EMPTY: GraphOnScreen = { model: { items: [], edges: [], memberOf: new Map() }, placed: new Map(), seq: -1 };

/** While the graph keeps changing shape, at most one tidy layout per this many ms. */
export const TIDY_MS = 1_000;

type Sizes = Record<GraphItem['kind'], [number, number]>;

export function useGraph(context: string | undefined, filters: Filters, groupBy: GroupBy, expanded: ReadonlySet<string>, sizes: Sizes): GraphOnScreen {
  const [graph, setGraph] = useState<GraphOnScreen>(EMPTY);
  const engine = useRef<{ setView(filters: Filters, groupBy: GroupBy, expanded: ReadonlySet<string>, sizes: Sizes): void }>(undefined);

  useEffect(() => {
    const live = new LiveGraph();
    const worker = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module' });
    let seq = -1;
    /** Item id -> index in the model on screen (patches replace items in place). */
    let indexOf = new Map<string, number>();
    let token = 0;
    /** The items of the newest shape (order as the model has them), and its edges. */
    let shape: { items: GraphItem[]; edges: [string, string][] } = { items: [], edges: [] };
    /** Layout requests in flight: token -> the items asked about (answers come in order). */
    const requested = new Map<number, GraphItem[]>();
    let lastRequestAt = -Infinity;
    let tidyTimer: ReturnType<typeof setTimeout> | undefined;
    let viewSet = false;
    let currentSizes = sizes;
    /** The positions last handed to the canvas, and whether some item of the model has none. */
    let shownPlaced = new Map<string, Placed>();
    let unplaced = false;

    /** Asks the worker to lay out the newest shape. */
    const requestLayout = () => {
      clearTimeout(tidyTimer);
      tidyTimer = undefined;
      lastRequestAt = performance.now();
      requested.set(++token, shape.items);
      const request: LayoutRequest = { type: 'layout', token, items: shape.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: currentSizes[i.kind][0], h: currentSizes[i.kind][1] })), edges: shape.edges };
      worker.postMessage(request);
    };
    /** A tidy layout of the newest shape: now after a quiet spell, else when TIDY_MS have passed. */
    const scheduleTidy = () => {
      if (tidyTimer !== undefined) return;
      const wait = lastRequestAt + TIDY_MS - performance.now();
      if (wait <= 0) requestLayout();
      else tidyTimer = setTimeout(requestLayout, wait);
    };

    worker.onmessage = (event: MessageEvent<LayoutAnswer>) => {
      const answer = event.data;
      topologyStats.worker.layoutMs.push(answer.layoutMs);
      const request = requested.get(answer.token);
      if (!request) return;
      for (const token of requested.keys()) if (token <= answer.token) requested.delete(token);
      const placedThen = new Map<string, Placed>();
      request.forEach((item, i) => {
        const [w, h] = currentSizes[item.kind];
        placedThen.set(item.id, { x: answer.positions[i * 2], y: answer.positions[i * 2 + 1], w, h });
      });
      if (request === shape.items) {
        // Patches since the request changed no ids: this layout places every delta applied so far.
        unplaced = false;
        shownPlaced = placedThen;
        const laidOutSeq = seq;
        noteBuilt(laidOutSeq);
        setGraph((current) => ({ model: current.model, placed: placedThen, seq: Math.max(current.seq, laidOutSeq) }));
        return;
      }
      // An older shape's layout (the graph kept changing shape meanwhile, e.g. while the caches
      // sync or under churn): use it now, with what is newer placed provisionally if few.
      const latestSeq = seq;
      const placed = provisionalPlacement(shape.items, placedThen, currentSizes);
      if (placed) {
        unplaced = false;
        noteBuilt(latestSeq);
      } else if (![...requested.values()].includes(shape.items)) requestLayout();
      shownPlaced = placed ?? placedThen;
      setGraph((current) => ({ model: current.model, placed: placed ?? placedThen, seq: placed ? Math.max(current.seq, latestSeq) : current.seq }));
    };

    /** Brings what is on screen up to date with the model: a patch, or a new shape to lay out. */
    const refresh = () => {
      if (!viewSet) return;
      const started = performance.now();
      const changes = live.flush();
      topologyStats.worker.buildMs.push(performance.now() - started);
      if (topologyStats.worker.buildMs.length > 10_000) topologyStats.worker.buildMs.splice(0, 5_000);
      if (changes.structural) {
        topologyStats.worker.graphs++;
        const next = live.model(false);
        const positions = new Map(next.items.map((item, i) => [item.id, i]));
        indexOf = positions;
        shape = { items: next.items, edges: next.edges };
        // A few new items (a pod of a small group, a group forming) go at once below the last
        // item of their layer; the worker's tidy layout replaces these positions when it answers.
        const placed = provisionalPlacement(next.items, shownPlaced, currentSizes);
        unplaced = !placed;
        if (placed) scheduleTidy();
        else requestLayout();
        if (placed) {
          shownPlaced = placed;
          noteBuilt(seq);
        }
        const shownSeq = placed ? seq : undefined;
        setGraph((current) => {
          // The edges that changed since the model on screen: a repaint can stay around them.
          const edgeHistory = [...(current.model.edgeHistory ?? []).slice(-7), { from: current.model.edges, added: changes.edgesAdded, removed: changes.edgesRemoved }];
          const model = { ...next, edgeHistory, indexOf: positions };
          return { model, placed: placed ?? current.placed, seq: shownSeq ?? current.seq };
        });
        return;
      }
      topologyStats.worker.patches++;
      // Everything is placed (a tidy layout may still be on its way): this delta can show now.
      const shownSeq = unplaced ? undefined : seq;
      if (shownSeq !== undefined) noteBuilt(shownSeq);
      if (!changes.updated.length && !changes.edgesAdded.length && !changes.edgesRemoved.length) {
        if (shownSeq !== undefined) setGraph((current) => (current.seq === shownSeq ? current : { ...current, seq: shownSeq }));
        return;
      }
      setGraph((current) => {
        const items = current.model.items.slice();
        for (const item of changes.updated) items[indexOf.get(item.id)!] = item;
        let edges = current.model.edges;
        if (changes.edgesRemoved.length) {
          const gone = new Set(changes.edgesRemoved.map(([a, b]) => `${a}>${b}`));
          edges = edges.filter(([a, b]) => !gone.has(`${a}>${b}`));
        }
        if (changes.edgesAdded.length) edges = edges.concat(changes.edgesAdded);
        // The canvas repaints only around what changed when it drew one of the recent edge sets.
        const edgeHistory = edges === current.model.edges ? current.model.edgeHistory : [...(current.model.edgeHistory ?? []).slice(-7), { from: current.model.edges, added: changes.edgesAdded, removed: changes.edgesRemoved }];
        return { model: { items, edges, memberOf: current.model.memberOf, edgeHistory, indexOf: current.model.indexOf }, placed: current.placed, seq: shownSeq ?? current.seq };
      });
    };

    engine.current = {
      setView(f, g, e, s) {
        viewSet = true;
        currentSizes = s;
        live.setView(f, g, e);
        refresh();
      },
    };
    const off = onTopologyDelta((delta, deltaSeq) => {
      live.applyDelta(delta);
      seq = deltaSeq;
      refresh();
    });
    return () => {
      off();
      clearTimeout(tidyTimer);
      worker.terminate();
      engine.current = undefined;
      setGraph(EMPTY);
    };
    // One model and worker per context: a new context starts from an empty mirror.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [context]);

  // Runs after the effect above (same render): the model learns its view, then draws.
  useEffect(() => {
    engine.current?.setView(filters, groupBy, new Set(expanded), sizes);
  }, [context, filters, groupBy, expanded, sizes]);

  return graph;
}
