// Incidents (issue #15): declare, notes, status changes, the retrospective and the markdown report.
// These change only Flightdeck's own data (a journal per incident on disk), never the cluster, so
// they do not go through the action road's RBAC; they are `mutates: true` (refused to read-only
// sessions) and every one is audited. Reads work offline from the journal.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { contextName, freeText } from './limits.js';
import {
  incidentAlertRefSchema,
  incidentRetroSchema,
  incidentSchema,
  incidentSeveritySchema,
  incidentStatusSchema,
  incidentSummarySchema,
  timelineEntrySchema,
} from '../model/incident.js';

export const incidentIdSchema = z.string().regex(/^inc-[0-9a-z-]{1,80}$/, 'an incident id looks like inc-20261202-0712-ab12');

const incidentRef = z.object({ id: incidentIdSchema }).strict();

export const incidentDetailSchema = z.object({
  incident: incidentSchema,
  /** In time order. */
  timeline: z.array(timelineEntrySchema),
  /** What could not be read or collected (a torn journal line, an unreachable cluster), for a person. */
  problems: z.array(z.string()),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

export const declareIncidentSchema = z
  .object({
    context: contextName(),
    title: freeText(256).min(1, 'give the incident a title'),
    severity: incidentSeveritySchema,
    commander: freeText(256).min(1, 'name the incident commander'),
    fromAlert: incidentAlertRefSchema.optional(),
    /** Who declares it (defaults to the commander). */
    who: freeText(256).optional(),
    /** Namespaces to collect alerts and Warning events from; defaults to the alert's namespace (none: every namespace). */
    namespaces: z.array(z.string().min(1).max(63)).max(20).optional(),
  })
  .strict();
export type DeclareIncident = z.infer<typeof declareIncidentSchema>;

export const incidentsContract = {
  'incidents.list': defineMethod({
    request: z.object({ context: contextName().optional() }).strict(),
    response: z.object({ incidents: z.array(incidentSummarySchema), problems: z.array(z.string()) }),
    mutates: false,
    summary: 'Incidents on disk, newest first (open and resolved; works offline).',
  }),
  'incidents.get': defineMethod({
    request: incidentRef,
    response: incidentDetailSchema,
    mutates: false,
    summary: 'One incident with its timeline in time order (collected alerts, Warning events, actions, runbook runs, notes, status changes).',
  }),
  'incidents.declare': defineMethod({
    request: declareIncidentSchema,
    response: incidentDetailSchema,
    mutates: true,
    summary: 'Declares an incident (title, P1–P4, commander; from an alert or blank). Audited.',
  }),
  'incidents.note': defineMethod({
    request: z.object({ id: incidentIdSchema, text: freeText(4_096).min(1, 'the note is empty'), who: freeText(256).optional() }).strict(),
    response: incidentDetailSchema,
    mutates: true,
    summary: 'Adds a typed note to the timeline. Audited.',
  }),
  'incidents.setStatus': defineMethod({
    request: z.object({ id: incidentIdSchema, status: incidentStatusSchema, who: freeText(256).optional() }).strict(),
    response: incidentDetailSchema,
    mutates: true,
    summary: 'Changes the status (investigating, identified, monitoring, resolved — resolving closes the window). Audited.',
  }),
  'incidents.updateRetro': defineMethod({
    request: z.object({ id: incidentIdSchema, retro: incidentRetroSchema.partial() }).strict(),
    response: incidentDetailSchema,
    mutates: true,
    summary: 'Sets the report’s summary, root cause, contributing factors, lessons learned and action items. Audited.',
  }),
  'incidents.export': defineMethod({
    request: incidentRef,
    response: z.object({ fileName: z.string(), markdown: z.string() }),
    mutates: false,
    summary: 'The incident report in markdown (summary, impact with SLO budget burned, timeline, root cause, factors, lessons, action items). Works offline.',
  }),
} as const;

export const incidentsStreams = {
  'incidents.events': defineStream({
    params: z.object({ context: contextName().optional(), id: incidentIdSchema.optional() }).strict(),
    /** The changed incident's detail (whole timeline), sent at subscribe for `id` and after every change. */
    event: z.object({ detail: incidentDetailSchema }),
    summary: 'An incident changed (declared, note, status, collected timeline entries): its detail, for the war room.',
  }),
} as const;
