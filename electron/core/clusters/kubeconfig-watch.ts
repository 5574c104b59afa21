// Notices when a kubeconfig file changes (a new CA or token after a cluster restart, `aws eks
// update-kubeconfig`, an editor save). Watches each file's directory, not the file: editors and
// tools replace the file by rename, which ends a watch on the old inode. Bursts are debounced.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface KubeconfigWatchOptions {
  debounceMs?: number;
}

/** Calls `onChange` once per burst of changes to any of `files`; returns the stop function. */
export function watchKubeconfigFiles(files: string[], onChange: () => void, options: KubeconfigWatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 300;
  const namesByDir = new Map<string, Set<string>>();
  for (const file of files) {
    const dir = dirname(resolve(file));
    namesByDir.set(dir, (namesByDir.get(dir) ?? new Set()).add(basename(file)));
  }
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of namesByDir) {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms report no name: then any change in the directory counts.
        if (!name || names.has(name.toString())) schedule();
      });
      // A directory removed later (or unreadable) ends its watch quietly; the last config stays.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // The directory does not exist (yet): nothing to watch there, as kubectl would read nothing.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
