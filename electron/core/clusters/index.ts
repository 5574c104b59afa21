// Clusters domain: kubeconfig contexts, connection state and RBAC reviews. The only door in.
import type { Domain } from '../domain.js';
import type { MethodHandlers, StreamHandlers } from '../contract-server.js';
import type { AccessReviewer } from '../actions/index.js';
import { loadKubeconfig, configForContext, connectionIdentity, contextSecurity, type KubeconfigInput, type LoadedKubeconfig } from './kubeconfig-sources.js';
import { watchKubeconfigFiles } from './kubeconfig-watch.js';
import { createAccessReviewer } from './access-reviewer.js';
import { createConnectionMonitor, type ConnectionMonitor } from './connection-monitor.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import type { ResourceCaches } from '../../../shared/model/kube.js';
import { ContextCaches, type HeartbeatOptions } from './context-caches.js';
import { createTopologyService, type TopologyService } from './topology/index.js';
import type { BackoffOptions } from './watch-cache.js';
import type { ClusterStatus } from '../../../shared/contract/clusters.js';

export { loadKubeconfig, configForContext } from './kubeconfig-sources.js';
export type { LoadedKubeconfig, KubeconfigInput } from './kubeconfig-sources.js';
export { explainConnectionError } from './connection-monitor.js';
export type { ResourceCaches, WatchedKind, KubeObject, CacheEvent } from '../../../shared/model/kube.js';
export { ContextCaches, DEFAULT_HEARTBEAT, DEFAULT_IDLE_STOP_MS } from './context-caches.js';

export interface ClustersService {
  handlers: Pick<MethodHandlers, 'clusters.list' | 'topology.details' | 'resources.list'>;
  streams: Pick<StreamHandlers, 'clusters.status' | 'topology.delta'>;
  reviewer: AccessReviewer;
  monitor: ConnectionMonitor;
  kubeconfig(): LoadedKubeconfig;
  configFor(context: string): KubeConfig;
  /**
   * The context's watch caches, started on first use (per kind). A change listener holds the
   * watches open; plain reads keep them for the idle grace period (`watchIdleStopMs`) after the last.
   */
  caches(context: string): ResourceCaches;
  /** The same caches with their connection and snapshot machinery (topology, tests). */
  contextCaches(context: string): ContextCaches;
  topology: TopologyService;
  /**
   * The context the console opens on (the renderer's choice in app-store.ts): the saved one while
   * it exists, else the kubeconfig's current context, else the first.
   */
  openingContext(saved: string | null | undefined): string | undefined;
  /**
   * Starts the topology's watch caches of `context` before a view asks (at launch, for the context
   * the console opens on), so the lists run while the page loads. The feed listens for its grace
   * period, then stops unless a view subscribed meanwhile. Not for a context whose user runs a
   * credential plugin (it may open a browser or cost money): that runs only once someone opens it.
   */
  prefetch(context: string): boolean;
  /** Reads the kubeconfig again (the file watcher calls this) and reconnects contexts it changed. */
  reload(): void;
  stop(): void;
}

export interface ClustersOptions {
  probeIntervalMs?: number;
  /** Offline snapshots go to `<dataDir>/snapshots/`. */
  dataDir?: string;
  /** Watch reconnect backoff; tests shorten it. */
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: number;
  offlineAfterMs?: number;
  snapshotEveryMs?: number;
  /** The API server heartbeat of watched contexts; tests shorten it. */
  heartbeat?: HeartbeatOptions;
  /** How long a context's watches outlive their last user (default 30 s); tests shorten it. */
  watchIdleStopMs?: number;
  /** Follow changes to the kubeconfig files (default true); debounce of the file watcher. */
  watchKubeconfig?: boolean;
  kubeconfigDebounceMs?: number;
}

/** A credential younger than this survives a 401 (answers to requests sent with its predecessor). */
const UNAUTHORIZED_MIN_AGE_MS = 2_000;

export function createClustersService(input: KubeconfigInput, options: ClustersOptions = {}): ClustersService {
  let loaded = loadKubeconfig(input);
  const get = () => loaded;
  const monitor = createConnectionMonitor(get, { intervalMs: options.probeIntervalMs });
  const perContext = new Map<string, ContextCaches>();
  /** Bumped by every applied reload; the UI reads clusters.list again when it changes. */
  let revision = 0;
  let reloadProblem: string | undefined;

  const contextCaches = (context: string): ContextCaches => {
    let caches = perContext.get(context);
    if (!caches) {
      const kc = configForContext(loaded, context);
      monitor.use(context);
      caches = new ContextCaches({
        context,
        kc,
        report: (state, reason) => monitor.report(context, state, reason),
        onUnauthorized: () => {
          const user = loaded.config.getContextObject(context)?.user;
          if (user) loaded.execCredentials.invalidate(user, UNAUTHORIZED_MIN_AGE_MS);
        },
        backoff: options.backoff,
        watchTimeoutSeconds: options.watchTimeoutSeconds,
        offlineAfterMs: options.offlineAfterMs,
        snapshotEveryMs: options.snapshotEveryMs,
        heartbeat: options.heartbeat,
        idleStopMs: options.watchIdleStopMs,
        // While the watches run they own the context's state; stopped, the monitor probes it again.
        onActiveChange: (active) => monitor.setOwned(context, active),
        snapshotDir: options.dataDir ? join(options.dataDir, 'snapshots') : undefined,
      });
      perContext.set(context, caches);
    }
    return caches;
  };

  const topology = createTopologyService(contextCaches, { idleStopMs: options.watchIdleStopMs }, (context) => loaded.config.getContextObject(context) !== null && loaded.config.getContextObject(context) !== undefined);

  const reload = () => {
    const next = loadKubeconfig(input);
    if (next.problems.length > 0) {
      // Half-written or broken: the previous kubeconfig keeps working, and the UI says why.
      reloadProblem = `The changed kubeconfig was not applied; the previous one stays in use. ${next.problems.join(' ')}`;
      monitor.touch();
      return;
    }
    next.execCredentials = loaded.execCredentials;
    const previous = loaded;
    loaded = next;
    reloadProblem = undefined;
    revision++;
    const names = new Set([...previous.config.getContexts(), ...next.config.getContexts()].map((c) => c.name));
    for (const name of names) {
      if (connectionIdentity(previous, name) === connectionIdentity(next, name)) continue;
      for (const side of [previous, next]) {
        const user = side.config.getContextObject(name)?.user;
        if (user) next.execCredentials.invalidate(user);
      }
      const caches = perContext.get(name);
      if (!next.config.getContextObject(name)) {
        caches?.stop();
        perContext.delete(name);
        monitor.forget(name);
      } else if (caches) caches.reconnect(configForContext(next, name));
      else void monitor.probeNow(name);
    }
    monitor.touch();
  };
  const stopWatching = options.watchKubeconfig === false ? () => undefined : watchKubeconfigFiles(loaded.files, reload, { debounceMs: options.kubeconfigDebounceMs });

  return {
    topology,
    kubeconfig: get,
    configFor: (context) => {
      const kc = configForContext(loaded, context);
      monitor.use(context);
      return kc;
    },
    reviewer: createAccessReviewer(get),
    monitor,
    caches: contextCaches,
    contextCaches,
    openingContext: (saved) => {
      const contexts = loaded.config.getContexts().map((c) => c.name);
      if (saved && contexts.includes(saved)) return saved;
      const current = loaded.config.getCurrentContext();
      return contexts.includes(current) ? current : contexts[0];
    },
    prefetch: (context) => {
      const ctx = loaded.config.getContextObject(context);
      const user = ctx ? loaded.config.getUser(ctx.user) : null;
      if (!ctx || user?.exec || user?.authProvider) return false;
      // Held and released at once: the feed keeps listening for its grace period.
      topology.feed(context).use()();
      return true;
    },
    reload,
    stop: () => {
      stopWatching();
      topology.stop();
      monitor.stop();
      for (const caches of perContext.values()) caches.stop();
      perContext.clear();
    },
    handlers: {
      ...topology.handlers,
      'resources.list': async (request, ctx) => {
        const rows = await topology.handlers['resources.list'](request, ctx);
        const status = monitor.statuses().find((s) => s.context === request.context);
        if (!status || status.state === 'live') return rows;
        // Cached rows of a context that is not live are stale: say since when (nothing cached, nothing stale).
        const since = status.staleSince ?? perContext.get(request.context)?.offlineSince;
        return since ? { ...rows, stale: true, since } : rows;
      },
      'clusters.list': async () => {
        const { config, demoContexts, sources, problems } = loaded;
        const contexts = config.getContexts().map((ctx) => ({
          name: ctx.name,
          cluster: ctx.cluster,
          user: ctx.user,
          namespace: ctx.namespace,
          server: config.getCluster(ctx.cluster)?.server ?? '',
          source: demoContexts.has(ctx.name) ? ('demo' as const) : ('kubeconfig' as const),
          current: ctx.name === config.getCurrentContext(),
          ...contextSecurity(loaded, ctx.name),
        }));
        const problem =
          problems.join(' ') || (contexts.length === 0 ? 'No cluster configured: no kubeconfig was found. Start with --demo to explore the demo fleet, or pass --kubeconfig FILE.' : undefined);
        return { contexts, problem, kubeconfigSources: sources, reloadProblem };
      },
    },
    streams: {
      ...topology.streams,
      'clusters.status': (_params, emit) => {
        const send = (statuses: ClusterStatus[]) => emit({ statuses, kubeconfigRevision: revision, kubeconfigProblem: reloadProblem });
        send(monitor.statuses());
        return monitor.onChange(send);
      },
    },
  };
}

/**
 * Contexts, connection state and topology. The service itself is built (and stopped) by app.ts,
 * before any domain, because every domain reads clusters.
 */
export const domain: Domain = {
  name: 'clusters',
  create: ({ clusters }) => ({ handlers: clusters.handlers, streams: clusters.streams }),
};
