// Clusters domain: kubeconfig contexts, connection state and RBAC reviews. The only door in.
import type { MethodHandlers, StreamHandlers } from '../contract-server.js';
import type { AccessReviewer } from '../actions/action-handler.js';
import { loadKubeconfig, configForContext, type KubeconfigInput, type LoadedKubeconfig } from './kubeconfig-sources.js';
import { createAccessReviewer } from './access-reviewer.js';
import { createConnectionMonitor, type ConnectionMonitor } from './connection-monitor.js';
import type { KubeConfig } from '@kubernetes/client-node';

export { loadKubeconfig, configForContext } from './kubeconfig-sources.js';
export type { LoadedKubeconfig, KubeconfigInput } from './kubeconfig-sources.js';
export { explainConnectionError } from './connection-monitor.js';

export interface ClustersService {
  handlers: Pick<MethodHandlers, 'clusters.list'>;
  streams: Pick<StreamHandlers, 'clusters.status'>;
  reviewer: AccessReviewer;
  monitor: ConnectionMonitor;
  kubeconfig(): LoadedKubeconfig;
  configFor(context: string): KubeConfig;
  stop(): void;
}

export function createClustersService(input: KubeconfigInput, options: { probeIntervalMs?: number } = {}): ClustersService {
  const loaded = loadKubeconfig(input);
  const get = () => loaded;
  const monitor = createConnectionMonitor(get, { intervalMs: options.probeIntervalMs });
  return {
    kubeconfig: get,
    configFor: (context) => configForContext(loaded, context),
    reviewer: createAccessReviewer(get),
    monitor,
    stop: () => monitor.stop(),
    handlers: {
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
      'clusters.status': (_params, emit) => {
        emit({ statuses: monitor.statuses() });
        return monitor.onChange((statuses) => emit({ statuses }));
      },
    },
  };
}
