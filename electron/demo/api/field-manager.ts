// Server-side apply field ownership (metadata.managedFields), reduced from
// sigs.k8s.io/structured-merge-diff to what an SRE sees with kubectl: which manager owns which
// field in the real FieldsV1 format (`f:` fields, `k:{…}` keyed list items, `v:` set items, `.`
// for an item itself), Apply conflicts with other managers, `force` taking ownership, and fields
// dropped from an applied configuration removed when nobody else owns them.
// Known simplifications: list keys and atomic fields come from a table of the built-in types (not
// the OpenAPI schema), and Update entries mark maps with `.` only for the well-known map fields.
import { strategicMerge } from './patch.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are arbitrary JSON trees
type Json = any;

/** FieldsV1 as JSON: a tree of tokens whose leaves are `{}`. */
export interface FieldsV1 {
  [token: string]: FieldsV1;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

export interface FieldConflict {
  manager: ManagedFieldsEntry;
  /** Path as structured-merge-diff prints it: `.spec.template.spec.containers[name="web"].image`. */
  path: string;
}

/** A set of field paths: tokens joined by SEP, e.g. `f:spec\u0001f:replicas`. */
export type PathSet = Set<string>;
const SEP = '\u0001';

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata the apiserver strips before tracking ownership (fieldmanager's StripMeta). */
const STRIPPED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);
/** Map-typed fields (additionalProperties) that Update entries mark with `.`. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector', 'limits', 'requests', 'data', 'stringData', 'binaryData', 'rollingUpdate']);
/** x-kubernetes-list-map-keys of the built-in lists kubectl users touch. */
const LIST_KEYS: Record<string, string[]> = {
  containers: ['name'], initContainers: ['name'], ephemeralContainers: ['name'], env: ['name'], volumes: ['name'],
  volumeMounts: ['mountPath'], volumeDevices: ['devicePath'], imagePullSecrets: ['name'], hostAliases: ['ip'],
  conditions: ['type'], ownerReferences: ['uid'], topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'], schedulingGates: ['name'],
};
/** Lists of scalars with set semantics (`v:` items). */
const SET_LISTS = new Set(['finalizers']);

function listKeysOf(field: string, items: Json[]): string[] | undefined {
  if (!items.length || !items.every(isObj)) return undefined;
  if (field === 'ports') return items.some((i) => 'containerPort' in i) ? ['containerPort', 'protocol'] : ['port', 'protocol'];
  const keys = LIST_KEYS[field];
  return keys && items.every((i) => keys.some((k) => i[k] !== undefined)) ? keys : undefined;
}

/** The `k:` token of a keyed list item: its key fields in order, protocol defaulted as the apiserver does. */
function itemToken(keys: string[], item: Json): string {
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
  if (!keys) return `[${index}]`;
  const o = JSON.parse(itemToken(keys, items[index]).slice(2)) as Record<string, Json>;
  return `[${Object.entries(o).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
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
      } else if (SET_LISTS.has(k) && x.length && x.every((s) => typeof s === 'string')) {
        for (const s of x) out.add(`${tok}${SEP}v:${JSON.stringify(s)}`);
      } else out.add(tok);
    } else out.add(tok);
  }
}

/** The part of an object whose fields are tracked: no apiVersion/kind/identity metadata; status only for /status. */
function tracked(obj: Json, section: 'main' | 'status'): Record<string, Json> {
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
function deleteAt(obj: Json, p: string): void {
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

const jsonEqual = (a: Json, b: Json): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

function entry(manager: string, operation: 'Apply' | 'Update', apiVersion: string, time: string, paths: PathSet, subresource?: string): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager, operation, apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths) };
  if (subresource) e.subresource = subresource;
  return e;
}

const sameId = (e: ManagedFieldsEntry, manager: string, operation: string, subresource?: string) =>
  e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');

export interface ApplyRequest {
  live: Json;
  applied: Json;
  manager: string;
  apiVersion: string;
  time: string;
  force: boolean;
}

export type ApplyResult = { ok: true; object: Json; managedFields: ManagedFieldsEntry[] } | { ok: false; conflicts: FieldConflict[] };

/**
 * Server-side apply onto a live object (undefined when creating). The applied configuration
 * becomes the manager's whole Apply set; fields other managers own with a different value
 * conflict unless forced; fields it stops applying go unless someone else owns them.
 */
export function serverSideApply(req: ApplyRequest): ApplyResult {
  const { live, applied, manager, apiVersion, time, force } = req;
  const entries: ManagedFieldsEntry[] = Array.isArray(live?.metadata?.managedFields) ? live.metadata.managedFields : [];
  const next = fieldPaths(applied);
  const mine = entries.find((e) => sameId(e, manager, 'Apply'));
  const others = entries.filter((e) => e !== mine).map((e) => ({ e, paths: fromFieldsV1(e.fieldsV1) }));
  const conflicts: FieldConflict[] = [];
  const taken = new Map<ManagedFieldsEntry, string[]>();
  for (const o of others) {
    if (o.e.subresource === 'status') continue;
    for (const p of next) {
      if (p.endsWith(`${SEP}.`) || !o.paths.has(p)) continue;
      if (jsonEqual(valueAt(live, p), valueAt(applied, p))) continue;
      conflicts.push({ manager: o.e, path: printPath(p) });
      taken.set(o.e, [...(taken.get(o.e) ?? []), p]);
    }
  }
  if (conflicts.length && !force && !upgradesClientSideApply(live, conflicts, taken)) return { ok: false, conflicts };

  const object = live === undefined ? structuredClone(applied) : strategicMerge(structuredClone(live), applied);
  // Fields the manager applied before and no longer does: removed unless another manager owns them.
  const before = mine ? fromFieldsV1(mine.fieldsV1) : new Set<string>();
  // Shortest first: a list item goes before its fields would (removing its key field first would lose the item).
  const gone = [...before].filter((p) => !next.has(p)).sort((a, b) => a.length - b.length);
  for (const p of gone) {
    const item = p.endsWith(`${SEP}.`) ? p.slice(0, -2) : undefined;
    const owned = others.some((o) => o.paths.has(p) || (item !== undefined && [...o.paths].some((q) => q.startsWith(item + SEP))));
    if (!owned) deleteAt(object, p);
  }
  const managedFields: ManagedFieldsEntry[] = [];
  for (const o of others) {
    const lost = taken.get(o.e);
    if (!lost) {
      managedFields.push(o.e);
      continue;
    }
    for (const p of lost) o.paths.delete(p);
    if ([...o.paths].some((p) => !p.endsWith(`${SEP}.`))) managedFields.push({ ...o.e, fieldsV1: toFieldsV1(o.paths) });
  }
  if (next.size) managedFields.push(entry(manager, 'Apply', apiVersion, time, next));
  return { ok: true, object, managedFields };
}

/**
 * The apiserver's lastAppliedManager: moving from `kubectl apply` to `kubectl apply --server-side`
 * must not conflict, so conflicts only with kubectl-client-side-apply's Update over fields its
 * last-applied-configuration annotation lists are forced.
 */
function upgradesClientSideApply(live: Json, conflicts: FieldConflict[], taken: Map<ManagedFieldsEntry, string[]>): boolean {
  if (!conflicts.every((c) => c.manager.manager === 'kubectl-client-side-apply' && c.manager.operation === 'Update')) return false;
  const text = live?.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (typeof text !== 'string') return false;
  let lastApplied: Json;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return false;
  }
  const listed = fieldPaths(lastApplied);
  return [...taken.values()].every((paths) => paths.every((p) => listed.has(p)));
}

export interface UpdateRequest {
  /** The object before the write; undefined for a create. */
  live: Json;
  /** The object about to be stored; its metadata.managedFields is ignored. */
  next: Json;
  base: ManagedFieldsEntry[];
  manager: string;
  apiVersion: string;
  time: string;
  subresource?: 'status' | 'scale';
}

/**
 * managedFields after an Update (create, PUT, a non-apply PATCH, /scale): the manager takes the
 * fields it changed from everybody else, and fields that no longer exist leave every set.
 */
export function recordUpdate(req: UpdateRequest): ManagedFieldsEntry[] {
  const { live, next, base, manager, apiVersion, time, subresource } = req;
  const section = subresource === 'status' ? 'status' : 'main';
  const before = tracked(live, section);
  const after = tracked(next, section);
  const changed: PathSet = new Set();
  diff(before, after, '', changed);
  // The other direction finds what the write removed (only those paths can leave other sets):
  // set lookups on the change instead of a walk over every owned path.
  const removed: PathSet = new Set();
  diff(after, before, '', removed);
  for (const p of removed) if (valueAt(after, p) !== undefined) removed.delete(p);
  if (!changed.size && !removed.size) return base;
  const touches = (e: ManagedFieldsEntry) => [...changed, ...removed].some((p) => treeHas(e.fieldsV1, p));
  const out: ManagedFieldsEntry[] = [];
  let placed = false;
  const mineEntry = () => {
    const own = base.find((e) => sameId(e, manager, 'Update', subresource));
    const mine = own ? fromFieldsV1(own.fieldsV1) : new Set<string>();
    for (const p of removed) mine.delete(p);
    for (const p of changed) mine.add(p);
    if (mine.size) out.push(entry(manager, 'Update', apiVersion, time, mine, subresource));
    placed = true;
  };
  for (const e of base) {
    if (sameId(e, manager, 'Update', subresource)) mineEntry();
    else if (!touches(e)) out.push(e);
    else {
      const paths = fromFieldsV1(e.fieldsV1);
      for (const p of changed) paths.delete(p);
      for (const p of removed) paths.delete(p);
      if ([...paths].some((p) => !p.endsWith(`${SEP}.`))) out.push({ ...e, fieldsV1: toFieldsV1(paths) });
    }
  }
  if (!placed) mineEntry();
  return out;
}

function treeHas(tree: FieldsV1, p: string): boolean {
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
function diff(a: Json, b: Json, prefix: string, out: PathSet): void {
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

/** The manager name the apiserver uses when the request names none: the User-Agent up to its first `/`. */
export function defaultManager(userAgent: string | undefined): string {
  return (userAgent ?? '').split('/')[0].slice(0, 128) || 'unknown';
}

/** kube-apiserver's message for apply conflicts (`Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas`). */
export function conflictMessage(conflicts: FieldConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${conflicts[0].path}`;
  const by = new Map<string, string[]>();
  for (const c of conflicts) by.set(printManager(c.manager), [...(by.get(printManager(c.manager)) ?? []), c.path]);
  const lines: string[] = [];
  for (const m of [...by.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of by.get(m) ?? []) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${s} using ${e.apiVersion}` : s;
}
