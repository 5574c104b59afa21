// The four patch content types kube-apiserver accepts. Strategic merge follows
// k8s.io/apimachinery/pkg/util/strategicpatch for the lists kubectl touches: lists of objects
// merge by their patchMergeKey, `$patch`, `$setElementOrder`, `$retainKeys` and
// `$deleteFromPrimitiveList` directives are honoured, null deletes a key.
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import YAML from 'yaml';
import { badRequest, unsupportedMediaType, ApiError, statusBody } from './status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- patches are arbitrary JSON trees
type Json = any;

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw unsupportedMediaType(contentType ?? '');
  }
}

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the body for a patch type: 400 "error decoding patch" on anything undecodable. */
export function decodePatch(type: PatchType, body: string): Json {
  try {
    const parsed = type === 'apply' ? YAML.parse(body) : JSON.parse(body);
    if (type === 'json' ? !Array.isArray(parsed) : !isObj(parsed)) throw new Error(type === 'json' ? 'expected a JSON array of operations' : 'expected a JSON object');
    return parsed;
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

export function applyJsonPatch(doc: Json, ops: Operation[]): Json {
  try {
    const err = fastJsonPatch.validate(ops, doc);
    if (err) throw err;
    return fastJsonPatch.applyPatch(doc, ops, false, false).newDocument;
  } catch (e) {
    throw new ApiError(statusBody(422, 'Invalid', `the server rejected our request due to an error in our request: ${(e as Error).message}`));
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return patch;
  const out: Json = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * The keys that identify an item of a list of objects, per field name, as the built-in types
 * declare them (x-kubernetes-list-map-keys; the first is the +patchMergeKey). Server-side apply's
 * field paths (field-paths.ts) use the same table.
 */
export const LIST_MAP_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  schedulingGates: ['name'],
};

/** Container ports are keyed by containerPort, Service ports by port (both with protocol). */
export const portKeys = (items: Json[]): string[] => (items.some((i) => isObj(i) && 'containerPort' in i) ? ['containerPort', 'protocol'] : ['port', 'protocol']);

/** Lists of primitives whose strategy is merge (union) rather than replace: set lists for apply. */
export const MERGED_PRIMITIVE_LISTS: ReadonlySet<string> = new Set(['finalizers']);

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  return field === 'ports' ? portKeys(items)[0] : LIST_MAP_KEYS[field]?.[0];
}

export function strategicMerge(target: Json, patch: Json): Json {
  if (!isObj(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Json = isObj(target) ? { ...target } : {};
  const retain: string[] | undefined = Array.isArray(patch.$retainKeys) ? patch.$retainKeys : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      out[k] = mergeList(k, Array.isArray(out[k]) ? out[k] : [], v);
    } else if (isObj(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v)) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: Json) => !v.includes(x));
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') && Array.isArray(v)) {
      const field = k.slice('$setElementOrder/'.length);
      if (Array.isArray(out[field])) out[field] = reorder(field, out[field], v);
    }
  }
  if (retain) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

function mergeList(field: string, current: Json[], patch: Json[]): Json[] {
  if (patch.some((i) => isObj(i) && i.$patch === 'replace' && Object.keys(i).length === 1)) {
    return patch.filter((i) => !(isObj(i) && i.$patch === 'replace')).map(stripDirectives);
  }
  const objects = patch.every(isObj);
  const key = objects ? mergeKeyFor(field, [...current, ...patch]) : undefined;
  if (!key) {
    if (!objects && MERGED_PRIMITIVE_LISTS.has(field)) return [...current, ...patch.filter((p) => !current.includes(p))];
    return patch.map(stripDirectives);
  }
  const out = [...current];
  for (const item of patch) {
    const idx = out.findIndex((c) => isObj(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMerge(out[idx], item);
    } else {
      out.push(stripDirectives(item));
    }
  }
  return out;
}

function reorder(field: string, list: Json[], order: Json[]): Json[] {
  const key = list.every(isObj) ? mergeKeyFor(field, list) : undefined;
  const id = (x: Json) => (key && isObj(x) ? x[key] : x);
  const wanted = order.map((o) => id(o));
  const rank = (x: Json) => {
    const i = wanted.indexOf(id(x));
    return i < 0 ? wanted.length : i;
  };
  return list.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x) - rank(b.x) || a.i - b.i).map((e) => e.x);
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    if (x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

/** Applies a decoded patch of a type to a JSON document, returning the new document. */
export function applyPatch(type: PatchType, doc: Json, patch: Json): Json {
  switch (type) {
    case 'json':
      return applyJsonPatch(structuredClone(doc), patch as Operation[]);
    case 'merge':
      return mergePatch(doc, patch);
    case 'strategic':
    case 'apply':
      // Server-side apply approximated as a strategic merge of the applied configuration: field
      // ownership is not tracked.
      return strategicMerge(doc, patch);
  }
}
