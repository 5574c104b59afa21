// Logs domain (issue 19): pod logs through the Kubernetes API, followed stern-like with re-attach,
// and Loki (range queries, live tail, label browser) configured per context in Settings. The only
// door in. Every line is redacted here before it leaves (bearer tokens, URL passwords, password=).
import type { z } from 'zod';
import { ContractError, describeIssues } from '../../../shared/contract-kit.js';
import { redactLogText } from '../../../shared/model/redact-log.js';
import type { Domain, DomainDeps } from '../domain.js';
import { secretRedactor } from '../secrets/index.js';
import { startFollow } from './follow-session.js';
import { containersOf, kubeContractError, resolveTarget, sourceInfo } from './log-target.js';
import { createLokiClient, lokiEndpoint, where, type LokiClientOptions, type LokiEndpoint } from './loki-client.js';
import { startLokiTail } from './loki-tail.js';
import { msToNs, queryRangeWire, stringListWire, toQueryResult } from './loki-wire.js';
import { getJson } from '../kube/index.js';
import type { KubeObject } from '../../../shared/model/kube.js';

export { LineSplitter } from './line-splitter.js';
export { ReattachDedupe } from './reattach-dedupe.js';
export { TimestampParser, compareTimes, sinceTimeOf, type LogTime } from './log-time.js';
export { createLokiClient, lokiEndpoint, type LokiClientOptions } from './loki-client.js';
export { startLokiTail, type LokiTailOptions } from './loki-tail.js';
export { startFollow, type FollowDeps } from './follow-session.js';

/** Lines leave the main process masked like every other payload, plus the log-only patterns. */
export const redactLine = (text: string): string => redactLogText(secretRedactor, text);

/** A non-following read stops after this many bytes per container (the API's limitBytes). */
const LIMIT_BYTES = 64 << 20;

export interface LogsOptions {
  /** Tests: faster Loki retries. */
  loki?: LokiClientOptions;
}

export function createLogsParts(deps: Pick<DomainDeps, 'clusters' | 'settings' | 'serviceAuth'>, options: LogsOptions = {}) {
  const kubeFor = (context: string) => {
    try {
      return deps.clusters.configFor(context);
    } catch (error) {
      throw new ContractError('not_found', error instanceof Error ? error.message : String(error));
    }
  };
  const lokiFor = (context: string): LokiEndpoint => {
    const url = deps.settings.get().logStoreUrls[context];
    if (!url) throw new ContractError('not_found', `No Loki is set for ${context}: add its URL in Settings → Log store.`);
    return lokiEndpoint(url, deps.serviceAuth.get('logs', context));
  };
  const lokiGet = (context: string, path: string, params: URLSearchParams) => createLokiClient(lokiFor(context), options.loki).get(path, params);
  const range = (params: URLSearchParams, start?: number, end?: number) => {
    if (start !== undefined) params.set('start', msToNs(start));
    if (end !== undefined) params.set('end', msToNs(end));
    return params;
  };
  const parsed = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
    const result = schema.safeParse(value);
    if (!result.success) throw new ContractError('upstream_error', `Loki's answer to ${what} is not in Loki's format: ${describeIssues(result.error)}`);
    return result.data;
  };

  return {
    handlers: {
      'logs.sources': async ({ context, namespace, target, container }) => {
        const kc = kubeFor(context);
        const resolved = await resolveTarget(kc, namespace, target);
        try {
          const list = await getJson<{ items?: KubeObject[] }>(kc, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${resolved.query}`);
          const sources = (list.items ?? []).flatMap((pod) => containersOf(pod, container).map((c) => sourceInfo(pod, c)));
          return { sources, ...(resolved.selector ? { selector: resolved.selector } : {}) };
        } catch (error) {
          throw kubeContractError(error);
        }
      },
      'logs.lokiSource': async ({ context }) => {
        const url = deps.settings.get().logStoreUrls[context];
        const auth = deps.serviceAuth.get('logs', context).kind;
        if (!url) return { context, configured: false, auth, detail: 'No Loki set for this context (Settings → Log store).' };
        return { context, configured: true, url: where(url), auth, detail: `set in Settings for ${context}` };
      },
      'logs.lokiQuery': async ({ context, query, start, end, limit, direction }) => {
        const params = range(new URLSearchParams({ query, limit: String(limit), direction }), start, end);
        const wire = parsed(queryRangeWire, await lokiGet(context, 'loki/api/v1/query_range', params), 'query_range');
        return toQueryResult(wire, direction, limit, redactLine);
      },
      'logs.lokiLabels': async ({ context, start, end }) => {
        const wire = parsed(stringListWire, await lokiGet(context, 'loki/api/v1/labels', range(new URLSearchParams(), start, end)), 'labels');
        return { labels: wire.data ?? [] };
      },
      'logs.lokiLabelValues': async ({ context, name, query, start, end }) => {
        const params = range(new URLSearchParams(query ? { query } : {}), start, end);
        const wire = parsed(stringListWire, await lokiGet(context, `loki/api/v1/label/${encodeURIComponent(name)}/values`, params), 'label values');
        return { values: wire.data ?? [] };
      },
    },
    streams: {
      'logs.follow': (params, emit) => startFollow(params, emit, { kc: kubeFor(params.context), redact: redactLine, limitBytes: LIMIT_BYTES }),
      'logs.lokiTail': (params, emit) =>
        startLokiTail({ endpoint: lokiFor(params.context), query: params.query, limit: params.limit, delayFor: params.delayFor, start: params.start, emit, redact: redactLine }),
    },
  } satisfies { handlers: NonNullable<ReturnType<Domain['create']>['handlers']>; streams: NonNullable<ReturnType<Domain['create']>['streams']> };
}

export const domain: Domain = {
  name: 'logs',
  create: (deps) => createLogsParts(deps),
};
