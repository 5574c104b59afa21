// What the topology canvas should redraw for each change of the demo fleet's store: the bench runs
// the console's own projection (shared/model/topology.ts) on the store's events and, per element
// that changed in a way the canvas draws (a pod appearing or going, its health, its reason or phase
// when it is drawn on its own; a node's health, pool or reason; a workload's or ReplicaSet's health
// and reason, else ready count; a GPU's holder or health), names the drawn items where it must show: the element's own item and,
// for a pod, its group (collapsed groups show member counts only). Changes nobody would see on the
// canvas (a restart count, a grouped pod's phase) are not expected, so they are never counted as
// missed. Pure bookkeeping on the bench side; the console is never asked.
import type { TopoElement } from '../../shared/contract/topology.js';
import { buildTopology, type ProjectedKind, type TopologyProjection } from '../../shared/model/topology.js';
import { GROUP_THRESHOLD, groupKeyOf } from '../../shared/model/topology-graph.js';
import type { KubeObject, StoreEvent } from '../../electron/demo/store.js';

/** Store resource key -> the projection's kind. */
export const STORE_KIND: Readonly<Record<string, ProjectedKind>> = {
  pods: 'pods',
  nodes: 'nodes',
  services: 'services',
  'deployments.apps': 'deployments',
  'replicasets.apps': 'replicasets',
  'statefulsets.apps': 'statefulsets',
  'daemonsets.apps': 'daemonsets',
  'jobs.batch': 'jobs',
  'rollouts.argoproj.io': 'rollouts',
};

export type ChangeOp = 'create' | 'update' | 'delete';

export interface ExpectedChange {
  /** When the API accepted the write (the store committed it), epoch ms. */
  at: number;
  op: ChangeOp;
  /** Element kind (pod, node, deploy, ...). */
  k: string;
  /** Drawn item ids where the change shows (any of them changing in a painted frame counts). */
  ids: string[];
  /** The element that changed (runs of changes are per element). */
  element: string;
  /** What the canvas draws of the element before and after the change ('' when absent). */
  from: string;
  to: string;
  /** The element and what changed on it, for the bench's list of missed changes. */
  what: string;
}

/**
 * The changes the canvas must show: all of them except flickers, i.e. an element (a collapsed group for
 * its pods) leaving its drawn state and coming back to it within `withinMs` (the console's coalescing
 * interval) of the first change. The console sends the latest state at most once per interval, so such
 * an excursion may never reach the canvas, and the canvas still shows the current state. An excursion
 * that lasted longer stays expected: undrawn, it is missed.
 */
export function withoutFlickers(changes: readonly ExpectedChange[], withinMs: number): { expected: ExpectedChange[]; flickers: number } {
  const byElement = new Map<string, ExpectedChange[]>();
  for (const c of changes) (byElement.get(c.element) ?? byElement.set(c.element, []).get(c.element)!).push(c);
  const dropped = new Set<ExpectedChange>();
  for (const list of byElement.values()) {
    for (let i = 0; i < list.length; i++) {
      let back = -1;
      for (let j = i + 1; j < list.length && list[j].at - list[i].at <= withinMs; j++) {
        if (list[j].to === list[i].from) {
          back = j;
          break;
        }
      }
      if (back < 0) continue;
      for (let d = i; d <= back; d++) dropped.add(list[d]);
      i = back;
    }
  }
  return { expected: changes.filter((c) => !dropped.has(c)), flickers: dropped.size };
}

export class ScreenMirror {
  private readonly projection: TopologyProjection;
  private readonly elements = new Map<string, TopoElement>();
  /** Group key (by namespace, the view's default) -> pods in it. */
  private readonly groupSize = new Map<string, number>();
  /** Group key -> its pods by health (what a collapsed group's item draws). */
  private readonly groupHealth = new Map<string, Map<string, number>>();

  constructor(objects: (resource: string) => Iterable<KubeObject>) {
    const byKind: Partial<Record<ProjectedKind, KubeObject[]>> = {};
    for (const [resource, kind] of Object.entries(STORE_KIND)) byKind[kind] = [...objects(resource)];
    this.projection = buildTopology(byKind);
    for (const e of this.projection.all()) {
      this.elements.set(e.id, e);
      if (e.k === 'pod') {
        this.bump(groupKeyOf(e, 'namespace'), 1);
        this.count(groupKeyOf(e, 'namespace'), e.h, 1);
      }
    }
  }

  private count(key: string, health: string, by: number): void {
    const counts = this.groupHealth.get(key) ?? this.groupHealth.set(key, new Map()).get(key)!;
    counts.set(health, (counts.get(health) ?? 0) + by);
  }

  /** What a collapsed group's item shows: its size and its pods by health. */
  private groupState(key: string): string {
    const counts = [...(this.groupHealth.get(key) ?? [])].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
    return `${this.groupSize.get(key) ?? 0}|${counts.map(([h, n]) => `${h}:${n}`).join(',')}`;
  }

  /** The drawn changes one store event causes (none for kinds the topology does not show). */
  apply(event: StoreEvent, at: number): ExpectedChange[] {
    const kind = STORE_KIND[event.resource];
    if (!kind) return [];
    this.projection.apply(kind, event.type, event.object);
    const { upserts, removals } = this.projection.takeChanges();
    const out: ExpectedChange[] = [];
    for (const e of upserts) {
      const before = this.elements.get(e.id);
      this.elements.set(e.id, e);
      const change = this.drawn(before, e, at);
      if (change) out.push(change);
    }
    for (const id of removals) {
      const before = this.elements.get(id);
      this.elements.delete(id);
      const change = before && this.drawn(before, undefined, at);
      if (change) out.push(change);
    }
    return out;
  }

  private bump(key: string, by: number): void {
    this.groupSize.set(key, (this.groupSize.get(key) ?? 0) + by);
  }

  private drawn(before: TopoElement | undefined, after: TopoElement | undefined, at: number): ExpectedChange | undefined {
    const e = (after ?? before)!;
    const op: ChangeOp = !before ? 'create' : !after ? 'delete' : 'update';
    const same = (pick: (x: TopoElement) => unknown) => before !== undefined && after !== undefined && pick(before) === pick(after);
    const state = (x: TopoElement | undefined, ownItem = true): string => {
      if (!x) return '';
      switch (x.k) {
        case 'pod':
          return `${groupKeyOf(x, 'namespace')}|${x.h}|${ownItem ? String(x.r ?? x.ph) : ''}`;
        case 'gpu':
          return `${x.on ?? ''}|${x.h}|${x.by ?? ''}`;
        case 'node':
          return `${x.h}|${x.r ?? ''}|${x.pool ?? ''}`;
        default:
          return `${x.h}|${String(x.r ?? x.rdy)}`;
      }
    };
    const what = `${e.id} ${before && after ? `h ${before.h}->${after.h} r ${before.r ?? ''}->${after.r ?? ''} rdy ${before.rdy ?? ''}->${after.rdy ?? ''} ph ${before.ph ?? ''}->${after.ph ?? ''}` : op}`;
    switch (e.k) {
      case 'pod': {
        const keyBefore = before && groupKeyOf(before, 'namespace');
        const keyAfter = after && groupKeyOf(after, 'namespace');
        const key = (keyAfter ?? keyBefore)!;
        const groupBefore = this.groupState(key);
        if (keyBefore !== keyAfter) {
          if (keyBefore) this.bump(keyBefore, -1);
          if (keyAfter) this.bump(keyAfter, 1);
        }
        if (keyBefore) this.count(keyBefore, before!.h, -1);
        if (keyAfter) this.count(keyAfter, after!.h, 1);
        const ownItem = (this.groupSize.get(key) ?? 0) <= GROUP_THRESHOLD;
        if (op === 'update' && keyBefore === keyAfter) {
          if (same((x) => x.h) && (!ownItem || same((x) => x.r ?? x.ph))) return undefined;
        }
        // In a collapsed group only the group's counts are drawn: two pods trading health leave it as it was.
        const grouped = !ownItem && (op !== 'update' || keyBefore === keyAfter);
        const drawnState = grouped ? { element: key, from: groupBefore, to: this.groupState(key) } : { element: e.id, from: state(before, ownItem), to: state(after, ownItem) };
        return { at, op, k: e.k, ...drawnState, what, ids: [e.id, ...new Set([keyBefore, keyAfter].filter((k): k is string => !!k))] };
      }
      case 'gpu':
        // Drawn as a square inside its node's item.
        if (!e.on || (op === 'update' && same((x) => x.h) && same((x) => x.by))) return undefined;
        return { at, op, k: e.k, element: e.id, from: state(before), to: state(after), what, ids: [e.on] };
      case 'svc':
        return undefined;
      case 'node':
        // Drawn: health, and "pool · reason" under the name.
        if (op === 'update' && same((x) => x.h) && same((x) => x.r) && same((x) => x.pool)) return undefined;
        return { at, op, k: e.k, element: e.id, from: state(before), to: state(after), what, ids: [e.id] };
      default:
        // Workloads and ReplicaSets: health, and the reason (else the ready count) under the name.
        if (op === 'update' && same((x) => x.h) && same((x) => x.r ?? x.rdy)) return undefined;
        return { at, op, k: e.k, element: e.id, from: state(before), to: state(after), what, ids: [e.id] };
    }
  }
}
