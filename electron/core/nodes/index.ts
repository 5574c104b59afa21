// Nodes domain (issue #12): cordon, uncordon and drain on the action road. The only door in.
export { createNodeActionHandlers, runDrain, drainMessage, type NodeActionDeps, type DrainReport } from './node-actions.js';
export { planCordon, planDrain, skipReason } from './node-plans.js';
