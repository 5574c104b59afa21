// The pods one follow is about, kept current: list with the target's label (or field) selector,
// then watch from the list's resourceVersion. The API server parses the selector, so a bad one
// fails with its own message. Any end of the watch relists (with backoff when it failed) and
// reports the difference, so the session sees every pod come and go exactly as a live watch would.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../../shared/model/kube.js';
import { getJson, KubeError, streamWatch } from '../kube/index.js';

export interface PodWatchHandlers {
  upsert(pod: KubeObject): void;
  remove(pod: KubeObject): void;
  /** The first list arrived (the pods at attach time, which get tail/since). */
  synced(): void;
  /** A list or watch failed; `fatal` for answers that will not change by retrying (400, 403, 404). */
  failed(error: KubeError, fatal: boolean): void;
}

export interface PodWatchOptions {
  kc: KubeConfig;
  namespace: string;
  /** `labelSelector=…` or `fieldSelector=…`, already encoded. */
  query: string;
  /** Only list once (not following). */
  once: boolean;
  signal: AbortSignal;
  idleMs?: number;
}

interface PodList {
  metadata?: { resourceVersion?: string };
  items?: KubeObject[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export async function watchPods(options: PodWatchOptions, handlers: PodWatchHandlers): Promise<void> {
  const { kc, namespace, query, signal } = options;
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const known = new Map<string, KubeObject>();
  let synced = false;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const list = await getJson<PodList>(kc, `${base}?${query}`, { signal });
      const seen = new Set<string>();
      for (const pod of list.items ?? []) {
        const uid = pod.metadata.uid ?? pod.metadata.name;
        seen.add(uid);
        known.set(uid, pod);
        handlers.upsert(pod);
      }
      for (const [uid, pod] of known) {
        if (!seen.has(uid)) {
          known.delete(uid);
          handlers.remove(pod);
        }
      }
      if (!synced) {
        synced = true;
        handlers.synced();
      }
      if (options.once) return;
      failures = 0;
      const rv = list.metadata?.resourceVersion ?? '';
      await streamWatch(kc, `${base}?${query}&watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}&timeoutSeconds=300`, signal, (line) => {
        if (line.type === 'BOOKMARK' || line.type === 'ERROR') return;
        const pod = line.object as unknown as KubeObject;
        const uid = pod.metadata?.uid ?? pod.metadata?.name;
        if (!uid) return;
        if (line.type === 'DELETED') {
          known.delete(uid);
          handlers.remove(pod);
        } else {
          known.set(uid, pod);
          handlers.upsert(pod);
        }
      }, options.idleMs ?? 330_000);
    } catch (error) {
      if (signal.aborted) return;
      const kubeError = error instanceof KubeError ? error : new KubeError(error instanceof Error ? error.message : String(error), 0);
      const fatal = [400, 401, 403, 404, 422].includes(kubeError.status);
      handlers.failed(kubeError, fatal);
      if (fatal) return;
      failures++;
      await sleep(Math.min(10_000, 250 * 2 ** Math.min(failures, 6)), signal);
    }
  }
}
