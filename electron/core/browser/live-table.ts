// One collection kept live as the server prints it: the first page of a Table list at once (time
// to first rows does not grow with the collection), the rest paged in with limit/continue, then a
// Table watch from the list's resourceVersion whose rows are coalesced before they are sent.
// A watch the server ends is resumed from the last resourceVersion; 410 Gone relists.
import type { KubeConfig } from '@kubernetes/client-node';
import { getJson, KubeError, streamWatch, type WatchLine } from '../kube/index.js';
import type { ResourceRef, TableEvent } from '../../../shared/contract/browser.js';
import { columnsOf, rowKey, rowsOf, TABLE_ACCEPT, type ServerTable } from './table-rows.js';
import { createCoalescer } from './coalescer.js';

export interface LiveTableOptions {
  pageSize: number;
  /** How long watch changes gather before they are sent as one batch. */
  coalesceMs?: number;
  idleMs?: number;
  retryMs?: number;
}

export function collectionUrl(ref: ResourceRef): string {
  const root = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const scope = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  return `${root}${scope}/${ref.plural}`;
}

const message = (error: unknown) => (error instanceof KubeError ? error.detail : error instanceof Error ? error.message : String(error));

export function startLiveTable(kc: KubeConfig, ref: ResourceRef, emit: (event: TableEvent) => void, options: LiveTableOptions): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  const coalescer = createCoalescer(options.coalesceMs ?? 100, (changes) => emit({ type: 'changes', ...changes }));
  const base = collectionUrl(ref);
  const headers = { Accept: TABLE_ACCEPT };

  async function list(): Promise<string> {
    let cont: string | undefined;
    let first = true;
    let rv = '';
    do {
      const query = new URLSearchParams({ limit: String(options.pageSize), includeObject: 'Metadata' });
      if (cont) query.set('continue', cont);
      const table = await getJson<ServerTable>(kc, `${base}?${query}`, { signal, headers });
      cont = table.metadata?.continue || undefined;
      const rows = rowsOf(table);
      if (first) {
        rv = table.metadata?.resourceVersion ?? '';
        coalescer.stop();
        emit({ type: 'reset', columns: columnsOf(table) ?? [], rows, complete: !cont });
        first = false;
      } else {
        emit({ type: 'page', rows, complete: !cont });
      }
    } while (cont && !signal.aborted);
    return rv;
  }

  async function watch(fromRv: string): Promise<'relist' | 'resume'> {
    let rv = fromRv;
    let gone = false;
    const query = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', includeObject: 'Metadata', resourceVersion: rv });
    const onLine = (line: WatchLine) => {
      if (line.type === 'ERROR') {
        gone = (line.object as { code?: number }).code === 410;
        return;
      }
      if (line.type === 'BOOKMARK') {
        rv = String((line.object as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? rv);
        return;
      }
      const table = line.object as ServerTable;
      for (const row of table.rows ?? []) {
        const meta = row.object?.metadata;
        if (meta?.resourceVersion) rv = meta.resourceVersion;
      }
      if (line.type === 'DELETED') for (const row of rowsOf(table)) coalescer.remove(rowKey(row.namespace, row.name));
      else for (const row of rowsOf(table)) coalescer.upsert(row);
    };
    try {
      await streamWatch(kc, `${base}?${query}`, signal, onLine, options.idleMs ?? 60_000, headers);
    } catch (error) {
      if (error instanceof KubeError && error.status === 410) return 'relist';
      throw error;
    }
    resumeFrom = rv;
    return gone ? 'relist' : 'resume';
  }

  let resumeFrom = '';
  void (async () => {
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) resumeFrom = await list();
        const next = await watch(resumeFrom);
        needList = next === 'relist';
        if (needList) coalescer.flush();
      } catch (error) {
        if (signal.aborted) return;
        emit({ type: 'problem', message: `${ref.plural}: ${message(error)}` });
        await new Promise((r) => setTimeout(r, options.retryMs ?? 2_000));
        needList = true;
      }
    }
  })();

  return () => {
    abort.abort();
    coalescer.stop();
  };
}
