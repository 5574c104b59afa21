// Append-only audit log: one JSON line per prepared, executed or refused action, fsync'd before
// the caller hears back, so a crash cannot lose a record of something that was done.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, existsSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../../shared/contract/actions.js';

export type AuditEntry = Omit<AuditRecord, 'id' | 'time'>;

export interface AuditFilter {
  limit: number;
  context?: string;
  action?: string;
  outcome?: AuditRecord['outcome'];
  text?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): AuditRecord;
  list(filter: AuditFilter): { records: AuditRecord[]; total: number };
  readonly path: string;
}

export function openAuditLog(path: string, now: () => Date = () => new Date()): AuditLog {
  mkdirSync(dirname(path), { recursive: true });
  return {
    path,
    append(entry) {
      const record: AuditRecord = { id: randomUUID(), time: now().toISOString(), ...entry };
      // Opened per append in 'a' mode: writes land at the end even if another process appends too.
      const fd = openSync(path, 'a', 0o600);
      try {
        writeSync(fd, JSON.stringify(record) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return record;
    },
    list(filter) {
      if (!existsSync(path)) return { records: [], total: 0 };
      const lines = readFileSync(path, 'utf8').split('\n');
      const text = filter.text?.toLowerCase();
      const matched: AuditRecord[] = [];
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i];
        if (!line) continue;
        let record: AuditRecord;
        try {
          record = JSON.parse(line) as AuditRecord;
        } catch {
          continue; // a torn last line after a power cut: skip it, keep the rest readable
        }
        if (filter.context && record.context !== filter.context) continue;
        if (filter.action && record.action !== filter.action) continue;
        if (filter.outcome && record.outcome !== filter.outcome) continue;
        if (text && !line.toLowerCase().includes(text)) continue;
        matched.push(record);
      }
      return { records: matched.slice(0, filter.limit), total: matched.length };
    },
  };
}
