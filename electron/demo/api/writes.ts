// Create, update, patch and delete, plus the /status and /scale subresources. Mirrors the
// apiserver's REST strategies where clients can tell: status is kept on main-resource writes,
// creates start from a clean status, deletes honour the propagation policy, pods terminate
// gracefully, and StoreErrors become the matching Status errors.
import type { ServerResponse } from 'node:http';
import type { KubeObject, ObjectStore } from '../store.js';
import { StoreError, clone, randomSuffix } from '../store.js';
import { newUid } from '../ids.js';
import type { DemoClock } from '../clock.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf, qualifiedName, storeKey } from './registry.js';
import { servedResources } from './crd/served.js';
import { admitQuota } from './admission/quota.js';
import { admitLimits } from './admission/limits.js';
import { admitClaim } from './admission/volumes.js';
import { evalJsonPath, setAtPath } from './crd/jsonpath.js';
import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound, statusBody, successStatus } from './status.js';
import type { PatchType } from './patch.js';
import { applyPatch, decodePatch, patchTypeOf } from './patch.js';
import { compileFilter, formatLabelSelector } from './selectors.js';
import { objectJson, parseJsonBody, sendRaw } from './http-util.js';
import type { GarbageCollector } from './gc.js';
import { applyDefaults } from './defaults.js';
import { validate } from './validation.js';
import { allocateClusterIp, keepAllocatedValues } from './services.js';
import type { ManagedFieldsEntry } from './field-manager.js';
import { conflictMessage, printManager, recordUpdate, serverSideApply } from './field-manager.js';
import { checkAppliedFields, checkFields, fieldValidationOf } from './field-validation.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are untyped JSON
type Json = any;

export interface WriteContext {
  store: ObjectStore;
  clock: DemoClock;
  /**
   * Present when no controller simulation runs: the API then cascades deletes itself. With the
   * controllers running, deletes follow the real protocol (deletionTimestamp + `foregroundDeletion`
   * / `orphan` finalizers, graceful pod termination) and their garbage collector and kubelet finish.
   */
  gc?: GarbageCollector;
}

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasStatus = (r: ResourceDef) => r.subresources.some((s) => s.name === 'status');
const dryRun = (q: URLSearchParams) => q.getAll('dryRun').includes('All');

/**
 * The options validation every write runs first: `All` is the only dry-run value. Anything else
 * (`dryRun=true` is a common slip) is refused rather than taken as a real write.
 */
export function checkDryRun(values: unknown, optionsKind: string): void {
  const list = Array.isArray(values) ? values.map(String) : [];
  if (list.every((v) => v === 'All')) return;
  const shown = `[]string{${list.map((v) => JSON.stringify(v)).join(', ')}}`;
  throw new ApiError(
    statusBody(422, 'Invalid', `${optionsKind}.meta.k8s.io "" is invalid: dryRun: Unsupported value: ${shown}: supported values: "All"`, {
      group: 'meta.k8s.io',
      kind: optionsKind,
      causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: ${shown}: supported values: "All"`, field: 'dryRun' }],
    }),
  );
}
/** The status a new object starts from, as each kind's REST strategy sets it on create. */
function initialStatus(r: ResourceDef): Json {
  if (r.group) return {};
  if (r.plural === 'pods') return { phase: 'Pending', qosClass: 'BestEffort' };
  if (r.plural === 'persistentvolumeclaims' || r.plural === 'persistentvolumes') return { phase: 'Pending' };
  return {};
}

/** The request's field manager; the server fills it from the User-Agent when the client names none. */
const managerOf = (q: URLSearchParams) => q.get('fieldManager') || 'unknown';

/** What a write reports besides its result. */
export interface WriteNotes {
  /** Texts for `Warning` response headers (fieldValidation=Warn). */
  warnings?: string[];
  /** managedFields computed by server-side apply, for a create through apply. */
  managedFields?: ManagedFieldsEntry[];
}

/**
 * The managedFields an update starts from: the stored ones unless the request sets others; a
 * request setting `[{}]` (or any list of entries without managers) clears them, as upstream.
 */
function baseEntries(requested: Json, current: KubeObject): ManagedFieldsEntry[] {
  const stored = (current.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  if (!Array.isArray(requested) || requested.length === 0 || requested === stored) return stored;
  if (requested.every((e: Json) => !isObj(e) || !e.manager)) return [];
  return JSON.stringify(requested) === JSON.stringify(stored) ? stored : (requested as ManagedFieldsEntry[]);
}

/** Maps store errors to apiserver Status errors. */
export function storeCall<T>(r: ResourceDef, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    switch (e.reason) {
      case 'NotFound':
        throw notFound(r, name);
      case 'AlreadyExists':
        throw alreadyExists(r, name);
      case 'Conflict':
        throw conflict(r, name);
      case 'Expired':
        throw new ApiError(statusBody(410, 'Expired', e.message));
      case 'Invalid':
        throw invalid(r, name, [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    }
  }
}

function checkKind(r: ResourceDef, body: Json): void {
  if (!isObj(body)) throw badRequest('the object provided is unrecognized (expected a JSON object)');
  if (!body.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
  if (!isObj(body.metadata)) body.metadata = {};
  const want = apiVersionOf(r);
  if (body.apiVersion && body.apiVersion !== want) {
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`);
  }
  if (body.kind !== r.kind) throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${r.kind})`);
  body.apiVersion = want;
}

function requireNamespace(ctx: WriteContext, ns: string | undefined): void {
  if (ns === undefined) return;
  if (!ctx.store.peekOne('namespaces', undefined, ns)) {
    throw new ApiError(statusBody(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }));
  }
}

export function create(ctx: WriteContext, r: ResourceDef, namespace: string | undefined, body: Json, q: URLSearchParams, notes: WriteNotes = {}): KubeObject {
  checkKind(r, body);
  checkFields(fieldValidationOf(q), body.apiVersion, r.kind, body, notes.warnings, true, r.custom);
  const meta = body.metadata;
  if (r.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace ?? meta.namespace;
    if (!meta.namespace) throw badRequest('the server could not find the requested resource: a namespace is required');
    requireNamespace(ctx, meta.namespace);
  } else {
    delete meta.namespace;
  }
  if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
  if (!meta.name && !meta.generateName) {
    throw invalid(r, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  }
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'generation', 'managedFields']) delete meta[k];
  if (hasStatus(r)) body.status = initialStatus(r);
  if (r.plural === 'services') allocateClusterIp(body, ctx.store.peek('services'));
  validate(r, body);
  const key = storeKey(r);
  // Admission, after validation as in the apiserver: LimitRange defaults, then the quota check.
  if (r.plural === 'pods' && !r.group) admitLimits(ctx.store, body);
  if (r.plural === 'persistentvolumeclaims') admitClaim(ctx.store, body);
  if (r.namespaced) admitQuota(ctx.store, key, qualifiedName(r), body);
  if (notes.managedFields) meta.managedFields = notes.managedFields;
  else {
    // Defaulted fields belong to the creating manager too, as upstream (they are in the diff from nothing).
    applyDefaults(key, body as KubeObject);
    meta.managedFields = recordUpdate({ live: undefined, next: body, base: [], manager: managerOf(q), apiVersion: body.apiVersion, time: ctx.clock.iso() });
  }
  if (!meta.managedFields.length) delete meta.managedFields;
  if (dryRun(q)) {
    const preview = clone(body as KubeObject);
    applyDefaults(key, preview);
    if (meta.name && ctx.store.peekOne(key, meta.namespace, meta.name)) throw alreadyExists(r, meta.name);
    // As the registry's BeforeCreate fills them, dry run or not: a name, a uid, a creation time.
    if (!preview.metadata.name) preview.metadata.name = `${meta.generateName}${randomSuffix()}`;
    preview.metadata.uid = newUid();
    preview.metadata.creationTimestamp = ctx.clock.iso();
    preview.metadata.generation = 1;
    return preview;
  }
  return storeCall(r, meta.name ?? meta.generateName, () => ctx.store.create(key, body as KubeObject));
}

/** Replaces an object (PUT). On the main resource status is kept; on /status only status changes. */
export function update(ctx: WriteContext, r: ResourceDef, namespace: string | undefined, name: string, body: Json, sub: 'status' | undefined, q: URLSearchParams, notes: WriteNotes = {}): KubeObject {
  checkKind(r, body);
  checkFields(fieldValidationOf(q), body.apiVersion, r.kind, body, notes.warnings, true, r.custom);
  const meta = body.metadata;
  if (meta.name && meta.name !== name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  if (r.namespaced && meta.namespace && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.name = name;
  meta.namespace = r.namespaced ? namespace : undefined;
  const key = storeKey(r);
  const current = ctx.store.peekOne(key, namespace, name);
  if (!current) throw notFound(r, name);
  if (!sub && hasStatus(r)) {
    if (current.status === undefined) delete body.status;
    else body.status = clone(current.status);
  }
  if (!sub) {
    if (r.plural === 'services') keepAllocatedValues(current, body);
    validate(r, body, current);
    // A /status write keeps the stored metadata (the store takes only status from it), so only
    // main-resource writes record ownership.
    applyDefaults(key, body as KubeObject);
    meta.managedFields = recordUpdate({ live: current, next: body, base: baseEntries(meta.managedFields, current), manager: managerOf(q), apiVersion: body.apiVersion, time: ctx.clock.iso() });
    if (!meta.managedFields.length) delete meta.managedFields;
  }
  if (dryRun(q)) return dryRunUpdate(current, body as KubeObject, sub);
  return releaseIfFinalized(ctx, r, storeCall(r, name, () => ctx.store.update(key, body as KubeObject, sub ? { subresource: sub } : {})));
}

/** What a dry-run update answers: the object as it would be stored, keeping what the store keeps. */
function dryRunUpdate(current: KubeObject, next: KubeObject, sub: 'status' | undefined): KubeObject {
  if (sub === 'status') return { ...clone(current), status: next.status };
  const meta = next.metadata;
  meta.uid = current.metadata.uid;
  meta.creationTimestamp = current.metadata.creationTimestamp;
  meta.generation = current.metadata.generation;
  meta.resourceVersion = current.metadata.resourceVersion;
  return next;
}

/** As the apiserver does: an object being deleted goes once its last finalizer is removed. */
function releaseIfFinalized(ctx: WriteContext, r: ResourceDef, obj: KubeObject): KubeObject {
  const meta = obj.metadata;
  if (meta.deletionTimestamp && !(meta.finalizers ?? []).length && r.plural !== 'pods') {
    try {
      ctx.store.delete(storeKey(r), meta.namespace, meta.name);
    } catch {
      // already gone
    }
  }
  return obj;
}

export function patch(ctx: WriteContext, r: ResourceDef, namespace: string | undefined, name: string, contentType: string | undefined, text: string, sub: 'status' | undefined, q: URLSearchParams, notes: WriteNotes = {}): { obj: KubeObject; created: boolean } {
  const type: PatchType = patchTypeOf(contentType);
  const p = decodePatch(type, text);
  const key = storeKey(r);
  const directive = fieldValidationOf(q);
  // A merge patch of a built-in kind (no field pruning, no Service IP keeping) builds the new object
  // without writing into the old one: mergePatch copies only the maps along the patched paths, and
  // store.update copies what it stores. The stored, frozen object itself can then be the base,
  // instead of a deep copy per write (annotation and label patches are the common case).
  const inPlaceFree = type === 'merge' && !directive && !r.custom && r.plural !== 'services';
  const current = inPlaceFree ? ctx.store.peekOne(key, namespace, name) : ctx.store.get(key, namespace, name);
  if (type === 'apply' && !q.get('fieldManager')) throw patchOptionsInvalid('fieldManager: Required value: is required for apply patch');
  if (type !== 'apply' && q.has('force')) throw patchOptionsInvalid('force: Forbidden: may not be specified for non-apply patch');
  if (type === 'apply') {
    checkKind(r, { ...p });
    checkAppliedFields(apiVersionOf(r), r.kind, p, r.custom);
  }
  if (!current) {
    if (type === 'apply' && !sub) {
      const applied = serverSideApply({ live: undefined, applied: p, manager: managerOf(q), apiVersion: apiVersionOf(r), time: ctx.clock.iso(), force: q.get('force') === 'true' });
      if (!applied.ok) throw notFound(r, name);
      const body = { ...applied.object, metadata: { ...(applied.object.metadata ?? {}), name, namespace } };
      return { obj: create(ctx, r, namespace, body, q, { ...notes, managedFields: applied.managedFields }), created: true };
    }
    throw notFound(r, name);
  }
  let next: Json;
  if (type === 'apply') {
    const applied = serverSideApply({ live: current, applied: p, manager: managerOf(q), apiVersion: apiVersionOf(r), time: ctx.clock.iso(), force: q.get('force') === 'true' });
    if (!applied.ok) throw applyConflict(r, name, applied.conflicts);
    next = applied.object;
    if (isObj(next?.metadata)) next.metadata.managedFields = applied.managedFields;
  } else {
    next = applyPatch(type, current, p);
    checkFields(directive, apiVersionOf(r), r.kind, next, notes.warnings, false, r.custom);
  }
  if (!isObj(next) || !isObj(next.metadata)) throw new ApiError(statusBody(422, 'Invalid', 'the patch removed the object metadata'));
  // Written below; a patch that left metadata alone still holds the stored (frozen) map.
  if (inPlaceFree) next.metadata = { ...next.metadata };
  next.metadata.name = name;
  next.metadata.namespace = r.namespaced ? namespace : undefined;
  next.kind = r.kind;
  next.apiVersion = apiVersionOf(r);
  // Only a version the client put in the patch is a precondition; the merged-in current one is not.
  const patchRv = type === 'json' ? undefined : p?.metadata?.resourceVersion;
  next.metadata.resourceVersion = patchRv ?? current.metadata.resourceVersion;
  if (!sub && hasStatus(r)) {
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  if (!sub) {
    if (r.plural === 'services') keepAllocatedValues(current, next);
    validate(r, next, current);
  }
  if (type !== 'apply' && !sub) {
    applyDefaults(key, next as KubeObject);
    next.metadata.managedFields = recordUpdate({ live: current, next, base: baseEntries(next.metadata.managedFields, current), manager: managerOf(q), apiVersion: apiVersionOf(r), time: ctx.clock.iso() });
  }
  if (!sub && !next.metadata.managedFields?.length) delete next.metadata.managedFields;
  if (dryRun(q)) return { obj: dryRunUpdate(current, next as KubeObject, sub), created: false };
  return { obj: releaseIfFinalized(ctx, r, storeCall(r, name, () => ctx.store.update(key, next as KubeObject, sub ? { subresource: sub } : {}))), created: false };
}

/** The apiserver's validation of PatchOptions (query parameters). */
function patchOptionsInvalid(message: string): ApiError {
  return new ApiError(statusBody(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${message}`, { group: 'meta.k8s.io', kind: 'PatchOptions' }));
}

/** The 409 server-side apply answers when the applied configuration changes fields others own. */
function applyConflict(r: ResourceDef, name: string, conflicts: { manager: ManagedFieldsEntry; path: string }[]): ApiError {
  return new ApiError(
    statusBody(409, 'Conflict', conflictMessage(conflicts), {
      name, group: r.group || undefined, kind: r.plural,
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: c.path })),
    }),
  );
}

// --- /scale -----------------------------------------------------------------------------------

export function scaleOf(r: ResourceDef, obj: KubeObject): Json {
  const o = obj as Json;
  const paths = r.custom?.scale;
  if (paths) {
    // A custom resource's scale subresource reads the paths its CRD names.
    const first = (path: string | undefined) => (path ? evalJsonPath(o, path)[0] : undefined);
    const selector = first(paths.labelSelectorPath);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: Number(first(paths.specReplicasPath) ?? 0) },
      status: { replicas: Number(first(paths.statusReplicasPath) ?? 0), ...(typeof selector === 'string' ? { selector } : {}) },
    };
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: o.status?.selector ?? formatLabelSelector(o.spec?.selector) },
  };
}

export function writeScale(ctx: WriteContext, r: ResourceDef, namespace: string | undefined, name: string, method: 'PUT' | 'PATCH', contentType: string | undefined, text: string, q?: URLSearchParams): Json {
  const key = storeKey(r);
  const current = ctx.store.peekOne(key, namespace, name);
  if (!current) throw notFound(r, name);
  let scale: Json;
  if (method === 'PUT') {
    scale = parseJsonBody(text);
    if (!isObj(scale)) throw badRequest('the object provided is unrecognized (expected a Scale)');
  } else {
    const type = patchTypeOf(contentType);
    scale = applyPatch(type, scaleOf(r, current), decodePatch(type, text));
  }
  const replicas = scale?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(
      statusBody(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, {
        name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: 'must be greater than or equal to 0', field: 'spec.replicas' }],
      }),
    );
  }
  const rv = scale?.metadata?.resourceVersion;
  if (method === 'PUT' && rv && rv !== current.metadata.resourceVersion) throw conflict(r, name);
  const change = (o: KubeObject) => {
    if (r.custom?.scale) setAtPath(o as Json, r.custom.scale.specReplicasPath, replicas);
    else (o as Json).spec = { ...((o as Json).spec ?? {}), replicas };
    if (q) {
      const entries = recordUpdate({ live: current, next: o, base: (current.metadata.managedFields ?? []) as ManagedFieldsEntry[], manager: managerOf(q), apiVersion: apiVersionOf(r), time: ctx.clock.iso(), subresource: 'scale' });
      if (entries.length) o.metadata.managedFields = entries;
    }
  };
  if (q && dryRun(q)) {
    const preview = clone(current);
    change(preview);
    return scaleOf(r, preview);
  }
  const updated = storeCall(r, name, () => ctx.store.mutate(key, namespace, name, change));
  if (!updated) throw notFound(r, name);
  return scaleOf(r, updated);
}

// --- delete -----------------------------------------------------------------------------------

type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy: Propagation;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** `dryRun: ["All"]` in the body or `?dryRun=All`: check everything, change nothing. */
  dryRun?: boolean;
}

/** DeleteOptions from a request body (JSON text or an already decoded object) and the query. */
export function deleteOptions(text: string | Json, q: URLSearchParams): DeleteOptions {
  const body: Json = typeof text === 'string' ? (text.trim() ? parseJsonBody(text) : {}) : (text ?? {});
  const policy = q.get('propagationPolicy') ?? body.propagationPolicy ?? (body.orphanDependents === true || q.get('orphanDependents') === 'true' ? 'Orphan' : 'Background');
  if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw new ApiError(statusBody(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`));
  }
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  checkDryRun(body.dryRun, 'DeleteOptions');
  const dry = dryRun(q) || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
  return { propagationPolicy: policy, gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace), preconditions: body.preconditions, dryRun: dry };
}

/** Deletes one object; returns the HTTP code and body the apiserver would send. */
export function remove(ctx: WriteContext, r: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptions): { code: number; body: string } {
  const key = storeKey(r);
  const current = ctx.store.peekOne(key, namespace, name);
  if (!current) throw notFound(r, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw new ApiError(statusBody(409, 'Conflict', `Operation cannot be fulfilled on ${key} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`));
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) throw conflict(r, name);
  if (r.plural === 'namespaces') return deleteNamespace(ctx, r, current, opts);
  return ctx.gc ? removeAlone(ctx, ctx.gc, r, current, opts) : removeWithControllers(ctx, r, current, opts);
}

const FINALIZER_OF: Record<Propagation, string | undefined> = { Background: undefined, Foreground: 'foregroundDeletion', Orphan: 'orphan' };

/** Marks an object as being deleted; a dry run returns the marked copy without storing it. */
function markDeleted(ctx: WriteContext, r: ResourceDef, obj: KubeObject, dry: boolean | undefined, change: (o: KubeObject) => void): KubeObject {
  if (dry) {
    const copy = clone(obj);
    change(copy);
    return copy;
  }
  const { namespace, name } = obj.metadata;
  return storeCall(r, name, () => ctx.store.mutate(storeKey(r), namespace, name, change)) ?? obj;
}

/**
 * The pod strategy's CheckGracefulDelete: only a pod a kubelet runs terminates gracefully. One
 * never bound to a node, or whose containers have all finished, goes at once.
 */
function podGracePeriod(pod: Json, opts: DeleteOptions): number {
  if (!pod.spec?.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  return opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/** Graceful pod deletion: the pod stays, marked with when its grace period ends (as the apiserver does). */
function markTerminating(ctx: WriteContext, r: ResourceDef, current: KubeObject, grace: number, dry: boolean | undefined): KubeObject {
  return markDeleted(ctx, r, current, dry, (o) => {
    o.metadata.deletionTimestamp = new Date(ctx.clock.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    o.metadata.deletionGracePeriodSeconds = grace;
  });
}

/** Removes the object now; pods answer with their last state, everything else with a Success Status. */
function deleteNow(ctx: WriteContext, r: ResourceDef, current: KubeObject, dry: boolean | undefined): { code: number; body: string } {
  const { namespace, name, uid } = current.metadata;
  const gone = dry ? current : storeCall(r, name, () => ctx.store.delete(storeKey(r), namespace, name));
  if (storeKey(r) === 'pods') return { code: 200, body: objectJson(gone) };
  return { code: 200, body: JSON.stringify(successStatus({ name, group: r.group || undefined, kind: r.plural, uid: uid ?? '' })) };
}

function removeWithControllers(ctx: WriteContext, r: ResourceDef, current: KubeObject, opts: DeleteOptions): { code: number; body: string } {
  const key = storeKey(r);
  const finalizer = key === 'pods' ? undefined : FINALIZER_OF[opts.propagationPolicy];
  if (key === 'pods') {
    const grace = podGracePeriod(current, opts);
    if (grace > 0) {
      if (current.metadata.deletionTimestamp) return { code: 200, body: objectJson(current) };
      return { code: 200, body: objectJson(markTerminating(ctx, r, current, grace, opts.dryRun)) };
    }
  }
  const existing = current.metadata.finalizers ?? [];
  if (finalizer || existing.length) {
    const marked = markDeleted(ctx, r, current, opts.dryRun, (o) => {
      o.metadata.deletionTimestamp ??= ctx.clock.iso();
      o.metadata.deletionGracePeriodSeconds ??= 0;
      if (finalizer && !existing.includes(finalizer)) o.metadata.finalizers = [...existing, finalizer];
    });
    return { code: 200, body: objectJson(marked) };
  }
  return deleteNow(ctx, r, current, opts.dryRun);
}

/** Without controllers: cascade here, synchronously for Foreground, via the API's own GC for Background. */
function removeAlone(ctx: WriteContext, gc: GarbageCollector, r: ResourceDef, current: KubeObject, opts: DeleteOptions): { code: number; body: string } {
  const key = storeKey(r);
  const { namespace, name } = current.metadata;
  const uid = current.metadata.uid ?? '';
  if (opts.dryRun) {
    // Nothing cascades in a dry run.
  } else if (opts.propagationPolicy === 'Orphan') {
    for (const d of gc.dependentsOf(uid)) {
      try {
        ctx.store.mutate(d.resource, d.namespace, d.name, (o) => {
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((x) => x.uid !== uid);
          if (!o.metadata.ownerReferences.length) delete o.metadata.ownerReferences;
        });
      } catch {
        // gone meanwhile
      }
    }
  } else if (opts.propagationPolicy === 'Foreground') {
    cascade(ctx, gc, uid);
  }

  const grace = key === 'pods' ? podGracePeriod(current, opts) : 0;
  if (grace > 0) {
    if (current.metadata.deletionTimestamp) return { code: 200, body: objectJson(current) };
    const marked = markTerminating(ctx, r, current, grace, opts.dryRun);
    if (opts.dryRun) return { code: 200, body: objectJson(marked) };
    // No kubelet simulation: do its part, the containers stop, then the pod object goes.
    ctx.clock.after(Math.min(grace, 2) * 1000, () => {
      const still = ctx.store.peekOne(key, namespace, name);
      if (still && still.metadata.uid === uid) {
        try {
          ctx.store.delete(key, namespace, name);
        } catch {
          // deleted meanwhile
        }
      }
    });
    return { code: 200, body: objectJson(marked) };
  }
  return deleteNow(ctx, r, current, opts.dryRun);
}

/** Foreground: dependents (recursively) first, then the owner. */
function cascade(ctx: WriteContext, gc: GarbageCollector, uid: string): void {
  for (const d of gc.dependentsOf(uid)) {
    const obj = ctx.store.peekOne(d.resource, d.namespace, d.name);
    if (!obj) continue;
    if (obj.metadata.uid) cascade(ctx, gc, obj.metadata.uid);
    try {
      ctx.store.delete(d.resource, d.namespace, d.name);
    } catch {
      // gone meanwhile
    }
  }
}

function deleteNamespace(ctx: WriteContext, r: ResourceDef, ns: KubeObject, opts: DeleteOptions): { code: number; body: string } {
  const name = ns.metadata.name;
  if (opts.dryRun) {
    const terminating = clone(ns);
    terminating.metadata.deletionTimestamp ??= ctx.clock.iso();
    return { code: 200, body: JSON.stringify({ ...terminating, status: { phase: 'Terminating' } }) };
  }
  for (const res of servedResources(ctx.store)) {
    if (!res.namespaced || res.virtual) continue;
    const key = storeKey(res);
    for (const obj of [...ctx.store.peek(key)]) {
      if (obj.metadata.namespace !== name) continue;
      try {
        ctx.store.delete(key, name, obj.metadata.name);
      } catch {
        // gone meanwhile
      }
    }
  }
  const gone = storeCall(r, name, () => ctx.store.delete('namespaces', undefined, name));
  return { code: 200, body: JSON.stringify({ ...gone, status: { phase: 'Terminating' } }) };
}

export function removeCollection(ctx: WriteContext, r: ResourceDef, namespace: string | undefined, q: URLSearchParams, opts: DeleteOptions): string {
  const key = storeKey(r);
  const filter = compileFilter({ namespace, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector'), resourceKey: key });
  const victims = [...ctx.store.peek(key)].filter(filter);
  const items: string[] = [];
  for (const v of victims) {
    try {
      items.push(objectJson(v));
      remove(ctx, r, v.metadata.namespace, v.metadata.name, opts);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }
  return `{"kind":"${r.kind}List","apiVersion":"${apiVersionOf(r)}","metadata":{"resourceVersion":"${ctx.store.latestRv()}"},"items":[${items.join(',')}]}`;
}

export function respondObject(res: ServerResponse, code: number, obj: KubeObject): void {
  // A stored (frozen) object's JSON is cached: the watch events of this very write reuse it.
  sendRaw(res, code, Object.isFrozen(obj) ? objectJson(obj) : JSON.stringify(obj));
}
