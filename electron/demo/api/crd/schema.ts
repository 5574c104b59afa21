// A custom resource against its CRD version's structural schema, as apiextensions-apiserver
// treats it: fields the schema does not declare are pruned (kept under
// x-kubernetes-preserve-unknown-fields), or refused when the request asks fieldValidation=Strict;
// then the values are validated (type, required, enum, bounds, lengths, pattern) into a 422
// Invalid with one cause per field, worded as the apiserver's OpenAPI validator words them.
// Schema defaults are filled in before validation, as upstream.
import type { Cause } from '../validation.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schemas and objects are JSON trees
type Loose = any;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields every object has whatever its schema says (metadata is checked as ObjectMeta elsewhere). */
const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * The paths of undeclared fields in `obj`, in document order; with `prune`, also removes them
 * (obj is mutated). metadata is not walked: the apiserver keeps only ObjectMeta there anyway.
 */
export function undeclaredFields(schema: Loose, obj: unknown, prune: boolean): string[] {
  const out: string[] = [];
  const walk = (s: Loose, v: unknown, path: string, top: boolean): void => {
    if (!isObj(s) || s['x-kubernetes-int-or-string'] === true) return;
    if (Array.isArray(v)) {
      if (isObj(s.items)) v.forEach((item, i) => walk(s.items, item, `${path}[${i}]`, false));
      return;
    }
    if (!isObj(v)) return;
    if (isObj(s.additionalProperties)) {
      for (const [k, child] of Object.entries(v)) walk(s.additionalProperties, child, path ? `${path}.${k}` : k, false);
      return;
    }
    const open = s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true;
    const props: Record<string, Loose> = isObj(s.properties) ? s.properties : {};
    for (const [k, child] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (top && TOP_LEVEL.has(k)) continue;
      if (k in props) walk(props[k], child, p, false);
      else if (!open) {
        out.push(p);
        if (prune) delete v[k];
      }
    }
  };
  walk(schema, obj, '', true);
  return out;
}

/**
 * Fills in the schema's `default`s for absent fields (obj is mutated), as the apiserver does on
 * every write of a custom resource: within objects that are present, recursively, and in list items.
 */
export function applySchemaDefaults(schema: Loose, obj: unknown): void {
  const walk = (s: Loose, v: unknown): void => {
    if (!isObj(s)) return;
    if (Array.isArray(v)) {
      if (isObj(s.items)) for (const item of v) walk(s.items, item);
      return;
    }
    if (!isObj(v)) return;
    const props: Record<string, Loose> = isObj(s.properties) ? s.properties : {};
    for (const [k, ps] of Object.entries(props)) {
      if (!(k in v) && isObj(ps) && ps.default !== undefined) v[k] = structuredClone(ps.default);
      if (k in v) walk(ps, v[k]);
    }
    if (isObj(s.additionalProperties)) for (const child of Object.values(v)) walk(s.additionalProperties, child);
  };
  walk(schema, obj);
}

const typeName = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? `"${typeName(v)}"` : String(v));

/** The 422 causes of `obj` against `schema` (an empty list when it is valid). */
export function schemaCauses(schema: Loose, obj: unknown): Cause[] {
  const causes: Cause[] = [];
  const invalidValue = (path: string, v: unknown, detail: string) => causes.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${shown(v)}: ${detail}` });
  const check = (s: Loose, v: unknown, path: string, top: boolean): void => {
    if (!isObj(s)) return;
    if (v === null && s.nullable === true) return;
    if (s['x-kubernetes-int-or-string'] === true) {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) invalidValue(path, v, `${path} in body must be of type integer,string: "${typeName(v)}"`);
      return;
    }
    const t = s.type;
    if (typeof t === 'string') {
      const actual = typeName(v);
      const ok = t === actual || (t === 'number' && actual === 'integer');
      if (!ok) {
        causes.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: ${shown(v)}: ${path} in body must be of type ${t}: "${actual}"` });
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(v))) {
      causes.push({ reason: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${shown(v)}: supported values: ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}` });
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) invalidValue(path, v, `${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`);
      if (typeof s.maximum === 'number' && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) invalidValue(path, v, `${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`);
    }
    if (typeof v === 'string') {
      if (typeof s.maxLength === 'number' && v.length > s.maxLength) causes.push({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${s.maxLength} bytes` });
      if (typeof s.minLength === 'number' && v.length < s.minLength) invalidValue(path, v, `${path} in body should be at least ${s.minLength} chars long`);
      if (typeof s.pattern === 'string') {
        let re: RegExp | undefined;
        try {
          re = new RegExp(s.pattern, 'u');
        } catch {
          re = undefined;
        }
        if (re && !re.test(v)) invalidValue(path, v, `${path} in body should match '${s.pattern}'`);
      }
    }
    if (Array.isArray(v)) {
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) causes.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
      if (typeof s.minItems === 'number' && v.length < s.minItems) invalidValue(path, v, `${path} in body should have at least ${s.minItems} items`);
      if (isObj(s.items)) v.forEach((item, i) => check(s.items, item, `${path}[${i}]`, false));
      return;
    }
    if (!isObj(v)) return;
    const props: Record<string, Loose> = isObj(s.properties) ? s.properties : {};
    for (const req of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(req in v)) causes.push({ reason: 'FieldValueRequired', field: path ? `${path}.${req}` : req, message: 'Required value' });
    }
    for (const [k, child] of Object.entries(v)) {
      if (top && TOP_LEVEL.has(k)) continue;
      const p = path ? `${path}.${k}` : k;
      if (k in props) check(props[k], child, p, false);
      else if (isObj(s.additionalProperties)) check(s.additionalProperties, child, p, false);
    }
  };
  check(schema, obj, '', true);
  return causes;
}
