// Audit domain: the append-only audit log (rotation, bounded records, backward reads) and the
// audited wrappers other domains record through. The only door in.
export * from './audit-log.js';
export * from './audit-rotation.js';
export * from './audit-bounds.js';
export * from './audited-calls.js';
export * from './audit-stream.js';
