// Unknown-field detection against the served OpenAPI schemas, the check kube-apiserver runs for
// `fieldValidation=Strict` (kubectl's default since 1.27 sends it on create, apply, replace):
// `strict decoding error: unknown field "spec.template.spec.containers[0].imagee"`.
// Fields an x-kubernetes-preserve-unknown-fields object does not list (the open parts of the Argo
// schemas) and map keys (additionalProperties) are never unknown.
import type { Schema } from './schemas.js';
import { kindKey, schemaIndex } from './schemas.js';

/** Follows $ref and single-element allOf to the schema that carries the shape. */
function resolve(schemas: Record<string, Schema>, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 8; i++) {
    if (typeof cur.$ref === 'string') cur = schemas[cur.$ref.replace('#/components/schemas/', '')];
    else if (Array.isArray(cur.allOf) && cur.allOf.length === 1) cur = cur.allOf[0] as Schema;
    else return cur;
  }
  return cur;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(schemas: Record<string, Schema>, schema: Schema | undefined, value: unknown, path: string, out: string[], prune = false): void {
  const s = resolve(schemas, schema);
  if (!s) return;
  // Open objects keep fields they do not list, but the fields they do list are still checked.
  const open = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => walk(schemas, s.items as Schema, v, `${path}[${i}]`, out, prune));
    return;
  }
  if (!isObj(value)) return;
  if (isObj(s.additionalProperties)) {
    for (const [k, v] of Object.entries(value)) walk(schemas, s.additionalProperties as Schema, v, path ? `${path}.${k}` : k, out, prune);
    return;
  }
  const props = s.properties as Record<string, Schema> | undefined;
  if (!props) return;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in props)) {
      if (!open) {
        out.push(p);
        // What the decoder does with a field the Go struct (or a CRD's structural schema) lacks.
        if (prune) delete value[k];
      }
    } else walk(schemas, props[k], v, p, out, prune);
  }
}

/**
 * The paths of fields in `obj` that its kind's schema does not know, in document order, or
 * undefined when there is no schema for apiVersion/kind (nothing can be said).
 */
export function unknownFields(apiVersion: string, kind: string, obj: unknown): string[] | undefined {
  return scan(apiVersion, kind, obj, false);
}

/** As unknownFields, and removes those fields from `obj` (mutated), as the apiserver drops them. */
export function pruneUnknownFields(apiVersion: string, kind: string, obj: unknown): string[] | undefined {
  return scan(apiVersion, kind, obj, true);
}

function scan(apiVersion: string, kind: string, obj: unknown, prune: boolean): string[] | undefined {
  const { schemas, byKind } = schemaIndex();
  const name = byKind.get(kindKey(apiVersion, kind));
  if (!name) return undefined;
  const out: string[] = [];
  walk(schemas, schemas[name], obj, '', out, prune);
  return out;
}

/** kube-apiserver's message for a Strict request carrying unknown fields. */
export function strictDecodingMessage(kind: string, apiVersion: string, fields: string[]): string {
  const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`;
}
