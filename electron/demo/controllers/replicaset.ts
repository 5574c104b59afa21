// ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods for every
// ReplicaSet, whoever owns it (Deployments here, Argo Rollouts in the rollouts controller), and
// reports replicas / fullyLabeled / ready / available counts.
import type { KubeObject, StoreEvent } from '../store.js';
import { controllerRef } from './cache.js';
import { podFromTemplate } from './builders.js';
import { type Controller, type ControllerContext, mutateIfChanged, nsName, splitKey, terminatePod, podChangeMatters } from './context.js';
import { isActivePod, isPodReady, readySince, statusOf } from './pod-status.js';
import type { PodTemplate } from './template.js';

const RS = 'replicasets.apps';
const SOURCE = { component: 'replicaset-controller' };
/** Pods created or deleted per sync at most; the rest follow on the next round (like the real slow-start batches). */
const BURST = 100;

interface RsSpec {
  replicas?: number;
  minReadySeconds?: number;
  template: PodTemplate;
}

export function availableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  if (!isPodReady(pod)) return undefined;
  const since = readySince(pod);
  return (since ? Date.parse(since) : 0) + minReadySeconds * 1000;
}

/** Pods to remove first when scaling down (controller.ActivePods ordering, simplified). */
export function deletionRank(pod: KubeObject): number[] {
  const status = statusOf(pod);
  const scheduled = (pod.spec as { nodeName?: string }).nodeName ? 1 : 0;
  const phase = status.phase === 'Pending' ? 0 : status.phase === 'Unknown' ? 1 : 2;
  const ready = isPodReady(pod) ? 1 : 0;
  const restarts = (status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
  const created = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return [scheduled, phase, ready, -restarts, -created];
}

export function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  private readonly timers = new Map<string, () => void>();

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const rs of this.ctx.cache.all(RS)) this.ctx.queue.add(this.name, nsName(rs));
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  onEvent(event: StoreEvent): void {
    if (event.resource === RS) {
      this.ctx.queue.add(this.name, nsName(event.object));
    } else if (event.resource === 'pods' && podChangeMatters(event)) {
      const owner = controllerRef(event.object) ?? (event.old && controllerRef(event.old));
      if (owner?.kind === 'ReplicaSet') this.ctx.queue.add(this.name, `${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const { cache, store, clock, events } = this.ctx;
    const rs = cache.get(RS, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = rs.spec as RsSpec;
    const wanted = spec.replicas ?? 1;
    const pods = cache.ownedBy(rs.metadata.uid, 'pods');
    const active = pods.filter(isActivePod);
    const diff = active.length - wanted;
    if (diff < 0) {
      const count = Math.min(-diff, BURST);
      for (let i = 0; i < count; i++) {
        const podName = this.freeName(namespace, `${name}-`);
        const pod = podFromTemplate(rs, spec.template, { name: podName, generateName: `${name}-` });
        pod.metadata.creationTimestamp = clock.iso();
        store.create('pods', pod);
        events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, SOURCE);
      }
      if (-diff > count) this.ctx.queue.add(this.name, key);
    } else if (diff > 0) {
      const victims = [...active].sort((a, b) => compareRank(deletionRank(a), deletionRank(b))).slice(0, Math.min(diff, BURST));
      if (diff > BURST) this.ctx.queue.add(this.name, key);
      for (const pod of victims) {
        terminatePod(this.ctx, pod);
        events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
    }

    const minReady = spec.minReadySeconds ?? 0;
    const now = clock.now();
    let ready = 0;
    let available = 0;
    let nextAvailable = Infinity;
    const selectorLabels = spec.template.metadata?.labels ?? {};
    let fullyLabeled = 0;
    for (const pod of active) {
      const labels = pod.metadata.labels ?? {};
      if (Object.entries(selectorLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
      const at = availableAt(pod, minReady);
      if (at === undefined) continue;
      ready++;
      if (at <= now) available++;
      else nextAvailable = Math.min(nextAvailable, at);
    }
    this.timers.get(key)?.();
    this.timers.delete(key);
    if (nextAvailable !== Infinity) {
      this.timers.set(key, clock.after(nextAvailable - now + 1, () => {
        this.timers.delete(key);
        this.ctx.queue.add(this.name, key);
      }));
    }
    mutateIfChanged(store, RS, namespace, name, (obj) => {
      const status: Record<string, unknown> = { replicas: active.length };
      if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
      if (ready) status.readyReplicas = ready;
      if (available) status.availableReplicas = available;
      status.observedGeneration = obj.metadata.generation ?? 1;
      const old = (obj.status ?? {}) as Record<string, unknown>;
      if (old.conditions) status.conditions = old.conditions;
      obj.status = status;
    }, { subresource: 'status' });
  }

  private freeName(namespace: string | undefined, prefix: string): string {
    for (;;) {
      const candidate = prefix + this.ctx.rng.suffix();
      if (!this.ctx.cache.get('pods', namespace, candidate)) return candidate;
    }
  }
}
