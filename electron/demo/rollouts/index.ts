// The demo fleet's Argo Rollouts controller: reconciles every argoproj.io/v1alpha1 Rollout when it
// or one of its ReplicaSets changes, and once a simulated second for timed pauses, scale-down
// deadlines and restarts. Writes are batched on the next turn of the event loop so the store's
// synchronous events never re-enter a reconcile.
import type { DemoClock } from '../clock.js';
import type { ObjectStore, StoreEvent } from '../store.js';
import { ROLLOUTS, reconcileRollout, type ClockLike } from './controller.js';

export { reconcileRollout, ROLLOUTS } from './controller.js';
export { podTemplateHash } from './hash.js';
export { calculatePhase } from './phase.js';
export type { Rollout, RolloutStatus, ReplicaSet } from './types.js';

export interface RolloutsController {
  /** Reconciles every Rollout now, synchronously (tests drive the controller with this). */
  reconcileAll(): void;
  stop(): void;
}

export function createRolloutsController(store: ObjectStore, clock: ClockLike): RolloutsController {
  return {
    reconcileAll() {
      for (const key of [...store.peek(ROLLOUTS)].map((r) => [r.metadata.namespace, r.metadata.name] as const)) {
        const live = store.get(ROLLOUTS, key[0], key[1]);
        if (live) reconcileRollout(store, clock, live);
      }
    },
    stop() {},
  };
}

export function startRolloutsController(store: ObjectStore, clock: DemoClock): { stop(): void } {
  const dirty = new Set<string>();
  let scheduled: NodeJS.Immediate | undefined;
  let stopped = false;

  const flush = () => {
    scheduled = undefined;
    const keys = [...dirty];
    dirty.clear();
    for (const key of keys) {
      const [ns, name] = key.split('/');
      const live = store.get(ROLLOUTS, ns || undefined, name);
      if (!live) continue;
      try {
        reconcileRollout(store, clock, live);
      } catch (err) {
        // A conflict or a vanished object is retried on the next event or tick.
        if (!(err instanceof Error) || !/not found|modified/.test(err.message)) {
          console.error(`rollouts controller: reconcile of ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  };
  const mark = (ns: string | undefined, name: string) => {
    if (stopped) return;
    dirty.add(`${ns ?? ''}/${name}`);
    scheduled ??= setImmediate(flush);
  };
  const onEvent = (e: StoreEvent) => {
    if (e.resource === ROLLOUTS) {
      if (e.type !== 'DELETED') mark(e.object.metadata.namespace, e.object.metadata.name);
    } else if (e.resource === 'replicasets.apps') {
      const owner = e.object.metadata.ownerReferences?.find((o) => o.kind === 'Rollout' && o.controller);
      if (owner) mark(e.object.metadata.namespace, owner.name);
    }
  };
  const unsubscribe = store.subscribe(onEvent);
  for (const r of store.peek(ROLLOUTS)) mark(r.metadata.namespace, r.metadata.name);
  const cancelTick = clock.every(1000, () => {
    for (const r of store.peek(ROLLOUTS)) mark(r.metadata.namespace, r.metadata.name);
  });
  return {
    stop() {
      stopped = true;
      unsubscribe();
      cancelTick();
      if (scheduled) clearImmediate(scheduled);
    },
  };
}
