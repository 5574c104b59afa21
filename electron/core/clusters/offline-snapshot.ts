// The last synced state of a context on disk, so the console can open it read-only when the
// cluster is unreachable. Written atomically (temp file + rename): a crash mid-write leaves the
// previous snapshot intact, never a torn one.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject, WatchedKind } from '../../../shared/model/kube.js';

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
  mkdirSync(dir, { recursive: true });
  const target = snapshotPath(dir, snapshot.context);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, target);
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
