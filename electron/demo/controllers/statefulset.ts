// StatefulSet controller (pkg/controller/statefulset), basic: ordinal pods `<name>-<i>` created in
// order (OrderedReady) or all at once (Parallel), scaled down from the highest ordinal, and rolled
// from the highest ordinal down when the template changes.
import type { KubeObject, StoreEvent } from '../store.js';
import { controllerRef } from './cache.js';
import { podFromTemplate } from './builders.js';
import { type Controller, type ControllerContext, mutateIfChanged, nsName, splitKey, terminatePod, podChangeMatters } from './context.js';
import { REVISION_HASH } from './daemonset.js';
import { isPodReady } from './pod-status.js';
import { computeTemplateHash, type PodTemplate } from './template.js';

const STS = 'statefulsets.apps';
const SOURCE = { component: 'statefulset-controller' };

interface StsSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  template: PodTemplate;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
}

export function statefulSetRevision(sts: KubeObject): string {
  return `${sts.metadata.name}-${computeTemplateHash((sts.spec as StsSpec).template)}`;
}

export function podForStatefulSet(sts: KubeObject, ordinal: number): KubeObject {
  const spec = sts.spec as StsSpec;
  const name = `${sts.metadata.name}-${ordinal}`;
  return podFromTemplate(sts, spec.template, {
    name,
    hostname: name,
    subdomain: spec.serviceName,
    extraLabels: {
      [REVISION_HASH]: statefulSetRevision(sts),
      'statefulset.kubernetes.io/pod-name': name,
      'apps.kubernetes.io/pod-index': String(ordinal),
    },
  });
}

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const sts of this.ctx.cache.all(STS)) this.ctx.queue.add(this.name, nsName(sts));
  }

  stop(): void {}

  onEvent(event: StoreEvent): void {
    if (event.resource === STS) this.ctx.queue.add(this.name, nsName(event.object));
    else if (event.resource === 'pods' && podChangeMatters(event)) {
      const owner = controllerRef(event.object);
      if (owner?.kind === 'StatefulSet') this.ctx.queue.add(this.name, `${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const { cache, store, clock, events } = this.ctx;
    const sts = cache.get(STS, namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const spec = sts.spec as StsSpec;
    const replicas = spec.replicas ?? 1;
    const ordered = (spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const revision = statefulSetRevision(sts);
    const pods = new Map<number, KubeObject>();
    for (const p of cache.ownedBy(sts.metadata.uid, 'pods')) {
      const ordinal = Number(p.metadata.name.slice(name.length + 1));
      if (Number.isInteger(ordinal)) pods.set(ordinal, p);
    }
    const healthy = (p: KubeObject | undefined) => !!p && !p.metadata.deletionTimestamp && isPodReady(p);
    // Create missing ordinals below `replicas`, in order when OrderedReady.
    for (let i = 0; i < replicas; i++) {
      const existing = pods.get(i);
      if (existing) {
        if (ordered && !healthy(existing)) break;
        continue;
      }
      const pod = podForStatefulSet(sts, i);
      pod.metadata.creationTimestamp = clock.iso();
      store.create('pods', pod);
      events.record(sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${name} successful`, SOURCE);
      if (ordered) break;
    }
    const all = [...pods.entries()].sort(([a], [b]) => b - a);
    const allHealthy = all.every(([, p]) => healthy(p));
    // Scale down from the highest ordinal.
    for (const [i, p] of all) {
      if (i < replicas || p.metadata.deletionTimestamp) continue;
      if (ordered && !allHealthy) break;
      terminatePod(this.ctx, p);
      events.record(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, SOURCE);
      if (ordered) break;
    }
    // Rolling update: replace the highest outdated ordinal once everything is healthy.
    const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && allHealthy && all.length >= replicas) {
      const outdated = all.find(([i, p]) => i < replicas && i >= partition && p.metadata.labels?.[REVISION_HASH] !== revision);
      if (outdated) {
        terminatePod(this.ctx, outdated[1]);
        events.record(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${outdated[1].metadata.name} in StatefulSet ${name} successful`, SOURCE);
      }
    }
    const live = all.filter(([, p]) => !p.metadata.deletionTimestamp).map(([, p]) => p);
    const ready = live.filter(isPodReady).length;
    const updated = live.filter((p) => p.metadata.labels?.[REVISION_HASH] === revision).length;
    const prev = (sts.status ?? {}) as { currentRevision?: string };
    const currentRevision = updated === live.length && live.length >= replicas ? revision : (prev.currentRevision ?? revision);
    mutateIfChanged(store, STS, namespace, name, (obj) => {
      obj.status = {
        observedGeneration: obj.metadata.generation ?? 1,
        replicas: live.length,
        readyReplicas: ready,
        currentReplicas: currentRevision === revision ? updated : live.length - updated,
        updatedReplicas: updated,
        currentRevision,
        updateRevision: revision,
        collisionCount: 0,
        availableReplicas: ready,
      };
    }, { subresource: 'status' });
  }
}
