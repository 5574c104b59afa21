// Audit domain: the append-only audit log (rotation, bounded records, backward reads) and the
// audited wrappers other domains record through. The only door in.
import type { Domain } from '../domain.js';
import { watchAudit } from './audit-stream.js';
export * from './audit-log.js';
export * from './audit-rotation.js';
export * from './audit-bounds.js';
export * from './audited-calls.js';
export * from './audit-stream.js';

/** audit.list and the audit.events stream over the app's one audit log. */
export const domain: Domain = {
  name: 'audit',
  create: ({ audit }) => ({
    handlers: { 'audit.list': async (request) => audit.list(request) },
    streams: { 'audit.events': (params, emit) => watchAudit(audit, params, emit) },
  }),
};
