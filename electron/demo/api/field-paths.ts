// Field paths of server-side apply: the sets a manager owns, in structured-merge-diff's FieldsV1
// tokens (`f:` fields, `k:{…}` keyed list items, `v:` set items, `.` for a map or item itself),
// computed from objects and diffs, and how to look them up, print them and remove them.
// Known simplifications: list keys and atomic fields come from tables of the built-in types (not
// the OpenAPI schema; the list keys are patch.ts's, which strategic merge uses too), and Update
// entries mark maps with `.` only for the well-known map fields.
import { LIST_MAP_KEYS, MERGED_PRIMITIVE_LISTS, portKeys } from './patch.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are arbitrary JSON trees
type Json = any;

/** FieldsV1 as JSON: a tree of tokens whose leaves are `{}`. */
export interface FieldsV1 {
  [token: string]: FieldsV1;
}

/** A set of field paths: tokens joined by SEP, e.g. `f:spec\u0001f:replicas`. */
export type PathSet = Set<string>;
export const SEP = '\u0001';

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata the apiserver strips before tracking ownership (fieldmanager's StripMeta). */
const STRIPPED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);
/** Map-typed fields (additionalProperties) that Update entries mark with `.`. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector', 'limits', 'requests', 'data', 'stringData', 'binaryData', 'rollingUpdate']);

function listKeysOf(field: string, items: Json[]): readonly string[] | undefined {
  if (!items.length || !items.every(isObj)) return undefined;
  if (field === 'ports') return portKeys(items);
  const keys = LIST_MAP_KEYS[field];
  return keys && items.every((i) => keys.some((k) => i[k] !== undefined)) ? keys : undefined;
}

/** The `k:` token of a keyed list item: its key fields in order, protocol defaulted as the apiserver does. */
function itemToken(keys: readonly string[], item: Json): string {
  const o: Record<string, Json> = {};
  for (const k of keys) {
    const v = k === 'protocol' ? (item[k] ?? 'TCP') : item[k];
    if (v !== undefined) o[k] = v;
  }
  return `k:${JSON.stringify(o)}`;
}

/**
 * How structured-merge-diff names item `index` of list `field` in a path: `[name="web"]` for a
 * keyed list, `[3]` otherwise.
 */
export function itemLabel(field: string, items: Json[], index: number): string {
  const keys = listKeysOf(field, items);
  return keys ? printPath(itemToken(keys, items[index])) : `[${index}]`;
}

/** A LabelSelector is atomic (x-kubernetes-map-type: atomic); a Service's selector map is not. */
const isAtomic = (field: string, v: Json) => field === 'selector' && isObj(v) && ('matchLabels' in v || 'matchExpressions' in v);

function collect(v: Record<string, Json>, prefix: string, out: PathSet, dots: boolean): void {
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined || k.startsWith('$')) continue;
    const tok = prefix ? `${prefix}${SEP}f:${k}` : `f:${k}`;
    if (isObj(x)) {
      if (!Object.keys(x).length || isAtomic(k, x)) out.add(tok);
      else {
        if (dots && MAP_FIELDS.has(k)) out.add(`${tok}${SEP}.`);
        collect(x, tok, out, dots);
      }
    } else if (Array.isArray(x)) {
      const keys = listKeysOf(k, x);
      if (keys) {
        for (const item of x) {
          const itok = `${tok}${SEP}${itemToken(keys, item)}`;
          out.add(`${itok}${SEP}.`);
          collect(item, itok, out, dots);
        }
      } else if (MERGED_PRIMITIVE_LISTS.has(k) && x.length && x.every((s) => typeof s === 'string')) {
        for (const s of x) out.add(`${tok}${SEP}v:${JSON.stringify(s)}`);
      } else out.add(tok);
    } else out.add(tok);
  }
}

/** The part of an object whose fields are tracked: no apiVersion/kind/identity metadata; status only for /status. */
export function tracked(obj: Json, section: 'main' | 'status'): Record<string, Json> {
  if (!isObj(obj)) return {};
  if (section === 'status') return isObj(obj.status) ? { status: obj.status } : {};
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  if (isObj(metadata)) {
    const meta: Record<string, Json> = {};
    for (const [k, v] of Object.entries(metadata)) if (!STRIPPED_META.has(k)) meta[k] = v;
    if (Object.keys(meta).length) rest.metadata = meta;
  }
  return rest;
}

/** The field paths an object (or an applied configuration) sets. */
export function fieldPaths(obj: Json, opts: { section?: 'main' | 'status'; dots?: boolean } = {}): PathSet {
  const out: PathSet = new Set();
  collect(tracked(obj, opts.section ?? 'main'), '', out, opts.dots ?? false);
  return out;
}

export function toFieldsV1(paths: Iterable<string>): FieldsV1 {
  const root: FieldsV1 = {};
  for (const p of paths) {
    let node = root;
    let from = 0;
    for (;;) {
      const at = p.indexOf(SEP, from);
      const t = at < 0 ? p.slice(from) : p.slice(from, at);
      node = node[t] ??= {};
      if (at < 0) break;
      from = at + 1;
    }
  }
  return sortedTree(root);
}

/** Keys in order (`.` first, then `f:`, `k:`, `v:`), as the apiserver serializes FieldsV1. */
function sortedTree(node: FieldsV1): FieldsV1 {
  const keys = Object.keys(node);
  if (!keys.length) return node;
  if (keys.length > 1) keys.sort();
  const out: FieldsV1 = {};
  for (const k of keys) out[k] = sortedTree(node[k]);
  return out;
}

export function fromFieldsV1(tree: FieldsV1 | undefined): PathSet {
  const out: PathSet = new Set();
  const walk = (node: FieldsV1, prefix: string) => {
    for (const [t, child] of Object.entries(node ?? {})) {
      const p = prefix ? `${prefix}${SEP}${t}` : t;
      if (isObj(child) && Object.keys(child).length) walk(child, p);
      else out.add(p);
    }
  };
  if (isObj(tree)) walk(tree, '');
  return out;
}

/** `.spec.template.spec.containers[name="web"].image`, as conflicts print paths. */
export function printPath(p: string): string {
  return p
    .split(SEP)
    .map((t) => {
      if (t.startsWith('f:')) return `.${t.slice(2)}`;
      if (t.startsWith('k:')) {
        const o = JSON.parse(t.slice(2)) as Record<string, Json>;
        return `[${Object.entries(o).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      if (t.startsWith('v:')) return `[=${t.slice(2)}]`;
      return '';
    })
    .join('');
}

/** The value a path points at in an object, or undefined. A trailing `.` means the item itself. */
export function valueAt(obj: Json, p: string): Json {
  let cur: Json = obj;
  for (const t of p.split(SEP)) {
    if (cur === undefined || cur === null) return undefined;
    if (t === '.') continue;
    if (t.startsWith('f:')) cur = isObj(cur) ? cur[t.slice(2)] : undefined;
    else if (t.startsWith('k:') || t.startsWith('v:')) cur = findItem(cur, t)?.item;
  }
  return cur;
}

function findItem(list: Json, t: string): { item: Json; index: number } | undefined {
  if (!Array.isArray(list)) return undefined;
  if (t.startsWith('v:')) {
    const want = JSON.parse(t.slice(2));
    const index = list.indexOf(want);
    return index < 0 ? undefined : { item: want, index };
  }
  const want = JSON.parse(t.slice(2)) as Record<string, Json>;
  const keys = Object.keys(want);
  const index = list.findIndex((i) => isObj(i) && itemToken(keys, i) === t);
  return index < 0 ? undefined : { item: list[index], index };
}

/** Removes the field (or list item, for a `.` or `v:` path) a path points at; mutates `obj`. */
export function deleteAt(obj: Json, p: string): void {
  const toks = p.split(SEP);
  if (toks[toks.length - 1] === '.') toks.pop();
  let cur: Json = obj;
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i];
    cur = t.startsWith('f:') ? (isObj(cur) ? cur[t.slice(2)] : undefined) : findItem(cur, t)?.item;
    if (cur === undefined || cur === null) return;
  }
  const last = toks[toks.length - 1];
  if (last.startsWith('f:')) {
    if (isObj(cur)) delete cur[last.slice(2)];
  } else {
    const hit = findItem(cur, last);
    if (hit) cur.splice(hit.index, 1);
  }
}

export const jsonEqual = (a: Json, b: Json): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export function treeHas(tree: FieldsV1, p: string): boolean {
  let node: FieldsV1 | undefined = tree;
  for (const t of p.split(SEP)) {
    node = node?.[t];
    if (node === undefined) return false;
  }
  return true;
}

/**
 * Paths of everything in `b` that `a` does not have with the same value. A map or list item gets
 * its `.` mark only when it is new: changing a field inside an existing one does not claim it.
 */
export function diff(a: Json, b: Json, prefix: string, out: PathSet): void {
  if (a === b) return;
  for (const [k, x] of Object.entries(b)) {
    if (x === null || x === undefined) continue;
    const old = isObj(a) ? a[k] : undefined;
    if (old === x) continue;
    const tok = prefix ? `${prefix}${SEP}f:${k}` : `f:${k}`;
    if (isObj(x) && isObj(old) && Object.keys(x).length && !isAtomic(k, x)) {
      diff(old, x, tok, out);
    } else if (Array.isArray(x) && Array.isArray(old) && listKeysOf(k, x)) {
      const keys = listKeysOf(k, x) ?? [];
      for (const item of x) {
        const itok = `${tok}${SEP}${itemToken(keys, item)}`;
        const before = findItem(old, itemToken(keys, item))?.item;
        if (before === undefined) collect({ [k]: [item] }, prefix, out, true);
        else diff(before, item, itok, out);
      }
    } else if (!jsonEqual(old, x)) collect({ [k]: x }, prefix, out, true);
  }
}
