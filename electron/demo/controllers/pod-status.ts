// Pod status as the kubelet reports it: conditions, container states, IPs, QoS class. Pure helpers
// shared by the seed (pods that are already running) and the simulated kubelet.
import type { KubeObject } from '../store.js';
import { fnv32a } from '../random.js';
import { milliCpu, bytes } from '../sim/quantity.js';
import type { ContainerSpec } from './template.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: null;
  lastTransitionTime: string;
}

export interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; startedAt?: string; finishedAt: string; containerID?: string; message?: string };
}

export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
}

export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: Condition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  qosClass?: string;
  reason?: string;
  message?: string;
  [key: string]: unknown;
}

export const podKey = (pod: KubeObject) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;

export function containersOf(pod: KubeObject): ContainerSpec[] {
  return ((pod.spec as { containers?: ContainerSpec[] })?.containers ?? []) as ContainerSpec[];
}

export function statusOf(pod: KubeObject): PodStatus {
  return (pod.status ?? { phase: 'Pending' }) as PodStatus;
}

/** Sets a condition, keeping lastTransitionTime when the status did not change (as the kubelet does). */
export function setCondition(status: PodStatus, type: string, value: Condition['status'], now: string, reason?: string, message?: string): void {
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  const next: Condition = { type, status: value, lastProbeTime: null, lastTransitionTime: now };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  if (existing) {
    if (existing.status === value) next.lastTransitionTime = existing.lastTransitionTime;
    Object.assign(existing, next);
    if (!reason) delete existing.reason;
    if (!message) delete existing.message;
  } else {
    conditions.push(next);
  }
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

export function qosClass(pod: KubeObject): string {
  let anyRequest = false;
  let guaranteed = true;
  for (const c of containersOf(pod)) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (req.cpu || req.memory || lim.cpu || lim.memory) anyRequest = true;
    if (!lim.cpu || !lim.memory) guaranteed = false;
    else if ((req.cpu && milliCpu(req.cpu) !== milliCpu(lim.cpu)) || (req.memory && bytes(req.memory) !== bytes(lim.memory))) guaranteed = false;
  }
  if (!anyRequest) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** `nginx:1.25` -> `docker.io/library/nginx:1.25`, as containerd reports images. */
export function fullImage(image: string): string {
  const first = image.split('/')[0];
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let ref = hasRegistry ? image : image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
  if (!/:[^/]+$/.test(ref) && !ref.includes('@')) ref += ':latest';
  return ref;
}

const imageIds = new Map<string, string>();

export function imageId(image: string): string {
  const cached = imageIds.get(image);
  if (cached) return cached;
  const ref = fullImage(image);
  const repo = ref.replace(/:[^/:]+$/, '');
  let digest = '';
  for (let i = 0; digest.length < 64; i++) digest += fnv32a(`${ref}#${i}`).toString(16).padStart(8, '0');
  const id = `${repo}@sha256:${digest.slice(0, 64)}`;
  if (imageIds.size < 10_000) imageIds.set(image, id);
  return id;
}

export function containerId(seed: string): string {
  let id = '';
  for (let i = 0; id.length < 64; i++) id += fnv32a(`${seed}#${i}`).toString(16).padStart(8, '0');
  return `containerd://${id.slice(0, 64)}`;
}

/** Pod IP inside the node's podCIDR (a /24): stable per pod name, avoiding IPs already `taken`. */
export function podIpFor(node: KubeObject | undefined, podName: string, taken?: Set<string>): string {
  const cidr = (node?.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.244.0.0/24';
  const base = cidr.split('.').slice(0, 3).join('.');
  const start = fnv32a(podName) % 250;
  for (let i = 0; i < 250; i++) {
    const ip = `${base}.${2 + ((start + i) % 250)}`;
    if (!taken?.has(ip)) {
      taken?.add(ip);
      return ip;
    }
  }
  return `${base}.${2 + start}`;
}

export function hostIpOf(node: KubeObject | undefined): string | undefined {
  const addrs = (node?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
  return addrs.find((a) => a.type === 'InternalIP')?.address;
}

/**
 * Recomputes phase and the Ready/ContainersReady conditions from container states; `nodeReady`
 * false marks the pod not ready (what the node lifecycle controller does to pods of a lost node).
 */
export function refreshPod(pod: KubeObject, status: PodStatus, now: string, nodeReady: boolean): void {
  const statuses = status.containerStatuses ?? [];
  const restartPolicy = (pod.spec as { restartPolicy?: string })?.restartPolicy ?? 'Always';
  const allTerminated = statuses.length > 0 && statuses.every((s) => s.state.terminated);
  if (allTerminated && restartPolicy !== 'Always') {
    const failed = statuses.some((s) => (s.state.terminated?.exitCode ?? 0) !== 0);
    status.phase = failed && restartPolicy === 'Never' ? 'Failed' : failed ? 'Running' : 'Succeeded';
  } else if (statuses.some((s) => s.state.running || s.restartCount > 0 || s.state.terminated)) {
    status.phase = 'Running';
  } else {
    status.phase = 'Pending';
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  if (terminal) {
    setCondition(status, 'Ready', 'False', now, 'PodCompleted');
    setCondition(status, 'ContainersReady', 'False', now, 'PodCompleted');
    setCondition(status, 'PodReadyToStartContainers', 'False', now);
    return;
  }
  const containersReady = unready.length === 0 && statuses.length > 0;
  const msg = `containers with unready status: [${unready.join(' ')}]`;
  setCondition(status, 'ContainersReady', containersReady ? 'True' : 'False', now, containersReady ? undefined : 'ContainersNotReady', containersReady ? undefined : msg);
  if (!nodeReady) setCondition(status, 'Ready', 'False', now);
  else setCondition(status, 'Ready', containersReady ? 'True' : 'False', now, containersReady ? undefined : 'ContainersNotReady', containersReady ? undefined : msg);
}

export function isPodReady(pod: KubeObject): boolean {
  return statusOf(pod).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready (for minReadySeconds), or undefined. */
export function readySince(pod: KubeObject): string | undefined {
  const c = statusOf(pod).conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime;
}

export function isTerminating(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isActivePod(pod: KubeObject): boolean {
  const phase = statusOf(pod).phase;
  return !isTerminating(pod) && phase !== 'Succeeded' && phase !== 'Failed';
}

/** A status for a pod that has been running since `startedAt`: what the seed writes. */
export function runningStatus(pod: KubeObject, node: KubeObject, startedAt: string, ready: boolean, takenIps?: Set<string>): PodStatus {
  const hostIP = hostIpOf(node);
  const podIP = (pod.spec as { hostNetwork?: boolean }).hostNetwork && hostIP ? hostIP : podIpFor(node, pod.metadata.name, takenIps);
  const status: PodStatus = {
    phase: 'Running',
    conditions: [],
    hostIP,
    hostIPs: hostIP ? [{ ip: hostIP }] : [],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: startedAt,
    containerStatuses: containersOf(pod).map((c) => ({
      name: c.name,
      state: { running: { startedAt } },
      lastState: {},
      ready,
      restartCount: 0,
      image: fullImage(c.image),
      imageID: imageId(c.image),
      containerID: containerId(`${pod.metadata.name}/${c.name}/0`),
      started: true,
    })),
    qosClass: qosClass(pod),
  };
  for (const t of ['PodReadyToStartContainers', 'Initialized', 'PodScheduled']) setCondition(status, t, 'True', startedAt);
  refreshPod(pod, status, startedAt, true);
  return status;
}
