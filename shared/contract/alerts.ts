// Alerts and silences (Alertmanager v2, Prometheus as the fallback). Creating and expiring a
// silence are actions on the action road (kind `Silence`: `silence.create`, `silence.expire`).
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';
import { contextName, freeText, identifier } from './limits.js';

export const prioritySchema = z.enum(['P1', 'P2', 'P3', 'P4']);

export const alertSourceSchema = z.object({
  /** alertmanager: its v2 API; prometheus: /api/v1/alerts + /api/v1/rules (no silences); none: neither found. */
  kind: z.enum(['alertmanager', 'prometheus', 'none']),
  url: z.string().optional(),
  /** Where it came from, for a person ("set in Settings", "the demo fleet's Alertmanager"...). */
  detail: z.string(),
  /** Why Alertmanager was not used, when the fallback answers. */
  problem: z.string().optional(),
});
export type AlertSource = z.infer<typeof alertSourceSchema>;

export const consoleAlertSchema = z.object({
  fingerprint: z.string(),
  name: z.string(),
  state: z.enum(['active', 'suppressed', 'pending']),
  priority: prioritySchema,
  severity: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  silencedBy: z.array(z.string()),
  inhibitedBy: z.array(z.string()),
  expr: z.string().optional(),
  runbookUrl: z.string().optional(),
  runbookId: z.string().optional(),
});

export const alertGroupSchema = z.object({
  key: z.string(),
  alertname: z.string(),
  namespace: z.string().optional(),
  service: z.string().optional(),
  priority: prioritySchema,
  active: z.number(),
  silenced: z.number(),
  inhibited: z.number(),
  pending: z.number(),
  since: z.string(),
  alerts: z.array(consoleAlertSchema),
});

export const silenceMatcherSchema = z.object({
  name: z.string().min(1).max(256),
  value: z.string().max(1024),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});

export const silenceSchema = z.object({
  id: z.string(),
  state: z.enum(['active', 'pending', 'expired']),
  matchers: z.array(silenceMatcherSchema),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});
export type Silence = z.infer<typeof silenceSchema>;

/** The params of the `silence.create` action (target { kind: 'Silence', name: 'new' }). */
export const createSilenceParamsSchema = z
  .object({
    matchers: z.array(silenceMatcherSchema).min(1).max(32),
    /** Minutes, 1 minute to 30 days. */
    durationMinutes: z.number().int().min(1).max(30 * 24 * 60),
    comment: freeText(1024).min(1, 'a comment is required: say why'),
    createdBy: z.string().min(1, 'say who creates it').max(256),
  })
  .strict();
export type CreateSilenceParams = z.infer<typeof createSilenceParamsSchema>;

export const alertsContract = {
  'alerts.list': defineMethod({
    request: z
      .object({
        context: contextName(),
        /** Overrides of the default severity → P-level map (critical P1, error/high P2, warning P3, info P4). */
        severityPriorities: z.record(identifier(), prioritySchema).optional(),
        /** The revision the caller holds: the answer then carries only the groups that changed since. */
        since: z.string().max(100).optional(),
        /**
         * Alertmanager's answer may be this old (ms): a caller that polls (the problem badge) takes
         * one another caller fetched within its own period instead of asking Alertmanager again.
         */
        maxAgeMs: z.number().int().min(0).max(60_000).optional(),
      })
      .strict(),
    response: z.object({
      source: alertSourceSchema,
      /** Every group (delta false), or only those that changed since `since` (delta true). */
      groups: z.array(alertGroupSchema),
      fetchedAt: z.string(),
      revision: z.string(),
      delta: z.boolean(),
      /** Keys of groups gone since `since` (delta answers only). */
      removed: z.array(z.string()),
      /** Every group's key in display order (delta answers only; full answers are in order). */
      order: z.array(z.string()),
    }),
    mutates: false,
    summary: 'Alerts grouped by alertname, namespace and service with P-levels; silenced and inhibited apart.',
  }),
  'alerts.silences': defineMethod({
    request: z.object({ context: contextName() }).strict(),
    response: z.object({ source: alertSourceSchema, silences: z.array(silenceSchema) }),
    mutates: false,
    summary: 'Alertmanager silences (active and pending first, then recently expired).',
  }),
} as const;
