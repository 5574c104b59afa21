// One HTTP exchange with Prometheus, directly or through the Kubernetes API server's service proxy,
// with a hard timeout. Failures become ContractErrors that say what failed, where and what to try.
import http from 'node:http';
import https from 'node:https';
import { ContractError } from '../../../shared/contract-kit.js';

export type PrometheusAuth = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface PrometheusEndpoint {
  /** Base URL ending before /api/v1 (may include the API server proxy path). */
  url: string;
  auth?: PrometheusAuth;
  /** Adds TLS and credentials for the API server proxy (client-node's KubeConfig.applyToHTTPSOptions). */
  prepare?: (options: https.RequestOptions) => Promise<void>;
  /** Shown in messages instead of the URL (e.g. "monitoring/prometheus-operated via the API server"). */
  label?: string;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** One exchange with an HTTP service a context reaches (Prometheus, Alertmanager): who it is, for messages. */
export interface ServiceExchange {
  /** "Prometheus", "Alertmanager": named in every error. */
  service: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: { text: string; contentType: string };
  timeoutMs: number;
  /** Appended to the timeout message (what to try). */
  timeoutHint?: string;
}

/**
 * The one HTTP exchange both services use: credentials (endpoint auth, else URL user info), the
 * API server proxy's TLS via `prepare`, a hard timeout, and errors a person can act on.
 */
export async function serviceRequest(endpoint: PrometheusEndpoint, exchange: ServiceExchange): Promise<HttpAnswer> {
  const { service, method, path, body, timeoutMs } = exchange;
  const base = new URL(endpoint.url.endsWith('/') ? endpoint.url : endpoint.url + '/');
  const target = new URL(path.replace(/^\//, ''), base);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = body.contentType;
    headers['Content-Length'] = String(Buffer.byteLength(body.text));
  }
  const auth = endpoint.auth;
  if (auth?.kind === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
  else if (auth?.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  else if (target.username) headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;

  const options: https.RequestOptions = {
    method,
    hostname: target.hostname.replace(/^\[|\]$/g, ''),
    port: target.port || (target.protocol === 'https:' ? 443 : 80),
    path: target.pathname + target.search,
    headers,
  };
  if (endpoint.prepare) await endpoint.prepare(options);
  const where = endpoint.label ?? `${base.origin}${base.pathname.replace(/\/$/, '')}`;
  const lib = target.protocol === 'https:' ? https : http;

  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = lib.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => fail(error));
    });
    const timer = setTimeout(() => {
      req.destroy();
      const hint = exchange.timeoutHint ? ` ${exchange.timeoutHint}` : '';
      reject(new ContractError('timeout', `${service} at ${where} did not answer within ${Math.round(timeoutMs / 100) / 10} s.${hint}`, { where, path }));
    }, timeoutMs);
    const fail = (error: Error & { code?: string }) => {
      clearTimeout(timer);
      reject(
        new ContractError(
          'upstream_unavailable',
          `${service} at ${where} is not reachable (${error.code ?? error.message}). Check that it is running and that the URL in Settings is right.`,
          { where, cause: error.code ?? error.message },
        ),
      );
    };
    req.on('error', fail);
    if (body !== undefined) req.write(body.text);
    req.end();
  });
}

export function prometheusRequest(endpoint: PrometheusEndpoint, path: string, form: URLSearchParams | undefined, timeoutMs: number): Promise<HttpAnswer> {
  const text = form?.toString();
  return serviceRequest(endpoint, {
    service: 'Prometheus',
    method: text === undefined ? 'GET' : 'POST',
    path,
    body: text === undefined ? undefined : { text, contentType: 'application/x-www-form-urlencoded' },
    timeoutMs,
    timeoutHint: 'It may be overloaded: try a shorter range or a larger step, and check its health.',
  });
}
