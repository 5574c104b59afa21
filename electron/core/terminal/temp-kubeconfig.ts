// The local shell's KUBECONFIG: the console's kubeconfig (every file it merged, exec plugins and
// all) with the chosen context as current-context, written 0600 into the private data directory
// and removed when the shell ends. kubectl in the shell then talks to the cluster the console shows
// without touching the user's own files. Leftovers of a crash are removed at the next start.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { writePrivateFileAtomic } from '../files/index.js';
import { kubeconfigForContext } from '../kube/index.js';

const PREFIX = 'kubeconfig-';

export interface TempKubeconfig {
  path: string;
  /** Removes the file; safe to call twice. */
  remove(): void;
}

/** The folder (0700) the temporary kubeconfigs live in. */
export const terminalDir = (dataDir: string): string => join(dataDir, 'terminal');

export function writeTempKubeconfig(dataDir: string, config: KubeConfig, context: string): TempKubeconfig {
  const path = join(terminalDir(dataDir), `${PREFIX}${process.pid}-${randomBytes(6).toString('hex')}.json`);
  writePrivateFileAtomic(path, kubeconfigForContext(config, context));
  let removed = false;
  return {
    path,
    remove() {
      if (removed) return;
      removed = true;
      rmSync(path, { force: true });
    },
  };
}

/** Removes temporary kubeconfigs a crashed run left behind: those of processes no longer alive. */
export function removeStaleKubeconfigs(dataDir: string): void {
  const dir = terminalDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^kubeconfig-(\d+)-/.exec(name)?.[1]);
    if (name.startsWith(PREFIX) && !isAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
