// The demo fleet's object store: what etcd + the apiserver's storage layer are to a real cluster.
// One global, monotonic resourceVersion; a bounded history of events per resource so watches can
// resume from an older version, and a 410 Expired answer once that version has been compacted.
// Stored objects are deep-frozen and replaced (never changed) on every write, with unchanged
// subtrees shared between versions: readers and watch events use them without copies.
import { copyJson, settle } from './json-values.js';
import { newUid } from './ids.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** Resource key: plural for the core group (`pods`), `plural.group` otherwise (`deployments.apps`). */
  resource: string;
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  old?: KubeObject;
  /** The resourceVersion this event produced, as a number for cheap comparisons. */
  rv: number;
}

export class StoreError extends Error {
  constructor(
    readonly reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'Invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface StoreOptions {
  /** How many events each resource keeps for watch resumption (real servers keep minutes). */
  historyPerResource?: number;
  /** Source of creationTimestamp values (the simulated clock). */
  nowIso?: () => string;
}

/**
 * Fills in server-side defaults (imagePullPolicy, restartPolicy, …) on every create and update, the
 * way the apiserver does, so objects written by controllers, seeds and clients compare alike.
 * Must be idempotent; mutates `obj` in place.
 */
export type Defaulter = (resource: string, obj: KubeObject) => void;

type Listener = (event: StoreEvent) => void;

const key = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/** A mutable deep copy with JSON semantics (see copyJson): for callers that change what they read. */
export const clone = <T>(value: T): T => copyJson(value);

export class ObjectStore {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history = new Map<string, StoreEvent[]>();
  /** Lowest resourceVersion still answerable from history, per resource. */
  private readonly compactedBelow = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private readonly historyLimit: number;
  private readonly nowIso: () => string;
  /** Per resource, `namespace/name` keys in code-unit order, rebuilt lazily after creates and deletes. */
  private readonly sorted = new Map<string, string[]>();
  private defaulter: Defaulter | undefined;

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyPerResource ?? 20_000;
    this.nowIso = options.nowIso ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }

  /** Installs the defaulting step applied to every created or updated object (see Defaulter). */
  setDefaulter(defaulter: Defaulter | undefined): void {
    this.defaulter = defaulter;
  }

  /** The latest resourceVersion handed out, as a number. */
  latestRv(): number {
    return this.rv;
  }

  /** Versions below this one can no longer be resumed from for `resource` (410 Expired). */
  oldestResumableRv(resource: string): number {
    return this.compactedBelow.get(resource) ?? 0;
  }

  /** The stored object itself, read-only (no copy): for request hot paths. */
  peekOne(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(key(namespace, name));
  }

  /**
   * Keys (`namespace/name`) of a resource in a stable order (plain string order), cached until
   * the next create or delete: pagination walks this list.
   */
  sortedKeys(resource: string): readonly string[] {
    let keys = this.sorted.get(resource);
    if (!keys) {
      keys = [...(this.objects.get(resource)?.keys() ?? [])].sort();
      this.sorted.set(resource, keys);
    }
    return keys;
  }

  /** The stored object under a key from sortedKeys, read-only. */
  peekKey(resource: string, k: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(k);
  }

  /** The latest resourceVersion handed out, as the opaque string clients see. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  /** A mutable copy of the stored object (peekOne reads without copying). */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(resource)?.get(key(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Objects of a resource, optionally in one namespace, sorted by namespace then name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const all = this.objects.get(resource);
    if (!all) return [];
    const out: KubeObject[] = [];
    for (const obj of all.values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(clone(obj));
    }
    return out.sort((a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  /** Like list, but hands out the stored objects themselves: read-only, for hot paths (tables, metrics). */
  peek(resource: string): Iterable<KubeObject> {
    return this.objects.get(resource)?.values() ?? [];
  }

  count(resource: string): number {
    return this.objects.get(resource)?.size ?? 0;
  }

  /**
   * Stores a new object and returns it: the stored object itself, deep-frozen (as for every write
   * below). `handOver: true` skips the defensive copy of `input`: the caller gives it away and
   * never touches it again (its objects get frozen). For bulk seeding, where copies dominate.
   */
  create(resource: string, input: KubeObject, options: { handOver?: boolean } = {}): KubeObject {
    const obj = options.handOver ? input : clone(input);
    const meta = obj.metadata;
    this.defaulter?.(resource, obj);
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    if (!meta.name) throw new StoreError('Invalid', 'name or generateName is required');
    const bucket = this.bucket(resource);
    if (bucket.has(key(meta.namespace, meta.name))) {
      throw new StoreError('AlreadyExists', `${resource} "${meta.name}" already exists`);
    }
    meta.uid = newUid();
    meta.creationTimestamp = meta.creationTimestamp ?? this.nowIso();
    meta.generation = 1;
    meta.resourceVersion = String(++this.rv);
    const stored = settle(obj);
    bucket.set(key(meta.namespace, meta.name), stored);
    this.sorted.delete(resource);
    this.emit({ type: 'ADDED', resource, object: stored, rv: this.rv });
    return stored;
  }

  /**
   * Replaces an object. When `input.metadata.resourceVersion` is set it must match the stored one
   * (optimistic concurrency, 409 otherwise); unset means unconditional, as a PUT without a version.
   * `generation` increments when anything outside metadata and status changed. `input` stays the
   * caller's (it is copied); the stored, frozen result is returned.
   */
  update(resource: string, input: KubeObject, options: { subresource?: 'status' } = {}): KubeObject {
    const meta = input.metadata;
    const bucket = this.bucket(resource);
    const current = bucket.get(key(meta.namespace, meta.name));
    if (!current) throw new StoreError('NotFound', `${resource} "${meta.name}" not found`);
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${meta.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    return this.replace(resource, bucket, current, clone(input), options.subresource, false);
  }

  /**
   * Read-modify-write with a callback on a mutable copy of the stored object; returns the new stored
   * (frozen) object, or undefined if it vanished. With `ifChanged`, a change that leaves the object
   * as it was writes nothing (no new resourceVersion, no event) and returns the current object.
   */
  mutate(
    resource: string,
    namespace: string | undefined,
    name: string,
    change: (obj: KubeObject) => void,
    options: { subresource?: 'status'; ifChanged?: boolean } = {},
  ): KubeObject | undefined {
    const bucket = this.objects.get(resource);
    const current = bucket?.get(key(namespace, name));
    if (!bucket || !current) return undefined;
    const draft = options.subresource === 'status' ? statusDraft(current) : clone(current);
    change(draft);
    return this.replace(resource, bucket, current, draft, options.subresource, options.ifChanged ?? false);
  }

  /** Deletes an object; returns its last state (frozen), stamped with the deletion's resourceVersion. */
  delete(resource: string, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(resource);
    const k = key(namespace, name);
    const current = bucket.get(k);
    if (!current) throw new StoreError('NotFound', `${resource} "${name}" not found`);
    bucket.delete(k);
    this.sorted.delete(resource);
    const gone = withVersion(current, String(++this.rv));
    this.emit({ type: 'DELETED', resource, object: gone, old: current, rv: this.rv });
    return gone;
  }

  /**
   * Events of a resource after `fromRv`, for a watch resuming from that version. Throws Expired
   * (the apiserver's 410) when history no longer reaches back that far.
   */
  eventsSince(resource: string, fromRv: number): StoreEvent[] {
    const floor = this.compactedBelow.get(resource) ?? 0;
    if (fromRv < floor) {
      throw new StoreError('Expired', `too old resource version: ${fromRv} (${floor})`);
    }
    const events = this.history.get(resource) ?? [];
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid].rv <= fromRv) lo = mid + 1;
      else hi = mid;
    }
    return events.slice(lo);
  }

  /**
   * Drops history so that every version handed out so far answers 410 (fault injection, tests).
   * Consumes one version, so a list made after compaction returns a version that can be watched.
   */
  compact(resource?: string): void {
    this.rv++;
    const resources = resource ? [resource] : [...new Set([...this.history.keys(), ...this.objects.keys()])];
    for (const r of resources) {
      this.history.set(r, []);
      this.compactedBelow.set(r, this.rv);
    }
  }

  /** Every change, synchronously, in resourceVersion order. Returns an unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resources(): string[] {
    return [...this.objects.keys()];
  }

  /**
   * The write behind update and mutate. `draft` is the store's to keep (a private copy). The
   * settled draft shares unchanged subtrees with `current`, so "nothing changed" and "the spec did
   * not change" are mostly reference comparisons.
   */
  private replace(resource: string, bucket: Map<string, KubeObject>, current: KubeObject, draft: KubeObject, subresource: 'status' | undefined, ifChanged: boolean): KubeObject {
    this.defaulter?.(resource, draft);
    const cm = current.metadata;
    const dm = draft.metadata;
    if (subresource !== 'status') {
      dm.uid = cm.uid;
      dm.creationTimestamp = cm.creationTimestamp;
      dm.generation = cm.generation;
      if (draft.status === undefined && current.status !== undefined) draft.status = current.status;
    }
    // Compare with the stored version as it is: the new resourceVersion is stamped afterwards.
    dm.resourceVersion = cm.resourceVersion;
    const settled = settle(draft, current);
    if (ifChanged && settled === current) return current;
    let next: KubeObject;
    let generation = cm.generation;
    if (subresource === 'status') {
      // A status write may change nothing but status.
      if (settled.status !== undefined) next = { ...current, status: settled.status };
      else {
        const { status: _old, ...rest } = current;
        next = rest as KubeObject;
      }
    } else {
      next = settled;
      if (specChanged(current, settled)) generation = (cm.generation ?? 1) + 1;
    }
    next = withVersion(next, String(++this.rv), generation);
    bucket.set(key(next.metadata.namespace, next.metadata.name), next);
    this.emit({ type: 'MODIFIED', resource, object: next, old: current, rv: this.rv });
    return next;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let bucket = this.objects.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    return bucket;
  }

  private emit(event: StoreEvent): void {
    let events = this.history.get(event.resource);
    if (!events) {
      events = [];
      this.history.set(event.resource, events);
    }
    // History keeps only the new object: `old` is for synchronous subscribers, and holding both
    // would double the memory of a busy resource's history.
    events.push(event.old ? { type: event.type, resource: event.resource, object: event.object, rv: event.rv } : event);
    // Trim in chunks of a quarter of the limit: splicing one event off the front of a 20,000-event
    // array on every write moved the whole array each time (seen as ~8% CPU at 1,000 writes/s).
    if (events.length > this.historyLimit + Math.max(1, this.historyLimit >> 2)) {
      const dropped = events.splice(0, events.length - this.historyLimit);
      this.compactedBelow.set(event.resource, dropped[dropped.length - 1].rv);
    }
    for (const listener of this.listeners) listener(event);
  }
}

/** A frozen shallow copy of a stored object with a new resourceVersion (and generation). */
function withVersion(obj: KubeObject, resourceVersion: string, generation = obj.metadata.generation): KubeObject {
  const metadata: ObjectMeta = { ...obj.metadata, resourceVersion };
  if (generation !== undefined) metadata.generation = generation;
  return Object.freeze({ ...obj, metadata: Object.freeze(metadata) });
}

/**
 * Whether anything outside metadata and status differs. Settled objects share unchanged subtrees,
 * so equal references answer at once; otherwise (a frozen subtree handed in from elsewhere) the
 * serialized forms decide, as before.
 */
function specChanged(before: KubeObject, after: KubeObject): boolean {
  const ka = specKeys(before);
  const kb = specKeys(after);
  const same = ka.length === kb.length && ka.every((k, i) => k === kb[i] && before[k] === after[k]);
  return !same && cachedSpecOf(before) !== specOf(after);
}

const specKeys = (obj: KubeObject) => Object.keys(obj).filter((k) => k !== 'metadata' && k !== 'status');

/** Everything but metadata and status, serialized: what a generation bump compares. */
function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

const specCache = new WeakMap<KubeObject, string>();

/** specOf for stored objects, which never change once stored (frozen). */
function cachedSpecOf(stored: KubeObject): string {
  let s = specCache.get(stored);
  if (s === undefined) {
    s = specOf(stored);
    specCache.set(stored, s);
  }
  return s;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from the alphabet the apiserver uses for generateName. */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return out;
}

/**
 * The draft of a status write: only status is copied. A status write keeps nothing but status, so
 * spec and metadata's subtrees stay the stored (frozen) ones: the kubelet's status writes no longer
 * copy a whole pod each. A change that tries to edit the spec fails loudly instead of being dropped.
 */
function statusDraft(current: KubeObject): KubeObject {
  const draft: KubeObject = { ...current, metadata: { ...current.metadata } };
  if (current.status !== undefined) draft.status = clone(current.status);
  return draft;
}
