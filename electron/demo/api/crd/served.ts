// The kinds a server serves at this moment: the built-in table (registry.ts) plus one entry per
// served version of every CustomResourceDefinition in its store, as kube-apiserver's
// apiextensions handler adds them once a CRD is Established. Recomputed only when a CRD changes
// (the cache is keyed by the CRDs' resourceVersions), so request routing stays a map lookup.
import type { KubeObject, ObjectStore } from '../../store.js';
import type { CustomServing, PrinterColumn, ResourceDef } from '../registry.js';
import { RESOURCES, findResource } from '../registry.js';

export const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CRD objects are untyped JSON
type Loose = any;

interface Served {
  signature: string;
  all: ResourceDef[];
  byPath: Map<string, ResourceDef>;
}

const cache = new WeakMap<ObjectStore, Served>();

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The columns a CRD version prints when it declares none: AGE, from the creation timestamp. */
const DEFAULT_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: '' }];

/** The served ResourceDefs of one CRD object (none while it is being deleted). */
export function defsOfCrd(crd: KubeObject): ResourceDef[] {
  const spec: Loose = crd.spec ?? {};
  const names: Loose = spec.names ?? {};
  if (crd.metadata.deletionTimestamp || !spec.group || !names.plural || !names.kind) return [];
  const out: ResourceDef[] = [];
  for (const v of (spec.versions ?? []) as Loose[]) {
    if (!v?.served || !v.name) continue;
    const sub: Loose = v.subresources ?? {};
    const scale: Loose = sub.scale;
    const custom: CustomServing = {
      crd: crd.metadata.name,
      schema: v.schema?.openAPIV3Schema,
      columns: Array.isArray(v.additionalPrinterColumns) && v.additionalPrinterColumns.length ? v.additionalPrinterColumns : DEFAULT_COLUMNS,
      scale: scale?.specReplicasPath ? { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath ?? '.status.replicas', labelSelectorPath: scale.labelSelectorPath } : undefined,
    };
    out.push({
      group: spec.group,
      version: v.name,
      plural: names.plural,
      singular: names.singular || String(names.kind).toLowerCase(),
      kind: names.kind,
      namespaced: spec.scope !== 'Cluster',
      verbs: RW,
      ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
      ...(names.categories?.length ? { categories: names.categories } : {}),
      subresources: [
        ...(sub.status ? [{ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] }] : []),
        ...(scale ? [{ name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }] : []),
      ],
      custom,
    });
  }
  return out;
}

function served(store: ObjectStore): Served {
  let signature = '';
  for (const crd of store.peek(CRD_KEY)) signature += `${crd.metadata.name}@${crd.metadata.resourceVersion};`;
  const hit = cache.get(store);
  if (hit && hit.signature === signature) return hit;
  const custom: ResourceDef[] = [];
  for (const crd of store.peek(CRD_KEY)) {
    for (const d of defsOfCrd(crd)) {
      // A built-in kind always wins, as it does on a real server.
      if (!findResource(d.group, d.version, d.plural)) custom.push(d);
    }
  }
  const byPath = new Map(custom.map((d) => [`${d.group}/${d.version}/${d.plural}`, d]));
  const builtIn = RESOURCES.filter((r) => !r.fromCrd || installed(store, r.fromCrd));
  const next = { signature, all: [...builtIn, ...custom], byPath };
  cache.set(store, next);
  return next;
}

/** Every kind served now: built-in, then custom. */
export function servedResources(store: ObjectStore): readonly ResourceDef[] {
  return served(store).all;
}

/** Only the custom kinds served now. */
export function customResources(store: ObjectStore): ResourceDef[] {
  return [...served(store).byPath.values()];
}

const installed = (store: ObjectStore, crd: string) => {
  const found = store.peekOne(CRD_KEY, undefined, crd);
  return found !== undefined && !found.metadata.deletionTimestamp;
};

/** A served kind by URL parts, built-in or custom. */
export function findServed(store: ObjectStore, group: string, version: string, plural: string): ResourceDef | undefined {
  const builtIn = findResource(group, version, plural);
  if (builtIn) return !builtIn.fromCrd || installed(store, builtIn.fromCrd) ? builtIn : undefined;
  return served(store).byPath.get(`${group}/${version}/${plural}`);
}

/** The served signature (changes with any CRD write): OpenAPI documents are cached by it. */
export function servedSignature(store: ObjectStore): string {
  return served(store).signature;
}
