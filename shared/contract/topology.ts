// Topology: the live graph (Service -> workload -> ReplicaSet -> Pod -> Node -> GPU) as compact
// elements, streamed as one snapshot then coalesced deltas; details for one object on demand;
// flat resource rows for the tables. Keys are short because 10,000 pods ride on every snapshot.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { LIMITS, contextField } from './limits.js';

export const elementKindSchema = z.enum(['svc', 'deploy', 'sts', 'ds', 'job', 'ro', 'rs', 'pod', 'node', 'gpu']);
export type ElementKind = z.infer<typeof elementKindSchema>;
export const healthSchema = z.enum(['ok', 'warning', 'failing', 'unknown']);

export const topoElementSchema = z.object({
  /** `<kind>/<namespace>/<name>`; nodes `node//<name>`; GPUs `gpu//<node>/<index>`. */
  id: z.string(),
  k: elementKindSchema,
  n: z.string(),
  ns: z.string().optional(),
  h: healthSchema,
  /** Why the health is what it is. */
  r: z.string().optional(),
  /** Owner element (pod -> ReplicaSet/StatefulSet/…, ReplicaSet -> Deployment/Rollout). */
  o: z.string().optional(),
  /** Pod or GPU -> its node element. */
  on: z.string().optional(),
  /** Service -> the workloads it selects. */
  to: z.array(z.string()).optional(),
  /** GPUs: capacity for a node, request for a pod. */
  g: z.number().optional(),
  /** GPU -> the pod holding it; pod -> the GPU indices it holds on its node. */
  by: z.string().optional(),
  gi: z.array(z.number()).optional(),
  /** Pod phase, node readiness. */
  ph: z.string().optional(),
  /** GPU pool of a node (nvidia.com/gpu.product), inherited by its pods and GPUs. */
  pool: z.string().optional(),
  /** Ready/desired for workloads, ready/total containers for pods. */
  rdy: z.string().optional(),
  /** Pod restarts. */
  rs: z.number().optional(),
});
export type TopoElement = z.infer<typeof topoElementSchema>;

export const topologyDeltaSchema = z.object({
  /** True on the first event: `upserts` is the whole graph, replace everything. */
  full: z.boolean(),
  upserts: z.array(topoElementSchema),
  removals: z.array(z.string()),
  /** Every watch cache has completed its first list. */
  synced: z.boolean(),
  /** Set when showing an offline snapshot: the ISO time it was taken (read-only). */
  offlineAsOf: z.string().optional(),
  /** Server time the batch was sent, for event-to-screen latency figures. */
  sentAt: z.number(),
  /** Server time the oldest change in this batch arrived from the cluster (latency figures). */
  firstEventAt: z.number().optional(),
});
export type TopologyDelta = z.infer<typeof topologyDeltaSchema>;

export const resourceRefSchema = z.object({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});

export const detailsSchema = z.object({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  health: healthSchema,
  reason: z.string().optional(),
  status: z.array(z.tuple([z.string(), z.string()])),
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional(), since: z.string().optional() })),
  ownerChain: z.array(resourceRefSchema),
  events: z.array(z.object({ type: z.string(), reason: z.string(), message: z.string(), count: z.number(), last: z.string().optional() })),
  containers: z.array(z.object({ name: z.string(), image: z.string(), ready: z.boolean().optional(), restarts: z.number().optional(), state: z.string().optional() })),
  gpus: z.array(z.object({ node: z.string(), index: z.number(), pod: z.string().optional() })),
  labels: z.record(z.string(), z.string()),
  yaml: z.string(),
});
export type Details = z.infer<typeof detailsSchema>;

export const resourceTableSchema = z.enum(['pods', 'nodes', 'workloads', 'services', 'events']);
export const resourceRowsSchema = z.object({
  columns: z.array(z.string()),
  /** One array of cells per object; the last cell is the element id (or '' for events). */
  rows: z.array(z.array(z.union([z.string(), z.number()]))),
  /** Set when the context is not live: the rows are the last cached ones, as of `since`. */
  stale: z.boolean().optional(),
  /** ISO time the context stopped being live (or the offline snapshot's time). */
  since: z.string().optional(),
});

export const topologyContract = {
  'topology.details': defineMethod({
    request: z.object({ context: contextField(), kind: elementKindSchema, namespace: z.string().max(LIMITS.namespace).optional(), name: z.string().max(LIMITS.name) }).strict(),
    response: detailsSchema,
    mutates: false,
    summary: 'One object in full: status, conditions, owner chain, recent events, containers, GPUs and YAML (secrets redacted).',
  }),
  'resources.list': defineMethod({
    request: z.object({ context: contextField(), table: resourceTableSchema }).strict(),
    response: resourceRowsSchema,
    mutates: false,
    summary: 'Rows for the resource tables (pods, nodes, workloads, services, events) from the watch caches.',
  }),
} as const;

export const topologyStreams = {
  'topology.delta': defineStream({
    params: z.object({ context: contextField(), coalesceMs: z.number().int().min(0).max(5_000).optional() }).strict(),
    event: topologyDeltaSchema,
    summary: 'The live topology graph of a context: a full snapshot first, then coalesced deltas (≤ 10/s).',
  }),
} as const;
