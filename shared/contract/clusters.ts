// Clusters: the kubeconfig contexts this console knows and how each connection is doing.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';

export const connectionStateSchema = z.enum(['connecting', 'live', 'degraded', 'offline', 'error']);

export const clusterContextSchema = z.object({
  name: z.string(),
  cluster: z.string(),
  user: z.string(),
  namespace: z.string().optional(),
  server: z.string(),
  /** Where the context came from: the embedded demo fleet or a kubeconfig file. */
  source: z.enum(['demo', 'kubeconfig']),
  current: z.boolean(),
  /** The exec credential plugin the context's user runs (kubeconfig users[].user.exec.command). */
  execCommand: z.string().optional(),
  /** The cluster entry sets insecure-skip-tls-verify: the server's identity is not checked. */
  insecureSkipTlsVerify: z.boolean().optional(),
});
export type ClusterContext = z.infer<typeof clusterContextSchema>;

export const clusterStatusSchema = z.object({
  context: z.string(),
  state: connectionStateSchema,
  /** Why the state is what it is, written for a person ("connection refused by 127.0.0.1:6443"). */
  reason: z.string().optional(),
  /** ISO time the state began: the UI shows "stale since". */
  since: z.string(),
  /** ISO time the context stopped being live (unset while live or before it was ever live). */
  staleSince: z.string().optional(),
  serverVersion: z.string().optional(),
});
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;

export const clustersListSchema = z.object({
  contexts: z.array(clusterContextSchema),
  /** Why no context is available (missing or broken kubeconfig), for the empty state. */
  problem: z.string().optional(),
  kubeconfigSources: z.array(z.string()),
  /** A changed kubeconfig that could not be used: the previous one stays in force. */
  reloadProblem: z.string().optional(),
});

export const clustersContract = {
  'clusters.list': defineMethod({
    request: z.object({}).strict(),
    response: clustersListSchema,
    mutates: false,
    summary: 'Contexts from the kubeconfig (and the demo fleet), with any problem reading them.',
  }),
} as const;

export const clustersStreams = {
  'clusters.status': defineStream({
    params: z.object({}).strict(),
    event: z.object({
      statuses: z.array(clusterStatusSchema),
      /** Bumped on every kubeconfig reload: the UI fetches clusters.list again. */
      kubeconfigRevision: z.number().int().optional(),
      /** Why the last change to the kubeconfig was not applied (names the file). */
      kubeconfigProblem: z.string().optional(),
    }),
    summary: 'Connection state of every context, sent on subscribe and on every change.',
  }),
} as const;
