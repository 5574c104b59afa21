// DaemonSet controller (pkg/controller/daemon), basic: one pod per node matching the template's
// nodeSelector, rolling replacement (maxUnavailable 1) when the template changes, and the status
// counts `kubectl get ds` prints.
import type { KubeObject, StoreEvent } from '../store.js';
import { controllerRef } from './cache.js';
import { podFromTemplate } from './builders.js';
import { type Controller, type ControllerContext, mutateIfChanged, nsName, splitKey, terminatePod, podChangeMatters } from './context.js';
import { isActivePod, isPodReady } from './pod-status.js';
import { computeTemplateHash, type PodTemplate } from './template.js';

const DS = 'daemonsets.apps';
const SOURCE = { component: 'daemonset-controller' };
export const REVISION_HASH = 'controller-revision-hash';

/** Tolerations the DaemonSet controller adds so its pods run on troubled nodes too. */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function daemonTemplate(ds: KubeObject): PodTemplate {
  return (ds.spec as { template: PodTemplate }).template;
}

export function daemonSetHash(ds: KubeObject): string {
  return computeTemplateHash(daemonTemplate(ds));
}

export function nodeWantsDaemon(ds: KubeObject, node: KubeObject): boolean {
  const selector = daemonTemplate(ds).spec.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function podForDaemonSet(ds: KubeObject, node: string, name: string, hash = daemonSetHash(ds)): KubeObject {
  const pod = podFromTemplate(ds, daemonTemplate(ds), {
    name,
    generateName: `${ds.metadata.name}-`,
    nodeName: node,
    extraLabels: { [REVISION_HASH]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
    extraTolerations: DAEMON_TOLERATIONS.filter((t) => !(daemonTemplate(ds).spec.tolerations as { key?: string }[] | undefined)?.some((x) => x.key === t.key)),
  });
  const spec = pod.spec as Record<string, unknown>;
  spec.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
  return pod;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const ds of this.ctx.cache.all(DS)) this.ctx.queue.add(this.name, nsName(ds));
  }

  stop(): void {}

  onEvent(event: StoreEvent): void {
    if (event.resource === DS) this.ctx.queue.add(this.name, nsName(event.object));
    else if (event.resource === 'nodes') {
      const labelsChanged = !event.old || JSON.stringify(event.old.metadata.labels) !== JSON.stringify(event.object.metadata.labels) || event.type === 'DELETED';
      if (labelsChanged) for (const ds of this.ctx.cache.all(DS)) this.ctx.queue.add(this.name, nsName(ds));
    } else if (event.resource === 'pods' && podChangeMatters(event)) {
      const owner = controllerRef(event.object);
      if (owner?.kind === 'DaemonSet') this.ctx.queue.add(this.name, `${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const { cache, store, clock, events, rng } = this.ctx;
    const ds = cache.get(DS, namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = daemonSetHash(ds);
    const pods = cache.ownedBy(ds.metadata.uid, 'pods');
    const byNode = new Map<string, KubeObject[]>();
    for (const p of pods) {
      if (!isActivePod(p)) continue;
      const node = (p.spec as { nodeName?: string }).nodeName ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    let desired = 0;
    let scheduled = 0;
    let ready = 0;
    let updated = 0;
    let unavailable = 0;
    const outdated: KubeObject[] = [];
    for (const node of cache.all('nodes')) {
      if (!nodeWantsDaemon(ds, node)) continue;
      desired++;
      const here = byNode.get(node.metadata.name) ?? [];
      byNode.delete(node.metadata.name);
      if (here.length === 0) {
        let podName = '';
        do podName = `${name}-${rng.suffix()}`;
        while (cache.get('pods', namespace, podName));
        const pod = podForDaemonSet(ds, node.metadata.name, podName, hash);
        pod.metadata.creationTimestamp = clock.iso();
        store.create('pods', pod);
        events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, SOURCE);
        unavailable++;
        continue;
      }
      for (const extra of here.slice(1)) terminatePod(this.ctx, extra);
      const pod = here[0];
      scheduled++;
      if (isPodReady(pod)) ready++;
      else unavailable++;
      if (pod.metadata.labels?.[REVISION_HASH] === hash) updated++;
      else outdated.push(pod);
    }
    let misscheduled = 0;
    for (const stray of byNode.values()) {
      for (const pod of stray) {
        misscheduled++;
        terminatePod(this.ctx, pod);
        events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
    }
    const strategy = (ds.spec as { updateStrategy?: { type?: string } }).updateStrategy?.type ?? 'RollingUpdate';
    if (strategy === 'RollingUpdate' && unavailable === 0 && outdated.length) {
      const victim = outdated[0];
      terminatePod(this.ctx, victim);
      events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${victim.metadata.name}`, SOURCE);
    }
    mutateIfChanged(store, DS, namespace, name, (obj) => {
      const status: Record<string, unknown> = {
        currentNumberScheduled: scheduled,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: misscheduled,
        numberReady: ready,
        observedGeneration: obj.metadata.generation ?? 1,
        updatedNumberScheduled: updated,
      };
      if (desired - ready > 0) status.numberUnavailable = desired - ready;
      if (!ready) delete status.numberAvailable;
      obj.status = status;
    }, { subresource: 'status' });
  }
}
