// Watch streaming: one store subscription fans events out to every open watch. Each event is
// serialized once and written to each matching watcher; a watcher whose selector stops (or
// starts) matching an object sees DELETED (or ADDED), as with the apiserver's watch cache.
import type { ServerResponse } from 'node:http';
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';
import { StoreError } from '../store.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf, storeKey } from './registry.js';
import type { Predicate } from './selectors.js';
import { compileFilter } from './selectors.js';
import type { IncludeObject } from './printers.js';
import { partialMetadata } from './printers.js';
import type { Representation } from './http-util.js';
import { boolParam, intParam, objectJson } from './http-util.js';
import { tableJson } from './reads.js';
import { badRequest, statusBody } from './status.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** The form a watcher receives its events in. */
export interface EventForm {
  r: ResourceDef;
  rep: Representation;
  include: IncludeObject;
}

interface Watcher extends EventForm {
  filter: Predicate;
  res: ServerResponse;
  columnsSent: boolean;
  bookmarks: boolean;
  /** Lines waiting for the next flush: one socket write per watcher per event-loop turn. */
  pending: string[];
  close: () => void;
}

/** A slow client holding more than this much unsent data is dropped; it will resume by resourceVersion. */
const MAX_BUFFERED = 64 * 1024 * 1024;
const BOOKMARK_EVERY_MS = 5_000;
/**
 * Socket writes happen at most this often while events keep coming (the first event after a pause
 * goes out at once). Each write to a TLS socket has a fixed cost well above the encryption of a
 * few KB: flushing after every producer tick (every ~5 ms at 1,000 changes/s) cost ~30% more server
 * CPU than batching to 10 ms, for at most 10 ms of added latency.
 */
const FLUSH_EVERY_MS = 10;

export class WatchHub {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly unsubscribe: () => void;
  private readonly bookmarkTimer: NodeJS.Timeout;

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => number,
  ) {
    this.unsubscribe = store.subscribe((e) => this.dispatch(e));
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), BOOKMARK_EVERY_MS);
    this.bookmarkTimer.unref();
  }

  count(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  serve(res: ServerResponse, r: ResourceDef, namespace: string | undefined, q: URLSearchParams, rep: Representation): void {
    const key = storeKey(r);
    const filter = compileFilter({ namespace, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector'), resourceKey: key });
    const includeParam = q.get('includeObject');
    if (includeParam && !['None', 'Metadata', 'Object'].includes(includeParam)) throw badRequest(`includeObject: Unsupported value: "${includeParam}"`);
    const timeoutSeconds = intParam(q, 'timeoutSeconds') ?? 1800 + Math.floor(Math.random() * 1800);
    const rvParam = q.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version: ${JSON.stringify(rvParam)}`);
    const sendInitial = boolParam(q.get('sendInitialEvents'));

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();

    const w: Watcher = {
      r,
      filter,
      rep,
      include: (includeParam as IncludeObject | null) ?? 'Metadata',
      res,
      columnsSent: false,
      bookmarks: boolParam(q.get('allowWatchBookmarks')),
      pending: [],
      close: () => undefined,
    };

    // Replay (synchronously, so no store event can slip in between replay and registration).
    if (rvParam === '' || rvParam === '0' || sendInitial) {
      for (const k of this.store.sortedKeys(key)) {
        const obj = this.store.peekKey(key, k);
        if (obj && filter(obj)) this.write(w, 'ADDED', obj);
      }
      if (sendInitial) this.writeLine(w, bookmarkLine(r, this.store.latestRv(), true));
    } else {
      let events: StoreEvent[];
      try {
        events = this.store.eventsSince(key, Number(rvParam));
      } catch (e) {
        if (e instanceof StoreError && e.reason === 'Expired') {
          res.end(w.pending.join('') + `${JSON.stringify({ type: 'ERROR', object: statusBody(410, 'Expired', e.message) })}\n`);
          return;
        }
        throw e;
      }
      for (const e of events) this.deliver(w, e);
    }

    let set = this.watchers.get(key);
    if (!set) {
      set = new Set();
      this.watchers.set(key, set);
    }
    set.add(w);
    const timer = setTimeout(() => w.close(), timeoutSeconds * 1000);
    timer.unref();
    w.close = () => {
      clearTimeout(timer);
      this.watchers.get(key)?.delete(w);
      this.dirty.delete(w);
      if (!res.writableEnded) res.end(w.pending.join(''));
      w.pending = [];
    };
    res.on('close', () => w.close());
  }

  /** Ends every open watch (server restart, stop): clients resume from their last version. */
  closeAll(): void {
    for (const set of this.watchers.values()) for (const w of [...set]) w.close();
  }

  stop(): void {
    this.closeAll();
    clearInterval(this.bookmarkTimer);
    this.unsubscribe();
  }

  private dispatch(e: StoreEvent): void {
    const set = this.watchers.get(e.resource);
    if (!set || set.size === 0) return;
    const lines = new Map<string, string>();
    for (const w of set) this.deliver(w, e, lines);
  }

  private deliver(w: Watcher, e: StoreEvent, cache?: Map<string, string>): void {
    const now = w.filter(e.object);
    let type: EventType | undefined;
    if (e.type === 'MODIFIED') {
      const before = e.old ? w.filter(e.old) : now;
      type = before && now ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    } else if (now) {
      type = e.type;
    }
    if (type) this.write(w, type, e.object, cache);
  }

  private write(w: Watcher, type: EventType, obj: KubeObject, cache?: Map<string, string>): void {
    // One event is rendered once per form (object, metadata, or Table per includeObject and
    // with/without column definitions) and that same string goes to every watcher wanting it.
    const withColumns = w.rep === 'table' && !w.columnsSent;
    const cacheKey = w.rep === 'table' ? `table:${w.include}:${withColumns}:${type}` : `${w.rep}:${type}`;
    let line = cache?.get(cacheKey);
    if (line === undefined) {
      line = eventLine(w, type, obj, this.now(), withColumns);
      cache?.set(cacheKey, line);
    }
    if (w.rep === 'table') w.columnsSent = true;
    this.writeLine(w, line);
  }

  private readonly dirty = new Set<Watcher>();
  private flushScheduled = false;

  private writeLine(w: Watcher, line: string): void {
    if (w.res.writableEnded || w.res.destroyed) return;
    w.pending.push(line);
    this.dirty.add(w);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      const wait = this.lastFlush + FLUSH_EVERY_MS - performance.now();
      if (wait > 1) setTimeout(() => this.flush(), wait);
      else setImmediate(() => this.flush());
    }
  }

  /** When the last flush ran (performance.now()), for FLUSH_EVERY_MS. */
  private lastFlush = -Infinity;

  private flush(): void {
    this.flushScheduled = false;
    this.lastFlush = performance.now();
    // Watchers with the same selector received the very same line strings in the same order:
    // encode each distinct batch once and hand the same bytes to every such socket.
    const encoded: { lines: string[]; bytes: Buffer }[] = [];
    for (const w of this.dirty) {
      const lines = w.pending;
      if (!lines.length) continue;
      w.pending = [];
      if (w.res.writableEnded || w.res.destroyed) continue;
      let hit = encoded.find((e) => e.lines.length === lines.length && e.lines.every((l, i) => l === lines[i]));
      if (!hit) {
        hit = { lines, bytes: Buffer.from(lines.length === 1 ? lines[0] : lines.join('')) };
        encoded.push(hit);
      }
      w.res.write(hit.bytes);
      if (w.res.writableLength > MAX_BUFFERED) w.close();
    }
    this.dirty.clear();
  }

  private sendBookmarks(): void {
    const rv = this.store.latestRv();
    for (const set of this.watchers.values()) {
      for (const w of set) if (w.bookmarks) this.writeLine(w, bookmarkLine(w.r, rv, false));
    }
  }
}

/** The watch event line of one object as this watcher's form asks. */
export function eventLine(w: EventForm, type: EventType, obj: KubeObject, now: number, withColumns: boolean): string {
  let body: string;
  if (w.rep === 'table') body = tableJson(w.r, [obj], now, w.include, { resourceVersion: obj.metadata.resourceVersion ?? '' }, withColumns);
  else if (w.rep === 'metadata') body = JSON.stringify(partialMetadata(obj));
  else body = objectJson(obj);
  return `{"type":"${type}","object":${body}}\n`;
}

function bookmarkLine(r: ResourceDef, rv: number, initialEventsEnd: boolean): string {
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion: apiVersionOf(r), metadata } })}\n`;
}
