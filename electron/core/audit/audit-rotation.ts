// Size-based rotation of the audit log. `audit.log` is the current file; older ones are
// `audit.log.<n>`, n growing with each rotation (the highest is the newest). Rotating loses
// nothing: it appends a closing line that names the file it becomes and the file that follows,
// then renames; the next file starts with a line naming its predecessor. Only files past `files`
// in all are deleted, oldest first.
import { closeSync, fsyncSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { openPrivateFile } from '../files/index.js';

export interface RotationPolicy {
  /** The current file is rotated before an append would take it past this size. */
  maxBytes: number;
  /** Files kept in all, the current one included. */
  files: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, files: 5 };

/** Lines that are not records: the reader skips them (they have no `phase`). */
export type RotationLine =
  | { auditLog: 'closed'; closedAs: string; next: string; time: string }
  | { auditLog: 'continues'; previous: string; time: string };

/** Rotated files of the log at `path`, newest first. */
export const rotatedFiles = (path: string): string[] => numberedFiles(path).map((file) => file.path);

function numberedFiles(path: string): Array<{ path: string; n: number }> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({ name, n: Number(name.slice(prefix.length)) }))
    .sort((a, b) => b.n - a.n)
    .map(({ name, n }) => ({ path: join(dir, name), n }));
}

/** The whole history, newest file first. */
export const historyFiles = (path: string): string[] => [path, ...rotatedFiles(path)];

function appendSynced(path: string, text: string): void {
  const fd = openPrivateFile(path, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Closes the current file, renames it to the next number and deletes files beyond the policy. */
export function rotate(path: string, policy: RotationPolicy, now: Date): void {
  const numbered = numberedFiles(path);
  const rotated = numbered.map((file) => file.path);
  const nextNumber = (numbered[0]?.n ?? 0) + 1;
  const closedAs = `${basename(path)}.${nextNumber}`;
  const closing: RotationLine = { auditLog: 'closed', closedAs, next: basename(path), time: now.toISOString() };
  appendSynced(path, JSON.stringify(closing) + '\n');
  renameSync(path, join(dirname(path), closedAs));
  for (const old of [join(dirname(path), closedAs), ...rotated].slice(Math.max(0, policy.files - 1))) rmSync(old, { force: true });
}

/** The first line of a new current file when older files exist. */
export function continuationLine(path: string, now: Date): string | undefined {
  const previous = rotatedFiles(path)[0];
  if (!previous) return undefined;
  const line: RotationLine = { auditLog: 'continues', previous: basename(previous), time: now.toISOString() };
  return JSON.stringify(line) + '\n';
}

const envNumber = z.coerce.number().int().positive();

/** FLIGHTDECK_AUDIT_MAX_MB and FLIGHTDECK_AUDIT_FILES override the defaults; bad values are an error. */
export function rotationFromEnv(env: NodeJS.ProcessEnv = process.env): RotationPolicy {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const parsed = envNumber.min(min).safeParse(raw);
    if (!parsed.success) throw new Error(`${name}=${raw} is not valid: give a whole number of at least ${min}.`);
    return parsed.data;
  };
  return {
    maxBytes: read('FLIGHTDECK_AUDIT_MAX_MB', DEFAULT_ROTATION.maxBytes / (1024 * 1024), 1) * 1024 * 1024,
    files: read('FLIGHTDECK_AUDIT_FILES', DEFAULT_ROTATION.files, 2),
  };
}
