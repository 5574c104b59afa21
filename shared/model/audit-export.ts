// The audit records on screen as JSON lines (one record per line, every field) or CSV (one row per
// record, the columns a spreadsheet needs). CSV cells are quoted per RFC 4180, and a cell a
// spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with ' — an audit export is
// opened by people, and a target name or error message is text someone else chose.
import type { AuditRecord } from '../contract/actions.js';

export function toJsonLines(records: AuditRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

export const CSV_COLUMNS = ['time', 'user', 'session', 'context', 'action', 'target', 'phase', 'outcome', 'error', 'durationMs', 'id'] as const;

export function targetText(r: AuditRecord): string {
  return r.target ? `${r.target.kind}/${r.target.namespace ? `${r.target.namespace}/` : ''}${r.target.name}` : '';
}

/** What was done: the action's name, or the method for calls outside the action road. */
export function actionOf(r: AuditRecord): string {
  return r.action ?? r.method ?? '';
}

function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(records: AuditRecord[]): string {
  const rows = records.map((r) =>
    [r.time, r.user, r.session, r.context, actionOf(r), targetText(r), r.phase, r.outcome, r.error, r.durationMs, r.id].map(csvCell).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
