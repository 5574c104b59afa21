// Health of one object as an SRE reads it: ok / warning / failing / unknown, with the reason in the
// words kubectl and the controllers use (CrashLoopBackOff, Unschedulable, NotReady,
// ProgressDeadlineExceeded, …). Conditions per kind follow the API reference:
// https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/ ,
// https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status ,
// https://kubernetes.io/docs/reference/node/node-status/#condition .
import type { KubeObject } from './kube.js';
import { rolloutFailure } from './canary-health.js';

export type Health = 'ok' | 'warning' | 'failing' | 'unknown';
export interface HealthVerdict {
  h: Health;
  r?: string;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { reason?: string } };
}

const FAILING_WAIT_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'RunContainerError',
]);

const RESTART_WARNING = 5;

const conditionsOf = (obj: KubeObject): Condition[] => ((obj.status as { conditions?: Condition[] })?.conditions ?? []);
const condition = (obj: KubeObject, type: string) => conditionsOf(obj).find((c) => c.type === type);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function podHealth(pod: KubeObject): HealthVerdict {
  const status = (pod.status ?? {}) as { phase?: string; reason?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
  const phase = status.phase;
  if (pod.metadata.deletionTimestamp) return { h: 'warning', r: 'Terminating' };
  if (phase === 'Succeeded') return { h: 'ok', r: 'Completed' };
  if (phase === 'Failed') return { h: 'failing', r: status.reason ?? 'Failed' };
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  for (const c of containers) {
    const reason = c.state?.waiting?.reason;
    if (reason && FAILING_WAIT_REASONS.has(reason)) return { h: 'failing', r: reason };
    if (c.state?.terminated?.reason === 'Error' || c.state?.terminated?.reason === 'OOMKilled') return { h: 'failing', r: c.state.terminated.reason };
  }
  if (phase === 'Pending') {
    const scheduled = condition(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return { h: 'failing', r: 'Pending: Unschedulable' };
    return { h: 'warning', r: 'Pending' };
  }
  if (phase !== 'Running') return { h: 'unknown', r: phase ? `phase ${phase}` : 'no status yet' };
  const restarts = (status.containerStatuses ?? []).reduce((sum, c) => sum + num(c.restartCount), 0);
  const total = status.containerStatuses?.length ?? 0;
  const ready = (status.containerStatuses ?? []).filter((c) => c.ready).length;
  if (condition(pod, 'Ready')?.status === 'False' || ready < total) return { h: 'warning', r: `not ready (${ready}/${total} containers)` };
  if (restarts >= RESTART_WARNING) return { h: 'warning', r: `${restarts} restarts` };
  return { h: 'ok' };
}

export function nodeHealth(node: KubeObject): HealthVerdict {
  const ready = condition(node, 'Ready');
  if (!ready) return { h: 'unknown', r: 'no Ready condition reported' };
  if (ready.status === 'False') return { h: 'failing', r: 'NotReady' };
  if (ready.status === 'Unknown') return { h: 'failing', r: 'NotReady (kubelet stopped reporting)' };
  for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']) {
    if (condition(node, type)?.status === 'True') return { h: 'warning', r: type };
  }
  if ((node.spec as { unschedulable?: boolean })?.unschedulable) return { h: 'warning', r: 'cordoned (SchedulingDisabled)' };
  return { h: 'ok' };
}

function replicaHealth(desired: number, ready: number): HealthVerdict {
  if (desired > 0 && ready === 0) return { h: 'failing', r: `0/${desired} replicas ready` };
  if (ready < desired) return { h: 'warning', r: `${ready}/${desired} replicas ready` };
  return { h: 'ok' };
}

export function deploymentHealth(d: KubeObject): HealthVerdict {
  const progressing = condition(d, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return { h: 'failing', r: 'ProgressDeadlineExceeded' };
  const available = condition(d, 'Available');
  const spec = (d.spec ?? {}) as { replicas?: number; paused?: boolean };
  const status = (d.status ?? {}) as { readyReplicas?: number; updatedReplicas?: number };
  const desired = spec.replicas ?? 1;
  if (available?.status === 'False' && desired > 0) return { h: 'failing', r: available.reason ?? 'MinimumReplicasUnavailable' };
  if (spec.paused) return { h: 'warning', r: 'paused' };
  const verdict = replicaHealth(desired, num(status.readyReplicas));
  if (verdict.h !== 'ok') return verdict.h === 'failing' ? verdict : { h: 'warning', r: verdict.r };
  if (num(status.updatedReplicas) < desired) return { h: 'warning', r: `rolling out (${num(status.updatedReplicas)}/${desired} updated)` };
  return { h: 'ok' };
}

export function replicaSetHealth(rs: KubeObject): HealthVerdict {
  const desired = (rs.spec as { replicas?: number })?.replicas ?? 1;
  const ready = num((rs.status as { readyReplicas?: number })?.readyReplicas);
  if (desired === 0) return { h: 'ok', r: 'scaled to 0 (old revision)' };
  return ready < desired ? { h: 'warning', r: `${ready}/${desired} replicas ready` } : { h: 'ok' };
}

export function statefulSetHealth(s: KubeObject): HealthVerdict {
  return replicaHealth((s.spec as { replicas?: number })?.replicas ?? 1, num((s.status as { readyReplicas?: number })?.readyReplicas));
}

export function daemonSetHealth(ds: KubeObject): HealthVerdict {
  const status = (ds.status ?? {}) as { desiredNumberScheduled?: number; numberReady?: number };
  return replicaHealth(num(status.desiredNumberScheduled), num(status.numberReady));
}

export function jobHealth(job: KubeObject): HealthVerdict {
  const failed = condition(job, 'Failed');
  if (failed?.status === 'True') return { h: 'failing', r: failed.reason ?? 'Failed' };
  if (condition(job, 'Complete')?.status === 'True') return { h: 'ok', r: 'Complete' };
  const status = (job.status ?? {}) as { active?: number; failed?: number };
  if (num(status.failed) > 0) return { h: 'warning', r: `${num(status.failed)} failed pods, retrying` };
  return { h: 'ok', r: num(status.active) > 0 ? 'running' : undefined };
}

/** Argo Rollouts phases: Healthy, Progressing, Paused, Degraded (https://argoproj.github.io/argo-rollouts/). */
export function rolloutHealth(ro: KubeObject): HealthVerdict {
  const status = (ro.status ?? {}) as { phase?: string; message?: string; abort?: boolean };
  // A failed AnalysisRun, an abort or Degraded: red with Argo's reason, even while the phase says Paused.
  const failure = rolloutFailure(ro);
  if (failure) return { h: 'failing', r: failure.reason };
  switch (status.phase) {
    case 'Healthy':
      return { h: 'ok' };
    case 'Degraded':
      return { h: 'failing', r: `Degraded${status.message ? `: ${status.message}` : ''}` };
    case 'Paused':
      return { h: 'warning', r: `Paused${status.message ? `: ${status.message}` : ''}` };
    case 'Progressing':
      return { h: 'warning', r: 'Progressing' };
    default:
      return { h: 'unknown', r: status.phase ? `phase ${status.phase}` : 'no status yet' };
  }
}
