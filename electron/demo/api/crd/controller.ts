// What apiextensions-apiserver's controllers do once a CustomResourceDefinition is written: accept
// its names and mark it Established (status), and when it is deleted remove every custom resource
// it served. Runs beside the API server on its store, a tick after each change, as a controller would.
import type { ObjectStore } from '../../store.js';
import { clone } from '../../store.js';
import { CRD_KEY } from './served.js';
import { crdStatus } from './definition.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CRD objects are untyped JSON
type Loose = any;

/** Starts the controller; returns its stop function. */
export function startCrdController(store: ObjectStore, nowIso: () => string): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Immediate | undefined;
  const flush = () => {
    timer = undefined;
    for (const name of pending) {
      pending.delete(name);
      const crd = store.peekOne(CRD_KEY, undefined, name);
      if (!crd || crd.metadata.deletionTimestamp) continue;
      const status = crdStatus(crd, nowIso());
      if (JSON.stringify(status) === JSON.stringify(crd.status)) continue;
      const next = clone(crd);
      (next as Loose).status = status;
      try {
        store.update(CRD_KEY, next, { subresource: 'status' });
      } catch {
        pending.add(name); // changed meanwhile: the next event brings it back
      }
    }
  };
  const unsubscribe = store.subscribe((e) => {
    if (e.resource !== CRD_KEY) return;
    if (e.type === 'DELETED') {
      const spec: Loose = e.object.spec ?? {};
      const key = `${spec.names?.plural}.${spec.group}`;
      for (const obj of [...store.peek(key)]) {
        try {
          store.delete(key, obj.metadata.namespace, obj.metadata.name);
        } catch {
          // gone meanwhile
        }
      }
      return;
    }
    pending.add(e.object.metadata.name);
    timer ??= setImmediate(flush);
  });
  // CRDs already stored (seeded, or written before the server started) are reconciled too.
  for (const crd of store.peek(CRD_KEY)) pending.add(crd.metadata.name);
  if (pending.size) timer = setImmediate(flush);
  return () => {
    unsubscribe();
    if (timer) clearImmediate(timer);
  };
}
