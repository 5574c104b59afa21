// The graph on screen. The incremental model (LiveGraph) runs here on the UI thread, fed each
// topology delta as it arrives: a pod delta costs O(changed) (its item or its group's counts and
// edges), so a new pod is in the next painted frame without a thread hop. When items appear or
// disappear the layout worker (renderer/workers/layout.worker.ts) places the new shape; until its
// answer arrives the canvas keeps the previous positions (new items are not drawn yet).
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
    let pending: { token: number; items: GraphItem[] } | undefined;
    /** Layout requests in flight: token -> the items asked about (answers come in order). */
    const requested = new Map<number, GraphItem[]>();
    let viewSet = false;
    let currentSizes = sizes;
    /** The positions last handed to the canvas, and whether some item of the model has none. */
    let shownPlaced = new Map<string, Placed>();
    let unplaced = false;

    worker.onmessage = (event: MessageEvent<LayoutAnswer>) => {
      const answer = event.data;
      topologyStats.worker.layoutMs.push(answer.layoutMs);
      const request = requested.get(answer.token);
      if (!request || !pending) return;
      for (const token of requested.keys()) if (token <= answer.token) requested.delete(token);
      const placedThen = new Map<string, Placed>();
      request.forEach((item, i) => {
        const [w, h] = currentSizes[item.kind];
        placedThen.set(item.id, { x: answer.positions[i * 2], y: answer.positions[i * 2 + 1], w, h });
      });
      if (answer.token === pending.token) {
        // Patches since the request changed no ids: this layout places every delta applied so far.
        pending = undefined;
        unplaced = false;
        shownPlaced = placedThen;
        const laidOutSeq = seq;
        noteBuilt(laidOutSeq);
        setGraph((current) => ({ model: current.model, placed: placedThen, seq: Math.max(current.seq, laidOutSeq) }));
        return;
      }
      // An older shape's layout while a newer one is on its way (the graph keeps changing shape,
      // e.g. while the caches sync): use it now, with what is newer placed provisionally if few.
      const newest = pending.items;
      const latestSeq = seq;
      const placed = provisionalPlacement(newest, placedThen, currentSizes);
      if (placed) {
        unplaced = false;
        noteBuilt(latestSeq);
      }
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
        const model = live.model();
        indexOf = new Map(model.items.map((item, i) => [item.id, i]));
        pending = { token: ++token, items: model.items };
        requested.set(token, model.items);
        const request: LayoutRequest = { type: 'layout', token, items: model.items.map((i) => ({ id: i.id, layer: i.layer, sort: i.sort, w: currentSizes[i.kind][0], h: currentSizes[i.kind][1] })), edges: model.edges };
        worker.postMessage(request);
        // A few new items (a pod of a small group, a group forming) go at once below the last
        // item of their layer; the worker's tidy layout replaces these positions when it answers.
        const placed = provisionalPlacement(model.items, shownPlaced, currentSizes);
        unplaced = !placed;
        if (placed) {
          shownPlaced = placed;
          const shownSeq = seq;
          noteBuilt(shownSeq);
          setGraph({ model, placed, seq: shownSeq });
        } else setGraph((current) => ({ model, placed: current.placed, seq: current.seq }));
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
        return { model: { items, edges, memberOf: current.model.memberOf, edgeHistory }, placed: current.placed, seq: shownSeq ?? current.seq };
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
