// Raw list and watch requests against one context's API server, authenticated exactly as
// client-node does (token, client certificates, exec plugins via applyToHTTPSOptions). We speak
// HTTP ourselves because the watch cache needs what the generated clients hide: status codes,
// resourceVersions, bookmarks, and a clean abort.
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';

export class KubeHttpError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached at all. */
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

async function open(kc: KubeConfig, path: string, signal: AbortSignal, timeoutMs: number): Promise<http.IncomingMessage> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeHttpError(`The context "${kc.getCurrentContext()}" names no cluster.`, 0);
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { ...options, signal, timeout: timeoutMs }, resolve);
    req.on('timeout', () => req.destroy(new KubeHttpError(`${url.host} did not answer within ${timeoutMs / 1000} s`, 0)));
    req.on('error', (error) => reject(error instanceof KubeHttpError ? error : new KubeHttpError(describeNetworkError(error, url.host), 0)));
    req.end();
  });
}

function describeNetworkError(error: Error & { code?: string }, host: string): string {
  if (error.name === 'AbortError') return 'aborted';
  if (error.code === 'ECONNREFUSED') return `connection refused by ${host}: is the API server running?`;
  if (error.code === 'ECONNRESET') return `${host} closed the connection`;
  if (error.code === 'ENOTFOUND') return `host ${host} not found`;
  return `${host}: ${error.message}`;
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function statusError(status: number, body: string, path: string): KubeHttpError {
  let message = `GET ${path} answered HTTP ${status}`;
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    if (parsed.message) message = `${message}: ${parsed.message}`;
    reason = parsed.reason;
  } catch {
    // not a Status object; the status code says enough
  }
  return new KubeHttpError(message, status, reason);
}

export async function getJson<T>(kc: KubeConfig, path: string, signal: AbortSignal, timeoutMs = 60_000): Promise<T> {
  const res = await open(kc, path, signal, timeoutMs);
  const body = await readBody(res);
  if (res.statusCode !== 200) throw statusError(res.statusCode ?? 0, body, path);
  return JSON.parse(body) as T;
}

export interface WatchLine {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/**
 * Streams a watch; resolves when the server ends it cleanly, rejects on network errors or a non-200.
 * `idleMs` guards against half-open connections: no byte for that long counts as a disconnect.
 */
export async function streamWatch(kc: KubeConfig, path: string, signal: AbortSignal, onLine: (line: WatchLine) => void, idleMs: number): Promise<void> {
  const res = await open(kc, path, signal, idleMs);
  if (res.statusCode !== 200) throw statusError(res.statusCode ?? 0, await readBody(res), path);
  res.socket?.setTimeout(idleMs);
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    let failed = false;
    lines.on('line', (text) => {
      if (!text) return;
      try {
        onLine(JSON.parse(text) as WatchLine);
      } catch (error) {
        failed = true;
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // readline re-emits its input's errors; the response's own handler below reports them.
    lines.on('error', () => undefined);
    res.on('error', (error) => {
      failed = true;
      reject(error.name === 'AbortError' ? error : new KubeHttpError(`watch ${path} broke: ${error.message}`, 0));
    });
    res.on('aborted', () => {
      failed = true;
      reject(new KubeHttpError(`watch ${path} was cut off by the server`, 0));
    });
    lines.on('close', () => {
      if (!failed) resolve();
    });
  });
}
