// Persistent volumes: the DefaultStorageClass admission (a claim naming no class gets the default
// one) and the PV controller's binding, reduced to what a user watches happen. A Pending claim
// binds to an Available volume of its class with room and the access modes it asks for; failing
// that, a class with a provisioner provisions one (`pvc-<claim uid>`). Classes with
// volumeBindingMode WaitForFirstConsumer wait until a scheduled pod uses the claim. When a bound
// claim is deleted, its volume is deleted (reclaim policy Delete) or Released (Retain).
import type { KubeObject, ObjectStore } from '../../store.js';
import { parseQuantity } from '../../sim/quantity.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are untyped JSON
type Loose = any;

const SC_KEY = 'storageclasses.storage.k8s.io';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

const isDefaultClass = (sc: Loose) => sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';

/** DefaultStorageClass admission: a new claim without storageClassName gets the default class (mutates). */
export function admitClaim(store: ObjectStore, claim: Loose): void {
  if (claim.spec && claim.spec.storageClassName === undefined) {
    const def = [...store.peek(SC_KEY)].filter(isDefaultClass).sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
    if (def) claim.spec.storageClassName = def.metadata.name;
  }
}

function usedByScheduledPod(store: ObjectStore, claim: KubeObject): boolean {
  for (const pod of store.peek('pods')) {
    if (pod.metadata.namespace !== claim.metadata.namespace || !(pod as Loose).spec?.nodeName) continue;
    if (((pod as Loose).spec?.volumes ?? []).some((v: Loose) => v.persistentVolumeClaim?.claimName === claim.metadata.name)) return true;
  }
  return false;
}

function fits(pv: Loose, claim: Loose): boolean {
  if (pv.status?.phase !== 'Available' || pv.spec?.claimRef) return false;
  if ((pv.spec?.storageClassName ?? '') !== (claim.spec?.storageClassName ?? '')) return false;
  const modes: string[] = pv.spec?.accessModes ?? [];
  if (!((claim.spec?.accessModes ?? []) as string[]).every((m) => modes.includes(m))) return false;
  return parseQuantity(pv.spec?.capacity?.storage) >= parseQuantity(claim.spec?.resources?.requests?.storage);
}

function bind(store: ObjectStore, claim: KubeObject, pv: KubeObject): void {
  const c = claim as Loose;
  store.mutate('persistentvolumes', undefined, pv.metadata.name, (v) => {
    (v as Loose).spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid, apiVersion: 'v1', resourceVersion: c.metadata.resourceVersion };
  });
  store.mutate('persistentvolumes', undefined, pv.metadata.name, (v) => {
    (v as Loose).status = { phase: 'Bound' };
  }, { subresource: 'status' });
  store.mutate('persistentvolumeclaims', c.metadata.namespace, c.metadata.name, (o) => {
    (o as Loose).spec.volumeName = pv.metadata.name;
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes' };
  });
  store.mutate('persistentvolumeclaims', c.metadata.namespace, c.metadata.name, (o) => {
    (o as Loose).status = { phase: 'Bound', accessModes: (pv as Loose).spec?.accessModes ?? [], capacity: { storage: (pv as Loose).spec?.capacity?.storage } };
  }, { subresource: 'status' });
}

/** One pass over the Pending claims and new volumes. */
export function reconcileVolumes(store: ObjectStore): void {
  for (const pv of [...store.peek('persistentvolumes')]) {
    const ref = (pv as Loose).spec?.claimRef;
    const claim = ref ? store.peekOne('persistentvolumeclaims', ref.namespace, ref.name) : undefined;
    if (ref?.uid && (!claim || claim.metadata.uid !== ref.uid) && (pv as Loose).status?.phase === 'Bound') {
      // Its claim is gone: a Delete volume goes with it, any other is Released (kept, not reusable).
      if ((pv as Loose).spec?.persistentVolumeReclaimPolicy === 'Delete') store.delete('persistentvolumes', undefined, pv.metadata.name);
      else store.mutate('persistentvolumes', undefined, pv.metadata.name, (v) => {
        (v as Loose).status = { phase: 'Released' };
      }, { subresource: 'status' });
      continue;
    }
    if (!(pv as Loose).status?.phase || (pv as Loose).status.phase === 'Pending') {
      store.mutate('persistentvolumes', undefined, pv.metadata.name, (v) => {
        (v as Loose).status = { phase: (v as Loose).spec?.claimRef ? 'Bound' : 'Available' };
      }, { subresource: 'status' });
    }
  }
  for (const claim of [...store.peek('persistentvolumeclaims')]) {
    const c = claim as Loose;
    if (c.status?.phase === 'Bound' || claim.metadata.deletionTimestamp) continue;
    const sc: Loose = c.spec?.storageClassName ? store.peekOne(SC_KEY, undefined, c.spec.storageClassName) : undefined;
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !usedByScheduledPod(store, claim)) continue;
    const named = c.spec?.volumeName ? store.peekOne('persistentvolumes', undefined, c.spec.volumeName) : undefined;
    const match = named ?? [...store.peek('persistentvolumes')].find((pv) => fits(pv, c));
    if (match) {
      bind(store, claim, match);
      continue;
    }
    if (!sc || !sc.provisioner || sc.provisioner === NO_PROVISIONER) continue;
    const pv = store.create('persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `pvc-${claim.metadata.uid}`, annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner } },
      spec: {
        capacity: { storage: c.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: c.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: c.spec?.volumeMode ?? 'Filesystem',
        csi: { driver: sc.provisioner, volumeHandle: `vol-${claim.metadata.uid}` },
      },
      status: { phase: 'Available' },
    });
    bind(store, claim, pv);
  }
}

/** Runs reconcileVolumes a tick after claims, volumes, classes or pods change (only once claims exist). */
export function startVolumeController(store: ObjectStore): () => void {
  let timer: NodeJS.Immediate | undefined;
  const kinds = new Set(['persistentvolumeclaims', 'persistentvolumes', SC_KEY, 'pods']);
  const unsubscribe = store.subscribe((e) => {
    if (!kinds.has(e.resource) || (!store.count('persistentvolumeclaims') && !store.count('persistentvolumes'))) return;
    timer ??= setImmediate(() => {
      timer = undefined;
      reconcileVolumes(store);
    });
  });
  return () => {
    unsubscribe();
    if (timer) clearImmediate(timer);
  };
}
