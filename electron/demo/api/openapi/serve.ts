// Serves /openapi/v2 and /openapi/v3[/<group-version>]. kubectl downloads these on apply, create,
// explain and validation, so every body is built once per process, kept serialized and gzipped,
// and answered with an ETag (304 on a match). The index links each group-version with
// `?hash=<content hash>` like kube-apiserver: a client that already holds that URL in its HTTP
// cache may keep it for good (Cache-Control: immutable); a stale hash is redirected to the current one.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildGroupVersionDoc, groupVersionPaths } from './documents.js';
import { openapiV2Json, openapiV2Protobuf } from './v2.js';

interface Body {
  raw: Buffer;
  gzip: Buffer;
  hash: string;
  contentType: string;
}

function body(raw: Buffer, contentType: string): Body {
  const hash = createHash('sha512').update(raw).digest('hex').toUpperCase();
  return { raw, gzip: gzipSync(raw, { level: 6 }), hash, contentType };
}

const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
let cache: { index: Body; docs: Map<string, Body>; v2json: Body; v2proto: Body } | undefined;

/** Builds every document once (a few tens of ms), on the first OpenAPI request. */
function documents(): NonNullable<typeof cache> {
  if (cache) return cache;
  const docs = new Map<string, Body>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersionPaths()) {
    const doc = buildGroupVersionDoc(gv);
    if (!doc) continue;
    const b = body(Buffer.from(JSON.stringify(doc)), 'application/json');
    docs.set(gv, b);
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${b.hash}` };
  }
  cache = {
    index: body(Buffer.from(JSON.stringify({ paths })), 'application/json'),
    docs,
    v2json: body(Buffer.from(JSON.stringify(openapiV2Json())), 'application/json'),
    v2proto: body(openapiV2Protobuf(), V2_PROTOBUF),
  };
  return cache;
}

/** Bodies of the custom resources' documents, per document map (one map per CRD change). */
const customBodies = new WeakMap<Map<string, Record<string, unknown>>, { docs: Map<string, Body>; index: Body }>();

/** The built-in documents with a server's custom ones (CRDs) added; group-versions built in win. */
function withCustom(custom: Map<string, Record<string, unknown>> | undefined): { index: Body; docs: Map<string, Body> } {
  const d = documents();
  if (!custom?.size) return d;
  const hit = customBodies.get(custom);
  if (hit) return hit;
  const docs = new Map(d.docs);
  const index = JSON.parse(d.index.raw.toString('utf8')) as { paths: Record<string, { serverRelativeURL: string }> };
  for (const [gv, doc] of custom) {
    if (docs.has(gv)) continue;
    const b = body(Buffer.from(JSON.stringify(doc)), 'application/json');
    docs.set(gv, b);
    index.paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${b.hash}` };
  }
  const out = { docs, index: body(Buffer.from(JSON.stringify(index)), 'application/json') };
  customBodies.set(custom, out);
  return out;
}

/** The v3 index as a value (tests and tools). */
export function openapiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  return JSON.parse(documents().index.raw.toString('utf8'));
}

/** The v3 document of a group-version path as a value, or undefined. */
export function openapiV3Doc(gvPath: string): Record<string, unknown> | undefined {
  const b = documents().docs.get(gvPath);
  return b ? JSON.parse(b.raw.toString('utf8')) : undefined;
}

const isOpenApiPath = (p: string) => p === '/openapi/v2' || p === '/openapi/v3' || p.startsWith('/openapi/v3/');

/**
 * Answers a GET on an OpenAPI path and returns true, or returns false when the path is not one
 * (or names no group-version we serve: the caller's 404 applies).
 */
export function serveOpenApi(req: IncomingMessage, res: ServerResponse, url: URL, custom?: Map<string, Record<string, unknown>>): boolean {
  const p = url.pathname.replace(/\/+$/, '');
  if (!isOpenApiPath(p)) return false;
  const d = documents();
  const v3 = withCustom(custom);
  let b: Body | undefined;
  let immutable = false;
  if (p === '/openapi/v2') b = String(req.headers.accept ?? '').includes('protobuf') ? d.v2proto : d.v2json;
  else if (p === '/openapi/v3') b = v3.index;
  else {
    const gv = p.slice('/openapi/v3/'.length);
    b = v3.docs.get(gv);
    const asked = url.searchParams.get('hash');
    if (b && asked !== null && asked !== b.hash) {
      res.writeHead(301, { Location: `/openapi/v3/${gv}?hash=${b.hash}`, 'Cache-Control': 'no-cache, private', 'Content-Length': 0 });
      res.end();
      return true;
    }
    immutable = asked !== null;
  }
  if (!b) return false;
  const etag = `"${b.hash}"`;
  const headers: Record<string, string | number> = {
    ETag: etag,
    Vary: 'Accept, Accept-Encoding',
    'Cache-Control': immutable ? 'public, immutable, max-age=31536000' : 'no-cache, private',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const payload = gzip ? b.gzip : b.raw;
  res.writeHead(200, { ...headers, 'Content-Type': b.contentType, 'Content-Length': payload.length, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
  res.end(req.method === 'HEAD' ? undefined : payload);
  return true;
}
