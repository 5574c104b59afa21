// All watch caches of one context, started lazily per kind, plus the context's connection state
// as the caches see it (they notice a lost server before any probe) and its offline snapshot.
// Reference-counted: the watches (and the heartbeat) run while someone holds a reference (a change
// listener, `acquire()`) and stop a grace period after the last one goes; a plain read counts as a
// reference for that grace period, so one-shot reads in a row reuse the same watches.
// A hung API server (process stopped, sockets open) sends no error and no byte: watches would stay
// "live" until their idle timeout. A cheap GET /version every 15 s with a 10 s deadline notices it.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterStatus } from '../../../shared/contract/clusters.js';
import { WATCHED_KINDS, type CacheEvent, type KubeObject, type ResourceCaches, type WatchedKind } from '../../../shared/model/kube.js';
import { WatchCache, type BackoffOptions } from './watch-cache.js';
import { readSnapshot, writeSnapshot, writeSnapshotChunked } from './offline-snapshot.js';
import { getJson, KubeError } from '../kube/index.js';

export interface ContextCachesOptions {
  context: string;
  kc: KubeConfig;
  report: (state: ClusterStatus['state'], reason?: string) => void;
  /** A request got 401: the service drops the user's cached exec credential. */
  onUnauthorized?: () => void;
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: number;
  /** Where offline snapshots live; no snapshots without it. */
  snapshotDir?: string;
  /** Minimum time between two snapshot writes. */
  snapshotEveryMs?: number;
  /** How long the server may stay unreachable before "reconnecting" becomes "offline". */
  offlineAfterMs?: number;
  /** How often to ask the API server for /version while caches run, and how long to wait for it. */
  heartbeat?: HeartbeatOptions;
  /** How long the watches outlive their last reference (default 30 s). */
  idleStopMs?: number;
  /** Told when the watches start (true) and stop (false): the connection monitor probes meanwhile. */
  onActiveChange?: (active: boolean) => void;
  now?: () => Date;
}

export const DEFAULT_IDLE_STOP_MS = 30_000;

export interface HeartbeatOptions {
  everyMs: number;
  timeoutMs: number;
}

/** Worst case to notice a hung server: one interval plus one timeout (25 s, well inside 60 s). */
export const DEFAULT_HEARTBEAT: HeartbeatOptions = { everyMs: 15_000, timeoutMs: 10_000 };

/** The connection problem a failed heartbeat records, next to the per-kind ones. */
const API_SERVER = 'api-server';

const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

/** Events are many and only the recent ones matter offline. */
const SNAPSHOT_EVENTS = 500;

export class ContextCaches implements ResourceCaches {
  private readonly caches = new Map<WatchedKind, WatchCache>();
  private readonly problems = new Map<WatchedKind | typeof API_SERVER, { reason: string; unreachable: boolean }>();
  private kc: KubeConfig;
  private heartbeatTimer?: NodeJS.Timeout;
  private heartbeatAbort?: AbortController;
  /** When the API server first failed to answer the heartbeat (cleared by an answer). */
  private silentSince?: Date;
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
  /** Watches and heartbeat are running. */
  private active = false;
  private refs = 0;
  private lastTouch = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: ContextCachesOptions) {
    this.kc = options.kc;
  }

  get context(): string {
    return this.options.context;
  }

  /** Set while showing an offline snapshot: the ISO time it was taken. */
  get offlineSince(): string | undefined {
    return this.offlineAsOf;
  }

  /** Holds the watches open until the returned release is called (idempotent). */
  acquire(): () => void {
    this.refs++;
    this.activate();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.refs--;
      if (this.refs === 0) this.touch();
    };
  }

  /** Open watch references (listeners and holders), for tests and diagnostics. */
  get references(): number {
    return this.refs;
  }

  /** Whether the watches run now (false before first use and after the idle stop). */
  get watching(): boolean {
    return this.active;
  }

  /** A read without a reference: watches run, and stop a grace period after the last such read. */
  private touch(): void {
    this.activate();
    if (this.refs > 0 || this.stopped) return;
    this.lastTouch = Date.now();
    this.idleTimer ??= setTimeout(() => this.idleCheck(), this.idleStopMs);
  }

  private get idleStopMs(): number {
    return this.options.idleStopMs ?? DEFAULT_IDLE_STOP_MS;
  }

  private idleCheck(): void {
    this.idleTimer = undefined;
    if (this.refs > 0 || this.stopped || !this.active) return;
    const left = this.lastTouch + this.idleStopMs - Date.now();
    if (left > 0) {
      this.idleTimer = setTimeout(() => this.idleCheck(), left);
      return;
    }
    this.suspend();
  }

  private activate(): void {
    if (this.active || this.stopped) return;
    this.active = true;
    for (const cache of this.caches.values()) cache.start();
    if (this.caches.size > 0) this.startHeartbeat();
    this.options.onActiveChange?.(true);
  }

  /** Nobody looks any more: close every watch, stop the heartbeat, save the snapshot, free the objects. */
  private suspend(): void {
    this.active = false;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.heartbeatAbort?.abort();
    this.heartbeatAbort = undefined;
    clearInterval(this.snapshotTimer);
    this.snapshotTimer = undefined;
    clearTimeout(this.offlineTimer);
    this.offlineTimer = undefined;
    if (this.snapshotWriting) this.dirty = true;
    this.writeSnapshotNow(false, true);
    for (const cache of this.caches.values()) cache.suspend();
    // What the caches knew is gone: the next start lists afresh and, if the server cannot be
    // reached then, shows the snapshot just written.
    this.problems.clear();
    this.silentSince = undefined;
    this.lostAt = undefined;
    this.everLive = false;
    this.offlineAsOf = undefined;
    this.options.onActiveChange?.(false);
    this.notify();
  }

  cache(kind: WatchedKind): WatchCache {
    this.touch();
    return this.ensureCache(kind);
  }

  private ensureCache(kind: WatchedKind): WatchCache {
    let cache = this.caches.get(kind);
    if (!cache) {
      cache = new WatchCache({
        kc: this.kc,
        kind,
        backoff: this.options.backoff,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        onHealth: (k, health) => this.onHealth(k, health),
        onUnauthorized: this.options.onUnauthorized,
      });
      cache.onChange(() => (this.dirty = true));
      this.caches.set(kind, cache);
      if (this.active) {
        cache.start();
        this.startHeartbeat();
      }
    }
    return cache;
  }

  /** The kubeconfig changed how this context connects: every cache lists again with the new config. */
  reconnect(kc: KubeConfig): void {
    this.kc = kc;
    this.silentSince = undefined;
    this.problems.clear();
    for (const cache of this.caches.values()) cache.restart(kc);
    this.heartbeatAbort?.abort();
    this.heartbeatAbort = undefined;
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    const { everyMs } = this.options.heartbeat ?? DEFAULT_HEARTBEAT;
    this.heartbeatTimer = setInterval(() => void this.beat(), everyMs);
    this.heartbeatTimer.unref();
  }

  private async beat(): Promise<void> {
    if (this.heartbeatAbort || this.stopped || !this.active) return;
    const { timeoutMs } = this.options.heartbeat ?? DEFAULT_HEARTBEAT;
    const abort = (this.heartbeatAbort = new AbortController());
    const kc = this.kc;
    const startedAt = this.now();
    // A hard deadline too: the socket timeout alone restarts with every byte a trickling server sends.
    const deadline = setTimeout(() => abort.abort(), timeoutMs);
    let answered: boolean;
    try {
      await getJson(kc, '/version', { signal: abort.signal, timeoutMs });
      answered = true;
    } catch (error) {
      // Any HTTP status (401, 403, 500) is an answer; only silence or a network error is not.
      answered = error instanceof KubeError && error.status !== 0;
    } finally {
      clearTimeout(deadline);
      if (this.heartbeatAbort === abort) this.heartbeatAbort = undefined;
    }
    // Stopped, or the kubeconfig changed under this beat: its answer says nothing any more.
    if (this.stopped || !this.active || kc !== this.kc) return;
    if (answered) {
      if (!this.silentSince) return;
      this.silentSince = undefined;
      this.problems.delete(API_SERVER);
      // Streams that were open through the silence may be dead: list again and diff.
      for (const cache of this.caches.values()) cache.restart();
      this.updateState();
      return;
    }
    this.silentSince ??= startedAt;
    this.problems.set(API_SERVER, {
      reason: `API server not answering since ${hhmm(this.silentSince)} (GET /version: no answer within ${timeoutMs / 1000} s)`,
      unreachable: true,
    });
    this.updateState();
  }

  /** Starts every kind (the topology needs them all). */
  startAll(): void {
    this.touch();
    for (const kind of WATCHED_KINDS) this.ensureCache(kind);
  }

  list(kind: WatchedKind): KubeObject[] {
    return this.cache(kind).list();
  }

  get(kind: WatchedKind, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cache(kind).get(namespace, name);
  }

  /** A listener holds a reference: the kind is watched until it unsubscribes. */
  onChange(kind: WatchedKind, listener: (event: CacheEvent) => void): () => void {
    const release = this.acquire();
    const off = this.ensureCache(kind).onChange(listener);
    return () => {
      off();
      release();
    };
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
    this.active = false;
    clearTimeout(this.idleTimer);
    for (const cache of this.caches.values()) cache.stop();
    clearInterval(this.heartbeatTimer);
    this.heartbeatAbort?.abort();
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
    if (this.stopped || !this.active) return;
    if (health.ok) this.problems.delete(kind);
    else this.problems.set(kind, { reason: health.reason, unreachable: health.unreachable });
    this.updateState();
  }

  private updateState(): void {
    // A silent API server explains every kind's trouble at once: say that first.
    const problem = this.problems.get(API_SERVER) ?? [...this.problems.values()][0];
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
        for (const kind of WATCHED_KINDS) this.ensureCache(kind).seed(snapshot.objects[kind] ?? []);
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

  /** `inBackground`: serialize in chunks (live updates keep flowing); stop() and the idle stop write at once. */
  private writeSnapshotNow(inBackground = false, final = this.stopped): void {
    const dir = this.options.snapshotDir;
    if (!dir || (inBackground && this.snapshotWriting) || !this.dirty || this.offlineAsOf || !this.allSynced() || this.problems.size > 0) return;
    const every = this.options.snapshotEveryMs ?? 30_000;
    if (this.lastWrite && Date.now() - this.lastWrite < every && !final) return;
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
