// GET of one object and LIST of a collection, in the object, Table and PartialObjectMetadata
// forms, with selectors and limit/continue pagination. Lists are built from the stored objects
// (no copies) and their cached JSON, so a 10k-pod list costs one string join.
import type { ServerResponse } from 'node:http';
import type { KubeObject, ObjectStore } from '../store.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf, storeKey } from './registry.js';
import { badRequest, expired, notFound } from './status.js';
import { compileFilter } from './selectors.js';
import type { IncludeObject } from './printers.js';
import { partialMetadata, printerFor, tableRow } from './printers.js';
import type { Representation } from './http-util.js';
import { intParam, objectJson, sendRaw } from './http-util.js';
import { servedAs } from './crd/versions.js';

export interface ReadContext {
  store: ObjectStore;
  now: () => number;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return { rv: t.rv, start: t.start };
  } catch {
    throw badRequest('continue key is not valid: the continue token could not be decoded');
  }
}

function includeObjectParam(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (!v) return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

/** Renders rows as a Table body (object rows embedded per includeObject). */
export function tableJson(r: ResourceDef, objs: Iterable<KubeObject>, now: number, include: IncludeObject, meta: { resourceVersion: string; continue?: string }, withColumns = true): string {
  const printer = printerFor(r);
  const rows: string[] = [];
  for (const obj of objs) {
    const row = tableRow(printer, obj, now, 'None');
    let s = JSON.stringify(row);
    if (include !== 'None') {
      const embedded = include === 'Object' ? objectJson(obj) : JSON.stringify(partialMetadata(obj));
      s = `${s.slice(0, -1)},"object":${embedded}}`;
    }
    rows.push(s);
  }
  const head: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta };
  if (withColumns) head.columnDefinitions = printer.columns;
  const headJson = JSON.stringify(head);
  return `${headJson.slice(0, -1)},"rows":[${rows.join(',')}]}`;
}

export function handleGet(ctx: ReadContext, res: ServerResponse, r: ResourceDef, namespace: string | undefined, name: string, rep: Representation, q: URLSearchParams): void {
  const stored = ctx.store.peekOne(storeKey(r), namespace, name);
  if (!stored) throw notFound(r, name);
  const obj = servedAs(r, stored);
  if (rep === 'table') {
    sendRaw(res, 200, tableJson(r, [obj], ctx.now(), includeObjectParam(q), { resourceVersion: obj.metadata.resourceVersion ?? '' }));
  } else if (rep === 'metadata') {
    sendRaw(res, 200, JSON.stringify(partialMetadata(obj)));
  } else {
    sendRaw(res, 200, objectJson(obj));
  }
}

export function handleList(ctx: ReadContext, res: ServerResponse, r: ResourceDef, namespace: string | undefined, rep: Representation, q: URLSearchParams): void {
  const key = storeKey(r);
  const filter = compileFilter({ namespace, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector'), resourceKey: key });
  const limit = intParam(q, 'limit') ?? 0;
  const cont = q.get('continue');
  const keys = ctx.store.sortedKeys(key);
  let start = 0;
  let listRv = ctx.store.latestRv();
  if (cont) {
    const token = decodeContinue(cont);
    if (token.rv < ctx.store.oldestResumableRv(key)) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    listRv = token.rv;
    start = upperBound(keys, token.start);
  } else if (namespace !== undefined) {
    // Keys sort by namespace first: jump straight to this namespace's block.
    start = upperBound(keys, `${namespace}/`);
  }
  const items: KubeObject[] = [];
  let i = start;
  for (; i < keys.length; i++) {
    const k = keys[i];
    if (namespace !== undefined && !k.startsWith(`${namespace}/`)) break;
    const obj = ctx.store.peekKey(key, k);
    if (!obj || !filter(obj)) continue;
    items.push(servedAs(r, obj));
    if (limit > 0 && items.length >= limit) {
      i++;
      break;
    }
  }
  const more = limit > 0 && items.length >= limit && hasMore(ctx.store, key, keys, i, namespace, filter);
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: String(listRv) };
  if (more) meta.continue = encodeContinue({ rv: listRv, start: keys[i - 1] });
  if (rep === 'table') {
    sendRaw(res, 200, tableJson(r, items, ctx.now(), includeObjectParam(q), meta));
    return;
  }
  const kind = rep === 'metadata' ? 'PartialObjectMetadataList' : `${r.kind}List`;
  const apiVersion = rep === 'metadata' ? 'meta.k8s.io/v1' : apiVersionOf(r);
  const body = items.map((o) => (rep === 'metadata' ? JSON.stringify(partialMetadata(o)) : objectJson(o))).join(',');
  sendRaw(res, 200, `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":[${body}]}`);
}

function hasMore(store: ObjectStore, key: string, keys: readonly string[], from: number, namespace: string | undefined, filter: (o: KubeObject) => boolean): boolean {
  for (let j = from; j < keys.length; j++) {
    if (namespace !== undefined && !keys[j].startsWith(`${namespace}/`)) return false;
    const o = store.peekKey(key, keys[j]);
    if (o && filter(o)) return true;
  }
  return false;
}

/** First index whose key is > k. */
function upperBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
