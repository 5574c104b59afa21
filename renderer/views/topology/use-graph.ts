// The graph on screen: the worker (renderer/workers/layout.worker.ts) mirrors the topology deltas,
// builds the model for the current view settings and lays it out; this hook hands its answers to
// the canvas. The UI thread never walks the 20,000 elements per change.
import { useEffect, useRef, useState } from 'react';
import type { GraphItem, GraphModel } from '../../../shared/model/topology-graph';
import type { Filters, GroupBy } from '../../../shared/model/topology-graph';
import { noteBuilt, onTopologyDelta, topologyStats } from '../../stores/topology-store';
import type { WorkerGraph, WorkerPatch, WorkerRequest } from '../../workers/layout.worker';
import type { Placed } from './GraphCanvas';

export interface GraphOnScreen {
  model: GraphModel;
  placed: Map<string, Placed>;
  /** Newest delta included. */
  seq: number;
}

const EMPTY: GraphOnScreen = { model: { items: [], edges: [], memberOf: new Map() }, placed: new Map(), seq: -1 };

export function useGraph(context: string | undefined, filters: Filters, groupBy: GroupBy, expanded: ReadonlySet<string>, sizes: Record<GraphItem['kind'], [number, number]>): GraphOnScreen {
  const worker = useRef<Worker>(undefined);
  const [graph, setGraph] = useState<GraphOnScreen>(EMPTY);

  useEffect(() => {
    const w = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (event: MessageEvent<WorkerGraph | WorkerPatch>) => {
      const data = event.data;
      noteBuilt(data.seq);
      topologyStats.workerHops.push([data.gotAt, data.postedAt, Date.now()]);
      if (topologyStats.workerHops.length > 10_000) topologyStats.workerHops.splice(0, 5_000);
      const w = topologyStats.worker;
      if (data.type === 'patch') w.patches++;
      else {
        w.graphs++;
        w.layoutMs.push(data.layoutMs);
      }
      w.buildMs.push(data.buildMs);
      if (w.buildMs.length > 10_000) w.buildMs.splice(0, 5_000);
      if (data.type === 'patch') {
        if (!data.changes.length && !data.edgesAdded.length && !data.edgesRemoved.length) {
          setGraph((current) => (current.seq === data.seq ? current : { ...current, seq: data.seq }));
          return;
        }
        setGraph((current) => {
          const items = current.model.items.slice();
          for (const [index, item] of data.changes) items[index] = item;
          let edges = current.model.edges;
          if (data.edgesRemoved.length) {
            const gone = new Set(data.edgesRemoved.map(([a, b]) => `${a}>${b}`));
            edges = edges.filter(([a, b]) => !gone.has(`${a}>${b}`));
          }
          if (data.edgesAdded.length) edges = edges.concat(data.edgesAdded);
          return { model: { items, edges, memberOf: current.model.memberOf }, placed: current.placed, seq: data.seq };
        });
        return;
      }
      const { items, edges, positions, seq } = data;
      const placed = new Map<string, Placed>();
      items.forEach((item, i) => {
        const [width, height] = sizes[item.kind];
        placed.set(item.id, { x: positions[i * 2], y: positions[i * 2 + 1], w: width, h: height });
      });
      // Group membership of 10,000 pods is not shipped back: the view derives it (groupKeyOf).
      setGraph({ model: { items, edges, memberOf: new Map() }, placed, seq });
    };
    const post = (message: WorkerRequest) => w.postMessage(message);
    const off = onTopologyDelta((delta, seq) => post({ type: 'delta', delta, seq }));
    return () => {
      off();
      w.terminate();
      setGraph(EMPTY);
    };
    // One worker per context: a new context starts from an empty mirror.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [context]);

  useEffect(() => {
    worker.current?.postMessage({ type: 'view', filters, groupBy, expanded: [...expanded], sizes } satisfies WorkerRequest);
  }, [context, filters, groupBy, expanded, sizes]);

  return graph;
}
