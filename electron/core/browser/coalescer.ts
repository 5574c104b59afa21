// Watch events coalesced: at 500 changes a second a renderer drawing each one would fall behind,
// so changes gather for a short window and leave as one batch holding each row's last state.
import type { TableRow } from '../../../shared/contract/browser.js';

export interface RowChanges {
  upserts: TableRow[];
  deletes: string[];
}

export interface Coalescer {
  upsert(row: TableRow): void;
  remove(key: string): void;
  /** Sends what is pending now (before a relist's reset, for instance). */
  flush(): void;
  stop(): void;
}

export function createCoalescer(windowMs: number, send: (changes: RowChanges) => void): Coalescer {
  // key -> row (upsert) or null (delete); Map keeps first-change order.
  let pending = new Map<string, TableRow | null>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const changes: RowChanges = { upserts: [], deletes: [] };
    for (const [key, row] of batch) {
      if (row) changes.upserts.push(row);
      else changes.deletes.push(key);
    }
    send(changes);
  };
  const schedule = () => {
    timer ??= setTimeout(flush, windowMs);
  };
  return {
    upsert(row) {
      pending.delete(row.key);
      pending.set(row.key, row);
      schedule();
    },
    remove(key) {
      pending.set(key, null);
      schedule();
    },
    flush,
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
