// Garbage collector (pkg/controller/garbagecollector), simplified: when an owner goes away, its
// dependents whose every owner is gone are deleted in the background (pods gracefully); dependents
// that still have a live owner just lose the dead reference. Owners marked for foreground deletion
// (finalizer `foregroundDeletion`) lose their dependents first, then go; `orphan` strips the
// dependents' references to the owner, then lets it go.
import type { KubeObject, StoreEvent } from '../store.js';
import { parseRefKey, refKey } from './cache.js';
import { type Controller, type ControllerContext, terminatePod } from './context.js';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export class GarbageCollector implements Controller {
  readonly name = 'gc';

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    // Dependents whose owners vanished while no controller was watching.
    for (const resource of ['pods', 'replicasets.apps']) {
      for (const obj of this.ctx.cache.all(resource)) {
        for (const ref of obj.metadata.ownerReferences ?? []) {
          if (ref.uid && !this.ctx.cache.uidExists(ref.uid)) this.ctx.queue.add(this.name, `uid:${ref.uid}`);
        }
      }
    }
  }

  stop(): void {}

  onEvent(event: StoreEvent): void {
    const meta = event.object.metadata;
    if (event.type === 'DELETED' && meta.uid) {
      this.ctx.queue.add(this.name, `uid:${meta.uid}`);
      // An owner waiting in foreground deletion may now be free to go.
      for (const ref of meta.ownerReferences ?? []) {
        const owner = this.ctx.cache.refOfUid(ref.uid);
        if (owner) this.ctx.queue.add(this.name, `owner:${owner}`);
      }
    }
    else if (meta.deletionTimestamp && (meta.finalizers ?? []).some((f) => f === FOREGROUND || f === ORPHAN)) {
      this.ctx.queue.add(this.name, `owner:${refKey(event.resource, meta.namespace, meta.name)}`);
    }
  }

  sync(key: string): void {
    if (key.startsWith('uid:')) this.collect(key.slice(4));
    else if (key.startsWith('owner:')) this.finalize(key.slice(6));
  }

  private collect(uid: string): void {
    if (this.ctx.cache.uidExists(uid)) return;
    for (const depKey of this.ctx.cache.dependentsOf(uid)) {
      const ref = parseRefKey(depKey);
      const dep = this.ctx.store.get(ref.resource, ref.namespace, ref.name);
      if (!dep) continue;
      const live = (dep.metadata.ownerReferences ?? []).filter((r) => this.ctx.cache.uidExists(r.uid));
      if (live.length === 0) this.remove(ref.resource, dep);
      else if (live.length !== dep.metadata.ownerReferences?.length) {
        this.ctx.store.mutate(ref.resource, ref.namespace, ref.name, (obj) => {
          obj.metadata.ownerReferences = live;
        });
      }
    }
  }

  private finalize(ownerKey: string): void {
    const ref = parseRefKey(ownerKey);
    const owner = this.ctx.store.get(ref.resource, ref.namespace, ref.name);
    if (!owner?.metadata.deletionTimestamp || !owner.metadata.uid) return;
    const uid = owner.metadata.uid;
    const finalizers = owner.metadata.finalizers ?? [];
    const dependents = this.ctx.cache.dependentsOf(uid);
    if (finalizers.includes(ORPHAN)) {
      for (const depKey of dependents) {
        const d = parseRefKey(depKey);
        this.ctx.store.mutate(d.resource, d.namespace, d.name, (obj) => {
          obj.metadata.ownerReferences = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (obj.metadata.ownerReferences.length === 0) delete obj.metadata.ownerReferences;
        });
      }
      this.release(ref.resource, owner, ORPHAN);
      return;
    }
    if (finalizers.includes(FOREGROUND)) {
      if (dependents.length === 0) {
        this.release(ref.resource, owner, FOREGROUND);
        return;
      }
      for (const depKey of dependents) {
        const d = parseRefKey(depKey);
        const dep = this.ctx.store.get(d.resource, d.namespace, d.name);
        if (!dep || dep.metadata.deletionTimestamp) continue;
        // Foreground all the way down: a ReplicaSet waits for its own pods in turn.
        if (d.resource !== 'pods') {
          this.ctx.store.mutate(d.resource, d.namespace, d.name, (obj) => {
            obj.metadata.deletionTimestamp = this.ctx.clock.iso();
            obj.metadata.finalizers = [...new Set([...(obj.metadata.finalizers ?? []), FOREGROUND])];
          });
        } else {
          terminatePod(this.ctx, dep);
        }
      }
    }
  }

  private release(resource: string, owner: KubeObject, finalizer: string): void {
    const { namespace, name } = owner.metadata;
    const updated = this.ctx.store.mutate(resource, namespace, name, (obj) => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    });
    if (updated && (updated.metadata.finalizers ?? []).length === 0) this.ctx.store.delete(resource, namespace, name);
  }

  private remove(resource: string, obj: KubeObject): void {
    if (resource === 'pods') terminatePod(this.ctx, obj);
    else this.ctx.store.delete(resource, obj.metadata.namespace, obj.metadata.name);
  }
}
