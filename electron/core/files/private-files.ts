// Everything the console writes holds cluster state, credentials or the audit trail: directories
// are 0700 and files 0600, whatever umask the process inherited, and a directory or file that
// already exists with looser modes (an older version wrote it) is tightened, not trusted.
import { chmodSync, closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) 0700 and tightens `dir` itself if it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenMode(dir, PRIVATE_DIR_MODE);
}

export async function ensurePrivateDirAsync(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dir, PRIVATE_DIR_MODE);
}

/** chmod when the mode differs (no-op on Windows, where POSIX modes do not apply). */
export function tightenMode(path: string, mode: number): void {
  if (process.platform === 'win32') return;
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}

/** Tightens every file in `dir` whose name passes `wanted` (existing data from older versions). */
export function tightenFilesIn(dir: string, wanted: (name: string) => boolean = () => true): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && wanted(entry.name)) tightenMode(join(dir, entry.name), PRIVATE_FILE_MODE);
  }
}

/**
 * Opens `path` 0600 with `flags`. The mode argument of open() only applies to a file it creates,
 * so an existing file (a leftover temp file, an old log) is fchmod'ed as well.
 */
export function openPrivateFile(path: string, flags: 'a' | 'w'): number {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  try {
    if (process.platform !== 'win32') fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Replaces `path` atomically (temp file + fsync + rename) with a 0600 file in a 0700 directory. */
export function writePrivateFileAtomic(path: string, data: string): void {
  ensurePrivateDir(dirname(path));
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openPrivateFile(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
