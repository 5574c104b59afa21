// Topology domain handlers: the live graph stream, details and table rows, over a context's caches.
import type { MethodHandlers, StreamHandlers } from '../../contract-server.js';
import { ContractError } from '../../../../shared/contract-kit.js';
import type { ContextCaches } from '../context-caches.js';
import { TopologyFeed, type TopologyFeedOptions } from './topology-feed.js';
import { objectDetails } from './object-details.js';
import { resourceRows } from './resource-rows.js';

export { TopologyFeed } from './topology-feed.js';

export interface TopologyService {
  handlers: Pick<MethodHandlers, 'topology.details' | 'resources.list'>;
  streams: Pick<StreamHandlers, 'topology.delta'>;
  feed(context: string): TopologyFeed;
  stop(): void;
}

export function createTopologyService(cachesFor: (context: string) => ContextCaches, options: TopologyFeedOptions, hasContext: (context: string) => boolean): TopologyService {
  const feeds = new Map<string, TopologyFeed>();
  const feed = (context: string): TopologyFeed => {
    if (!hasContext(context)) throw new ContractError('not_found', `There is no context "${context}" in the kubeconfig. Pick one from the context switcher.`);
    let f = feeds.get(context);
    if (!f) feeds.set(context, (f = new TopologyFeed(cachesFor(context), options)));
    return f;
  };
  return {
    feed,
    stop() {
      for (const f of feeds.values()) f.stop();
      feeds.clear();
    },
    handlers: {
      'topology.details': async ({ context, kind, namespace, name }) => objectDetails(cachesFor(context), feed(context).projection, kind, namespace, name),
      'resources.list': async ({ context, table }) => resourceRows(cachesFor(context), feed(context).projection, table),
    },
    streams: {
      'topology.delta': ({ context, coalesceMs }, emit) => feed(context).subscribe(emit, coalesceMs),
    },
  };
}
