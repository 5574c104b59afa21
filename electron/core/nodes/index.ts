// Nodes domain (issue #12): cordon, uncordon and drain on the action road. The only door in.
import type { Domain } from '../domain.js';
import { createNodeActionHandlers } from './node-actions.js';
export { createNodeActionHandlers, runDrain, drainMessage, type NodeActionDeps, type DrainReport } from './node-actions.js';
export { planCordon, planDrain, skipReason } from './node-plans.js';

/** Only action handlers: node.cordon, node.uncordon, node.drain. */
export const domain: Domain = {
  name: 'nodes',
  create: ({ clusters }) => ({ actionHandlers: createNodeActionHandlers({ configFor: (context) => clusters.configFor(context) }) }),
};
