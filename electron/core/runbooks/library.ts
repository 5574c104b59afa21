// The runbook library: the bundled resources/runbooks plus folders the user adds (kept in
// <dataDir>/runbook-folders.json). Files are parsed once per modification time; the folders are
// watched so an edit or a new file shows on the next read. Search matches title, tag, alert name
// and file name, every word of the query.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { ContractError } from '../../../shared/contract-kit.js';
import { parseRunbook, type Runbook, type RunbookProblem } from '../../../shared/model/runbook.js';
import type { RunbookDoc, RunbookSummary } from '../../../shared/contract/runbooks.js';
import { writePrivateFileAtomic } from '../files/index.js';

export interface LoadedRunbook {
  id: string;
  folder: string;
  path: string;
  hash: string;
  source: string;
  parsed: Runbook;
  mtimeMs: number;
}

export interface RunbookLibrary {
  list(query?: string): { runbooks: RunbookSummary[]; folders: string[]; problems: RunbookProblem[] };
  get(id: string): LoadedRunbook;
  /** Re-reads the file from disk (hash checks before each step). */
  fresh(id: string): LoadedRunbook;
  addFolder(path: string): string[];
  /** An image next to a runbook (relative path inside the runbook's folder) as a data URL. */
  image(id: string, src: string): string;
  folders(): string[];
  close(): void;
}

const MAX_DEPTH = 3;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
// No SVG: it can carry scripts and external references.
const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

export const hashSource = (source: string) => createHash('sha256').update(source).digest('hex');

export function toDoc(loaded: Pick<LoadedRunbook, 'id' | 'hash' | 'parsed'>): RunbookDoc {
  const { parsed } = loaded;
  return {
    id: loaded.id,
    file: parsed.file,
    hash: loaded.hash,
    title: parsed.title,
    meta: { ...parsed.meta, params: undefined },
    params: parsed.params,
    steps: parsed.steps,
    segments: parsed.segments,
    problems: parsed.problems,
  };
}

export function createRunbookLibrary(options: { bundledDir?: string; dataDir: string }): RunbookLibrary {
  const foldersFile = join(options.dataDir, 'runbook-folders.json');
  const userFolders: string[] = [];
  const loadProblems: RunbookProblem[] = [];
  try {
    if (existsSync(foldersFile)) {
      const saved: unknown = JSON.parse(readFileSync(foldersFile, 'utf8'));
      if (Array.isArray(saved)) userFolders.push(...saved.filter((f): f is string => typeof f === 'string'));
    }
  } catch (error) {
    loadProblems.push({ file: foldersFile, line: 1, message: `could not read the list of runbook folders: ${error instanceof Error ? error.message : String(error)}` });
  }
  const cache = new Map<string, LoadedRunbook>();
  const watchers = new Map<string, FSWatcher>();
  let dirty = true;
  let index: LoadedRunbook[] = [];
  let scanProblems: RunbookProblem[] = [];

  const allFolders = () => [...(options.bundledDir ? [options.bundledDir] : []), ...userFolders];
  const idFor = (folder: string, path: string) => (folder === options.bundledDir ? `bundled/${relative(folder, path)}` : path);

  const watchFolder = (folder: string) => {
    if (watchers.has(folder) || !existsSync(folder)) return;
    try {
      const w = watch(folder, { recursive: process.platform !== 'linux' }, () => (dirty = true));
      w.on('error', () => undefined);
      watchers.set(folder, w);
    } catch {
      // Watching is a convenience: without it the library re-reads when asked (mtime check).
    }
  };

  const load = (folder: string, path: string): LoadedRunbook => {
    const st = statSync(path);
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit;
    if (st.size > MAX_FILE_BYTES) throw new Error(`${path} is larger than 1 MB`);
    const source = readFileSync(path, 'utf8');
    const loaded: LoadedRunbook = { id: idFor(folder, path), folder, path, source, hash: hashSource(source), parsed: parseRunbook(source, path), mtimeMs: st.mtimeMs };
    cache.set(path, loaded);
    return loaded;
  };

  const scan = () => {
    const found: LoadedRunbook[] = [];
    const problems: RunbookProblem[] = [...loadProblems];
    const walk = (folder: string, dir: string, depth: number) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        problems.push({ file: dir, line: 0, message: `cannot read the folder: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules') walk(folder, p, depth + 1);
        else if (e.isFile() && /\.(md|markdown)$/i.test(e.name)) {
          try {
            const loaded = load(folder, p);
            found.push(loaded);
            problems.push(...loaded.parsed.problems);
          } catch (error) {
            problems.push({ file: p, line: 0, message: error instanceof Error ? error.message : String(error) });
          }
        }
      }
    };
    for (const folder of allFolders()) {
      watchFolder(folder);
      walk(folder, folder, 0);
    }
    index = found.sort((a, b) => a.parsed.title.localeCompare(b.parsed.title));
    scanProblems = problems;
    dirty = false;
  };

  const current = () => {
    // Non-recursive watches on Linux miss edits in subfolders: also rescan when asked after a while.
    if (dirty || watchers.size < allFolders().length) scan();
    return index;
  };

  const summary = (r: LoadedRunbook): RunbookSummary => ({
    id: r.id,
    file: r.path,
    folder: r.folder,
    title: r.parsed.title,
    tags: r.parsed.meta.tags ?? [],
    alerts: r.parsed.meta.alerts ?? [],
    severity: r.parsed.meta.severity,
    owner: r.parsed.meta.owner,
    steps: r.parsed.steps.length,
    problems: r.parsed.problems.length,
  });

  const find = (id: string) => {
    // An alert's `runbook` annotation names a runbook by its file name without .md ("bad-canary").
    const byId = (r: LoadedRunbook) => r.id === id || basename(r.path).replace(/\.(md|markdown)$/i, '') === id;
    const hit = current().find(byId) ?? (scan(), index.find(byId));
    if (!hit) throw new ContractError('not_found', `There is no runbook "${id}" in the library (folders: ${allFolders().join(', ') || 'none'}).`);
    return hit;
  };

  return {
    list(query) {
      const words = (query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const runbooks = current()
        .filter((r) => {
          const hay = [r.parsed.title, basename(r.path), ...(r.parsed.meta.tags ?? []), ...(r.parsed.meta.alerts ?? [])].join(' ').toLowerCase();
          return words.every((w) => hay.includes(w));
        })
        .map(summary);
      return { runbooks, folders: allFolders(), problems: scanProblems };
    },
    get: find,
    fresh(id) {
      const known = find(id);
      if (!existsSync(known.path)) throw new ContractError('not_found', `The runbook file ${known.path} was removed.`);
      return load(known.folder, known.path);
    },
    addFolder(path) {
      const abs = resolve(path);
      if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new ContractError('invalid_request', `${abs} is not a folder.`);
      if (!allFolders().includes(abs)) {
        userFolders.push(abs);
        writePrivateFileAtomic(foldersFile, JSON.stringify(userFolders, null, 2));
      }
      dirty = true;
      return allFolders();
    },
    folders: allFolders,
    image(id, src) {
      const book = find(id);
      const type = IMAGE_TYPES[extname(src).toLowerCase()];
      if (!type) throw new ContractError('invalid_request', `${src}: only png, jpeg, gif and webp images are shown.`);
      if (isAbsolute(src) || /^[a-z]+:/i.test(src)) throw new ContractError('invalid_request', `${src}: images come from the runbook's folder (a relative path).`);
      const path = resolve(dirname(book.path), src);
      const rel = relative(book.folder, path);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new ContractError('invalid_request', `${src} is outside the runbook's folder ${book.folder}.`);
      if (!existsSync(path)) throw new ContractError('not_found', `${path} does not exist.`);
      if (statSync(path).size > MAX_IMAGE_BYTES) throw new ContractError('too_large', `${path} is larger than 2 MB.`);
      return `data:${type};base64,${readFileSync(path).toString('base64')}`;
    },
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
