// Pod logs for the demo fleet: lines generated on demand for any time window of a container's life,
// so `--tail`, `--since-time`, `--timestamps`, `--previous` and `-f` behave as against a kubelet
// without storing anything. Line k of a container instance appears at a fixed simulated time derived
// from the fleet seed, and its text is a pure function of the same inputs.
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store.js';
import { fnv32a, randomFor } from '../random.js';
import { fleetFaults, fleetSeed } from './fleet-registry.js';
import { imageBehaviour } from './behaviour.js';
import {
  agentProfile,
  corednsProfile,
  crashProfile,
  prometheusProfile,
  teiProfile,
  trainingProfile,
  vllmProfile,
  webProfile,
  type LogContext,
  type LogProfile,
} from './log-lines.js';
import type { ContainerStatus, PodStatus } from '../controllers/pod-status.js';

export interface LogOptions {
  container: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  previous: boolean;
}

/** Lines a container keeps before rotation drops the oldest (the kubelet's 10 MiB, roughly). */
export const MAX_RETAINED_LINES = 5000;
/** How long banner lines take to print, per profile. */
const BANNER_SPAN = new Map<LogProfile, number>([
  [vllmProfile, 27_000],
  [teiProfile, 8_300],
  [trainingProfile, 180_000],
  [prometheusProfile, 1_200],
  [corednsProfile, 200],
  [agentProfile, 700],
  [webProfile, 70],
  [crashProfile, 700],
]);

export function profileFor(pod: KubeObject, image: string): LogProfile {
  if (imageBehaviour(image) === 'crash') return crashProfile;
  const labels = pod.metadata.labels ?? {};
  if (image.includes('vllm')) return vllmProfile;
  if (image.includes('text-embeddings-inference')) return teiProfile;
  if (labels['app.kubernetes.io/component'] === 'training' || image.includes('pytorch') || pod.metadata.ownerReferences?.some((o) => o.kind === 'Job')) return trainingProfile;
  if (/prometheus\/(prometheus|alertmanager)/.test(image)) return prometheusProfile;
  if (image.includes('coredns')) return corednsProfile;
  if (/exporter|device-plugin|kube-proxy|grafana/.test(image)) return agentProfile;
  return webProfile;
}

interface Window {
  /** How the instance ended, when it did (the kubelet's terminated reason). */
  reason?: string;
  start: number;
  /** Undefined while the container is still running. */
  end?: number;
  instance: number;
  containerId?: string;
}

function windowOf(pod: KubeObject, cs: ContainerStatus | undefined, container: string, previous: boolean): Window {
  const name = pod.metadata.name;
  if (previous) {
    const last = cs?.lastState?.terminated;
    if (!cs || !last) throw new Error(`previous terminated container "${container}" in pod "${name}" not found`);
    return { start: Date.parse(last.startedAt ?? last.finishedAt), end: Date.parse(last.finishedAt), instance: Math.max(0, cs.restartCount - 1), reason: last.reason };
  }
  if (cs?.state.running) return { start: Date.parse(cs.state.running.startedAt), instance: cs.restartCount, containerId: cs.containerID };
  if (cs?.state.terminated) {
    const t = cs.state.terminated;
    return { start: Date.parse(t.startedAt ?? t.finishedAt), end: Date.parse(t.finishedAt), instance: cs.restartCount, containerId: cs.containerID, reason: t.reason };
  }
  // Waiting after a crash: the kubelet serves the last terminated instance.
  const last = cs?.lastState?.terminated;
  if (cs && last) return { start: Date.parse(last.startedAt ?? last.finishedAt), end: Date.parse(last.finishedAt), instance: Math.max(0, cs.restartCount - 1), containerId: cs.containerID, reason: last.reason };
  const reason = cs?.state.waiting?.reason ?? 'ContainerCreating';
  throw new Error(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
}

/** The timeline of one container instance: line k's time and text. */
export class LogTimeline {
  private readonly bannerLines: string[];
  private readonly bannerSpan: number;
  private readonly steadyStart: number;
  private readonly salt: string;

  constructor(
    readonly ctx: LogContext,
    readonly profile: LogProfile,
    readonly start: number,
    seed: number,
    instance: number,
  ) {
    this.bannerLines = profile.banner(ctx, start);
    this.bannerSpan = BANNER_SPAN.get(profile) ?? 1_000;
    this.steadyStart = start + this.bannerSpan;
    this.salt = `${seed}\u0000${ctx.namespace}\u0000${ctx.pod}\u0000${ctx.container}\u0000${instance}`;
  }

  get steady(): boolean {
    return this.profile !== crashProfile;
  }

  /** Simulated ms of line `i` (banner lines first, then steady lines). Strictly increasing. */
  time(i: number): number {
    const n = this.bannerLines.length;
    if (i < n) return this.start + Math.floor((i * this.bannerSpan) / Math.max(1, n));
    const k = i - n;
    const jitter = (fnv32a(`${this.salt}\u0000${k}`) % 1000) / 1000;
    return this.steadyStart + Math.floor((k + jitter) * this.profile.intervalMs);
  }

  text(i: number): string {
    const n = this.bannerLines.length;
    if (i < n) return this.bannerLines[i];
    return this.profile.line(this.ctx, i - n, this.time(i), randomFor(this.salt, i));
  }

  /** Nanoseconds within the millisecond, so RFC3339Nano timestamps look like real ones. */
  nanos(i: number): number {
    return fnv32a(`${this.salt}#ns#${i}`) % 1_000_000;
  }

  /** Index of the last line at or before `t` (-1 if none). */
  lastAtOrBefore(t: number): number {
    const n = this.bannerLines.length;
    if (t < this.start) return -1;
    if (!this.steady || t < this.steadyStart) {
      let i = -1;
      while (i + 1 < n && this.time(i + 1) <= t) i++;
      return i;
    }
    let k = Math.floor((t - this.steadyStart) / this.profile.intervalMs) + 1;
    while (k >= 0 && this.time(n + k) > t) k--;
    return n + k;
  }

  /** Index of the first line at or after `t`. */
  firstAtOrAfter(t: number): number {
    return this.lastAtOrBefore(t - 1) + 1;
  }

  /** Whether line `i` exists at all (a crashing container prints only its banner). */
  exists(i: number): boolean {
    return this.steady || i < this.bannerLines.length;
  }
}

/** RFC3339Nano as Go prints it: nanoseconds with trailing zeros trimmed. */
export function rfc3339Nano(ms: number, nanosInMs: number): string {
  const base = new Date(ms).toISOString();
  const frac = `${base.slice(20, 23)}${String(nanosInMs).padStart(6, '0')}`.replace(/0+$/, '');
  return `${base.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/** Faults show in lines from this long before the request on (they are not kept in history). */
const FAULT_LOOKBACK_MS = 60_000;

function contextOf(store: ObjectStore, pod: KubeObject, container: string, image: string, now: number): LogContext {
  const status = (pod.status ?? {}) as PodStatus;
  const labels = pod.metadata.labels ?? {};
  const faults = fleetFaults(store);
  const namespace = pod.metadata.namespace ?? 'default';
  const service = labels['app.kubernetes.io/name'] ?? labels.app ?? pod.metadata.name;
  const images = ((pod.spec as { containers?: { image: string }[] }).containers ?? []).map((c) => c.image);
  return {
    fault: faults ? () => faults.errorFault(namespace, service, images) : undefined,
    faultFrom: now - FAULT_LOOKBACK_MS,
    pod: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    container,
    image,
    model: pod.metadata.annotations?.['flightdeck.dev/model-name'],
    podIp: status.podIP ?? '10.244.0.2',
    run: labels['training.flightdeck.dev/run'] ?? labels['job-name'],
  };
}

/**
 * A container's log lines, each ending in "\n". Throws (synchronously) the kubelet's error when
 * there is nothing to show. With `follow`, keeps yielding as simulated time passes until the
 * consumer stops iterating or the container instance ends.
 */
export function podLogStream(store: ObjectStore, clock: DemoClock, pod: KubeObject, opts: LogOptions): AsyncIterable<string> {
  const status = (pod.status ?? {}) as PodStatus;
  const cs = status.containerStatuses?.find((s) => s.name === opts.container);
  const spec = ((pod.spec as { containers?: { name: string; image: string }[] })?.containers ?? []).find((c) => c.name === opts.container);
  if (!spec) throw new Error(`container ${opts.container} is not valid for pod ${pod.metadata.name}`);
  const win = windowOf(pod, cs, opts.container, opts.previous);
  const now = clock.now();
  const timeline = new LogTimeline(contextOf(store, pod, opts.container, spec.image, now), profileFor(pod, spec.image), win.start, fleetSeed(store), win.instance);
  const until = win.end ?? now;
  let last = timeline.lastAtOrBefore(until);
  while (last >= 0 && !timeline.exists(last)) last--;
  let first = Math.max(0, last - MAX_RETAINED_LINES + 1);
  if (opts.sinceSeconds !== undefined) first = Math.max(first, timeline.firstAtOrAfter(now - opts.sinceSeconds * 1000));
  if (opts.tailLines !== undefined) first = Math.max(first, last - opts.tailLines + 1);
  const format = (i: number) => (opts.timestamps ? `${rfc3339Nano(timeline.time(i), timeline.nanos(i))} ` : '') + timeline.text(i) + '\n';
  const stream = new LineStream();
  const lines: string[] = [];
  for (let i = first; i <= last; i++) lines.push(format(i));
  // An instance that died of an error says so last (an OOM kill leaves no last words).
  if (win.end !== undefined && win.reason === 'Error' && timeline.steady) {
    const at = win.end - 2;
    const stamp = (ms: number) => (opts.timestamps ? `${rfc3339Nano(ms, 0)} ` : '');
    lines.push(`${stamp(at)}time=${new Date(at).toISOString()} level=error msg="unrecoverable error, shutting down" err="NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)"\n`);
    lines.push(`${stamp(at + 1)}time=${new Date(at + 1).toISOString()} level=info msg="exiting" code=1\n`);
  }
  if (win.end !== undefined && win.reason === 'Completed' && timeline.profile === trainingProfile) {
    const stamp = (ms: number) => (opts.timestamps ? `${rfc3339Nano(ms, 0)} ` : '');
    const run = timeline.ctx.run ?? timeline.ctx.pod;
    lines.push(`${stamp(win.end - 2)}[rank0]: saving final checkpoint to /checkpoints/${run}/final\n`);
    lines.push(`${stamp(win.end - 1)}[rank0]: training complete: ${Math.max(0, last + 1 - 8) * 10} steps in ${((win.end - win.start) / 3_600_000).toFixed(1)} h\n`);
  }
  for (const l of opts.tailLines !== undefined ? lines.slice(Math.max(0, lines.length - opts.tailLines)) : lines) stream.push(l);
  if (!opts.follow || win.end !== undefined || opts.previous) {
    stream.end();
    return stream;
  }
  let next = last + 1;
  const stillSame = () => {
    const current = store.peekOne('pods', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return false;
    const c = ((current.status ?? {}) as PodStatus).containerStatuses?.find((s) => s.name === opts.container);
    return !!c?.state.running && c.containerID === win.containerId;
  };
  const tick = () => {
    if (stream.closed) return;
    if (!stillSame()) {
      stream.end();
      return;
    }
    const t = clock.now();
    while (timeline.exists(next) && timeline.time(next) <= t) stream.push(format(next++));
    // Wake at the next line, but at least every 2 s to notice the container ending.
    const wait = timeline.exists(next) ? Math.min(2_000, Math.max(1, timeline.time(next) - t)) : 2_000;
    stream.setCancel(clock.after(wait, tick));
  };
  tick();
  return stream;
}

/** An async iterator over pushed lines whose return() stops timers at once, even mid-wait. */
class LineStream implements AsyncIterableIterator<string> {
  private readonly queue: string[] = [];
  private waiter: ((r: IteratorResult<string>) => void) | undefined;
  private cancel: (() => void) | undefined;
  private ended = false;
  closed = false;

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }

  push(line: string): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w({ value: line, done: false });
    } else {
      this.queue.push(line);
    }
  }

  setCancel(cancel: () => void): void {
    this.cancel = cancel;
  }

  end(): void {
    this.ended = true;
    this.cancel?.();
    if (this.queue.length === 0) this.finish();
  }

  next(): Promise<IteratorResult<string>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift() as string, done: false });
    if (this.ended || this.closed) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<string>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  private finish(): void {
    this.closed = true;
    this.cancel?.();
    this.cancel = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }
}
