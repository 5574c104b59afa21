// The default scheduler, simulated: binds pending pods to Ready, schedulable nodes that have room
// (cpu, memory, pod slots, `nvidia.com/gpu`), honouring nodeSelector and taints. Pods that fit
// nowhere stay Pending with PodScheduled=False/Unschedulable and a FailedScheduling event, and are
// retried when capacity frees up.
import type { StoreEvent } from '../store.js';
import { type Controller, type ControllerContext, mutateIfChanged } from './context.js';
import { GPU_DEVICES_ANNOTATION, Placement, failedSchedulingMessage, podRequests, spreadKey } from './placement.js';
import { isActivePod, podKey, setCondition, statusOf, type PodStatus } from './pod-status.js';

const SOURCE = { component: 'default-scheduler' };
const RETRY_ALL = '*';
const RETRY_MS = 15_000;

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  readonly placement = new Placement();
  private readonly pending = new Set<string>();
  private cancelRetry: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const node of this.ctx.cache.all('nodes')) this.placement.upsertNode(node);
    for (const pod of this.ctx.cache.all('pods')) this.track(pod);
    this.ctx.queue.add(this.name, RETRY_ALL);
    this.cancelRetry = this.ctx.clock.every(RETRY_MS, () => {
      if (this.pending.size) this.ctx.queue.add(this.name, RETRY_ALL);
    });
  }

  stop(): void {
    this.cancelRetry?.();
  }

  onEvent(event: StoreEvent): void {
    if (event.resource === 'nodes') {
      if (event.type === 'DELETED') this.placement.removeNode(event.object.metadata.name);
      else this.placement.upsertNode(event.object);
      this.ctx.queue.add(this.name, RETRY_ALL);
    } else if (event.resource === 'pods') {
      const key = podKey(event.object);
      if (event.type === 'DELETED') {
        this.pending.delete(key);
        if (this.placement.isHeld(key)) {
          this.placement.release(key);
          this.ctx.queue.add(this.name, RETRY_ALL);
        }
        return;
      }
      this.track(event.object);
    }
  }

  private track(pod: StoreEvent['object']): void {
    const key = podKey(pod);
    const nodeName = (pod.spec as { nodeName?: string }).nodeName;
    const phase = statusOf(pod).phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.pending.delete(key);
      if (this.placement.isHeld(key)) {
        this.placement.release(key);
        this.ctx.queue.add(this.name, RETRY_ALL);
      }
      return;
    }
    if (nodeName) {
      this.pending.delete(key);
      if (!this.placement.isHeld(key)) {
        const wanted = (pod.metadata.annotations?.[GPU_DEVICES_ANNOTATION] ?? '').split(',').filter(Boolean).map(Number);
        this.placement.reserve(key, nodeName, podRequests(pod), wanted, spreadKey(pod));
      }
      return;
    }
    const schedulerName = (pod.spec as { schedulerName?: string }).schedulerName ?? 'default-scheduler';
    if (schedulerName !== 'default-scheduler' || !isActivePod(pod)) return;
    if (!this.pending.has(key)) {
      this.pending.add(key);
      this.ctx.queue.add(this.name, key);
    }
  }

  sync(key: string): void {
    if (key === RETRY_ALL) {
      for (const k of [...this.pending]) this.schedule(k);
    } else if (this.pending.has(key)) {
      this.schedule(key);
    }
  }

  private schedule(key: string): void {
    const i = key.indexOf('/');
    const namespace = key.slice(0, i);
    const name = key.slice(i + 1);
    const pod = this.ctx.cache.get('pods', namespace, name);
    if (!pod || (pod.spec as { nodeName?: string }).nodeName || !isActivePod(pod)) {
      this.pending.delete(key);
      return;
    }
    const req = podRequests(pod);
    const choice = this.placement.choose(pod, req, spreadKey(pod));
    const now = this.ctx.clock.iso();
    if ('node' in choice) {
      const slots = this.placement.reserve(key, choice.node, req, undefined, spreadKey(pod));
      this.pending.delete(key);
      mutateIfChanged(this.ctx.store, 'pods', namespace, name, (p) => {
        (p.spec as { nodeName?: string }).nodeName = choice.node;
        if (slots.length) (p.metadata.annotations ??= {})[GPU_DEVICES_ANNOTATION] = slots.join(',');
        const status = (p.status ??= { phase: 'Pending' }) as PodStatus;
        setCondition(status, 'PodScheduled', 'True', now);
      });
      this.ctx.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${choice.node}`, SOURCE);
      return;
    }
    const message = failedSchedulingMessage(choice.failure);
    const before = statusOf(pod).conditions?.find((c) => c.type === 'PodScheduled');
    mutateIfChanged(this.ctx.store, 'pods', namespace, name, (p) => {
      const status = (p.status ??= { phase: 'Pending' }) as PodStatus;
      status.phase = 'Pending';
      setCondition(status, 'PodScheduled', 'False', now, 'Unschedulable', message);
      if (before?.message === message) {
        const c = status.conditions?.find((x) => x.type === 'PodScheduled');
        if (c && before.lastTransitionTime) c.lastTransitionTime = before.lastTransitionTime;
      }
    }, { subresource: 'status' });
    this.ctx.events.record(pod, 'Warning', 'FailedScheduling', message, SOURCE);
  }
}
