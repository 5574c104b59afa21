// One container's log, followed until it ends for good: GET …/pods/P/log with timestamps=true
// always (the time is what a re-attach starts from). When the stream drops while the container
// still runs, it re-attaches with sinceTime = the last delivered line's second and the dedupe
// drops the replayed lines; when the container restarted, the new instance is read from its start;
// while it waits to start (Pending, CrashLoopBackOff) the API's message is shown as is and the
// attach is retried when the pod changes.
import type { KubeConfig } from '@kubernetes/client-node';
import type { LogSourceState } from '../../../shared/contract/logs.js';
import { KubeError, openKubeStream, readBody } from '../kube/index.js';
import { LineSplitter } from './line-splitter.js';
import { sinceTimeOf, TimestampParser, type LogTime } from './log-time.js';
import { ReattachDedupe } from './reattach-dedupe.js';

/** What the pod watch says about this container now. */
export type ContainerNow =
  | { kind: 'gone' }
  | { kind: 'running'; instance: string }
  | { kind: 'waiting'; reason: string; instance: string }
  | { kind: 'terminated'; instance: string; restarts: boolean };

export interface ContainerStreamOptions {
  kc: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  /** For the first attach only: tail and since of the request (pods found later are read whole). */
  initial: { tailLines?: number; sinceSeconds?: number; sinceTime?: string };
  /** Non-following reads stop after this many bytes (the API's limitBytes). */
  limitBytes?: number;
  signal: AbortSignal;
  now(): ContainerNow;
  /** Resolves when the pod changes, or after `ms`. */
  changed(ms: number): Promise<void>;
  onLine(time: LogTime | undefined, text: string): void;
  onState(state: LogSourceState, message?: string): void;
  /** Socket silence that counts as a dropped stream while following. */
  idleMs?: number;
}

/** A non-200 answer: the Status message is what a person reads ("… is waiting to start: ContainerCreating"). */
function refusal(status: number, body: string): KubeError {
  let message: string | undefined;
  try {
    message = (JSON.parse(body) as { message?: string }).message;
  } catch {
    message = body.trim().slice(0, 500) || undefined;
  }
  return new KubeError(`the log request answered HTTP ${status}${message ? `: ${message}` : ''}`, status, undefined, message);
}

/** Nothing more will be written: the pod is gone, or its container stopped and will not restart. */
const finished = (now: ContainerNow) => now.kind === 'gone' || (now.kind === 'terminated' && !now.restarts);

const BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 5_000];

export function logPath(namespace: string, pod: string, params: Record<string, string | number | boolean | undefined>): string {
  const query = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${query}`;
}

/** Runs until the container's log ended for good (or the signal aborts). */
export async function followContainer(o: ContainerStreamOptions): Promise<void> {
  let dedupe = new ReattachDedupe();
  let instance: string | undefined;
  let attachedOnce = false;
  /** Reading an instance from its start (first attach or a restart), not re-attaching. */
  let fresh = true;
  /** The request's tail/since apply until a line arrived or the container restarted. */
  let useInitial = true;
  let failures = 0;
  let lastMessage: string | undefined;
  const say = (state: LogSourceState, message?: string) => {
    if (state === 'waiting' || state === 'error') {
      if (message === lastMessage) return;
      lastMessage = message;
    } else {
      lastMessage = undefined;
    }
    o.onState(state, message);
  };

  while (!o.signal.aborted) {
    const since = !fresh && dedupe.lastTime ? { sinceTime: sinceTimeOf(dedupe.lastTime) } : useInitial ? o.initial : {};
    const replay = !fresh && dedupe.lastTime !== undefined;
    const now = o.now();
    const attachInstance = now.kind === 'gone' ? instance : now.instance;
    const path = logPath(o.namespace, o.pod, {
      container: o.container,
      follow: o.follow && !o.previous,
      timestamps: true,
      previous: o.previous,
      limitBytes: o.follow ? undefined : o.limitBytes,
      ...since,
    });
    const splitter = new LineSplitter();
    const parser = new TimestampParser();
    const deliver = (line: string) => {
      const { time, text } = parser.parse(line);
      if (!dedupe.accept(time, text)) return;
      failures = 0;
      o.onLine(time, text);
    };
    let cleanEnd = false;
    try {
      const res = await openKubeStream(o.kc, { method: 'GET', path }, { signal: o.signal, timeoutMs: o.idleMs ?? (o.follow ? 600_000 : 60_000), headers: { Accept: '*/*' } });
      if (res.statusCode !== 200) throw refusal(res.statusCode ?? 0, await readBody(res));
      say(attachedOnce ? 'reattached' : 'attached');
      attachedOnce = true;
      instance = attachInstance;
      if (replay) dedupe.startReplay();
      await new Promise<void>((resolve, reject) => {
        res.on('data', (chunk: Buffer) => splitter.push(chunk, deliver));
        res.on('end', () => {
          cleanEnd = true;
          resolve();
        });
        res.on('aborted', () => reject(new KubeError('the log stream was cut off', 0)));
        res.on('error', (error) => reject(error));
        res.on('close', () => {
          if (!cleanEnd) reject(new KubeError('the log stream was closed before its end', 0));
        });
      });
    } catch (error) {
      if (o.signal.aborted) return;
      const kubeError = error instanceof KubeError ? error : undefined;
      const status = kubeError?.status ?? 0;
      if (status === 404 || o.now().kind === 'gone') {
        say('ended', status === 404 ? kubeError?.detail : undefined);
        return;
      }
      if (status >= 400) {
        // 400 is the kubelet's "waiting to start", "previous terminated container not found" or a
        // bad container name: shown as the API wrote it.
        const message = kubeError?.detail ?? String(error);
        if (!o.follow || o.previous || status === 401 || status === 403) {
          say('error', message);
          return;
        }
        say(o.now().kind === 'waiting' ? 'waiting' : 'error', message);
        await o.changed(BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)] * 4);
        continue;
      }
      // Dropped mid-stream (network, timeout): keep what was delivered, re-attach from it.
      splitter.discard();
      fresh = false;
      if (failures >= 2) say('error', `${kubeError?.detail ?? String(error)}; re-attaching`);
      await o.changed(BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]);
      continue;
    }
    if (!cleanEnd) continue;
    if (!o.follow || o.previous) {
      const last = splitter.flush();
      if (last !== undefined) deliver(last);
      say('ended');
      return;
    }
    // A following stream ended cleanly: the container stopped, or the server closed it early.
    const after = o.now();
    if (after.kind === 'running' && after.instance === instance) {
      // Still the same instance: a drop (API server timeout, kubelet restart). The partial line
      // is not delivered; the re-attach sends it whole.
      splitter.discard();
      fresh = false;
      await o.changed(BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]);
      continue;
    }
    const last = splitter.flush();
    if (last !== undefined) deliver(last);
    // Stopped: it ends for good, or waits to start again (crash-loop back-off); look again when the pod changes.
    let next = after;
    if (next.kind !== 'running') {
      if (!finished(next)) say('waiting', next.kind === 'waiting' ? `container "${o.container}" in pod "${o.pod}" is waiting to start: ${next.reason}` : `container "${o.container}" in pod "${o.pod}" has stopped`);
      while (next.kind !== 'running') {
        if (finished(next)) {
          say('ended');
          return;
        }
        await o.changed(5_000);
        if (o.signal.aborted) return;
        next = o.now();
      }
    }
    if (next.instance === instance) {
      // The same instance again (the status lagged): re-attach from the last line.
      fresh = false;
    } else {
      // Restarted: the new instance from its start.
      dedupe = new ReattachDedupe();
      fresh = true;
      useInitial = false;
      failures = 0;
    }
  }
}
