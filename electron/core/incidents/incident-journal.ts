// One journal per incident: JSON lines in <dataDir>/incidents/<id>.jsonl, 0600, each record
// fsync'd before the caller hears back. The incident is the replay of its records, so everything
// (timeline included) reads back offline. A line that cannot be read (a torn last line after a
// crash) is skipped and named with its file and line; the records around it are kept.
import { closeSync, existsSync, fsyncSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, openPrivateFile } from '../files/index.js';
import {
  incidentRetroSchema,
  incidentSchema,
  incidentStatusSchema,
  timelineEntrySchema,
  type Incident,
  type TimelineEntry,
} from '../../../shared/model/incident.js';
import { sloBudgetSchema, type SloBudget } from '../../../shared/model/incident-report.js';

export const journalRecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('declared'), incident: incidentSchema }),
  z.object({ t: z.literal('entry'), entry: timelineEntrySchema }),
  z.object({ t: z.literal('status'), at: z.string(), status: incidentStatusSchema, who: z.string() }),
  z.object({ t: z.literal('retro'), at: z.string(), retro: incidentRetroSchema.partial(), who: z.string() }),
  /** Collector bookkeeping: alerts seen firing (key -> text), so a resolve is noticed after a restart. */
  z.object({ t: z.literal('firing'), keys: z.record(z.string(), z.string()) }),
  /** The SLO view's budget figures when declared and when resolved (the report's budget burned). */
  z.object({ t: z.literal('slo'), at: z.string(), when: z.enum(['declared', 'resolved']), slos: z.array(sloBudgetSchema) }),
]);
export type IncidentJournalRecord = z.infer<typeof journalRecordSchema>;

export const incidentsDir = (dataDir: string) => join(dataDir, 'incidents');
const journalFile = (dataDir: string, id: string) => join(incidentsDir(dataDir), `${id}.jsonl`);

export function appendRecords(dataDir: string, id: string, records: readonly IncidentJournalRecord[]): void {
  if (!records.length) return;
  ensurePrivateDir(incidentsDir(dataDir));
  const path = journalFile(dataDir, id);
  // After a torn last line the next record starts on a line of its own, so only the torn one is lost.
  const endsOpen = existsSync(path) && statSync(path).size > 0 && !readFileSync(path).subarray(-1).equals(Buffer.from('\n'));
  const fd = openPrivateFile(path, 'a');
  try {
    if (endsOpen) writeSync(fd, '\n');
    writeSync(fd, records.map((record) => JSON.stringify(record) + '\n').join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface ReplayedIncident {
  incident: Incident;
  /** In the order recorded. */
  entries: TimelineEntry[];
  /** Alerts firing when last collected (key -> text). */
  firing: Record<string, string>;
  slo: { declared?: SloBudget[]; resolved?: SloBudget[] };
  problems: string[];
}

export function readIncident(dataDir: string, id: string): ReplayedIncident | { incident?: undefined; problems: string[] } | undefined {
  const path = journalFile(dataDir, id);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  const problems: string[] = [];
  let incident: Incident | undefined;
  const entries: TimelineEntry[] = [];
  let firing: Record<string, string> = {};
  const slo: ReplayedIncident['slo'] = {};
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const isLast = lines.slice(index + 1).every((rest) => !rest.trim());
    let record: IncidentJournalRecord;
    try {
      record = journalRecordSchema.parse(JSON.parse(line));
    } catch {
      problems.push(`${path} line ${index + 1}: ${isLast ? 'cut short (the write was interrupted, e.g. by a crash)' : 'not a journal record'}; skipped, the other records are kept.`);
      return;
    }
    if (record.t === 'declared') incident = record.incident;
    else if (!incident) problems.push(`${path} line ${index + 1}: a record before the declaration; skipped.`);
    else if (record.t === 'entry') entries.push(record.entry);
    else if (record.t === 'status') {
      incident = { ...incident, status: record.status, resolvedAt: record.status === 'resolved' ? record.at : undefined };
    } else if (record.t === 'retro') incident = { ...incident, retro: { ...incident.retro, ...record.retro } };
    else if (record.t === 'firing') firing = record.keys;
    else if (record.t === 'slo') slo[record.when] = record.slos;
  });
  if (!incident) {
    problems.push(`${path}: no declaration could be read; the incident is not listed.`);
    return { problems };
  }
  return { incident, entries, firing, slo, problems };
}

export function listIncidentIds(dataDir: string): string[] {
  const dir = incidentsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => name.slice(0, -'.jsonl'.length));
}
