// A read-only view of the store that the controllers keep up to date from store events, so that a
// sync touches only the objects it concerns (pods of one owner, pods on one node) instead of
// rescanning 10k pods every time. It holds references to the store's own objects: never mutate them.
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';

export interface ObjectRef {
  resource: string;
  namespace?: string;
  name: string;
}

const objKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
export const refKey = (resource: string, namespace: string | undefined, name: string) =>
  `${resource}|${namespace ?? ''}|${name}`;

export function parseRefKey(key: string): ObjectRef {
  const [resource, namespace, name] = key.split('|');
  return { resource, namespace: namespace || undefined, name };
}

export function controllerRef(obj: KubeObject) {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** Resources the index keeps whole; others are tracked by uid only (for garbage collection). */
const CACHED = new Set([
  'pods',
  'nodes',
  'services',
  'replicasets.apps',
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'jobs.batch',
]);

export class StoreCache {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly uids = new Map<string, string>();
  /** controller owner uid -> dependents by ref key (the stored objects themselves: no lookups per read) */
  private readonly owned = new Map<string, Map<string, { resource: string; obj: KubeObject }>>();
  /** uid of any owner named in any ownerReference -> dependents' ref keys (for GC) */
  private readonly referenced = new Map<string, Set<string>>();
  private readonly onNode = new Map<string, Map<string, KubeObject>>();
  private readonly inNamespace = new Map<string, Map<string, KubeObject>>();

  constructor(store: ObjectStore) {
    for (const resource of store.resources()) {
      if (resource === 'events') continue;
      for (const obj of store.peek(resource)) this.add(resource, obj);
    }
  }

  apply(event: StoreEvent): void {
    if (event.resource === 'events') return;
    if (event.old) this.remove(event.resource, event.old);
    if (event.type !== 'DELETED') this.add(event.resource, event.object);
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(objKey(namespace, name));
  }

  all(resource: string): Iterable<KubeObject> {
    return this.objects.get(resource)?.values() ?? [];
  }

  uidExists(uid: string): boolean {
    return this.uids.has(uid);
  }

  /** The ref key (`resource|namespace|name`) of the object with this uid, if it still exists. */
  refOfUid(uid: string): string | undefined {
    return this.uids.get(uid);
  }

  /** Objects of `resource` whose controller ownerReference has this uid. */
  ownedBy(uid: string | undefined, resource: string): KubeObject[] {
    const out: KubeObject[] = [];
    if (!uid) return out;
    for (const dep of this.owned.get(uid)?.values() ?? []) if (dep.resource === resource) out.push(dep.obj);
    return out;
  }

  /** Ref keys of everything that names this uid in an ownerReference. */
  dependentsOf(uid: string): string[] {
    return [...(this.referenced.get(uid) ?? [])];
  }

  podsInNamespace(namespace: string | undefined): Iterable<KubeObject> {
    return this.inNamespace.get(namespace ?? '')?.values() ?? [];
  }

  podsOnNode(node: string): KubeObject[] {
    return [...(this.onNode.get(node)?.values() ?? [])];
  }

  private add(resource: string, obj: KubeObject): void {
    const meta = obj.metadata;
    const key = refKey(resource, meta.namespace, meta.name);
    if (meta.uid) this.uids.set(meta.uid, key);
    if (CACHED.has(resource)) {
      let bucket = this.objects.get(resource);
      if (!bucket) this.objects.set(resource, (bucket = new Map()));
      bucket.set(objKey(meta.namespace, meta.name), obj);
    }
    for (const ref of meta.ownerReferences ?? []) {
      addTo(this.referenced, ref.uid, key);
      if (ref.controller) putIn(this.owned, ref.uid, key, { resource, obj });
    }
    const node = resource === 'pods' ? (obj.spec as { nodeName?: string } | undefined)?.nodeName : undefined;
    if (node) putIn(this.onNode, node, key, obj);
    if (resource === 'pods') {
      let pods = this.inNamespace.get(meta.namespace ?? '');
      if (!pods) this.inNamespace.set(meta.namespace ?? '', (pods = new Map()));
      pods.set(meta.name, obj);
    }
  }

  private remove(resource: string, obj: KubeObject): void {
    const meta = obj.metadata;
    const key = refKey(resource, meta.namespace, meta.name);
    if (meta.uid && this.uids.get(meta.uid) === key) this.uids.delete(meta.uid);
    this.objects.get(resource)?.delete(objKey(meta.namespace, meta.name));
    for (const ref of meta.ownerReferences ?? []) {
      removeFrom(this.referenced, ref.uid, key);
      if (ref.controller) takeOut(this.owned, ref.uid, key);
    }
    const node = resource === 'pods' ? (obj.spec as { nodeName?: string } | undefined)?.nodeName : undefined;
    if (node) takeOut(this.onNode, node, key);
    if (resource === 'pods') this.inNamespace.get(meta.namespace ?? '')?.delete(meta.name);
  }
}

function addTo(map: Map<string, Set<string>>, k: string, v: string): void {
  let set = map.get(k);
  if (!set) map.set(k, (set = new Set()));
  set.add(v);
}

function putIn<V>(map: Map<string, Map<string, V>>, k: string, key: string, v: V): void {
  let inner = map.get(k);
  if (!inner) map.set(k, (inner = new Map()));
  inner.set(key, v);
}

function takeOut<V>(map: Map<string, Map<string, V>>, k: string, key: string): void {
  const inner = map.get(k);
  if (!inner) return;
  inner.delete(key);
  if (inner.size === 0) map.delete(k);
}

function removeFrom(map: Map<string, Set<string>>, k: string, v: string): void {
  const set = map.get(k);
  if (!set) return;
  set.delete(v);
  if (set.size === 0) map.delete(k);
}
