// One journal per run: JSON lines in <dataDir>/runbook-runs/<runId>.jsonl, 0600, each record
// fsync'd before the step it describes goes on, so a crash loses at most the step that was running
// (which then reads "interrupted"). Reading tolerates a torn last line (the crash cut the write):
// the record is dropped and reported with its file and line; nothing else is lost.
import { closeSync, existsSync, fsyncSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, openPrivateFile } from '../files/index.js';
import type { Inputs } from '../../../shared/model/runbook.js';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

export type JournalRecord =
  | {
      t: 'start';
      runId: string;
      at: string;
      who: string;
      runbook: { id: string; file: string; title: string; hash: string; source: string };
      context?: string;
      /** Secret values are masked before they get here. */
      inputs: Inputs;
      secretParams: string[];
    }
  | { t: 'step-start'; at: string; stepId: string; attempt: number; who: string }
  | { t: 'step-end'; at: string; stepId: string; status: 'succeeded' | 'failed'; exitCode?: number; durationMs: number; output: string; auditId?: string; error?: string }
  | { t: 'step-skip'; at: string; stepId: string; who: string }
  /** Someone stopped the running step; its step-end (failed) follows when its processes exit. */
  | { t: 'step-stop'; at: string; stepId: string; who: string }
  | { t: 'resume'; at: string; who: string }
  | { t: 'finish'; at: string; status: 'succeeded' | 'failed' | 'abandoned' };

export interface JournalRead {
  records: JournalRecord[];
  /** Lines that could not be read (a torn last line after a crash), with file and line. */
  problems: string[];
}

export const runsDir = (dataDir: string) => join(dataDir, 'runbook-runs');
export const journalPath = (dataDir: string, runId: string) => join(runsDir(dataDir), `${runId}.jsonl`);

export interface Journal {
  append(record: JournalRecord): void;
  close(): void;
}

export function openJournal(dataDir: string, runId: string): Journal {
  ensurePrivateDir(runsDir(dataDir));
  const path = journalPath(dataDir, runId);
  const fd = openPrivateFile(path, 'a');
  let closed = false;
  return {
    append(record) {
      if (closed) throw new Error(`journal ${path} is closed`);
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

export function readJournal(path: string): JournalRead {
  const records: JournalRecord[] = [];
  const problems: string[] = [];
  if (!existsSync(path)) return { records, problems: [`${path}: no such journal`] };
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const record = JSON.parse(line) as JournalRecord;
      if (!record || typeof record !== 'object' || typeof record.t !== 'string') throw new Error('not a journal record');
      records.push(record);
    } catch (error) {
      const last = lines.slice(i + 1).every((l) => !l.trim());
      problems.push(`${path}:${i + 1}: ${last ? 'torn last line (the process stopped while writing it); that record is ignored' : `unreadable record ignored (${error instanceof Error ? error.message : String(error)})`}`);
    }
  });
  return { records, problems };
}

export function listJournals(dataDir: string): string[] {
  const dir = runsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length));
}
