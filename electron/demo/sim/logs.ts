// Pod logs for the demo fleet: lines generated on demand for any time window of a container's life,
// so `--tail`, `--since-time`, `--timestamps`, `--previous` and `-f` behave as against a kubelet
// without storing anything. Line k of a container instance appears at a fixed simulated time derived
// from the fleet seed, and its text is a pure function of the same inputs.
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store.js';
import { createRandom, fnv32a } from '../random.js';
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
  loadgenProfile,
  shutdownLine,
  type LogContext,
  type LogProfile,
} from './log-lines.js';
import type { ContainerStatus, PodStatus } from '../controllers/pod-status.js';

export interface LogOptions {
  container: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Epoch ms: lines at or after it (the API's sinceTime). */
  sinceTime?: number;
  timestamps: boolean;
  previous: boolean;
}

/** Lines a follow stream may have waiting for its reader before it generates more. */
const MAX_FOLLOW_BACKLOG = 20_000;
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

/** Pod annotation: the containers write this many lines a second (benches, loss tests). */
export const LOG_RATE_ANNOTATION = 'flightdeck.dev/log-rate';
/** Pod annotation `json`: the service logs JSON lines (some demo services do without it). */
export const LOG_FORMAT_ANNOTATION = 'flightdeck.dev/log-format';

export function profileFor(pod: KubeObject, image: string): LogProfile {
  if (imageBehaviour(image) === 'crash') return crashProfile;
  const rate = Number(pod.metadata.annotations?.[LOG_RATE_ANNOTATION]);
  if (rate > 0) return loadgenProfile(rate);
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
  private readonly saltHash: number;
  /** The last line's offset: a line's time, nanos and text each need it. */
  private lastOffset = { i: -1, x: 0 };

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
    this.saltHash = fnv32a(this.salt);
  }

  /** fnv32a(`${salt}\0${n}`), hashing only the suffix (FNV continues from the salt's state). */
  private hashOf(n: number): number {
    return fnv32a(`\u0000${n}`, this.saltHash);
  }

  get steady(): boolean {
    return this.profile !== crashProfile;
  }

  /** Simulated ms of line `i` (banner lines first, then steady lines). Never decreasing. */
  time(i: number): number {
    const offset = this.offset(i);
    return (i < this.bannerLines.length ? this.start : this.steadyStart) + Math.floor(offset);
  }

  /**
   * The line's time in ms after the start of its part (banner or steady), with its fraction. Kept
   * apart from the epoch base: a double near 1.7e12 ms resolves only ~0.25 µs, too coarse for the
   * nanoseconds of a fast writer's lines, whose order a follower's re-attach relies on.
   */
  private offset(i: number): number {
    if (this.lastOffset.i === i) return this.lastOffset.x;
    const n = this.bannerLines.length;
    let x: number;
    if (i < n) x = (i * this.bannerSpan) / Math.max(1, n);
    else {
      const k = i - n;
      const jitter = (this.hashOf(k) % 1000) / 1000;
      x = (k + jitter) * this.profile.intervalMs;
    }
    this.lastOffset = { i, x };
    return x;
  }

  text(i: number): string {
    const n = this.bannerLines.length;
    if (i < n) return this.bannerLines[i];
    const hash = this.hashOf(i);
    return this.profile.lineFromHash ? this.profile.lineFromHash(this.ctx, i - n, this.time(i), hash) : this.profile.line(this.ctx, i - n, this.time(i), createRandom(hash));
  }

  /**
   * Nanoseconds within the millisecond, so RFC3339Nano timestamps look like real ones; taken from
   * the line's exact time, so lines a fast writer puts in one millisecond keep their order (a
   * follower re-attaching compares timestamps).
   */
  nanos(i: number): number {
    const x = this.offset(i);
    return Math.min(999_999, Math.floor((x - Math.floor(x)) * 1e6));
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
  const second = Math.floor(ms / 1000);
  // Fast writers print thousands of lines a second: format the second once.
  if (second !== stampCache.second) stampCache = { second, text: new Date(second * 1000).toISOString().slice(0, 19) };
  // Nanoseconds of the second, trailing zeros trimmed as Go does, without a regular expression.
  let frac = (ms - second * 1000) * 1_000_000 + nanosInMs;
  if (frac === 0) return `${stampCache.text}Z`;
  let digits = 9;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${stampCache.text}.${String(frac).padStart(digits, '0')}Z`;
}
let stampCache = { second: NaN, text: '' };

const GPU_INDEXES = [0, 1, 2, 3, 4, 5, 6, 7];

/** Services that log JSON: the reranker (TEI with --json-output) and a third of the demo's own services (slog), by name. */
const JSON_SERVICES = new Set(['ranker']);
const logsJson = (pod: KubeObject, service: string, image: string): boolean =>
  pod.metadata.annotations?.[LOG_FORMAT_ANNOTATION] === 'json' || JSON_SERVICES.has(service) || (image.startsWith('ghcr.io/flightdeck-demo/') && fnv32a(service) % 3 === 0);
/** XIDs stay until a reset, so a node's agents show them in the last five minutes of their log. */
const XID_LOOKBACK_MS = 300_000;

/** Faults show in lines from this long before the request on (they are not kept in history). */
const FAULT_LOOKBACK_MS = 60_000;

function contextOf(store: ObjectStore, pod: KubeObject, container: string, image: string, now: number): LogContext {
  const status = (pod.status ?? {}) as PodStatus;
  const labels = pod.metadata.labels ?? {};
  const faults = fleetFaults(store);
  const namespace = pod.metadata.namespace ?? 'default';
  const service = labels['app.kubernetes.io/name'] ?? labels.app ?? pod.metadata.name;
  const images = ((pod.spec as { containers?: { image: string }[] }).containers ?? []).map((c) => c.image);
  const node = (pod.spec as { nodeName?: string }).nodeName;
  const xidOf = faults?.xidOf?.bind(faults);
  return {
    fault: faults ? () => faults.errorFault(namespace, service, images) : undefined,
    xids: xidOf && node ? () => GPU_INDEXES.flatMap((gpu) => (xidOf(node, gpu) ? [{ gpu, xid: xidOf(node, gpu) }] : [])) : undefined,
    json: logsJson(pod, service, image),
    faultFrom: now - FAULT_LOOKBACK_MS,
    xidFrom: now - XID_LOOKBACK_MS,
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
/** A container's log lines, one per item; the API server reads them a backlog at a time. */
export interface LogLineStream extends AsyncIterable<string> {
  /** Every line waiting (up to about `maxChars`), joined: one write for a fast writer's backlog. */
  nextChunk(maxChars: number): Promise<IteratorResult<string>>;
  return(): Promise<IteratorResult<string>>;
}

export function podLogStream(store: ObjectStore, clock: DemoClock, pod: KubeObject, opts: LogOptions): LogLineStream {
  const status = (pod.status ?? {}) as PodStatus;
  const cs = status.containerStatuses?.find((s) => s.name === opts.container);
  const spec = ((pod.spec as { containers?: { name: string; image: string }[] })?.containers ?? []).find((c) => c.name === opts.container);
  if (!spec) throw new Error(`container ${opts.container} is not valid for pod ${pod.metadata.name}`);
  const win = windowOf(pod, cs, opts.container, opts.previous);
  const now = clock.now();
  const timeline = new LogTimeline(contextOf(store, pod, opts.container, spec.image, now), profileFor(pod, spec.image), win.start, fleetSeed(store), win.instance);
  const running = win.end === undefined && !opts.previous;
  // A terminating pod's container stops logging (after its shutdown line) the second after the kill.
  const stopAt = running ? stopLoggingAt(pod) : undefined;
  const until = win.end ?? (stopAt === undefined ? now : Math.min(now, stopAt - 1));
  let last = timeline.lastAtOrBefore(until);
  while (last >= 0 && !timeline.exists(last)) last--;
  let first = Math.max(0, last - MAX_RETAINED_LINES + 1);
  const since = opts.sinceTime ?? (opts.sinceSeconds !== undefined ? now - opts.sinceSeconds * 1000 : undefined);
  if (since !== undefined) first = Math.max(first, timeline.firstAtOrAfter(since));
  if (opts.tailLines !== undefined) first = Math.max(first, last - opts.tailLines + 1);
  const stamp = (ms: number, nanos: number) => (opts.timestamps ? `${rfc3339Nano(ms, nanos)} ` : '');
  // A multi-line entry (a traceback) is several lines with the one timestamp, as the kubelet writes them.
  const format = (i: number, into: string[]) => {
    const head = stamp(timeline.time(i), timeline.nanos(i));
    for (const text of timeline.text(i).split('\n')) into.push(`${head}${text}\n`);
  };
  const shutdown = (written: number) => {
    const at = (stopAt as number) - 1;
    return `${stamp(at, 999_999)}${shutdownLine(timeline.profile, timeline.ctx, at, written)}\n`;
  };
  const stream = new LineStream();
  const lines: string[] = [];
  for (let i = first; i <= last; i++) format(i, lines);
  // An instance that died of an error says so last (an OOM kill leaves no last words).
  if (win.end !== undefined && win.reason === 'Error' && timeline.steady) {
    const at = win.end - 2;
    lines.push(`${stamp(at, 0)}time=${new Date(at).toISOString()} level=error msg="unrecoverable error, shutting down" err="NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)"\n`);
    lines.push(`${stamp(at + 1, 0)}time=${new Date(at + 1).toISOString()} level=info msg="exiting" code=1\n`);
  }
  if (win.end !== undefined && win.reason === 'Completed' && timeline.profile === trainingProfile) {
    const run = timeline.ctx.run ?? timeline.ctx.pod;
    lines.push(`${stamp(win.end - 2, 0)}[rank0]: INFO saving final checkpoint to /checkpoints/${run}/final\n`);
    lines.push(`${stamp(win.end - 1, 0)}[rank0]: training complete: ${Math.max(0, last + 1 - 8) * 10} steps in ${((win.end - win.start) / 3_600_000).toFixed(1)} h\n`);
  }
  const stopped = stopAt !== undefined && now >= stopAt - 1;
  if (stopped && timeline.steady && (since === undefined || stopAt - 1 >= since)) lines.push(shutdown(last + 1));
  for (const l of opts.tailLines !== undefined ? lines.slice(Math.max(0, lines.length - opts.tailLines)) : lines) stream.push(l);
  if (!opts.follow || !running || stopped) {
    stream.end();
    return stream;
  }
  let next = last + 1;
  const current = () => {
    const now = store.peekOne('pods', pod.metadata.namespace, pod.metadata.name);
    if (!now || now.metadata.uid !== pod.metadata.uid) return undefined;
    const c = ((now.status ?? {}) as PodStatus).containerStatuses?.find((s) => s.name === opts.container);
    return c?.state.running && c.containerID === win.containerId ? now : undefined;
  };
  // Fast writers (flightdeck.dev/log-rate) are woken every 20 ms for a batch, not for every line.
  const minWait = timeline.profile.intervalMs < 20 ? 20 : 1;
  const tick = () => {
    if (stream.closed) return;
    const live = current();
    if (!live) {
      stream.end();
      return;
    }
    // A follower that does not keep up: the log waits in the "file" (lines are a function of
    // time), as a kubelet reads no faster than its client; generating ahead would only queue.
    if (stream.queued > MAX_FOLLOW_BACKLOG) {
      stream.setCancel(clock.after(minWait, tick));
      return;
    }
    const t = clock.now();
    const stopping = stopLoggingAt(live);
    const limit = stopping === undefined ? t : Math.min(t, stopping - 1);
    const batch: string[] = [];
    while (timeline.exists(next) && timeline.time(next) <= limit) format(next++, batch);
    for (const line of batch) stream.push(line);
    if (stopping !== undefined && t >= stopping - 1) {
      if (timeline.steady) stream.push(`${stamp(stopping - 1, 999_999)}${shutdownLine(timeline.profile, timeline.ctx, stopping - 1, next)}\n`);
      stream.end();
      return;
    }
    // Wake at the next line, but at least every second to notice the container stopping.
    let wait = timeline.exists(next) ? Math.min(1_000, Math.max(minWait, timeline.time(next) - t)) : 1_000;
    if (stopping !== undefined) wait = Math.max(1, Math.min(wait, stopping - 1 - t));
    stream.setCancel(clock.after(wait, tick));
  };
  tick();
  return stream;
}

/**
 * When a terminating pod's containers stop logging: the second after the kill. The kill time is
 * deletionTimestamp − grace period, and the API writes deletionTimestamp in whole seconds (rounded
 * down), so this is at most a second after the kill and before the kubelet removes the pod.
 */
export function stopLoggingAt(pod: KubeObject): number | undefined {
  const deletion = pod.metadata.deletionTimestamp;
  if (!deletion) return undefined;
  const grace = (pod.metadata.deletionGracePeriodSeconds as number | undefined) ?? 30;
  return Date.parse(deletion) - grace * 1000 + 1000;
}

/** An async iterator over pushed lines whose return() stops timers at once, even mid-wait. */
class LineStream implements AsyncIterableIterator<string>, LogLineStream {
  // A queue read from `head`: Array.shift is linear on long arrays, and a fast writer's backlog is long.
  private queue: string[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<string>) => void) | undefined;
  private cancel: (() => void) | undefined;
  private ended = false;
  closed = false;

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }

  /** Lines pushed and not yet read (the follower's backlog). */
  get queued(): number {
    return this.queue.length - this.head;
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
    if (this.queued === 0) this.finish();
  }

  next(): Promise<IteratorResult<string>> {
    return this.take(1, 0);
  }

  nextChunk(maxChars: number): Promise<IteratorResult<string>> {
    return this.take(Infinity, maxChars);
  }

  /** Up to `maxLines` queued lines (and at least one), joined until `maxChars`; waits when none. */
  private take(maxLines: number, maxChars: number): Promise<IteratorResult<string>> {
    if (this.queued > 0) {
      let value = this.queue[this.head++];
      for (let n = 1; n < maxLines && this.queued > 0 && value.length < maxChars; n++) value += this.queue[this.head++];
      if (this.head >= 4_096 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended || this.closed) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<string>> {
    this.queue = [];
    this.head = 0;
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
