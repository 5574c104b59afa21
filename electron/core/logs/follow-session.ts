// One `logs.follow` subscription, stern-like: the target's pods watched, one stream per container
// (pods found at attach get tail/since, pods that appear later are read from their start), gone
// pods closed, lines redacted and batched. Returns the stop function the contract server keeps.
import type { KubeConfig } from '@kubernetes/client-node';
import type { LogEvent, LogSourceState } from '../../../shared/contract/logs.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { ContractError } from '../../../shared/contract-kit.js';
import { followContainer } from './container-stream.js';
import { LineBatcher } from './line-batcher.js';
import { containerNow, containersOf, kubeContractError, resolveTarget } from './log-target.js';
import { watchPods } from './pod-watch.js';
import type { StreamParsedParams } from '../../../shared/contract.js';

export type FollowParams = StreamParsedParams<'logs.follow'>;

export interface FollowDeps {
  kc: KubeConfig;
  redact(text: string): string;
  /** Non-following reads stop after this many bytes per container. */
  limitBytes?: number;
  batchIntervalMs?: number;
}

interface Source {
  src: number;
  podUid: string;
  pod: string;
  container: string;
  state: LogSourceState;
  done: boolean;
}

const notFollowedNotice = (n: number, max: number) => `${n} more container${n === 1 ? '' : 's'} not followed: at most ${max} at once (maxSources).`;

export function startFollow(params: FollowParams, emit: (event: LogEvent) => void, deps: FollowDeps): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  const batcher = new LineBatcher({ emit, intervalMs: deps.batchIntervalMs });
  const send = (event: LogEvent) => {
    if (signal.aborted) return;
    batcher.flush();
    emit(event);
  };
  const pods = new Map<string, KubeObject>();
  const sources = new Map<string, Source>();
  const waiters = new Map<string, Set<() => void>>();
  let nextSrc = 0;
  let synced = false;
  let skipped = 0;
  let ended = false;
  const following = params.follow && !params.previous;

  const wake = (podUid: string) => {
    const set = waiters.get(podUid);
    if (!set) return;
    waiters.delete(podUid);
    for (const resolve of set) resolve();
  };
  const changed = (podUid: string) => (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.get(podUid)?.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      let set = waiters.get(podUid);
      if (!set) waiters.set(podUid, (set = new Set()));
      set.add(done);
      signal.addEventListener('abort', done, { once: true });
    });

  const maybeEnd = () => {
    if (ended || !synced || following) return;
    if ([...sources.values()].every((s) => s.done)) {
      ended = true;
      send({ type: 'end', reason: sources.size === 0 ? 'No pod matches the target.' : 'Every container’s log was read.' });
    }
  };

  const attach = (pod: KubeObject, initial: boolean) => {
    const podUid = pod.metadata.uid ?? pod.metadata.name;
    const containers = containersOf(pod, params.container);
    if (containers.length === 0 && params.container) {
      send({ type: 'notice', level: 'warning', message: `Pod ${pod.metadata.name} has no container named "${params.container}".` });
    }
    for (const c of containers) {
      const key = `${podUid}/${c.name}`;
      if (sources.has(key)) continue;
      const active = [...sources.values()].filter((s) => !s.done).length;
      if (active >= params.maxSources) {
        skipped++;
        send({ type: 'notice', level: 'warning', message: notFollowedNotice(skipped, params.maxSources) });
        continue;
      }
      const source: Source = { src: nextSrc++, podUid, pod: pod.metadata.name, container: c.name, state: 'attached', done: false };
      sources.set(key, source);
      const onState = (state: LogSourceState, message?: string) => {
        source.state = state;
        send({ type: 'source', src: source.src, pod: source.pod, container: source.container, state, ...(message ? { message: deps.redact(message) } : {}) });
      };
      void followContainer({
        kc: deps.kc,
        namespace: params.namespace,
        pod: source.pod,
        container: c.name,
        follow: following,
        previous: params.previous,
        initial: initial ? { tailLines: params.tailLines, sinceSeconds: params.sinceSeconds, sinceTime: params.sinceTime } : {},
        limitBytes: deps.limitBytes,
        signal,
        now: () => containerNow(pods.get(podUid), c.name),
        changed: changed(podUid),
        onLine: (time, text) => {
          if (signal.aborted) return;
          batcher.add({ src: source.src, t: time ? time.ms : Date.now(), text: deps.redact(text) });
        },
        onState,
      })
        .catch((error: unknown) => onState('error', error instanceof Error ? error.message : String(error)))
        .finally(() => {
          source.done = true;
          maybeEnd();
        });
    }
  };

  void (async () => {
    let query: string;
    try {
      const resolved = await resolveTarget(deps.kc, params.namespace, params.target);
      query = resolved.query;
      if (resolved.selector) send({ type: 'notice', level: 'info', message: `Following pods matching ${resolved.selector} in ${params.namespace}.` });
    } catch (error) {
      const contractError = error instanceof ContractError ? error : kubeContractError(error);
      send({ type: 'notice', level: 'error', message: contractError.message });
      ended = true;
      send({ type: 'end', reason: contractError.message });
      return;
    }
    await watchPods(
      { kc: deps.kc, namespace: params.namespace, query, once: !following, signal },
      {
        upsert(pod) {
          const uid = pod.metadata.uid ?? pod.metadata.name;
          pods.set(uid, pod);
          attach(pod, !synced);
          wake(uid);
        },
        remove(pod) {
          const uid = pod.metadata.uid ?? pod.metadata.name;
          pods.delete(uid);
          wake(uid);
        },
        synced() {
          synced = true;
          if (pods.size === 0) send({ type: 'notice', level: 'info', message: following ? 'No pod matches yet; waiting for one.' : 'No pod matches the target.' });
          maybeEnd();
        },
        failed(error, fatal) {
          send({ type: 'notice', level: fatal ? 'error' : 'warning', message: fatal ? error.detail : `Watching pods failed (${error.detail}); retrying.` });
          if (fatal && !ended) {
            ended = true;
            send({ type: 'end', reason: error.detail });
          }
        },
      },
    );
  })();

  return () => {
    abort.abort();
    batcher.stop();
  };
}
