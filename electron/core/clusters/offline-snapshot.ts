// The last synced state of a context on disk, so the console can open it read-only when the
// cluster is unreachable. Written atomically (temp file + rename): a crash mid-write leaves the
// previous snapshot intact, never a torn one.
import { closeSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { PRIVATE_FILE_MODE, ensurePrivateDir, ensurePrivateDirAsync, openPrivateFile } from '../files/index.js';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { KubeObject, WatchedKind } from '../../../shared/model/kube.js';
import { redactObject } from '../secrets/index.js';

export interface OfflineSnapshot {
  context: string;
  /** ISO time the state was last known to be complete and current. */
  asOf: string;
  objects: Partial<Record<WatchedKind, KubeObject[]>>;
}

const fileName = (context: string) => `${context.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`;

export function snapshotPath(dir: string, context: string): string {
  return join(dir, fileName(context));
}

export function writeSnapshot(dir: string, snapshot: OfflineSnapshot): void {
  // 0700 directory, 0600 file: a snapshot is the cluster's state (names, env, annotations).
  ensurePrivateDir(dir);
  const target = snapshotPath(dir, snapshot.context);
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = openPrivateFile(tmp, 'w');
  try {
    // Secrets never reach the disk: env literals, URL passwords and secret flags are redacted first.
    writeSync(fd, JSON.stringify({ ...snapshot, objects: Object.fromEntries(Object.entries(snapshot.objects).map(([kind, list]) => [kind, list?.map(redactObject)])) }));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

/**
 * The same file as `writeSnapshot`, serialized a few hundred objects at a time with the event loop
 * free in between: 10,000 pods in one JSON.stringify held live watch events back for 100-300 ms.
 */
export async function writeSnapshotChunked(dir: string, snapshot: OfflineSnapshot, stillWanted: () => boolean = () => true, chunk = 500): Promise<void> {
  await ensurePrivateDirAsync(dir);
  const target = snapshotPath(dir, snapshot.context);
  const tmp = `${target}.${process.pid}.bg.tmp`;
  // Streamed to the file chunk by chunk: never the whole document in memory at once.
  const file = await open(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    if (process.platform !== 'win32') await file.chmod(PRIVATE_FILE_MODE); // a leftover temp file keeps its old mode
    await file.write(`{"context":${JSON.stringify(snapshot.context)},"asOf":${JSON.stringify(snapshot.asOf)},"objects":{`);
    let first = true;
    for (const [kind, objects] of Object.entries(snapshot.objects)) {
      if (!objects) continue;
      await file.write(`${first ? '' : ','}${JSON.stringify(kind)}:[`);
      first = false;
      for (let i = 0; i < objects.length; i += chunk) {
        await file.write(`${i ? ',' : ''}${objects.slice(i, i + chunk).map((o) => JSON.stringify(redactObject(o))).join(',')}`);
        await yieldToLoop();
      }
      await file.write(']');
    }
    await file.write('}}');
  } finally {
    await file.close();
  }
  // A final synchronous write (on stop) may have landed meanwhile: never replace it with older state.
  if (stillWanted()) await rename(tmp, target);
  else await unlink(tmp);
}

/** The saved snapshot, or undefined when there is none or it cannot be read (a torn file is ignored). */
export function readSnapshot(dir: string, context: string): OfflineSnapshot | undefined {
  const path = snapshotPath(dir, context);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as OfflineSnapshot;
    return parsed.context === context && typeof parsed.asOf === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
