// The OpenAPI v3 documents of a server's custom resources, one per group-version, as
// kube-apiserver publishes them from each CRD version's schema: the kind's schema is the
// openAPIV3Schema with apiVersion, kind and metadata (ObjectMeta) filled in, so `kubectl explain`
// and kubectl's field validation read a custom kind like a built-in one. Rebuilt when a CRD changes.
import type { ObjectStore } from '../../store.js';
import type { ResourceDef } from '../registry.js';
import { apiVersionOf } from '../registry.js';
import type { Schema } from '../openapi/schemas.js';
import { kindKey, schemaIndex } from '../openapi/schemas.js';
import { assembleDoc } from '../openapi/documents.js';
import { customResources, servedSignature } from './served.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string, description?: string): Schema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], ...(description ? { description } : {}) });

/** OpenAPI name of a custom kind, as the apiserver forms it: the group reversed, the version, the kind. */
export const customSchemaName = (r: Pick<ResourceDef, 'group' | 'version'>, kind: string): string => `${r.group.split('.').reverse().join('.')}.${r.version}.${kind}`;

function kindSchema(r: ResourceDef): Schema {
  const base = (r.custom?.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Schema;
  const props = (base.properties ?? {}) as Record<string, Schema>;
  return {
    ...base,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.' },
      metadata: ref(`${META}.ObjectMeta`, "Standard object's metadata."),
      ...Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata')),
    },
    'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
  };
}

function listSchema(r: ResourceDef, itemName: string): Schema {
  return {
    type: 'object',
    description: `${r.kind}List is a list of ${r.kind}`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      items: { type: 'array', description: `List of ${r.plural}.`, items: { $ref: `#/components/schemas/${itemName}` } },
      metadata: ref(`${META}.ListMeta`, 'Standard list metadata.'),
    },
    'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: `${r.kind}List` }],
  };
}

const cache = new WeakMap<ObjectStore, { signature: string; docs: Map<string, Record<string, unknown>> }>();

/** Documents by group-version path (`apis/example.com/v1`) for the store's custom kinds. */
export function customOpenApiDocs(store: ObjectStore): Map<string, Record<string, unknown>> {
  const signature = servedSignature(store);
  const hit = cache.get(store);
  if (hit && hit.signature === signature) return hit.docs;
  const docs = new Map<string, Record<string, unknown>>();
  const custom = customResources(store);
  if (custom.length) {
    const schemas: Record<string, Schema> = { ...schemaIndex().schemas };
    const byKind = new Map<string, string>();
    const byGv = new Map<string, ResourceDef[]>();
    for (const r of custom) {
      const name = customSchemaName(r, r.kind);
      const list = customSchemaName(r, `${r.kind}List`);
      schemas[name] = kindSchema(r);
      schemas[list] = listSchema(r, name);
      byKind.set(kindKey(apiVersionOf(r), r.kind), name);
      byKind.set(kindKey(apiVersionOf(r), `${r.kind}List`), list);
      const gv = `apis/${r.group}/${r.version}`;
      byGv.set(gv, [...(byGv.get(gv) ?? []), r]);
    }
    for (const [gv, rs] of byGv) docs.set(gv, assembleDoc(rs, schemas, byKind));
  }
  cache.set(store, { signature, docs });
  return docs;
}
