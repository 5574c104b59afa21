// The one API between the main process and the renderer (DESIGN.md §3). Each domain declares its
// methods and streams in shared/contract/<domain>.ts; adding a method is an entry there plus its
// handler. Transports carry this table generically and validate every payload with its schemas.
import type { z } from 'zod';
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

export const methods = {
  ...appContract,
  ...clustersContract,
  ...actionsContract,
  ...rolloutsContract,
  ...metricsContract,
  ...gpuContract,
  ...topologyContract,
  ...secretsContract,
  ...problemsContract,
  ...runbooksContract,
  ...alertsContract,
  ...browserContract,
} as const;

export const streams = {
  ...clustersStreams,
  ...actionsStreams,
  ...rolloutsStreams,
  ...topologyStreams,
  ...runbooksStreams,
  ...browserStreams,
} as const;

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

export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name);
export const isStreamName = (name: string): name is StreamName => Object.prototype.hasOwnProperty.call(streams, name);

export * from './contract-kit.js';
