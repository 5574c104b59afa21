// What every controller is given: the store to write, a cache to read, the clock, a work queue,
// the event recorder and a seeded random source.
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';
import type { Random } from '../random.js';
import type { StoreCache } from './cache.js';
import type { EventRecorder } from './events.js';
import type { WorkQueue } from './queue.js';

export interface ControllerContext {
  store: ObjectStore;
  clock: DemoClock;
  cache: StoreCache;
  queue: WorkQueue;
  events: EventRecorder;
  rng: Random;
}

export interface Controller {
  readonly name: string;
  /** Called for every store event after the cache saw it: enqueue, never write. */
  onEvent(event: StoreEvent): void;
  sync(key: string): void;
  /** Enqueue what already exists when the controllers start. */
  start(): void;
  stop(): void;
}

export const nsName = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i) || undefined, name: key.slice(i + 1) };
}

/**
 * Writes only when the change did something, so controllers do not bump resourceVersions in a loop.
 * Returns the stored (frozen) object, new or unchanged; undefined when it no longer exists.
 */
export function mutateIfChanged(
  store: ObjectStore,
  resource: string,
  namespace: string | undefined,
  name: string,
  change: (obj: KubeObject) => void,
  options: { subresource?: 'status' } = {},
): KubeObject | undefined {
  return store.mutate(resource, namespace, name, change, { ...options, ifChanged: true });
}

/** Graceful pod deletion: mark it terminating; the kubelet stops it and removes it. */
export function terminatePod(ctx: ControllerContext, pod: KubeObject): void {
  if (pod.metadata.deletionTimestamp) return;
  const grace = ((pod.spec as { terminationGracePeriodSeconds?: number })?.terminationGracePeriodSeconds ?? 30);
  mutateIfChanged(ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name, (p) => {
    p.metadata.deletionTimestamp = new Date(ctx.clock.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    p.metadata.deletionGracePeriodSeconds = grace;
  });
}

export function ageMs(ctx: ControllerContext, iso: string | undefined): number {
  return iso ? ctx.clock.now() - Date.parse(iso) : 0;
}
