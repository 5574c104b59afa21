// Clusters domain: kubeconfig contexts, connection state and RBAC reviews. The only door in.
import type { MethodHandlers, StreamHandlers } from '../contract-server.js';
import type { AccessReviewer } from '../actions/action-handler.js';
import { loadKubeconfig, configForContext, type KubeconfigInput, type LoadedKubeconfig } from './kubeconfig-sources.js';
import { createAccessReviewer } from './access-reviewer.js';
import { createConnectionMonitor, type ConnectionMonitor } from './connection-monitor.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import type { ResourceCaches } from '../../../shared/model/kube.js';
import { ContextCaches } from './context-caches.js';
import { createTopologyService, type TopologyService } from './topology/index.js';
import type { BackoffOptions } from './watch-cache.js';

export { loadKubeconfig, configForContext } from './kubeconfig-sources.js';
export type { LoadedKubeconfig, KubeconfigInput } from './kubeconfig-sources.js';
export { explainConnectionError } from './connection-monitor.js';
export type { ResourceCaches, WatchedKind, KubeObject, CacheEvent } from '../../../shared/model/kube.js';
export { ContextCaches } from './context-caches.js';

export interface ClustersService {
  handlers: Pick<MethodHandlers, 'clusters.list' | 'topology.details' | 'resources.list'>;
  streams: Pick<StreamHandlers, 'clusters.status' | 'topology.delta'>;
  reviewer: AccessReviewer;
  monitor: ConnectionMonitor;
  kubeconfig(): LoadedKubeconfig;
  configFor(context: string): KubeConfig;
  /** The context's watch caches, started on first use (per kind) and kept until `stop()`. */
  caches(context: string): ResourceCaches;
  /** The same caches with their connection and snapshot machinery (topology, tests). */
  contextCaches(context: string): ContextCaches;
  topology: TopologyService;
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
}

export function createClustersService(input: KubeconfigInput, options: ClustersOptions = {}): ClustersService {
  const loaded = loadKubeconfig(input);
  const get = () => loaded;
  const monitor = createConnectionMonitor(get, { intervalMs: options.probeIntervalMs });
  const perContext = new Map<string, ContextCaches>();

  const contextCaches = (context: string): ContextCaches => {
    let caches = perContext.get(context);
    if (!caches) {
      const kc = configForContext(loaded, context);
      monitor.setOwned(context, true);
      caches = new ContextCaches({
        context,
        kc,
        report: (state, reason) => monitor.report(context, state, reason),
        backoff: options.backoff,
        watchTimeoutSeconds: options.watchTimeoutSeconds,
        offlineAfterMs: options.offlineAfterMs,
        snapshotEveryMs: options.snapshotEveryMs,
        snapshotDir: options.dataDir ? join(options.dataDir, 'snapshots') : undefined,
      });
      perContext.set(context, caches);
    }
    return caches;
  };

  const topology = createTopologyService(contextCaches, (context) => loaded.config.getContextObject(context) !== null && loaded.config.getContextObject(context) !== undefined);

  return {
    topology,
    kubeconfig: get,
    configFor: (context) => configForContext(loaded, context),
    reviewer: createAccessReviewer(get),
    monitor,
    caches: contextCaches,
    contextCaches,
    stop: () => {
      topology.stop();
      monitor.stop();
      for (const caches of perContext.values()) caches.stop();
      perContext.clear();
    },
    handlers: {
      ...topology.handlers,
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
        }));
        const problem =
          problems.join(' ') || (contexts.length === 0 ? 'No cluster configured: no kubeconfig was found. Start with --demo to explore the demo fleet, or pass --kubeconfig FILE.' : undefined);
        return { contexts, problem, kubeconfigSources: sources };
      },
    },
    streams: {
      ...topology.streams,
      'clusters.status': (_params, emit) => {
        emit({ statuses: monitor.statuses() });
        return monitor.onChange((statuses) => emit({ statuses }));
      },
    },
  };
}
