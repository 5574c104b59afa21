// Owner-reference garbage collection (the kube-controller-manager's garbage collector, reduced):
// when an owner disappears, dependents with no other live owner are deleted in the background.
// It watches the store, so deletions by controllers cascade as well as deletions through the API.
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';

interface Ref {
  resource: string;
  namespace: string | undefined;
  name: string;
}

export class GarbageCollector {
  /** owner uid -> dependents, keyed `resource|namespace/name`. */
  private readonly dependents = new Map<string, Map<string, Ref>>();
  private readonly live = new Set<string>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly store: ObjectStore) {
    for (const resource of store.resources()) for (const obj of store.peek(resource)) this.track(resource, obj);
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  /** Dependents of an owner that still exist (for Orphan and Foreground deletes). */
  dependentsOf(uid: string): Ref[] {
    return [...(this.dependents.get(uid)?.values() ?? [])];
  }

  private onEvent(e: StoreEvent): void {
    if (e.old) this.untrack(e.resource, e.old);
    if (e.type === 'DELETED') {
      this.untrack(e.resource, e.object);
      const uid = e.object.metadata.uid;
      if (uid && this.dependents.has(uid)) {
        // Never delete inside a store callback: other subscribers must see this event first.
        setImmediate(() => this.collect(uid));
      }
    } else {
      this.track(e.resource, e.object);
    }
  }

  private collect(ownerUid: string): void {
    if (this.stopped) return;
    const deps = this.dependents.get(ownerUid);
    if (!deps) return;
    this.dependents.delete(ownerUid);
    for (const ref of deps.values()) {
      const obj = this.store.peekOne(ref.resource, ref.namespace, ref.name);
      if (!obj) continue;
      const otherLiveOwner = (obj.metadata.ownerReferences ?? []).some((o) => o.uid !== ownerUid && this.live.has(o.uid));
      try {
        if (otherLiveOwner) {
          this.store.mutate(ref.resource, ref.namespace, ref.name, (o) => {
            o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((x) => x.uid !== ownerUid);
          });
        } else {
          this.store.delete(ref.resource, ref.namespace, ref.name);
        }
      } catch {
        // Already gone (a controller got there first): nothing to collect.
      }
    }
  }

  private track(resource: string, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid) this.live.add(uid);
    for (const o of obj.metadata.ownerReferences ?? []) {
      let deps = this.dependents.get(o.uid);
      if (!deps) {
        deps = new Map();
        this.dependents.set(o.uid, deps);
      }
      deps.set(`${resource}|${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, { resource, namespace: obj.metadata.namespace, name: obj.metadata.name });
    }
  }

  private untrack(resource: string, obj: KubeObject): void {
    if (obj.metadata.uid) this.live.delete(obj.metadata.uid);
    for (const o of obj.metadata.ownerReferences ?? []) {
      this.dependents.get(o.uid)?.delete(`${resource}|${obj.metadata.namespace ?? ''}/${obj.metadata.name}`);
    }
  }
}
