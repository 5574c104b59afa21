// Work queues for the controllers. Store listeners run synchronously inside the write that caused
// them, so controllers never write from a listener: they mark keys dirty here and the queue syncs
// them on the next macrotask, coalescing a burst of events for one object into a single sync.

export type SyncFn = (key: string) => void;

export class WorkQueue {
  private readonly handlers = new Map<string, SyncFn>();
  private readonly dirty = new Map<string, Set<string>>();
  private scheduled: NodeJS.Immediate | undefined;
  private stopped = false;
  /** Errors a sync threw, kept for tests and debugging; the key is retried on the next flush. */
  readonly errors: { controller: string; key: string; error: unknown }[] = [];

  register(controller: string, sync: SyncFn): void {
    this.handlers.set(controller, sync);
    this.dirty.set(controller, new Set());
  }

  add(controller: string, key: string): void {
    if (this.stopped) return;
    this.dirty.get(controller)?.add(key);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  /** Runs every pending sync (and the ones they cause), up to a bound that stops feedback loops. */
  flush(maxRounds = 50, budgetMs = 40): void {
    this.scheduled = undefined;
    const started = performance.now();
    for (let round = 0; round < maxRounds && !this.stopped; round++) {
      let any = false;
      for (const [controller, keys] of this.dirty) {
        if (keys.size === 0) continue;
        any = true;
        const sync = this.handlers.get(controller);
        // Take keys one by one so that a spent time budget leaves the rest queued: API requests
        // and watch streams get the event loop back between slices of a big burst.
        for (const key of keys) {
          keys.delete(key);
          try {
            sync?.(key);
          } catch (error) {
            this.errors.push({ controller, key, error });
            if (this.errors.length > 100) this.errors.shift();
          }
          if (performance.now() - started > budgetMs) {
            this.schedule();
            return;
          }
        }
      }
      if (!any) return;
    }
    // Still dirty after the bound: continue on a later tick rather than starving I/O.
    for (const keys of this.dirty.values()) if (keys.size) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = setImmediate(() => this.flush());
  }
}
