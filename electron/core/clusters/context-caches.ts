// All watch caches of one context, started lazily per kind, plus the context's connection state
// as the caches see it (they notice a lost server before any probe) and its offline snapshot.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterStatus } from '../../../shared/contract/clusters.js';
import { WATCHED_KINDS, type CacheEvent, type KubeObject, type ResourceCaches, type WatchedKind } from '../../../shared/model/kube.js';
import { WatchCache, type BackoffOptions } from './watch-cache.js';
import { readSnapshot, writeSnapshot, writeSnapshotChunked } from './offline-snapshot.js';

export interface ContextCachesOptions {
  context: string;
  kc: KubeConfig;
  report: (state: ClusterStatus['state'], reason?: string) => void;
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: number;
  /** Where offline snapshots live; no snapshots without it. */
  snapshotDir?: string;
  /** Minimum time between two snapshot writes. */
  snapshotEveryMs?: number;
  /** How long the server may stay unreachable before "reconnecting" becomes "offline". */
  offlineAfterMs?: number;
  now?: () => Date;
}

/** Events are many and only the recent ones matter offline. */
const SNAPSHOT_EVENTS = 500;

export class ContextCaches implements ResourceCaches {
  private readonly caches = new Map<WatchedKind, WatchCache>();
  private readonly problems = new Map<WatchedKind, { reason: string; unreachable: boolean }>();
  private everLive = false;
  private lostAt?: number;
  private lastSyncedAt?: Date;
  private offlineAsOf?: string;
  private lastWrite = 0;
  private dirty = false;
  private snapshotTimer?: NodeJS.Timeout;
  private snapshotWriting = false;
  private offlineTimer?: NodeJS.Timeout;
  private readonly stateListeners = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: ContextCachesOptions) {}

  get context(): string {
    return this.options.context;
  }

  /** Set while showing an offline snapshot: the ISO time it was taken. */
  get offlineSince(): string | undefined {
    return this.offlineAsOf;
  }

  cache(kind: WatchedKind): WatchCache {
    let cache = this.caches.get(kind);
    if (!cache) {
      cache = new WatchCache({
        kc: this.options.kc,
        kind,
        backoff: this.options.backoff,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        onHealth: (k, health) => this.onHealth(k, health),
      });
      cache.onChange(() => (this.dirty = true));
      this.caches.set(kind, cache);
      if (!this.stopped) cache.start();
    }
    return cache;
  }

  /** Starts every kind (the topology needs them all). */
  startAll(): void {
    for (const kind of WATCHED_KINDS) this.cache(kind);
  }

  list(kind: WatchedKind): KubeObject[] {
    return this.cache(kind).list();
  }

  get(kind: WatchedKind, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cache(kind).get(namespace, name);
  }

  onChange(kind: WatchedKind, listener: (event: CacheEvent) => void): () => void {
    return this.cache(kind).onChange(listener);
  }

  synced(kind: WatchedKind): boolean {
    return this.cache(kind).synced;
  }

  allSynced(): boolean {
    return WATCHED_KINDS.every((kind) => this.caches.get(kind)?.synced === true);
  }

  /** Told when synced/offline flags may have changed (the topology stream re-sends its header). */
  onStateChange(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  stats(): Record<string, WatchCache['stats']> {
    return Object.fromEntries([...this.caches].map(([kind, cache]) => [kind, { ...cache.stats }]));
  }

  stop(): void {
    this.stopped = true;
    for (const cache of this.caches.values()) cache.stop();
    clearInterval(this.snapshotTimer);
    clearTimeout(this.offlineTimer);
    // A background write in flight will not land after this one: this one must happen.
    if (this.snapshotWriting) this.dirty = true;
    this.writeSnapshotNow();
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  private onHealth(kind: WatchedKind, health: { ok: true } | { ok: false; reason: string; unreachable: boolean }): void {
    if (this.stopped) return;
    if (health.ok) this.problems.delete(kind);
    else this.problems.set(kind, { reason: health.reason, unreachable: health.unreachable });
    this.updateState();
  }

  private updateState(): void {
    const problem = [...this.problems.values()][0];
    if (!problem) {
      clearTimeout(this.offlineTimer);
      this.offlineTimer = undefined;
      this.lostAt = undefined;
      if (this.offlineAsOf && this.allSynced()) this.offlineAsOf = undefined;
      const synced = [...this.caches.values()].every((c) => c.synced);
      if (synced) {
        this.everLive = true;
        this.lastSyncedAt = this.now();
        this.scheduleSnapshots();
      }
      this.options.report(synced ? 'live' : 'connecting');
      this.notify();
      return;
    }
    if (!problem.unreachable) {
      this.options.report('degraded', `${problem.reason}; retrying`);
      this.notify();
      return;
    }
    if (!this.everLive) {
      this.openSnapshot(problem.reason);
      return;
    }
    this.lostAt ??= Date.now();
    const offlineAfter = this.options.offlineAfterMs ?? 30_000;
    if (Date.now() - this.lostAt >= offlineAfter) {
      this.options.report('offline', `offline — as of ${this.lastSyncedAt?.toISOString() ?? 'unknown'}: ${problem.reason}`);
    } else {
      this.options.report('degraded', `reconnecting — ${problem.reason}`);
      if (!this.offlineTimer) this.offlineTimer = setTimeout(() => ((this.offlineTimer = undefined), this.updateState()), offlineAfter);
    }
    this.notify();
  }

  /** The server could not be reached from the start: show the last snapshot, read-only. */
  private openSnapshot(reason: string): void {
    if (!this.offlineAsOf && this.options.snapshotDir) {
      const snapshot = readSnapshot(this.options.snapshotDir, this.options.context);
      if (snapshot) {
        this.offlineAsOf = snapshot.asOf;
        for (const kind of WATCHED_KINDS) this.cache(kind).seed(snapshot.objects[kind] ?? []);
      }
    }
    this.options.report(
      'offline',
      this.offlineAsOf ? `offline — as of ${this.offlineAsOf} (read-only snapshot): ${reason}` : `offline, no snapshot saved yet: ${reason}`,
    );
    this.notify();
  }

  private scheduleSnapshots(): void {
    if (!this.options.snapshotDir || this.snapshotTimer) return;
    const every = this.options.snapshotEveryMs ?? 30_000;
    this.dirty = true;
    this.writeSnapshotNow(true);
    this.snapshotTimer = setInterval(() => this.writeSnapshotNow(true), every);
    this.snapshotTimer.unref();
  }

  /** `inBackground`: serialize in chunks (live updates keep flowing); stop() writes at once. */
  private writeSnapshotNow(inBackground = false): void {
    const dir = this.options.snapshotDir;
    if (!dir || (inBackground && this.snapshotWriting) || !this.dirty || this.offlineAsOf || !this.allSynced() || this.problems.size > 0) return;
    const every = this.options.snapshotEveryMs ?? 30_000;
    if (this.lastWrite && Date.now() - this.lastWrite < every && !this.stopped) return;
    const objects: Partial<Record<WatchedKind, KubeObject[]>> = {};
    for (const kind of WATCHED_KINDS) {
      const items = this.caches.get(kind)?.list() ?? [];
      objects[kind] = kind === 'events' ? items.slice(-SNAPSHOT_EVENTS) : items;
    }
    const snapshot = { context: this.options.context, asOf: this.now().toISOString(), objects };
    if (inBackground) {
      this.snapshotWriting = true;
      this.dirty = false;
      writeSnapshotChunked(dir, snapshot, () => !this.stopped)
        .then(() => (this.lastWrite = Date.now()))
        // A full disk must not take the live view down; the next tick tries again.
        .catch(() => (this.dirty = true))
        .finally(() => (this.snapshotWriting = false));
      return;
    }
    try {
      writeSnapshot(dir, snapshot);
      this.lastWrite = Date.now();
      this.dirty = false;
    } catch {
      // A full disk must not take the live view down; the next tick tries again.
    }
  }

  private notify(): void {
    for (const listener of this.stateListeners) listener();
  }
}
