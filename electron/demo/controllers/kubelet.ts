// The kubelets of every node, simulated: a bound pod goes Pending/ContainerCreating -> Running, gets
// Ready after its readiness delay, and its containers follow their image's behaviour (crash into
// CrashLoopBackOff with growing back-off, never become ready, fail to pull, or — for Job pods — run
// to completion). Terminating pods are stopped and removed. Node readiness flows into pod Ready.
import type { KubeObject, StoreEvent } from '../store.js';
import { randomFor } from '../random.js';
import { imageBehaviour } from '../sim/behaviour.js';
import { type Controller, type ControllerContext, mutateIfChanged } from './context.js';
import { nodeIsReady } from './placement.js';
import {
  containerId,
  containersOf,
  fullImage,
  hostIpOf,
  imageId,
  podIpFor,
  podKey,
  qosClass,
  refreshPod,
  setCondition,
  statusOf,
  type ContainerStatus,
  type PodStatus,
} from './pod-status.js';
import type { ContainerSpec } from './template.js';
import type { KubeletHooks } from '../sim/fleet-registry.js';

/** Pod annotation: how long a run-to-completion container runs, in simulated seconds. */
export const SIM_DURATION_ANNOTATION = 'flightdeck.dev/sim-duration-seconds';
const DEFAULT_JOB_SECONDS = 20;
const MAX_BACKOFF_S = 300;
const UNHEALTHY_EVERY_MS = 10_000;
/** How long a terminating pod takes to go away (capped by its grace period). */
const STOP_MS = 2_000;

interface Runtime {
  timers: Set<() => void>;
  started: boolean;
  terminating: boolean;
  /**
   * A sandbox that is up but not yet reported: its IP and PodReadyToStartContainers go out with the
   * pod's next status write (the containers' pull result), as a real kubelet's status manager
   * reports them after the sync that pulled, not as a write of their own.
   */
  sandbox?: { podIP: string; at: string };
}

export class Kubelet implements Controller, KubeletHooks {
  readonly name = 'kubelet';
  private readonly pods = new Map<string, Runtime>();
  private readonly nodeReady = new Map<string, boolean>();
  /**
   * Pod IPs in use per node, built on a node's first sandbox and kept up to date from pod events:
   * a sandbox no longer scans every pod on its node to find a free address.
   */
  private readonly ipsByNode = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const node of this.ctx.cache.all('nodes')) this.nodeReady.set(node.metadata.name, nodeIsReady(node));
    for (const pod of this.ctx.cache.all('pods')) this.ctx.queue.add(this.name, podKey(pod));
  }

  stop(): void {
    for (const rt of this.pods.values()) for (const cancel of rt.timers) cancel();
    this.pods.clear();
    this.ipsByNode.clear();
  }

  onEvent(event: StoreEvent): void {
    if (event.resource === 'nodes') {
      const name = event.object.metadata.name;
      if (event.type === 'DELETED') {
        // The pod garbage collector removes pods bound to a node that no longer exists.
        this.ctx.queue.add(this.name, `gone:${name}`);
        this.nodeReady.delete(name);
        this.ipsByNode.delete(name);
        return;
      }
      const ready = nodeIsReady(event.object);
      if (this.nodeReady.get(name) !== ready) {
        this.nodeReady.set(name, ready);
        this.ctx.queue.add(this.name, `node:${name}`);
      }
    } else if (event.resource === 'pods') {
      const key = podKey(event.object);
      const nodeName = (event.object.spec as { nodeName?: string }).nodeName;
      const ips = nodeName ? this.ipsByNode.get(nodeName) : undefined;
      const podIP = statusOf(event.object).podIP;
      if (event.type === 'DELETED') {
        if (ips) {
          if (podIP) ips.delete(podIP);
          const pending = this.pods.get(key)?.sandbox?.podIP;
          if (pending) ips.delete(pending);
        }
        this.forget(key);
        return;
      }
      if (ips && podIP) ips.add(podIP);
      if (nodeName || event.object.metadata.deletionTimestamp) this.ctx.queue.add(this.name, key);
    }
  }

  sync(key: string): void {
    if (key.startsWith('node:')) {
      this.refreshNode(key.slice(5));
      return;
    }
    if (key.startsWith('gone:')) {
      if (this.ctx.cache.get('nodes', undefined, key.slice(5))) return;
      for (const pod of this.ctx.cache.podsOnNode(key.slice(5))) {
        this.forget(podKey(pod));
        this.ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
      }
      return;
    }
    const i = key.indexOf('/');
    const pod = this.ctx.cache.get('pods', key.slice(0, i), key.slice(i + 1));
    if (!pod) {
      this.forget(key);
      return;
    }
    const rt = this.runtime(key);
    if (pod.metadata.deletionTimestamp) {
      this.terminate(pod, rt);
      return;
    }
    const nodeName = (pod.spec as { nodeName?: string }).nodeName;
    if (!nodeName || rt.started) return;
    rt.started = true;
    if (!statusOf(pod).startTime) this.begin(pod, rt);
    else this.resume(pod, rt);
  }

  /**
   * Scenario hook: the container dies now (exit code and reason as given, e.g. 137/OOMKilled) and
   * restarts as its restartPolicy says. Returns false if the pod or container is not running.
   */
  killContainer(namespace: string, podName: string, container: string | undefined, exitCode: number, reason: string): boolean {
    const pod = this.ctx.cache.get('pods', namespace, podName);
    if (!pod || pod.metadata.deletionTimestamp) return false;
    const c = containersOf(pod).find((x) => container === undefined || x.name === container);
    const cs = c && statusOf(pod).containerStatuses?.find((s) => s.name === c.name);
    if (!c || !cs?.state.running) return false;
    const rt = this.runtime(podKey(pod));
    for (const cancel of rt.timers) cancel();
    rt.timers.clear();
    rt.started = true;
    const exited = this.exit(pod, c.name, exitCode, reason);
    if (!exited) return false;
    const restartPolicy = (pod.spec as { restartPolicy?: string }).restartPolicy ?? 'Always';
    if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && exitCode === 0)) return true;
    this.after(rt, 1_000, () => {
      const p = this.current(pod);
      if (p) this.pull(p, rt, c, 0);
    });
    // Other containers keep running: re-arm their timers.
    for (const other of containersOf(exited)) {
      const ocs = statusOf(exited).containerStatuses?.find((s) => s.name === other.name);
      if (other.name !== c.name && ocs?.state.running) this.running(exited, rt, other, ocs, Date.parse(ocs.state.running.startedAt));
    }
    return true;
  }

  /** Scenario hook: a running container's readiness probe starts passing or failing. */
  setContainerReady(namespace: string, podName: string, container: string | undefined, ready: boolean): boolean {
    const pod = this.ctx.cache.get('pods', namespace, podName);
    const c = pod && containersOf(pod).find((x) => container === undefined || x.name === container);
    if (!pod || !c) return false;
    if (!ready) this.event(pod, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', c.name);
    this.setReady(pod, c.name, ready);
    return true;
  }

  /** The node's IPs in use (podIpFor adds the one it picks). */
  private ipsOn(nodeName: string): Set<string> {
    let ips = this.ipsByNode.get(nodeName);
    if (!ips) {
      ips = new Set();
      for (const other of this.ctx.cache.podsOnNode(nodeName)) {
        // Sandboxes not reported yet hold their IPs too.
        const ip = statusOf(other).podIP ?? this.pods.get(podKey(other))?.sandbox?.podIP;
        if (ip) ips.add(ip);
      }
      this.ipsByNode.set(nodeName, ips);
    }
    return ips;
  }

  private runtime(key: string): Runtime {
    let rt = this.pods.get(key);
    if (!rt) this.pods.set(key, (rt = { timers: new Set(), started: false, terminating: false }));
    return rt;
  }

  private forget(key: string): void {
    const rt = this.pods.get(key);
    if (!rt) return;
    for (const cancel of rt.timers) cancel();
    this.pods.delete(key);
  }

  private after(rt: Runtime, ms: number, fn: () => void): void {
    const cancel = this.ctx.clock.after(ms, () => {
      rt.timers.delete(cancel);
      if (!rt.terminating) fn();
    });
    rt.timers.add(cancel);
  }

  private source(pod: KubeObject) {
    return { component: 'kubelet', host: (pod.spec as { nodeName?: string }).nodeName };
  }

  private event(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    this.ctx.events.record(pod, type, reason, message, this.source(pod), container ? `spec.containers{${container}}` : undefined);
  }

  /** Writes the pod's status through `change`, then recomputes phase and readiness. */
  private update(pod: KubeObject, change: (status: PodStatus, pod: KubeObject) => void): KubeObject | undefined {
    const now = this.ctx.clock.iso();
    const nodeName = (pod.spec as { nodeName?: string }).nodeName ?? '';
    const rt = this.pods.get(podKey(pod));
    const sandbox = rt?.sandbox;
    const updated = mutateIfChanged(this.ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      if (p.metadata.deletionTimestamp && !pod.metadata.deletionTimestamp) return;
      const status = (p.status ??= { phase: 'Pending' }) as PodStatus;
      if (sandbox) {
        status.podIP = sandbox.podIP;
        status.podIPs = [{ ip: sandbox.podIP }];
        setCondition(status, 'PodReadyToStartContainers', 'True', sandbox.at);
      }
      change(status, p);
      refreshPod(p, status, now, this.nodeReady.get(nodeName) ?? true);
    }, { subresource: 'status' });
    if (rt && sandbox && updated) rt.sandbox = undefined;
    return updated;
  }

  private current(pod: KubeObject): KubeObject | undefined {
    return this.ctx.cache.get('pods', pod.metadata.namespace, pod.metadata.name);
  }

  private begin(pod: KubeObject, rt: Runtime): void {
    const node = this.ctx.cache.get('nodes', undefined, (pod.spec as { nodeName: string }).nodeName);
    const now = this.ctx.clock.iso();
    const hostIP = hostIpOf(node);
    this.update(pod, (status, p) => {
      status.hostIP = hostIP;
      status.hostIPs = hostIP ? [{ ip: hostIP }] : [];
      status.startTime = now;
      status.qosClass = qosClass(p);
      setCondition(status, 'PodReadyToStartContainers', 'False', now);
      setCondition(status, 'Initialized', 'True', now);
      setCondition(status, 'PodScheduled', 'True', now);
      status.containerStatuses = containersOf(p).map((c) => ({
        name: c.name,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: c.image,
        imageID: '',
        started: false,
      }));
    });
    const rng = randomFor(pod.metadata.uid ?? pod.metadata.name, 'sandbox');
    this.after(rt, rng.int(400, 1200), () => {
      const p = this.current(pod);
      if (!p) return;
      const podIP = (p.spec as { hostNetwork?: boolean }).hostNetwork && hostIP ? hostIP : podIpFor(node, p.metadata.name, this.ipsOn((p.spec as { nodeName: string }).nodeName));
      rt.sandbox = { podIP, at: this.ctx.clock.iso() };
      const containers = containersOf(p);
      // Nothing to pull: nothing else will write, so report the sandbox now.
      if (containers.length === 0) this.update(p, () => undefined);
      for (const c of containers) this.pull(p, rt, c, 0);
    });
  }

  /** Picks a seeded or restarted pod back up: re-arm the timers its containers need. */
  private resume(pod: KubeObject, rt: Runtime): void {
    const status = statusOf(pod);
    for (const c of containersOf(pod)) {
      const cs = status.containerStatuses?.find((s) => s.name === c.name);
      if (!cs || cs.state.waiting) this.pull(pod, rt, c, 0);
      else if (cs.state.running) this.running(pod, rt, c, cs, Date.parse(cs.state.running.startedAt));
    }
  }

  private pull(pod: KubeObject, rt: Runtime, c: ContainerSpec, attempt: number): void {
    const behaviour = imageBehaviour(c.image);
    const rng = randomFor(pod.metadata.uid ?? pod.metadata.name, c.name, 'pull', attempt);
    const previous = statusOf(pod).containerStatuses?.find((s) => s.name === c.name);
    const restart = !!previous && (previous.restartCount > 0 || !!previous.lastState.terminated);
    if (!restart) this.event(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c.name);
    const pullMs = restart ? 200 : rng.int(800, 3000);
    this.after(rt, pullMs, () => {
      const p = this.current(pod);
      if (!p) return;
      if (behaviour === 'pull-error') {
        this.pullFailed(p, rt, c, attempt);
        return;
      }
      if (restart && c.imagePullPolicy !== 'Always') {
        this.event(p, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c.name);
      } else {
        const secs = (pullMs / 1000).toFixed(3);
        this.event(p, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${rng.int(30, 900) * 1048576 + rng.int(0, 1048575)} bytes.`, c.name);
      }
      this.startContainer(p, rt, c);
    });
  }

  private pullFailed(pod: KubeObject, rt: Runtime, c: ContainerSpec, attempt: number): void {
    const ref = fullImage(c.image);
    const message = `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
    this.event(pod, 'Warning', 'Failed', message, c.name);
    this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', c.name);
    this.setWaiting(pod, c.name, 'ErrImagePull', message);
    this.after(rt, 1500, () => {
      const p = this.current(pod);
      if (!p) return;
      this.event(p, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, c.name);
      this.event(p, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.name);
      this.setWaiting(p, c.name, 'ImagePullBackOff', `Back-off pulling image "${c.image}"`);
      const backoff = Math.min(MAX_BACKOFF_S, 10 * 2 ** attempt) * 1000;
      this.after(rt, backoff, () => {
        const again = this.current(pod);
        if (again) this.pull(again, rt, c, attempt + 1);
      });
    });
  }

  private setWaiting(pod: KubeObject, container: string, reason: string, message?: string): void {
    this.update(pod, (status) => {
      const cs = status.containerStatuses?.find((s) => s.name === container);
      if (!cs) return;
      cs.state = { waiting: message ? { reason, message } : { reason } };
      cs.ready = false;
      cs.started = false;
    });
  }

  private startContainer(pod: KubeObject, rt: Runtime, c: ContainerSpec): void {
    const now = this.ctx.clock.iso();
    let started: ContainerStatus | undefined;
    const updated = this.update(pod, (status, p) => {
      const list = (status.containerStatuses ??= []);
      let cs = list.find((s) => s.name === c.name);
      if (!cs) {
        cs = { name: c.name, state: {}, lastState: {}, ready: false, restartCount: 0, image: c.image, imageID: '', started: false };
        list.push(cs);
      }
      // A restart: after a crash loop back-off, or straight after a kill.
      if (cs.state.terminated) {
        cs.lastState = { terminated: cs.state.terminated };
        cs.restartCount += 1;
      } else if (cs.state.waiting?.reason === 'CrashLoopBackOff') {
        cs.restartCount += 1;
      }
      cs.state = { running: { startedAt: now } };
      cs.image = fullImage(c.image);
      cs.imageID = imageId(c.image);
      cs.containerID = containerId(`${p.metadata.uid}/${c.name}/${cs.restartCount}`);
      cs.started = true;
      cs.ready = !c.readinessProbe && imageBehaviour(c.image) === 'ok';
      started = { ...cs };
    });
    if (!updated || !started) return;
    this.event(updated, 'Normal', 'Created', `Created container: ${c.name}`, c.name);
    this.event(updated, 'Normal', 'Started', `Started container ${c.name}`, c.name);
    this.running(updated, rt, c, started, this.ctx.clock.now());
  }

  /** Arms what happens to a running container: readiness, crash, probe failures, completion. */
  private running(pod: KubeObject, rt: Runtime, c: ContainerSpec, cs: ContainerStatus, startedAt: number): void {
    const behaviour = imageBehaviour(c.image);
    const rng = randomFor(pod.metadata.uid ?? pod.metadata.name, c.name, 'run', cs.restartCount);
    const elapsed = this.ctx.clock.now() - startedAt;
    if (behaviour === 'crash') {
      this.after(rt, Math.max(0, rng.int(1500, 4000) - elapsed), () => this.crash(pod, rt, c));
      return;
    }
    if (behaviour === 'never-ready') {
      this.unhealthyLoop(pod, rt, c);
    } else if (!cs.ready && c.readinessProbe) {
      const probe = c.readinessProbe as { initialDelaySeconds?: number };
      const delay = Math.max(1000, (probe.initialDelaySeconds ?? 2) * 1000 + rng.int(0, 1500));
      this.after(rt, Math.max(0, delay - elapsed), () => this.setReady(pod, c.name, true));
    }
    const restartPolicy = (pod.spec as { restartPolicy?: string }).restartPolicy ?? 'Always';
    if (restartPolicy !== 'Always') {
      const seconds = Number(pod.metadata.annotations?.[SIM_DURATION_ANNOTATION] ?? DEFAULT_JOB_SECONDS) || DEFAULT_JOB_SECONDS;
      this.after(rt, Math.max(0, seconds * 1000 - elapsed), () => this.exit(pod, c.name, 0, 'Completed'));
    }
  }

  private unhealthyLoop(pod: KubeObject, rt: Runtime, c: ContainerSpec): void {
    this.after(rt, UNHEALTHY_EVERY_MS, () => {
      const p = this.current(pod);
      if (!p) return;
      this.event(p, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', c.name);
      this.unhealthyLoop(p, rt, c);
    });
  }

  private setReady(pod: KubeObject, container: string, ready: boolean): void {
    const p = this.current(pod);
    if (!p) return;
    this.update(p, (status) => {
      const cs = status.containerStatuses?.find((s) => s.name === container);
      if (cs?.state.running) cs.ready = ready;
    });
  }

  private exit(pod: KubeObject, container: string, exitCode: number, reason: string): KubeObject | undefined {
    const p = this.current(pod);
    if (!p) return undefined;
    const now = this.ctx.clock.iso();
    return this.update(p, (status) => {
      const cs = status.containerStatuses?.find((s) => s.name === container);
      if (!cs?.state.running) return;
      cs.state = { terminated: { exitCode, reason, startedAt: cs.state.running.startedAt, finishedAt: now, containerID: cs.containerID } };
      cs.ready = false;
      cs.started = false;
    });
  }

  private crash(pod: KubeObject, rt: Runtime, c: ContainerSpec): void {
    const p = this.exit(pod, c.name, 1, 'Error');
    if (!p) return;
    const restartPolicy = (p.spec as { restartPolicy?: string }).restartPolicy ?? 'Always';
    if (restartPolicy === 'Never') return;
    const cs = statusOf(p).containerStatuses?.find((s) => s.name === c.name);
    const restarts = cs?.restartCount ?? 0;
    const backoffS = Math.min(MAX_BACKOFF_S, 10 * 2 ** restarts);
    const ns = p.metadata.namespace ?? 'default';
    this.update(p, (status) => {
      const s = status.containerStatuses?.find((x) => x.name === c.name);
      if (!s?.state.terminated) return;
      s.lastState = { terminated: s.state.terminated };
      s.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${formatDuration(backoffS)} restarting failed container=${c.name} pod=${p.metadata.name}_${ns}(${p.metadata.uid})` } };
    });
    this.event(p, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${p.metadata.name}_${ns}(${p.metadata.uid})`, c.name);
    this.after(rt, backoffS * 1000, () => {
      const again = this.current(pod);
      if (again) this.pull(again, rt, c, 0);
    });
  }

  private terminate(pod: KubeObject, rt: Runtime): void {
    if (rt.terminating) return;
    for (const cancel of rt.timers) cancel();
    rt.timers.clear();
    const { namespace, name } = pod.metadata;
    const nodeName = (pod.spec as { nodeName?: string }).nodeName;
    if (!nodeName || statusOf(pod).phase === 'Succeeded' || statusOf(pod).phase === 'Failed') {
      if (this.ctx.store.get('pods', namespace, name)) this.ctx.store.delete('pods', namespace, name);
      return;
    }
    rt.terminating = true;
    for (const cs of statusOf(pod).containerStatuses ?? []) {
      if (cs.state.running) this.event(pod, 'Normal', 'Killing', `Stopping container ${cs.name}`, cs.name);
    }
    const grace = (pod.metadata.deletionGracePeriodSeconds as number | undefined) ?? 30;
    const cancel = this.ctx.clock.after(Math.min(STOP_MS, grace * 1000), () => {
      rt.timers.delete(cancel);
      if (this.ctx.store.get('pods', namespace, name)) this.ctx.store.delete('pods', namespace, name);
    });
    rt.timers.add(cancel);
  }

  private refreshNode(node: string): void {
    const ready = this.nodeReady.get(node) ?? false;
    const now = this.ctx.clock.iso();
    for (const pod of this.ctx.cache.podsOnNode(node)) {
      mutateIfChanged(this.ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name, (p) => {
        const status = (p.status ??= { phase: 'Pending' }) as PodStatus;
        if (!status.containerStatuses) return;
        refreshPod(p, status, now, ready);
      }, { subresource: 'status' });
    }
  }
}

/** Go's time.Duration format for whole seconds: 10s, 1m20s, 5m0s. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
