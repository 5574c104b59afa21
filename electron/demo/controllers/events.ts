// v1 Events as the controllers and the kubelet record them: aggregated by object, reason and message
// (count and lastTimestamp grow, as the real event correlator does) and bounded in number, like the
// apiserver's one-hour event TTL.
import { newHexSuffix } from '../ids.js';
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

const GROUPED_API: Record<string, string> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
};

/** One recorded Event, found again by what makes a repeat (the event correlator's aggregate key). */
interface Recorded {
  reason: string;
  message: string;
  component: string;
  fieldPath: string;
  namespace: string;
  name: string;
  /** Still in the store (false once evicted or its aggregation failed). */
  live: boolean;
}

export class EventRecorder {
  /**
   * Recorded Events by involved object uid: a pod has a handful, so a repeat is found by a short
   * scan comparing strings, not by hashing a joined key of the (long) message on every record.
   */
  private readonly byObject = new Map<string, Recorded[]>();
  /** Oldest first, for the bound; `head` moves instead of shifting the array on every eviction. */
  private order: { uid: string; rec: Recorded }[] = [];
  private head = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: DemoClock,
    private readonly maxEvents = 5000,
  ) {}

  record(obj: KubeObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const meta = obj.metadata;
    const namespace = meta.namespace ?? 'default';
    const uid = meta.uid ?? `${namespace}/${meta.name}`;
    const path = fieldPath ?? '';
    const now = this.clock.iso();
    let recorded = this.byObject.get(uid);
    const existing = recorded?.find((r) => r.live && r.reason === reason && r.message === message && r.component === source.component && r.fieldPath === path);
    if (existing) {
      const updated = this.store.mutate('events', existing.namespace, existing.name, (ev) => {
        ev.count = ((ev.count as number) ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      if (updated) return;
      existing.live = false;
    }
    const name = `${meta.name}.${newHexSuffix()}`;
    this.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, creationTimestamp: now },
      involvedObject: {
        kind: obj.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: obj.apiVersion ?? GROUPED_API[obj.kind] ?? 'v1',
        resourceVersion: meta.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    const rec: Recorded = { reason, message, component: source.component, fieldPath: path, namespace, name, live: true };
    if (!recorded) this.byObject.set(uid, (recorded = []));
    recorded.push(rec);
    this.order.push({ uid, rec });
    while (this.order.length - this.head > this.maxEvents) this.evict(this.order[this.head++]);
    // Drop the evicted prefix now and then (amortized O(1) per event).
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  private evict({ uid, rec }: { uid: string; rec: Recorded }): void {
    const list = this.byObject.get(uid);
    if (list) {
      const i = list.indexOf(rec);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byObject.delete(uid);
    }
    if (rec.live && this.store.peekOne('events', rec.namespace, rec.name)) this.store.delete('events', rec.namespace, rec.name);
    rec.live = false;
  }
}
