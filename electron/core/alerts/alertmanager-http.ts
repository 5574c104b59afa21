// One HTTP exchange with Alertmanager (JSON in, JSON out), directly or through the API server's
// service proxy, with a hard timeout. Failures become ContractErrors naming where and what to try.
import http from 'node:http';
import https from 'node:https';
import { ContractError } from '../../../shared/contract-kit.js';
import type { PrometheusEndpoint } from '../metrics/index.js';

export type AlertmanagerEndpoint = PrometheusEndpoint;

export interface JsonAnswer {
  status: number;
  body: unknown;
  text: string;
}

export async function alertmanagerRequest(endpoint: AlertmanagerEndpoint, method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown, timeoutMs = 10_000): Promise<JsonAnswer> {
  const base = new URL(endpoint.url.endsWith('/') ? endpoint.url : endpoint.url + '/');
  const target = new URL(path.replace(/^\//, ''), base);
  const body = json === undefined ? undefined : JSON.stringify(json);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const auth = endpoint.auth;
  if (auth?.kind === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
  else if (auth?.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
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
  return new Promise<JsonAnswer>((resolve, reject) => {
    const req = lib.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          const why = typeof parsed === 'string' ? parsed : text.slice(0, 300);
          reject(new ContractError(status === 401 || status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'upstream_error', `Alertmanager at ${where} answered ${status} to ${method} ${target.pathname}: ${why}`));
          return;
        }
        resolve({ status, body: parsed, text });
      });
      res.on('error', (error) => fail(error));
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new ContractError('timeout', `Alertmanager at ${where} did not answer within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    const fail = (error: Error & { code?: string }) => {
      clearTimeout(timer);
      reject(new ContractError('upstream_unavailable', `Alertmanager at ${where} is not reachable (${error.code ?? error.message}). Check that it runs and that its URL in Settings is right.`));
    };
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
