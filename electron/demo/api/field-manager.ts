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
