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
import { servedAs } from './crd/versions.js';

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

/**
 * Watchers of one resource with the same namespace, selectors and form: every event means the same
 * to all of them, so the hub decides and renders it once per class (50 identical watchers cost one
 * filter check and one rendering per event, not 50).
 */
interface WatchClass {
  filter: Predicate;
  members: Set<Watcher>;
}

export class WatchHub {
  /** Resource key -> class key -> class. */
  private readonly watchers = new Map<string, Map<string, WatchClass>>();
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
    for (const classes of this.watchers.values()) for (const c of classes.values()) n += c.members.size;
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

    // The version is part of the form: a CRD's versions share one store key but not apiVersion.
    const classKey = JSON.stringify([r.version, rep, w.include, namespace ?? null, q.get('labelSelector'), q.get('fieldSelector')]);
    let classes = this.watchers.get(key);
    if (!classes) this.watchers.set(key, (classes = new Map()));
    let c = classes.get(classKey);
    if (!c) classes.set(classKey, (c = { filter, members: new Set() }));
    c.members.add(w);
    const timer = setTimeout(() => w.close(), timeoutSeconds * 1000);
    timer.unref();
    w.close = () => {
      clearTimeout(timer);
      const cls = this.watchers.get(key)?.get(classKey);
      cls?.members.delete(w);
      if (cls?.members.size === 0) this.watchers.get(key)?.delete(classKey);
      this.dirty.delete(w);
      if (!res.writableEnded) res.end(w.pending.join(''));
      w.pending = [];
    };
    res.on('close', () => w.close());
  }

  /** Ends every open watch (server restart, stop): clients resume from their last version. */
  closeAll(): void {
    for (const classes of this.watchers.values()) for (const c of [...classes.values()]) for (const w of [...c.members]) w.close();
  }

  stop(): void {
    this.closeAll();
    clearInterval(this.bookmarkTimer);
    this.unsubscribe();
  }

  private dispatch(e: StoreEvent): void {
    const classes = this.watchers.get(e.resource);
    if (!classes || classes.size === 0) return;
    const lines = new Map<string, string>();
    for (const c of classes.values()) {
      const type = typeFor(c.filter, e);
      if (!type) continue;
      // Within a class only a Table watcher's first event differs (it carries the columns).
      let plain: string | undefined;
      let withColumns: string | undefined;
      for (const w of c.members) {
        const columns = takeColumns(w);
        let line = columns ? withColumns : plain;
        if (line === undefined) {
          line = this.render(w, type, e.object, columns, lines);
          if (columns) withColumns = line;
          else plain = line;
        }
        this.writeLine(w, line);
      }
    }
  }

  private deliver(w: Watcher, e: StoreEvent): void {
    const type = typeFor(w.filter, e);
    if (type) this.write(w, type, e.object);
  }

  /** One watcher's event (replays). */
  private write(w: Watcher, type: EventType, obj: KubeObject): void {
    this.writeLine(w, eventLine(w, type, obj, this.now(), takeColumns(w)));
  }

  /**
   * An event's line in a watcher's form. One event is rendered once per form (object, metadata, or
   * Table per includeObject and with/without columns) across classes; every watcher wanting that
   * form gets the same string, and the same bytes at flush.
   */
  private render(w: Watcher, type: EventType, obj: KubeObject, columns: boolean, cache: Map<string, string>): string {
    const cacheKey = `${w.r.version}:${w.rep === 'table' ? `table:${w.include}:${columns}:${type}` : `${w.rep}:${type}`}`;
    let line = cache.get(cacheKey);
    if (line === undefined) {
      line = eventLine(w, type, obj, this.now(), columns);
      cache.set(cacheKey, line);
    }
    return line;
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
    for (const classes of this.watchers.values()) {
      for (const c of classes.values()) for (const w of c.members) if (w.bookmarks) this.writeLine(w, bookmarkLine(w.r, rv, false));
    }
  }
}

/** Whether this event is a Table watcher's first, which carries the columns; marks them sent. */
function takeColumns(w: Watcher): boolean {
  if (w.rep !== 'table') return false;
  const first = !w.columnsSent;
  w.columnsSent = true;
  return first;
}

/** What a change means to a watcher with this filter: ADDED/DELETED when it enters or leaves the selection. */
function typeFor(filter: Predicate, e: StoreEvent): EventType | undefined {
  const now = filter(e.object);
  if (e.type !== 'MODIFIED') return now ? e.type : undefined;
  const before = e.old ? filter(e.old) : now;
  return before && now ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
}

/** The watch event line of one object as this watcher's form asks. */
export function eventLine(w: EventForm, type: EventType, stored: KubeObject, now: number, withColumns: boolean): string {
  const obj = servedAs(w.r, stored);
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
