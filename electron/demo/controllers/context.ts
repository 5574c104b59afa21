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

/**
 * False when a MODIFIED pod changed nothing but its annotations (and resourceVersion): owners'
 * controllers and the endpoints controller derive nothing from pod annotations, so such writes
 * need no sync. Stored objects share unchanged subtrees, so this is a few reference checks.
 */
export function podChangeMatters(event: StoreEvent): boolean {
  const { old, object: now } = event;
  if (event.type !== 'MODIFIED' || !old) return true;
  for (const k in now) if (k !== 'metadata' && now[k] !== old[k]) return true;
  for (const k in old) if (k !== 'metadata' && !(k in now)) return true;
  const a = old.metadata;
  const b = now.metadata;
  for (const k in b) if (k !== 'annotations' && k !== 'resourceVersion' && b[k] !== a[k]) return true;
  for (const k in a) if (k !== 'annotations' && k !== 'resourceVersion' && !(k in b)) return true;
  return false;
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
