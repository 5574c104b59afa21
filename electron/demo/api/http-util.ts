// Small HTTP helpers shared by the handlers: body reading with a size cap, JSON replies, content
// negotiation (Table / PartialObjectMetadata), and the per-object JSON cache that lets one
// serialization of a stored object serve every list and every watcher.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../store.js';
import { ApiError, badRequest, statusBody } from './status.js';
import { decodeObject } from './protobuf.js';

const MAX_BODY = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  if (String(req.headers['content-type'] ?? '').includes('protobuf')) {
    throw new ApiError(statusBody(415, 'UnsupportedMediaType', 'the demo fleet decodes protobuf only for creating objects; send this request as JSON'));
  }
  return (await readBodyBuffer(req)).toString('utf8');
}

/** A create/update body as JSON: JSON as sent, or protobuf decoded for the kinds kubectl's generators send. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are untyped JSON
export async function readObjectBody(req: IncomingMessage): Promise<any> {
  if (String(req.headers['content-type'] ?? '').includes('protobuf')) return decodeObject(await readBodyBuffer(req));
  return parseJsonBody(await readBody(req));
}

export function readBodyBuffer(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(statusBody(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728')));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are untyped JSON
export function parseJsonBody(text: string): any {
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (error decoding body: ${(e as Error).message})`);
  }
}

export function sendRaw(res: ServerResponse, code: number, body: string, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendRaw(res, code, JSON.stringify(body));
}

export function sendError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.code, e.status);
}

const jsonCache = new WeakMap<object, string>();
const partCache = new WeakMap<object, string>();

/**
 * JSON of a stored object, computed once per object version. Stored objects are frozen and
 * replaced on every write, sharing the parts that did not change (a status write keeps the spec, an
 * annotation keeps spec and status), so the JSON is put together from the cached JSON of those
 * top-level parts: a write re-serializes only what it changed.
 */
export function objectJson(obj: KubeObject): string {
  let s = jsonCache.get(obj);
  if (s === undefined) {
    s = Object.isFrozen(obj) ? composeJson(obj) : JSON.stringify(obj);
    jsonCache.set(obj, s);
  }
  return s;
}

/** JSON.stringify(obj) for a frozen (stored) object, from its top-level members' cached JSON. */
function composeJson(obj: KubeObject): string {
  let out = '{';
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    let part: string | undefined;
    if (typeof v === 'object' && v !== null && k !== 'metadata' && Object.isFrozen(v)) {
      part = partCache.get(v);
      if (part === undefined) partCache.set(v, (part = JSON.stringify(v)));
    } else {
      part = JSON.stringify(v);
    }
    if (part === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${part}`;
  }
  return `${out}}`;
}

export type Representation = 'object' | 'table' | 'metadata';

/** What the client asked for in Accept: a Table, PartialObjectMetadata(List) or the object itself. */
export function negotiate(accept: string | undefined): Representation {
  if (!accept) return 'object';
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    const as = params.find((p) => p.startsWith('as='))?.slice(3);
    const g = params.find((p) => p.startsWith('g='))?.slice(2);
    if (g && g !== 'meta.k8s.io') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'metadata';
    if (!as && (params[0] === 'application/json' || params[0] === '*/*' || params[0] === 'application/yaml')) return 'object';
  }
  return 'object';
}

export function boolParam(v: string | null): boolean {
  return v === 'true' || v === '1';
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return Number(v);
}
