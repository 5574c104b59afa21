// One HTTP exchange with Alertmanager (JSON in, JSON out), directly or through the API server's
// service proxy, over the same exchange as Prometheus (metrics' serviceRequest); answers of 400 and
// above become ContractErrors naming where and what failed.
import { ContractError } from '../../../shared/contract-kit.js';
import { serviceRequest, type PrometheusEndpoint } from '../metrics/index.js';

export type AlertmanagerEndpoint = PrometheusEndpoint;

export interface JsonAnswer {
  status: number;
  body: unknown;
  text: string;
}

export async function alertmanagerRequest(endpoint: AlertmanagerEndpoint, method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown, timeoutMs = 10_000): Promise<JsonAnswer> {
  const answer = await serviceRequest(endpoint, {
    service: 'Alertmanager',
    method,
    path,
    body: json === undefined ? undefined : { text: JSON.stringify(json), contentType: 'application/json' },
    timeoutMs,
  });
  const text = answer.body;
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const status = answer.status;
  if (status >= 400) {
    const why = typeof parsed === 'string' ? parsed : text.slice(0, 300);
    // Origin and path only: a URL's user:password never reaches a message.
    const base = new URL(endpoint.url.endsWith('/') ? endpoint.url : endpoint.url + '/');
    const where = endpoint.label ?? `${base.origin}${base.pathname.replace(/\/$/, '')}`;
    const pathname = new URL(path.replace(/^\//, ''), base).pathname;
    throw new ContractError(status === 401 || status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'upstream_error', `Alertmanager at ${where} answered ${status} to ${method} ${pathname}: ${why}`);
  }
  return { status, body: parsed, text };
}
