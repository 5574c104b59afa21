// Alertmanager v2 (`/api/v2/alerts`, `/api/v2/silences`) and Prometheus (`/api/v1/alerts`,
// `/api/v1/rules`) answers, checked with zod and turned into the console's alert shape.
import { z } from 'zod';
import { exprFromGeneratorUrl, priorityOf, type ConsoleAlert, type Priority } from '../../../shared/model/alert.js';
import type { Silence } from '../../../shared/contract/alerts.js';
import { jsonEqual } from '../../../shared/model/json-equal.js';

const labels = z.record(z.string(), z.string());

export const amAlertSchema = z.object({
  fingerprint: z.string(),
  labels,
  annotations: labels.default({}),
  startsAt: z.string(),
  generatorURL: z.string().optional(),
  status: z.object({ state: z.enum(['active', 'suppressed', 'unprocessed']), silencedBy: z.array(z.string()).default([]), inhibitedBy: z.array(z.string()).default([]) }),
});
export type AmAlert = z.infer<typeof amAlertSchema>;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringRecord = (v: unknown): v is Record<string, string> => {
  if (!isRecord(v)) return false;
  for (const key in v) if (typeof v[key] !== 'string') return false;
  return true;
};
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const AM_STATES: ReadonlySet<unknown> = new Set(['active', 'suppressed', 'unprocessed']);

/**
 * `amAlertSchema.safeParse(alert)`, written out: the same checks, defaults and
 * output (declared fields only), or undefined where the schema fails. Every refresh of 5,000
 * alerts goes through it, and the generic parser cost more than JSON.parse of the answer itself.
 */
export function parseAmAlert(a: unknown): AmAlert | undefined {
  if (!isRecord(a) || typeof a.fingerprint !== 'string' || typeof a.startsAt !== 'string' || !isStringRecord(a.labels)) return undefined;
  const annotations = a.annotations === undefined ? {} : a.annotations;
  if (!isStringRecord(annotations)) return undefined;
  if (a.generatorURL !== undefined && typeof a.generatorURL !== 'string') return undefined;
  const status = a.status;
  if (!isRecord(status) || !AM_STATES.has(status.state)) return undefined;
  const silencedBy = status.silencedBy === undefined ? [] : status.silencedBy;
  const inhibitedBy = status.inhibitedBy === undefined ? [] : status.inhibitedBy;
  if (!isStringList(silencedBy) || !isStringList(inhibitedBy)) return undefined;
  return {
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations,
    startsAt: a.startsAt,
    ...(a.generatorURL !== undefined ? { generatorURL: a.generatorURL } : {}),
    status: { state: status.state as AmAlert['status']['state'], silencedBy, inhibitedBy },
  };
}

const EMPTY_LIST: readonly string[] = [];
const EMPTY_RECORD: Readonly<Record<string, string>> = {};

/**
 * True when a wire alert holds what a checked one holds (every field parseAmAlert keeps, with its
 * defaults): it is then valid too, and nothing needs to be built for it. False proves nothing.
 */
export function sameAmAlert(checked: AmAlert, a: Record<string, unknown>): boolean {
  if (a.fingerprint !== checked.fingerprint || a.startsAt !== checked.startsAt || a.generatorURL !== checked.generatorURL) return false;
  const status = a.status;
  if (!isRecord(status) || status.state !== checked.status.state) return false;
  return (
    jsonEqual(status.silencedBy === undefined ? EMPTY_LIST : status.silencedBy, checked.status.silencedBy) &&
    jsonEqual(status.inhibitedBy === undefined ? EMPTY_LIST : status.inhibitedBy, checked.status.inhibitedBy) &&
    jsonEqual(a.labels, checked.labels) &&
    jsonEqual(a.annotations === undefined ? EMPTY_RECORD : a.annotations, checked.annotations)
  );
}

export const amSilenceSchema = z.object({
  id: z.string(),
  status: z.object({ state: z.enum(['active', 'pending', 'expired']) }),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().default(true) })),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});
export const amSilencesSchema = z.array(amSilenceSchema);

/** The runbook links an alert carries: kube-prometheus' `runbook_url`, or a bundled runbook's id in `runbook`. */
function runbookLinks(annotations: Record<string, string>): Pick<ConsoleAlert, 'runbookUrl' | 'runbookId'> {
  const url = annotations.runbook_url ?? (/^https?:\/\//.test(annotations.runbook ?? '') ? annotations.runbook : undefined);
  const id = annotations.runbook && !/^https?:\/\//.test(annotations.runbook) ? annotations.runbook : undefined;
  return { ...(url ? { runbookUrl: url } : {}), ...(id ? { runbookId: id } : {}) };
}

/**
 * One alert rule's alerts share a generator URL: a map from URL to PromQL, passed across one answer,
 * parses each URL once instead of once per alert (5,000 alerts, a few hundred rules).
 */
export type ExprCache = Map<string, string | undefined>;

function cachedExpr(url: string | undefined, cache: ExprCache | undefined): string | undefined {
  if (!url || !cache) return exprFromGeneratorUrl(url);
  if (cache.has(url)) return cache.get(url);
  const expr = exprFromGeneratorUrl(url);
  cache.set(url, expr);
  return expr;
}

export function fromAlertmanager(alert: AmAlert, overrides: Record<string, Priority>, exprs?: ExprCache): ConsoleAlert {
  const severity = alert.labels.severity;
  const expr = cachedExpr(alert.generatorURL, exprs);
  return {
    fingerprint: alert.fingerprint,
    name: alert.labels.alertname ?? '(no alertname)',
    // `unprocessed` is an alert Alertmanager has not yet matched against silences: it notifies.
    state: alert.status.state === 'suppressed' ? 'suppressed' : 'active',
    priority: priorityOf(severity, overrides),
    ...(severity ? { severity } : {}),
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    silencedBy: alert.status.silencedBy,
    inhibitedBy: alert.status.inhibitedBy,
    ...(expr ? { expr } : {}),
    ...runbookLinks(alert.annotations),
  };
}

export function toSilence(s: z.infer<typeof amSilenceSchema>): Silence {
  return { id: s.id, state: s.status.state, matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, createdBy: s.createdBy, comment: s.comment };
}

export const promAlertsSchema = z.object({
  status: z.literal('success'),
  data: z.object({ alerts: z.array(z.object({ labels, annotations: labels.default({}), state: z.string(), activeAt: z.string().optional() })) }),
});

export const promRulesSchema = z.object({
  status: z.literal('success'),
  data: z.object({ groups: z.array(z.object({ rules: z.array(z.object({ type: z.string(), name: z.string(), query: z.string().optional() }).passthrough()) })) }),
});

/** A stable id for a Prometheus alert (Alertmanager's fingerprint is not available there). */
export function labelsFingerprint(l: Record<string, string>): string {
  let h = 2166136261;
  for (const k of Object.keys(l).sort()) {
    const part = `${k}\u0000${l[k]}\u0001`;
    for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function fromPrometheus(
  alerts: z.infer<typeof promAlertsSchema>['data']['alerts'],
  rules: z.infer<typeof promRulesSchema>['data']['groups'],
  overrides: Record<string, Priority>,
): ConsoleAlert[] {
  const exprOf = new Map<string, string>();
  for (const g of rules) for (const r of g.rules) if (r.type === 'alerting' && r.query && !exprOf.has(r.name)) exprOf.set(r.name, r.query);
  return alerts
    .filter((a) => a.state === 'firing' || a.state === 'pending')
    .map((a) => {
      const name = a.labels.alertname ?? '(no alertname)';
      const expr = exprOf.get(name);
      return {
        fingerprint: labelsFingerprint(a.labels),
        name,
        state: a.state === 'firing' ? ('active' as const) : ('pending' as const),
        priority: priorityOf(a.labels.severity, overrides),
        ...(a.labels.severity ? { severity: a.labels.severity } : {}),
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.activeAt ?? new Date(0).toISOString(),
        silencedBy: [],
        inhibitedBy: [],
        ...(expr ? { expr } : {}),
        ...runbookLinks(a.annotations),
      };
    });
}
