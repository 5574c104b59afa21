// Resource browser domain (issue #20): the kinds discovery reports, any collection as a live
// server-printed Table, one object's details, and the generic delete / edit-YAML action handlers
// it registers on the action road. The only door in.
import type { KubeConfig } from '@kubernetes/client-node';
import type { MethodHandlers, StreamHandlers } from '../contract-server.js';
import type { ActionHandler } from '../actions/index.js';
import type { Domain } from '../domain.js';
import { KubeError } from '../kube/index.js';
import { ContractError } from '../../../shared/contract-kit.js';
import { discoverKinds } from './discovery.js';
import { startLiveTable } from './live-table.js';
import { objectDetails } from './object-details.js';
import { createResourceActionHandlers } from './resource-actions.js';
import { createNameIndex, listNames, type NameIndex } from './name-index.js';

export { createResourceActionHandlers, parseEditedYaml, FIELD_MANAGER } from './resource-actions.js';
export { startLiveTable, collectionUrl } from './live-table.js';
export { createCoalescer } from './coalescer.js';
export { kindsOfDiscovery } from './discovery.js';
export { createNameIndex } from './name-index.js';

export interface BrowserDeps {
  configFor(context: string): KubeConfig;
  /** How long watch changes gather before one batch is sent (ms). */
  coalesceMs?: number;
}

export interface BrowserService {
  handlers: Pick<MethodHandlers, 'browser.kinds' | 'browser.details' | 'browser.search'>;
  streams: Pick<StreamHandlers, 'browser.table'>;
  actionHandlers: ActionHandler<never>[];
}

export function createBrowserService(deps: BrowserDeps): BrowserService {
  // One name index per context, for the palette's search across every kind.
  const nameIndexes = new Map<string, NameIndex>();
  const nameIndexFor = (context: string) => {
    let index = nameIndexes.get(context);
    if (!index) {
      const kc = deps.configFor(context);
      index = createNameIndex({ kinds: () => discoverKinds(kc), names: (kind, limit) => listNames(kc, kind, limit) });
      nameIndexes.set(context, index);
    }
    return index;
  };
  return {
    actionHandlers: createResourceActionHandlers(deps),
    handlers: {
      'browser.kinds': async ({ context }) => ({ kinds: await discoverKinds(deps.configFor(context)), at: new Date().toISOString() }),
      'browser.search': ({ context, query, limit }) => nameIndexFor(context).search(query, limit),
      'browser.details': ({ context, resource, name }) =>
        objectDetails(deps.configFor(context), resource, name).catch((error: unknown) => {
          if (error instanceof KubeError) throw new ContractError(error.status === 404 ? 'not_found' : 'upstream_error', `${resource.plural} ${name}: ${error.detail}`);
          throw error;
        }),
    },
    streams: {
      'browser.table': ({ context, pageSize, ...ref }, emit) => startLiveTable(deps.configFor(context), ref, emit, { pageSize, coalesceMs: deps.coalesceMs }),
    },
  };
}

/** The resource browser, wrapped in the common domain shape. */
export const domain: Domain = {
  name: 'browser',
  create: ({ clusters }) => createBrowserService({ configFor: (context) => clusters.configFor(context) }),
};
