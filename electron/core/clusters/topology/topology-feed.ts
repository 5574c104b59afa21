// One live topology per context: the projection fed by the context's watch caches, and the
// subscribers of `topology.delta`. Each subscriber gets the whole graph first, then the elements
// that changed, coalesced (default ≤ 10 batches/s). The feed listens to the caches (holding their
// watches open) only while used: by a subscriber, or for a grace period after a one-shot read.
import type { TopologyDelta } from '../../../../shared/contract/topology.js';
import { PROJECTED_KINDS, TopologyProjection } from '../../../../shared/model/topology.js';
import type { HealthVerdict } from '../../../../shared/model/health.js';
import { createThrottle, type Throttle } from '../../../../shared/model/throttle.js';
import { DEFAULT_IDLE_STOP_MS, type ContextCaches } from '../context-caches.js';

export const DEFAULT_COALESCE_MS = 100;

export interface TopologyFeedOptions {
  /** How long the feed keeps listening after its last user (default: the caches' 30 s). */
  idleStopMs?: number;
}

export class TopologyFeed {
  private current = new TopologyProjection();
  private attached = false;
  private uses = 0;
  private detachTimer?: NodeJS.Timeout;
  /** Verdicts from outside (failing canaries) outlive a detach: a new projection gets them again. */
  private readonly externalVerdicts = new Map<string, HealthVerdict>();
  private readonly subscribers = new Map<number, { emit: (delta: TopologyDelta) => void; coalesceMs: number }>();
  private nextId = 0;
  private readonly throttle: Throttle;
  private readonly unsubscribe: (() => void)[] = [];
  private lastHeader = '';
  /** When the oldest change not yet sent arrived (for the latency split in the benchmark). */
  private firstEventAt: number | undefined;

  constructor(
    private readonly caches: ContextCaches,
    private readonly options: TopologyFeedOptions = {},
  ) {
    this.throttle = createThrottle(() => this.flush(), DEFAULT_COALESCE_MS);
  }

  /** The live projection, for one-shot reads (details, tables): listens for the grace period after. */
  get projection(): TopologyProjection {
    this.use()();
    return this.current;
  }

  /** Keeps the feed listening until the returned release is called. */
  use(): () => void {
    this.uses++;
    clearTimeout(this.detachTimer);
    this.detachTimer = undefined;
    if (!this.attached) this.attach();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.uses > 0) return;
      clearTimeout(this.detachTimer);
      this.detachTimer = setTimeout(() => this.detach(), this.options.idleStopMs ?? DEFAULT_IDLE_STOP_MS);
      this.detachTimer.unref();
    };
  }

  /** Whether the feed listens to the caches now. */
  get listening(): boolean {
    return this.attached;
  }

  private attach(): void {
    this.attached = true;
    // Rebuilt from the caches: what happened while detached was not followed.
    this.current = new TopologyProjection();
    for (const [id, verdict] of this.externalVerdicts) this.current.setExternalVerdict(id, verdict);
    this.caches.startAll();
    for (const kind of PROJECTED_KINDS) {
      for (const obj of this.caches.list(kind)) this.current.apply(kind, 'ADDED', obj);
      this.unsubscribe.push(
        this.caches.onChange(kind, (event) => {
          this.current.apply(kind, event.type, event.object);
          this.firstEventAt ??= Date.now();
          this.throttle.poke();
        }),
      );
    }
    this.current.takeChanges();
    this.unsubscribe.push(this.caches.onStateChange(() => this.throttle.poke()));
  }

  private detach(): void {
    this.detachTimer = undefined;
    if (this.uses > 0 || !this.attached) return;
    this.attached = false;
    this.throttle.cancel();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  subscribe(emit: (delta: TopologyDelta) => void, coalesceMs = DEFAULT_COALESCE_MS): () => void {
    const release = this.use();
    const id = ++this.nextId;
    this.subscribers.set(id, { emit, coalesceMs });
    this.retune();
    emit({ full: true, upserts: this.current.all(), removals: [], ...this.header(), sentAt: Date.now() });
    return () => {
      this.subscribers.delete(id);
      this.retune();
      release();
    };
  }

  /** A verdict from outside the watched objects (a failing canary's error rate), sent with the next delta. */
  setExternalVerdict(id: string, verdict: HealthVerdict | undefined): void {
    if (verdict) this.externalVerdicts.set(id, verdict);
    else this.externalVerdicts.delete(id);
    this.current.setExternalVerdict(id, verdict);
    if (this.attached) this.throttle.poke();
  }

  stop(): void {
    clearTimeout(this.detachTimer);
    this.uses = 0;
    this.detach();
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
    const { upserts, removals } = this.current.takeChanges();
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
