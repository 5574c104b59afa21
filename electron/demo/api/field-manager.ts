// Server-side apply field ownership (metadata.managedFields), reduced from
// sigs.k8s.io/structured-merge-diff to what an SRE sees with kubectl: which manager owns which
// field in the real FieldsV1 format (`f:` fields, `k:{…}` keyed list items, `v:` set items, `.`
// for an item itself), Apply conflicts with other managers, `force` taking ownership, and fields
// dropped from an applied configuration removed when nobody else owns them.
// The paths themselves (FieldsV1 tokens, diffs, lookups) live in field-paths.ts.
import { strategicMerge } from './patch.js';
import type { FieldsV1, PathSet } from './field-paths.js';
import { SEP, deleteAt, diff, fieldPaths, fromFieldsV1, jsonEqual, printPath, toFieldsV1, tracked, treeHas, valueAt } from './field-paths.js';

export type { FieldsV1, PathSet } from './field-paths.js';
export { fieldPaths, fromFieldsV1, printPath, toFieldsV1 } from './field-paths.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are arbitrary JSON trees
type Json = any;

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
  if (conflicts.length && !force && !(manager === KUBECTL_SSA && upgradesClientSideApply(live, taken))) return { ok: false, conflicts };

  const object = live === undefined ? structuredClone(applied) : strategicMerge(structuredClone(live), applied);
  // Fields the manager applied before and no longer does: removed unless a manager (another one,
  // or this one through the fields it still applies) owns them or something inside them. A map
  // or list item the manager owned itself (`.`) stays while any of its fields is still owned.
  const before = mine ? fromFieldsV1(mine.fieldsV1) : new Set<string>();
  const owners = [...others.map((o) => o.paths), next];
  // Shortest first: a list item goes before its fields would (removing its key field first would lose the item).
  const gone = [...before].filter((p) => !next.has(p)).sort((a, b) => a.length - b.length);
  for (const p of gone) {
    const inside = p.endsWith(`${SEP}.`) ? p.slice(0, -1) : p + SEP;
    const owned = owners.some((paths) => paths.has(p) || [...paths].some((q) => q.startsWith(inside)));
    if (!owned) deleteAt(object, p);
  }
  if (manager === KUBECTL_SSA && live !== undefined) syncLastApplied(object, applied);
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

/** The field manager `kubectl apply --server-side` uses by default; the apiserver treats it specially. */
const KUBECTL_SSA = 'kubectl';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function lastAppliedOf(live: Json): Json {
  const text = live?.metadata?.annotations?.[LAST_APPLIED];
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The apiserver's lastAppliedManager: moving from `kubectl apply` to `kubectl apply --server-side`
 * (manager "kubectl" only) must not conflict, so conflicts on fields the live object's
 * last-applied-configuration lists with the value they still have are forced. Any other manager
 * gets the conflict.
 */
function upgradesClientSideApply(live: Json, taken: Map<ManagedFieldsEntry, string[]>): boolean {
  const lastApplied = lastAppliedOf(live);
  if (!lastApplied) return false;
  const listed = fieldPaths(lastApplied);
  const allowed = (p: string) => listed.has(p) && jsonEqual(valueAt(live, p), valueAt(lastApplied, p));
  return [...taken.values()].every((paths) => paths.every(allowed));
}

/**
 * The apiserver's lastAppliedUpdater: after a server-side apply by "kubectl", an object that has a
 * last-applied-configuration annotation gets it rewritten to the applied configuration, so a later
 * client-side apply (a downgrade) compares against what was applied last.
 */
function syncLastApplied(object: Json, applied: Json): void {
  const annotations = object?.metadata?.annotations;
  if (typeof annotations?.[LAST_APPLIED] !== 'string') return;
  const config = structuredClone(applied);
  if (config.metadata?.annotations) {
    delete config.metadata.annotations[LAST_APPLIED];
    if (!Object.keys(config.metadata.annotations).length) delete config.metadata.annotations;
  }
  annotations[LAST_APPLIED] = sortedJson(config);
}

/** JSON with object keys sorted, as Go encodes a map (the annotation's text as the apiserver writes it). */
function sortedJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
