// Loki's HTTP API over the console's one service exchange (metrics' serviceRequest: auth, timeout,
// messages naming where). Loki's own error text is passed on: a 400 is a LogQL mistake the user
// fixes ("parse error at line 1, col 5: …"); a 429 is retried with backoff (Retry-After honoured)
// and, when it persists, said to be rate limiting; down or slow is upstream_unavailable / timeout.
import { ContractError } from '../../../shared/contract-kit.js';
import type { ServiceAuth } from '../../../shared/contract/app.js';
import { serviceRequest, type PrometheusEndpoint } from '../metrics/index.js';

export type LokiEndpoint = PrometheusEndpoint;

export interface LokiClientOptions {
  timeoutMs?: number;
  /** Waits before the 2nd, 3rd… attempt of a rate-limited call. */
  retryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [500, 1_000, 2_000];

export function lokiEndpoint(url: string, auth: ServiceAuth): LokiEndpoint {
  return { url, auth: auth.kind === 'none' ? undefined : auth, label: where(url) };
}

/** Origin and path of a Loki URL: never its user or password. */
export function where(url: string): string {
  const base = new URL(url.endsWith('/') ? url : url + '/');
  return `${base.origin}${base.pathname.replace(/\/$/, '')}`;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Loki answers errors as plain text (sometimes JSON with a `message`): the text a person reads. */
export function lokiMessage(body: string): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // plain text, as Loki writes most errors
  }
  return text.slice(0, 1_000) || '(no message)';
}

export interface LokiClient {
  /** GET a Loki API path (`loki/api/v1/labels`) with query parameters; resolves with the parsed JSON. */
  get(path: string, params: URLSearchParams): Promise<unknown>;
}

export function createLokiClient(endpoint: LokiEndpoint, options: LokiClientOptions = {}): LokiClient {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? sleepFor;
  const label = endpoint.label ?? where(endpoint.url);
  return {
    async get(path, params) {
      const query = params.toString();
      for (let attempt = 0; ; attempt++) {
        const answer = await serviceRequest(endpoint, {
          service: 'Loki',
          method: 'GET',
          path: query ? `${path}?${query}` : path,
          timeoutMs: options.timeoutMs ?? 30_000,
          timeoutHint: 'It may be overloaded: try a shorter range, a narrower stream selector or a lower limit.',
        });
        if (answer.status === 429 && attempt < delays.length) {
          await sleep(delays[attempt]);
          continue;
        }
        if (answer.status >= 200 && answer.status < 300) {
          try {
            return JSON.parse(answer.body) as unknown;
          } catch {
            throw new ContractError('upstream_error', `Loki at ${label} answered ${path} with something that is not JSON (${answer.contentType || 'no content type'}): is the URL a Loki?`);
          }
        }
        const message = lokiMessage(answer.body);
        if (answer.status === 400) throw new ContractError('invalid_request', `Loki rejected the query: ${message}`, { status: 400 });
        if (answer.status === 429) {
          throw new ContractError('rate_limited', `Loki at ${label} is rate limiting (429: ${message}); retried ${delays.length} times over ${delays.reduce((a, b) => a + b, 0) / 1000} s. Try again later, or narrow the range or the query.`, { status: 429 });
        }
        if (answer.status === 401 || answer.status === 403) throw new ContractError('forbidden', `Loki at ${label} refused the credentials (${answer.status}: ${message}). Check the log store's auth in Settings.`);
        if (answer.status === 404) throw new ContractError('not_found', `Loki at ${label} has no ${path} (404): is the URL a Loki?`);
        throw new ContractError('upstream_error', `Loki at ${label} answered ${answer.status} to ${path}: ${message}`, { status: answer.status });
      }
    },
  };
}
