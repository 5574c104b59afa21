// The incident report in markdown: summary, impact (duration, SLO budget burned), timeline, root
// cause, contributing factors, lessons learned, action items. Pure: built from what the journal
// holds, so it reads the same offline.
import { z } from 'zod';
import { orderTimeline, type Incident, type TimelineEntry } from './incident.js';

/** One SLO's budget figure from the SLO view (slo.status): share of the period's budget consumed. */
export const sloBudgetSchema = z.object({ service: z.string(), slo: z.string(), title: z.string(), consumed: z.number().nullable() });
export type SloBudget = z.infer<typeof sloBudgetSchema>;

export interface ReportInput {
  incident: Incident;
  entries: readonly TimelineEntry[];
  slo: { declared?: readonly SloBudget[]; resolved?: readonly SloBudget[] };
  /** The end of an open incident's window (now). */
  now: string;
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
/** Markdown table cells: a pipe or a line break would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const orNone = (text: string) => (text.trim() ? text.trim() : '_Not written yet._');

/** Budget burned during the incident per SLO: consumed at resolve minus consumed at declare. */
export function budgetBurned(slo: ReportInput['slo']): Array<{ title: string; burned: number | null; note?: string }> {
  const before = new Map((slo.declared ?? []).map((s) => [`${s.service}/${s.slo}`, s]));
  return (slo.resolved ?? []).map((after) => {
    const start = before.get(`${after.service}/${after.slo}`);
    if (after.consumed === null || !start || start.consumed === null) return { title: `${after.service}: ${after.title}`, burned: null, note: 'no budget figure at both ends (not enough data, or no traffic)' };
    return { title: `${after.service}: ${after.title}`, burned: Math.max(0, after.consumed - start.consumed) };
  });
}

export function incidentReport({ incident, entries, slo, now }: ReportInput): string {
  const end = incident.resolvedAt ?? now;
  const lines: string[] = [];
  lines.push(`# Incident report: ${incident.title}`, '');
  lines.push(`- **Severity:** ${incident.severity}`);
  lines.push(`- **Status:** ${incident.status}`);
  lines.push(`- **Commander:** ${incident.commander}`);
  lines.push(`- **Context:** ${incident.context}`);
  lines.push(`- **Declared:** ${incident.declaredAt} by ${incident.declaredBy}${incident.fromAlert ? ` from alert ${incident.fromAlert.name}` : ''}`);
  lines.push(`- **Resolved:** ${incident.resolvedAt ?? 'not yet (report as of ' + now + ')'}`, '');
  lines.push('## Summary', '', orNone(incident.retro.summary), '');
  lines.push('## Impact', '', `- **Duration:** ${formatDuration(Date.parse(end) - Date.parse(incident.declaredAt))} (${incident.declaredAt} to ${end})`);
  const burned = budgetBurned(slo);
  if (!burned.length) lines.push('- **SLO budget burned:** no SLO figures were available (no metrics source, or not resolved yet).');
  else {
    lines.push('- **SLO budget burned** (share of the period’s error budget, from the SLO view):');
    for (const b of burned) lines.push(`  - ${b.title}: ${b.burned === null ? `unknown (${b.note})` : percent(b.burned)}`);
  }
  lines.push('', '## Timeline', '', '| Time (UTC) | What | Detail | Who |', '| --- | --- | --- | --- |');
  for (const entry of orderTimeline(entries)) {
    lines.push(`| ${entry.at} | ${entry.kind} | ${cell(entry.text)} | ${cell(entry.who ?? '')} |`);
  }
  lines.push('', '## Root cause', '', orNone(incident.retro.rootCause), '');
  lines.push('## Contributing factors', '', orNone(incident.retro.contributingFactors), '');
  lines.push('## Lessons learned', '', orNone(incident.retro.lessonsLearned), '');
  lines.push('## Action items', '');
  if (!incident.retro.actionItems.length) lines.push('_None yet._');
  for (const item of incident.retro.actionItems) lines.push(`- [ ] ${item}`);
  lines.push('');
  return lines.join('\n');
}
