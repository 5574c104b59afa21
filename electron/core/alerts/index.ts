// Alerts domain: Alertmanager (or Prometheus as the fallback) alerts grouped with P-levels, the
// silences, and the silence actions the composition root registers on the action road.
import type { Domain } from '../domain.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { MethodHandlers } from '../contract-server.js';
import type { ServiceAuth } from '../../../shared/contract/app.js';
import type { AlertSource } from '../../../shared/contract/alerts.js';
import { groupAlerts, type AlertGroup, type Priority } from '../../../shared/model/alert.js';
import { prometheusRequest, type PrometheusClient } from '../metrics/index.js';
import { alertmanagerRequest, type AlertmanagerEndpoint } from './alertmanager-http.js';
import { createAlertmanagerSources } from './alertmanager-sources.js';
import { amSilencesSchema, fromPrometheus, promAlertsSchema, promRulesSchema, toSilence } from './alertmanager-wire.js';
import { createAlertConversions } from './alert-conversions.js';
import { silenceActionHandlers } from './silence-actions.js';
import { createAlertRevisions } from './alert-revisions.js';
import type { ActionHandler } from '../actions/index.js';
import { ContractError } from '../../../shared/contract-kit.js';


export interface AlertsDeps {
  alertmanagerUrl(context: string): string | undefined;
  demoAlertmanagerUrl(context: string): string | undefined;
  kubeConfig(context: string): KubeConfig;
  auth(context: string): ServiceAuth;
  prometheus(context: string): Promise<PrometheusClient>;
}

export interface AlertsService {
  handlers: Pick<MethodHandlers, 'alerts.list' | 'alerts.silences'>;
  actionHandlers: ActionHandler<never>[];
}

/**
 * The view and the problem badge poll together: one Alertmanager answer serves both for this long.
 * A silence made here drops it at once. FLIGHTDECK_ALERTS_SHARE_MS=0 (benchmarks) turns it off,
 * except that a caller still joins a request already on its way (its answer is not older than the call).
 */
const SHARED_ANSWER_MS = Number(process.env.FLIGHTDECK_ALERTS_SHARE_MS ?? 2_000);

const invalid = (what: string, where: string) => new ContractError('upstream_error', `${where} answered ${what} in a shape this console does not understand.`);

export function createAlertsService(deps: AlertsDeps): AlertsService {
  const revisions = createAlertRevisions();
  const conversions = createAlertConversions();
  // The groups made from one Alertmanager answer for one source: callers that share the answer
  // (the problem badge beside the view) share them too. Nobody writes to groups once made.
  const grouped = new WeakMap<readonly unknown[], { source: string; groups: AlertGroup[] }>();
  const groupedAnswer = (answer: readonly unknown[], source: string, overrides: Record<string, Priority>): AlertGroup[] => {
    const made = grouped.get(answer);
    if (made?.source === source) return made.groups;
    const converted = conversions.convert(source, answer, overrides);
    if (!converted) throw invalid('/api/v2/alerts', 'Alertmanager');
    const groups = groupAlerts(converted.alerts, converted.groupKeys);
    grouped.set(answer, { source, groups });
    return groups;
  };
  // Parsed JSON, checked element by element as it is converted (an unchanged alert is never copied).
  const recent = new Map<string, { at: number; pending: boolean; answer: Promise<unknown[]> }>();
  const amAlerts = (context: string, endpoint: AlertmanagerEndpoint, maxAgeMs = SHARED_ANSWER_MS): Promise<unknown[]> => {
    const hit = recent.get(context);
    if (hit && (hit.pending || Date.now() - hit.at < maxAgeMs)) return hit.answer;
    const answer = alertmanagerRequest(endpoint, 'GET', 'api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true').then(({ body }) => {
      if (!Array.isArray(body)) throw invalid('/api/v2/alerts', 'Alertmanager');
      return body as unknown[];
    });
    const entry = { at: Date.now(), pending: true, answer };
    recent.set(context, entry);
    answer.then(
      () => (entry.pending = false),
      () => recent.get(context) === entry && recent.delete(context),
    );
    return answer;
  };
  const sources = createAlertmanagerSources({ settingsUrl: deps.alertmanagerUrl, demoUrl: deps.demoAlertmanagerUrl, kubeConfig: deps.kubeConfig, auth: deps.auth });

  const fromPrometheusFallback = async (context: string, problem: string, overrides: Record<string, Priority>): Promise<{ source: AlertSource; groups: AlertGroup[] }> => {
    let client: PrometheusClient;
    try {
      client = await deps.prometheus(context);
    } catch (error) {
      return { source: { kind: 'none', detail: `${problem} No Prometheus either: ${error instanceof Error ? error.message : String(error)}`, problem }, groups: [] };
    }
    const [alertsAnswer, rulesAnswer] = await Promise.all([
      prometheusRequest(client.endpoint, 'api/v1/alerts', undefined, 10_000),
      prometheusRequest(client.endpoint, 'api/v1/rules?type=alert', undefined, 10_000),
    ]);
    const alerts = promAlertsSchema.safeParse(JSON.parse(alertsAnswer.body || '{}'));
    const rules = promRulesSchema.safeParse(JSON.parse(rulesAnswer.body || '{}'));
    if (!alerts.success) throw invalid('/api/v1/alerts', 'Prometheus');
    return {
      source: { kind: 'prometheus', url: client.endpoint.url, detail: 'Prometheus /api/v1/alerts (no Alertmanager: nothing can be silenced)', problem },
      groups: groupAlerts(fromPrometheus(alerts.data.data.alerts, rules.success ? rules.data.data.groups : [], overrides)),
    };
  };

  const handlers: AlertsService['handlers'] = {
    'alerts.list': async ({ context, severityPriorities, since, maxAgeMs }) => {
      const overrides = Object.fromEntries(Object.entries(severityPriorities ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const overridesKey = JSON.stringify(overrides);
      const found = await sources.find(context);
      let result: { source: AlertSource; groups: AlertGroup[] };
      if (found.endpoint) {
        try {
          const alerts = await amAlerts(`${context}|${found.url}`, found.endpoint, maxAgeMs);
          result = { source: { kind: 'alertmanager', url: found.url, detail: found.detail }, groups: groupedAnswer(alerts, `${context}|${found.url}|${overridesKey}`, overrides) };
        } catch (error) {
          sources.forget(context);
          result = await fromPrometheusFallback(context, error instanceof Error ? error.message : String(error), overrides);
        }
      } else {
        result = await fromPrometheusFallback(context, found.problem, overrides);
      }
      return { source: result.source, fetchedAt: new Date().toISOString(), ...revisions.answer(`${context}|${overridesKey}`, result.groups, since) };
    },
    'alerts.silences': async ({ context }) => {
      const found = await sources.find(context);
      if (!found.endpoint) return { source: { kind: 'none', detail: found.problem, problem: found.problem }, silences: [] };
      const answer = await alertmanagerRequest(found.endpoint, 'GET', 'api/v2/silences');
      const parsed = amSilencesSchema.safeParse(answer.body);
      if (!parsed.success) throw invalid('/api/v2/silences', 'Alertmanager');
      const order = { active: 0, pending: 1, expired: 2 } as const;
      const silences = parsed.data
        .map(toSilence)
        .sort((a, b) => order[a.state] - order[b.state] || b.startsAt.localeCompare(a.startsAt))
        .slice(0, 500);
      return { source: { kind: 'alertmanager', url: found.url, detail: found.detail }, silences };
    },
  };

  const forgetAnswers = (context: string) => {
    for (const key of recent.keys()) if (key.startsWith(`${context}|`)) recent.delete(key);
  };
  return { handlers, actionHandlers: silenceActionHandlers(sources, forgetAnswers) };
}

export const domain: Domain = {
  name: 'alerts',
  create: ({ settings, clusters, serviceAuth, metrics, demoAlertmanagerUrl }) =>
    createAlertsService({
      alertmanagerUrl: (context) => settings.get().alertmanagerUrls[context],
      demoAlertmanagerUrl: (context) => (clusters.kubeconfig().demoContexts.has(context) ? demoAlertmanagerUrl : undefined),
      kubeConfig: (context) => clusters.configFor(context),
      auth: (context) => serviceAuth.get('alertmanager', context),
      prometheus: (context) => metrics.sources.client(context),
    }),
};
