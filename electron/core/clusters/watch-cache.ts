// One kind's watch cache for one context: list, then watch from the list's resourceVersion with
// bookmarks; resume from the last seen version after a clean close; relist on 410 Expired; back
// off exponentially with jitter when the server is unreachable. A relist replaces the store and
// emits the difference, so listeners always see the same sequence a live watch would have shown.
import type { KubeConfig } from '@kubernetes/client-node';
import { objectKey, type CacheEvent, type KubeObject, type WatchedKind } from '../../../shared/model/kube.js';
import { apiVersionOf, collectionPath, getJson, KubeError, streamWatch, WATCHED_KIND_INFO, type WatchLine } from '../kube/index.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface WatchCacheOptions {
  kc: KubeConfig;
  kind: WatchedKind;
  backoff?: BackoffOptions;
  /** Server-side watch timeout; the cache resumes after it without a relist. */
  watchTimeoutSeconds?: number;
  pageSize?: number;
  /** Told when the cache reached or lost the server (feeds the context's connection state). */
  onHealth?: (kind: WatchedKind, health: { ok: true } | { ok: false; reason: string; unreachable: boolean }) => void;
  /** The server refused the credentials (401): a cached exec credential must be fetched again. */
  onUnauthorized?: () => void;
  random?: () => number;
}

interface ListResponse {
  metadata: { resourceVersion?: string; continue?: string };
  items: KubeObject[];
}

export class WatchCache {
  readonly kind: WatchedKind;
  private readonly store = new Map<string, KubeObject>();
  private readonly listeners = new Set<(event: CacheEvent) => void>();
  private resourceVersion = '';
  private isSynced = false;
  private notInstalled = false;
  private abort = new AbortController();
  private running = false;
  private failures = 0;
  private wake?: () => void;
  /** Counts for tests and diagnostics. */
  readonly stats = { lists: 0, watches: 0, expired: 0, errors: 0, bookmarks: 0 };

  private kc: KubeConfig;

  constructor(private readonly options: WatchCacheOptions) {
    this.kind = options.kind;
    this.kc = options.kc;
  }

  list(): KubeObject[] {
    return [...this.store.values()];
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(objectKey(WATCHED_KIND_INFO[this.kind].namespaced ? namespace : undefined, name));
  }

  get synced(): boolean {
    return this.isSynced;
  }

  /** True when the kind's CRD is not served by this cluster (e.g. no Argo Rollouts). */
  get missing(): boolean {
    return this.notInstalled;
  }

  onChange(listener: (event: CacheEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fills the cache from an offline snapshot; a later successful list replaces it. */
  seed(objects: KubeObject[]): void {
    this.replace(objects);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    void this.loop();
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
    this.wake?.();
  }

  /** Stops and forgets everything: nobody reads this kind any more; a later start lists afresh. */
  suspend(): void {
    this.stop();
    this.store.clear();
    this.isSynced = false;
    this.notInstalled = false;
    this.resourceVersion = '';
    this.failures = 0;
  }

  /**
   * Drops the current request and lists again (with new credentials after a kubeconfig reload, or
   * after the API server stopped answering). The store stays until the new list replaces it.
   */
  restart(kc?: KubeConfig): void {
    if (kc) this.kc = kc;
    if (!this.running) return;
    this.stop();
    this.failures = 0;
    this.start();
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let mustList = true;
    while (this.running && !signal.aborted) {
      try {
        if (mustList) {
          await this.relist(signal);
          mustList = false;
          if (this.notInstalled) {
            // Look again now and then: the CRD may be installed later.
            await this.sleep(60_000);
            mustList = true;
            continue;
          }
        }
        const outcome = await this.watchOnce(signal);
        if (outcome === 'expired') {
          this.stats.expired++;
          mustList = true;
        }
      } catch (error) {
        if (signal.aborted) break;
        this.stats.errors++;
        const status = error instanceof KubeError ? error.status : 0;
        if (status === 410) {
          this.stats.expired++;
          mustList = true;
          continue;
        }
        if (status === 401) this.options.onUnauthorized?.();
        const reason = error instanceof Error ? error.message : String(error);
        this.options.onHealth?.(this.kind, { ok: false, reason, unreachable: status === 0 || status >= 500 });
        await this.sleep(this.nextDelay());
      }
    }
  }

  private nextDelay(): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const base = Math.min(maxMs, initialMs * 2 ** this.failures++);
    // Full jitter between 50% and 100%: many caches reconnecting together spread out.
    return base * (0.5 + (this.options.random ?? Math.random)() / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const info = WATCHED_KIND_INFO[this.kind];
    const items: KubeObject[] = [];
    let cont = '';
    let rv = '';
    this.stats.lists++;
    do {
      const query = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
      if (cont) query.set('continue', cont);
      let page: ListResponse;
      try {
        page = await getJson<ListResponse>(this.kc, `${collectionPath(info)}?${query}`, { signal });
      } catch (error) {
        if (info.optional && error instanceof KubeError && error.status === 404) {
          this.notInstalled = true;
          this.replace([]);
          this.isSynced = true;
          this.failures = 0;
          this.options.onHealth?.(this.kind, { ok: true });
          return;
        }
        throw error;
      }
      for (const item of page.items ?? []) items.push(this.slim(item));
      cont = page.metadata?.continue ?? '';
      rv = page.metadata?.resourceVersion ?? rv;
    } while (cont);
    this.notInstalled = false;
    this.resourceVersion = rv;
    this.replace(items);
    this.isSynced = true;
    this.failures = 0;
    this.options.onHealth?.(this.kind, { ok: true });
  }

  private async watchOnce(signal: AbortSignal): Promise<'closed' | 'expired'> {
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      timeoutSeconds: String(this.options.watchTimeoutSeconds ?? 240),
    });
    this.stats.watches++;
    let expired = false;
    let reported = false;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal.addEventListener('abort', onAbort);
    try {
      const idleMs = ((this.options.watchTimeoutSeconds ?? 240) + 30) * 1000;
      await streamWatch(
        this.kc,
        `${collectionPath(WATCHED_KIND_INFO[this.kind])}?${query}`,
        inner.signal,
        (line) => {
          if (!reported) {
            reported = true;
            this.failures = 0;
            this.options.onHealth?.(this.kind, { ok: true });
          }
          if (this.handle(line) === 'expired') {
            expired = true;
            inner.abort();
          }
        },
        idleMs,
      );
    } catch (error) {
      if (!expired) throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (!reported) {
      this.failures = 0;
      this.options.onHealth?.(this.kind, { ok: true });
    }
    return expired ? 'expired' : 'closed';
  }

  private handle(line: WatchLine): 'expired' | undefined {
    const object = line.object as KubeObject;
    if (line.type === 'ERROR') {
      const status = line.object as { code?: number; reason?: string; message?: string };
      if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') return 'expired';
      throw new KubeError(`watch ${this.kind} error: ${status.message ?? 'unknown'}`, status.code ?? 500, status.reason);
    }
    const rv = object?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (line.type === 'BOOKMARK') {
      this.stats.bookmarks++;
      return undefined;
    }
    const key = this.keyOf(object);
    if (line.type === 'DELETED') {
      this.store.delete(key);
      this.emit({ type: 'DELETED', object: this.slim(object) });
    } else {
      const slim = this.slim(object);
      const type = this.store.has(key) ? 'MODIFIED' : 'ADDED';
      this.store.set(key, slim);
      this.emit({ type, object: slim });
    }
    return undefined;
  }

  private replace(items: KubeObject[]): void {
    const next = new Map(items.map((item) => [this.keyOf(item), item]));
    const events: CacheEvent[] = [];
    for (const [key, old] of this.store) if (!next.has(key)) events.push({ type: 'DELETED', object: old });
    for (const [key, item] of next) {
      const old = this.store.get(key);
      if (!old) events.push({ type: 'ADDED', object: item });
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) events.push({ type: 'MODIFIED', object: item });
    }
    this.store.clear();
    for (const [key, item] of next) this.store.set(key, item);
    for (const event of events) this.emit(event);
  }

  private keyOf(object: KubeObject): string {
    return objectKey(WATCHED_KIND_INFO[this.kind].namespaced ? object.metadata.namespace : undefined, object.metadata.name);
  }

  /** managedFields are large and never shown: dropping them keeps 10k pods well inside the memory budget. */
  private slim(object: KubeObject): KubeObject {
    const info = WATCHED_KIND_INFO[this.kind];
    if (object.metadata?.managedFields !== undefined) {
      const { managedFields: _dropped, ...metadata } = object.metadata;
      object = { ...object, metadata };
    }
    if (!object.kind) object = { ...object, kind: info.kind, apiVersion: apiVersionOf(info) };
    return object;
  }

  private emit(event: CacheEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not break the cache for everyone else.
      }
    }
  }
}
