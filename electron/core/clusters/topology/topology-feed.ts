// One live topology per context: the projection fed by the context's watch caches, and the
// subscribers of `topology.delta`. Each subscriber gets the whole graph first, then the elements
// that changed, coalesced (default ≤ 10 batches/s).
import type { TopologyDelta } from '../../../../shared/contract/topology.js';
import { PROJECTED_KINDS, TopologyProjection } from '../../../../shared/model/topology.js';
import type { HealthVerdict } from '../../../../shared/model/health.js';
import { createThrottle, type Throttle } from '../../../../shared/model/throttle.js';
import type { ContextCaches } from '../context-caches.js';

export const DEFAULT_COALESCE_MS = 100;

export class TopologyFeed {
  readonly projection = new TopologyProjection();
  private readonly subscribers = new Map<number, { emit: (delta: TopologyDelta) => void; coalesceMs: number }>();
  private nextId = 0;
  private readonly throttle: Throttle;
  private readonly unsubscribe: (() => void)[] = [];
  private lastHeader = '';
  /** When the oldest change not yet sent arrived (for the latency split in the benchmark). */
  private firstEventAt: number | undefined;

  constructor(private readonly caches: ContextCaches) {
    this.throttle = createThrottle(() => this.flush(), DEFAULT_COALESCE_MS);
    caches.startAll();
    for (const kind of PROJECTED_KINDS) {
      for (const obj of caches.list(kind)) this.projection.apply(kind, 'ADDED', obj);
      this.unsubscribe.push(
        caches.onChange(kind, (event) => {
          this.projection.apply(kind, event.type, event.object);
          this.firstEventAt ??= Date.now();
          this.throttle.poke();
        }),
      );
    }
    this.projection.takeChanges();
    this.unsubscribe.push(caches.onStateChange(() => this.throttle.poke()));
  }

  subscribe(emit: (delta: TopologyDelta) => void, coalesceMs = DEFAULT_COALESCE_MS): () => void {
    const id = ++this.nextId;
    this.subscribers.set(id, { emit, coalesceMs });
    this.retune();
    emit({ full: true, upserts: this.projection.all(), removals: [], ...this.header(), sentAt: Date.now() });
    return () => {
      this.subscribers.delete(id);
      this.retune();
    };
  }

  /** A verdict from outside the watched objects (a failing canary's error rate), sent with the next delta. */
  setExternalVerdict(id: string, verdict: HealthVerdict | undefined): void {
    this.projection.setExternalVerdict(id, verdict);
    this.throttle.poke();
  }

  stop(): void {
    this.throttle.cancel();
    for (const off of this.unsubscribe) off();
    this.subscribers.clear();
  }

  private header(): Pick<TopologyDelta, 'synced' | 'offlineAsOf'> {
    const offlineAsOf = this.caches.offlineSince;
    return offlineAsOf ? { synced: this.caches.allSynced(), offlineAsOf } : { synced: this.caches.allSynced() };
  }

  private retune(): void {
    const fastest = Math.min(DEFAULT_COALESCE_MS * 10, ...[...this.subscribers.values()].map((s) => s.coalesceMs));
    this.throttle.setInterval(Number.isFinite(fastest) ? fastest : DEFAULT_COALESCE_MS);
  }

  private flush(): void {
    const { upserts, removals } = this.projection.takeChanges();
    const header = this.header();
    const headerKey = JSON.stringify(header);
    if (!upserts.length && !removals.length && headerKey === this.lastHeader) return;
    this.lastHeader = headerKey;
    const delta: TopologyDelta = { full: false, upserts, removals, ...header, sentAt: Date.now() };
    if (this.firstEventAt !== undefined) delta.firstEventAt = this.firstEventAt;
    this.firstEventAt = undefined;
    for (const { emit } of this.subscribers.values()) emit(delta);
  }
}
