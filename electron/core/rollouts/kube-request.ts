// One Kubernetes request exactly as a plan lists it (method, path, content type, body), sent with
// the context's credentials as client-node would (applyToHTTPSOptions). We do not use the generated
// clients here: the confirm dialog promised these bytes, and the Status error must reach the user.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { PlannedRequest } from '../../../shared/contract/actions.js';

export class KubeRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server was not reached. */
    readonly status: number,
    /** Status.reason (NotFound, Conflict, Invalid, Forbidden...). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

export async function kubeRequest<T = unknown>(kc: KubeConfig, request: PlannedRequest, timeoutMs = 30_000): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeRequestError(`The context "${kc.getCurrentContext()}" names no cluster.`, 0);
  const url = new URL(cluster.server.replace(/\/$/, '') + request.path);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  if (payload) {
    headers['Content-Type'] = request.contentType ?? 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  const options: https.RequestOptions = { method: request.method, headers };
  await kc.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = transport.request(url, { ...options, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new KubeRequestError(`${url.host} did not answer ${request.method} ${request.path} within ${timeoutMs / 1000} s`, 0)));
    req.on('error', (error: Error & { code?: string }) =>
      reject(error instanceof KubeRequestError ? error : new KubeRequestError(`${request.method} ${request.path}: ${error.code === 'ECONNREFUSED' ? `connection refused by ${url.host}` : error.message}`, 0)),
    );
    if (payload) req.write(payload);
    req.end();
  });
  if (status < 200 || status >= 300) {
    let message = `${request.method} ${request.path} answered HTTP ${status}`;
    let reason: string | undefined;
    try {
      const parsed = JSON.parse(body) as { message?: string; reason?: string };
      if (parsed.message) message = parsed.message;
      reason = parsed.reason;
    } catch {
      // Not a Status object: the HTTP status is all we have.
    }
    throw new KubeRequestError(message, status, reason);
  }
  return (body ? JSON.parse(body) : undefined) as T;
}
