// Requests to one context's API server, authenticated exactly as client-node does (token, client
// certificates, exec plugins via applyToHTTPSOptions). We speak HTTP ourselves because callers need
// what the generated clients hide: status codes and Status reasons, resourceVersions, bookmarks,
// a clean abort, and (for plans) the exact bytes the confirm dialog promised.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeNetworkError, KubeError, statusError } from './kube-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request as a plan lists it: method, path (with query), content type and JSON body. */
export interface KubeRequest {
  method: HttpMethod;
  path: string;
  contentType?: string;
  body?: unknown;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Socket inactivity limit; for streams, the longest silence that still counts as connected. */
  timeoutMs?: number;
  /** Extra headers (Accept for log streams, upgrade headers for exec). */
  headers?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Opens a request and resolves with the response head; the body is the caller's to read. Every
 * reader here builds on it, and so will log streams (`follow=true`) and exec (upgrade) when added.
 */
export async function openKubeStream(kc: KubeConfig, request: KubeRequest, options: RequestOptions = {}): Promise<http.IncomingMessage> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeError(`The context "${kc.getCurrentContext()}" names no cluster.`, 0);
  const url = new URL(cluster.server.replace(/\/$/, '') + request.path);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  if (payload) {
    headers['Content-Type'] = request.contentType ?? 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  const httpsOptions: https.RequestOptions = { method: request.method, headers };
  await kc.applyToHTTPSOptions(httpsOptions);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { ...httpsOptions, signal: options.signal, timeout: timeoutMs }, resolve);
    req.on('timeout', () => req.destroy(new KubeError(`${url.host} did not answer ${request.method} ${request.path} within ${timeoutMs / 1000} s`, 0)));
    req.on('error', (error) => reject(error instanceof KubeError ? error : new KubeError(describeNetworkError(error, url.host), 0)));
    if (payload) req.write(payload);
    req.end();
  });
}

export async function readBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends one request; resolves with the parsed JSON answer (undefined for an empty body), throws KubeError otherwise. */
export async function kubeRequest<T = unknown>(kc: KubeConfig, request: KubeRequest, options: RequestOptions = {}): Promise<T> {
  const res = await openKubeStream(kc, request, options);
  const body = await readBody(res);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw statusError(request.method, request.path, status, body);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** GET shorthand for lists and /version; a page of 500 objects may take a while, hence the minute. */
export const getJson = <T>(kc: KubeConfig, path: string, options: RequestOptions = {}): Promise<T> =>
  kubeRequest<T>(kc, { method: 'GET', path }, { timeoutMs: 60_000, ...options });
