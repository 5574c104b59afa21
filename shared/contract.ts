// The one API between the main process and the renderer (DESIGN.md §3). Each domain declares its
// methods and streams in shared/contract/<domain>.ts; adding a method is an entry there plus its
// handler (in electron/core/<domain>/index.ts). Transports carry this table generically and
// validate every payload with its schemas.
import type { z } from 'zod';
import type { StreamDef } from './contract-kit.js';
import { appContract } from './contract/app.js';
import { clustersContract, clustersStreams } from './contract/clusters.js';
import { actionsContract, actionsStreams } from './contract/actions.js';
import { rolloutsContract, rolloutsStreams } from './contract/rollouts.js';
import { metricsContract } from './contract/metrics.js';
import { gpuContract } from './contract/gpu.js';
import { topologyContract, topologyStreams } from './contract/topology.js';
import { secretsContract } from './contract/secrets.js';
import { problemsContract } from './contract/problems.js';
import { runbooksContract, runbooksStreams } from './contract/runbooks.js';
import { alertsContract } from './contract/alerts.js';
import { browserContract, browserStreams } from './contract/browser.js';
import { incidentsContract, incidentsStreams } from './contract/incidents.js';
import { logsContract, logsStreams } from './contract/logs.js';
import { terminalContract, terminalStreams } from './contract/terminal.js';

/**
 * Every contract module, one line each: its methods and, if it has any, its streams. Adding a
 * domain is one line here (plus one in electron/core/app.ts DOMAINS and, for a view, one in
 * renderer/views/registry.ts). A name declared twice stops the load instead of silently overriding.
 */
const CONTRACTS = [
  { methods: appContract },
  { methods: clustersContract, streams: clustersStreams },
  { methods: actionsContract, streams: actionsStreams },
  { methods: rolloutsContract, streams: rolloutsStreams },
  { methods: metricsContract },
  { methods: gpuContract },
  { methods: topologyContract, streams: topologyStreams },
  { methods: secretsContract },
  { methods: problemsContract },
  { methods: runbooksContract, streams: runbooksStreams },
  { methods: alertsContract },
  { methods: browserContract, streams: browserStreams },
  { methods: incidentsContract, streams: incidentsStreams },
  { methods: logsContract, streams: logsStreams },
  { methods: terminalContract, streams: terminalStreams },
] as const;

type Contract = (typeof CONTRACTS)[number];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type MethodsOf<C> = C extends { methods: infer M } ? M : never;
type StreamsOf<C> = C extends { streams: infer S } ? S : never;

function mergeTables(tables: readonly object[], kind: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const table of tables) {
    for (const [name, def] of Object.entries(table)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) throw new Error(`The contract declares the ${kind} "${name}" twice.`);
      merged[name] = def;
    }
  }
  return merged;
}

export const methods = mergeTables(CONTRACTS.map((c) => c.methods), 'method') as UnionToIntersection<MethodsOf<Contract>>;
export const streams = mergeTables(CONTRACTS.map((c) => ('streams' in c ? c.streams : {})), 'stream') as UnionToIntersection<StreamsOf<Contract>>;

export type Methods = typeof methods;
export type Streams = typeof streams;
export type MethodName = keyof Methods;
export type StreamName = keyof Streams;
export type MethodRequest<M extends MethodName> = z.input<Methods[M]['request']>;
export type MethodParsedRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type MethodResponse<M extends MethodName> = z.output<Methods[M]['response']>;
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>;
export type StreamParsedParams<S extends StreamName> = z.output<Streams[S]['params']>;
export type StreamEvent<S extends StreamName> = z.output<Streams[S]['event']>;
type InputSchemaOf<D> = D extends StreamDef<z.ZodType, z.ZodType, infer I> ? I : never;
/** What a client may send on a duplex stream (`never` for server-to-client streams). */
export type StreamInput<S extends StreamName> = z.input<InputSchemaOf<Streams[S]>>;
export type StreamParsedInput<S extends StreamName> = z.output<InputSchemaOf<Streams[S]>>;
/** The streams a client may send inputs on. */
export type DuplexStreamName = { [S in StreamName]: [StreamInput<S>] extends [never] ? never : S }[StreamName];

export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name);
export const isStreamName = (name: string): name is StreamName => Object.prototype.hasOwnProperty.call(streams, name);

export * from './contract-kit.js';
