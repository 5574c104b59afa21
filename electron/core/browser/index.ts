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

export { createResourceActionHandlers, parseEditedYaml, FIELD_MANAGER } from './resource-actions.js';
export { startLiveTable, collectionUrl } from './live-table.js';
export { createCoalescer } from './coalescer.js';
export { kindsOfDiscovery } from './discovery.js';

export interface BrowserDeps {
  configFor(context: string): KubeConfig;
  /** How long watch changes gather before one batch is sent (ms). */
  coalesceMs?: number;
}

export interface BrowserService {
  handlers: Pick<MethodHandlers, 'browser.kinds' | 'browser.details'>;
  streams: Pick<StreamHandlers, 'browser.table'>;
  actionHandlers: ActionHandler<never>[];
}

export function createBrowserService(deps: BrowserDeps): BrowserService {
  return {
    actionHandlers: createResourceActionHandlers(deps),
    handlers: {
      'browser.kinds': async ({ context }) => ({ kinds: await discoverKinds(deps.configFor(context)), at: new Date().toISOString() }),
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
