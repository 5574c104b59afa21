// Append-only audit log: one JSON line per prepared, executed, refused or rejected call, fsync'd
// before the caller hears back, so a crash cannot lose a record of something that was done.
// Records are bounded (audit-bounds), the file rotates by size (audit-rotation) and `list` reads
// from the end (audit-reader), so the newest records cost the same whatever the history's size.
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../../shared/contract/actions.js';
import { redactPayload } from '../secrets/index.js';
import { ensurePrivateDir, openPrivateFile } from '../files/index.js';
import { DEFAULT_RECORD_LIMITS, boundRecord, type RecordLimits } from './audit-bounds.js';
import { DEFAULT_ROTATION, continuationLine, historyFiles, rotate, type RotationPolicy } from './audit-rotation.js';
import { readBackward, sizeOf } from './audit-reader.js';

export type AuditEntry = Omit<AuditRecord, 'id' | 'time'>;

export interface AuditFilter {
  limit: number;
  context?: string;
  action?: string;
  outcome?: AuditRecord['outcome'];
  text?: string;
}

export interface AuditPage {
  records: AuditRecord[];
  /** Matching records in the whole history: exact when the read reached its start, else estimated. */
  total: number;
  totalIsEstimate: boolean;
}

export interface AuditLog {
  append(entry: AuditEntry): AuditRecord;
  list(filter: AuditFilter): AuditPage;
  /** Told after each record is written (the audit.events stream); returns the unsubscribe. */
  onAppend(listener: (record: AuditRecord) => void): () => void;
  readonly path: string;
}

export interface AuditLogOptions {
  now?: () => Date;
  rotation?: RotationPolicy;
  limits?: RecordLimits;
  /** Told how much each list() read (tests, benchmarks). */
  onList?: (stats: { bytesRead: number; historyBytes: number; files: number }) => void;
}

export function openAuditLog(path: string, options: AuditLogOptions = {}): AuditLog {
  const now = options.now ?? (() => new Date());
  const rotation = options.rotation ?? DEFAULT_ROTATION;
  const limits = options.limits ?? DEFAULT_RECORD_LIMITS;
  ensurePrivateDir(dirname(path));
  endTornLine(path);
  const listeners = new Set<(record: AuditRecord) => void>();
  return {
    path,
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    append(entry) {
      const record = boundRecord(redactPayload({ id: randomUUID(), time: now().toISOString(), ...entry }), limits); // no secret reaches the file
      const line = JSON.stringify(record) + '\n';
      // Opened per append in 'a' mode: writes land at the end even if another process appends too.
      let fd = openPrivateFile(path, 'a');
      try {
        let size = fstatSync(fd).size;
        if (size > 0 && size + Buffer.byteLength(line) > rotation.maxBytes) {
          closeSync(fd);
          rotate(path, rotation, now());
          fd = openPrivateFile(path, 'a');
          size = fstatSync(fd).size;
        }
        // Also after a crash between rename and first write: the new file still names its predecessor.
        const header = size === 0 ? continuationLine(path, now()) : undefined;
        writeSync(fd, (header ?? '') + line);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      for (const listener of listeners) {
        try {
          listener(record);
        } catch {
          // A watcher's failure never fails the write it was told about.
        }
      }
      return record;
    },
    list(filter) {
      const files = historyFiles(path);
      const text = filter.text?.toLowerCase();
      const reader = readBackward(files, chunkFilter(filter));
      const records: AuditRecord[] = [];
      let matched = 0;
      let reachedStart = true;
      for (const line of reader.lines()) {
        if (text && !line.toLowerCase().includes(text)) continue;
        const record = parseRecord(line);
        if (!record) continue;
        if (filter.context && record.context !== filter.context) continue;
        if (filter.action && record.action !== filter.action) continue;
        if (filter.outcome && record.outcome !== filter.outcome) continue;
        matched++;
        if (records.length < filter.limit) records.push(record);
        else {
          reachedStart = false; // one match past the page: enough to know there are more
          break;
        }
      }
      const historyBytes = files.reduce((sum, file) => sum + sizeOf(file), 0);
      options.onList?.({ bytesRead: reader.bytesRead, historyBytes, files: files.length });
      if (reachedStart) return { records, total: matched, totalIsEstimate: false };
      // Matches so far, scaled by how much of the history they came from.
      const estimate = Math.round((matched * historyBytes) / Math.max(1, reader.bytesConsumed));
      return { records, total: Math.max(matched, estimate), totalIsEstimate: true };
    },
  };
}

/**
 * A quick test on a whole chunk of lines: records are written by JSON.stringify, so a record with
 * context "prod" contains `"context":"prod"` verbatim. Undefined (read every line) without filters.
 */
function chunkFilter(filter: AuditFilter): ((lines: string) => boolean) | undefined {
  const needles = [
    filter.context === undefined ? undefined : `"context":${JSON.stringify(filter.context)}`,
    filter.action === undefined ? undefined : `"action":${JSON.stringify(filter.action)}`,
    filter.outcome === undefined ? undefined : `"outcome":${JSON.stringify(filter.outcome)}`,
  ].filter((needle): needle is string => needle !== undefined);
  const text = filter.text?.toLowerCase();
  if (!needles.length && !text) return undefined;
  return (lines) => needles.every((needle) => lines.includes(needle)) && (!text || lines.toLowerCase().includes(text));
}

/** A record line, or undefined for a torn line (power cut) or a rotation line. */
function parseRecord(line: string): AuditRecord | undefined {
  try {
    const parsed = JSON.parse(line) as Partial<AuditRecord> | null;
    return parsed && typeof parsed.phase === 'string' && typeof parsed.id === 'string' ? (parsed as AuditRecord) : undefined;
  } catch {
    return undefined; // a torn last line after a power cut: skip it, keep the rest readable
  }
}

/** Ends a torn last line (power cut mid-write), so the next record starts on a line of its own. */
function endTornLine(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  let torn = false;
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
  if (!torn) return;
  const append = openPrivateFile(path, 'a');
  try {
    writeSync(append, '\n');
    fsyncSync(append);
  } finally {
    closeSync(append);
  }
}
