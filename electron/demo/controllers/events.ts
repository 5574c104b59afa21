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

export class EventRecorder {
  private readonly byKey = new Map<string, { namespace: string; name: string }>();
  private readonly order: string[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: DemoClock,
    private readonly maxEvents = 5000,
  ) {}

  record(obj: KubeObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const meta = obj.metadata;
    const namespace = meta.namespace ?? 'default';
    const key = [meta.uid, reason, message, source.component, fieldPath ?? ''].join('\u0000');
    const now = this.clock.iso();
    const existing = this.byKey.get(key);
    if (existing) {
      const updated = this.store.mutate('events', existing.namespace, existing.name, (ev) => {
        ev.count = ((ev.count as number) ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      if (updated) return;
      this.byKey.delete(key);
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
    this.byKey.set(key, { namespace, name });
    this.order.push(key);
    while (this.order.length > this.maxEvents) {
      const oldest = this.order.shift() as string;
      const ref = this.byKey.get(oldest);
      this.byKey.delete(oldest);
      if (ref && this.store.peekOne('events', ref.namespace, ref.name)) this.store.delete('events', ref.namespace, ref.name);
    }
  }
}
