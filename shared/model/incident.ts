// Incidents (issue #15): what an incident is and what its timeline holds. Pure data; the journal
// on disk (electron/core/incidents) and the markdown report are built from these shapes.
import { z } from 'zod';

export const incidentSeveritySchema = z.enum(['P1', 'P2', 'P3', 'P4']);
export type IncidentSeverity = z.infer<typeof incidentSeveritySchema>;

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof incidentStatusSchema>;

/** The alert an incident was declared from (its labels scope what the timeline collects). */
export const incidentAlertRefSchema = z.object({
  fingerprint: z.string().max(200),
  name: z.string().max(256),
  labels: z.record(z.string().max(256), z.string().max(1024)),
});
export type IncidentAlertRef = z.infer<typeof incidentAlertRefSchema>;

/** The retrospective's free-text parts (the report's sections a person writes). */
export const incidentRetroSchema = z.object({
  summary: z.string().max(8_192).default(''),
  rootCause: z.string().max(8_192).default(''),
  contributingFactors: z.string().max(8_192).default(''),
  lessonsLearned: z.string().max(8_192).default(''),
  actionItems: z.array(z.string().min(1).max(1_024)).max(100).default([]),
});
export type IncidentRetro = z.infer<typeof incidentRetroSchema>;

export const incidentSchema = z.object({
  id: z.string(),
  context: z.string(),
  title: z.string(),
  severity: incidentSeveritySchema,
  commander: z.string(),
  status: incidentStatusSchema,
  declaredAt: z.string(),
  declaredBy: z.string(),
  resolvedAt: z.string().optional(),
  fromAlert: incidentAlertRefSchema.optional(),
  /** Namespaces whose alerts and Warning events join the timeline (from the alert; empty = every namespace). */
  namespaces: z.array(z.string()),
  retro: incidentRetroSchema,
});
export type Incident = z.infer<typeof incidentSchema>;

export const TIMELINE_KINDS = [
  'declared',
  'note',
  'status',
  'alert-firing',
  'alert-resolved',
  'k8s-warning',
  'action',
  'runbook',
  'edited',
] as const;
export const timelineKindSchema = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof timelineKindSchema>;

export const timelineEntrySchema = z.object({
  /** Stable per source (an audit id, an alert fingerprint + start, an event uid + count), so a re-collect adds nothing twice. */
  key: z.string(),
  /** When it happened (not when it was collected). */
  at: z.string(),
  kind: timelineKindSchema,
  /** One line for a person. */
  text: z.string(),
  /** Who did it (notes, status changes, actions), when known. */
  who: z.string().optional(),
  /** Where it came from: 'audit #12', 'Alertmanager', 'Event default/web-1'... */
  source: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const incidentSummarySchema = incidentSchema.pick({
  id: true,
  context: true,
  title: true,
  severity: true,
  commander: true,
  status: true,
  declaredAt: true,
  resolvedAt: true,
}).extend({ entries: z.number() });
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

/** Timeline entries in time order; ties keep the order they were recorded in. */
export function orderTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, ms: Date.parse(entry.at) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map(({ entry }) => entry);
}
