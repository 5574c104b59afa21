// The console's data directory: settings, Prometheus credentials, the audit log and offline
// snapshots. Made private (0700, files 0600) at start, including what older versions left looser.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, ensurePrivateDir, tightenFilesIn, tightenMode } from './private-files.js';

/** Names of the files the console keeps at the top of the data directory (and their temp/rotated siblings). */
const OWN_FILE_PREFIXES = ['settings.json', 'prometheus-auth.json', 'service-auth.json', 'audit.log'];
export const SNAPSHOT_DIR_NAME = 'snapshots';

/**
 * Creates the data directory 0700 (or tightens it) and tightens the console's own files in it.
 * Only our files: in Electron the directory is also Chromium's profile, which manages its own.
 */
export function prepareDataDir(dataDir: string): void {
  refuseSharedDir(dataDir);
  ensurePrivateDir(dataDir);
  tightenFilesIn(dataDir, (name) => OWN_FILE_PREFIXES.some((prefix) => name.startsWith(prefix)));
  const snapshots = join(dataDir, SNAPSHOT_DIR_NAME);
  if (existsSync(snapshots)) {
    tightenMode(snapshots, PRIVATE_DIR_MODE);
    tightenFilesIn(snapshots);
  }
}

/** A shared folder (/tmp: sticky bit) or another user's must not be made 0700, nor hold our files. */
function refuseSharedDir(dataDir: string): void {
  if (!existsSync(dataDir) || process.platform === 'win32') return;
  const stat = statSync(dataDir);
  if (stat.mode & 0o1000) {
    throw new Error(`The data directory ${dataDir} is a shared folder (sticky bit, like /tmp): give Flightdeck a folder of its own with --data-dir.`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && stat.uid !== uid) {
    throw new Error(`The data directory ${dataDir} belongs to another user (uid ${stat.uid}): give Flightdeck a folder of its own with --data-dir.`);
  }
}
