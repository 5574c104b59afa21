// Logs (issue 19): pod logs through the Kubernetes API (one pod, a workload's pods or a label
// selector, followed stern-like with re-attach) and Loki (LogQL range queries, live tail, labels).
// Both kinds of stream speak one event union, so the viewer holds lines from either the same way:
// lines come in batches (tens of thousands a second), each naming its source by a small number
// that an earlier `source` (pod/container) or `lokiStream` (label set) event declared.
// Line text is redacted in the main process (bearer tokens, URL passwords, `password=` values)
// before it leaves; Loki's URL credentials never do.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { LIMITS, contextName, freeText, kubeName, namespaceName } from './limits.js';

/** Workload kinds whose pods a follow resolves through the workload's selector. */
export const logWorkloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Rollout', 'ReplicaSet'] as const;
export type LogWorkloadKind = (typeof logWorkloadKinds)[number];

export const logTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pod'), pod: kubeName() }).strict(),
  /** A label selector as kubectl takes it (`app=web,tier!=cache`). */
  z.object({ kind: z.literal('selector'), selector: freeText(1_024).min(1) }).strict(),
  z.object({ kind: z.literal('workload'), workloadKind: z.enum(logWorkloadKinds), name: kubeName() }).strict(),
]);
export type LogTarget = z.infer<typeof logTargetSchema>;

/** Longest line text sent; longer lines are cut and end with LOG_TRUNCATION_MARKER's text. */
export const LOG_LINE_MAX_CHARS = 64 * 1024;
/** Appended to a cut line: `… [line truncated by Flightdeck: 1048577 bytes]`. */
export const logTruncationMarker = (bytes: number): string => ` … [line truncated by Flightdeck: ${bytes} bytes]`;

export const logLineSchema = z.object({
  /** The source (a `source` or `lokiStream` event's src) the line came from. */
  src: z.number().int().nonnegative(),
  /** Epoch milliseconds of the line: the kubelet's timestamp, or Loki's entry time. */
  t: z.number(),
  /** The line without its timestamp prefix and newline; redacted; at most LOG_LINE_MAX_CHARS plus the marker. */
  text: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const logSourceStateSchema = z.enum([
  /** Streaming (first attach). */
  'attached',
  /** Streaming again after a drop; lines already delivered are not repeated. */
  'reattached',
  /** The container has not started (Pending, ContainerCreating): attached when it starts. */
  'waiting',
  /** Its stream ended for good: container exited, pod gone, or not following. */
  'ended',
  /** The API refused it (message says why, as the API said it); retried while following when it may pass. */
  'error',
]);
export type LogSourceState = z.infer<typeof logSourceStateSchema>;

export const logEventSchema = z.discriminatedUnion('type', [
  /** A batch of lines, in arrival order (per source in time order). */
  z.object({ type: z.literal('lines'), lines: z.array(logLineSchema) }),
  /** Pod logs: a pod/container source appeared or changed state. */
  z.object({
    type: z.literal('source'),
    src: z.number().int().nonnegative(),
    pod: z.string(),
    container: z.string(),
    state: logSourceStateSchema,
    /** E.g. the API's 400 message for a Pending or crash-looping pod, shown as is. */
    message: z.string().optional(),
  }),
  /** Loki: a label set (stream) appeared; its lines carry this src. */
  z.object({ type: z.literal('lokiStream'), src: z.number().int().nonnegative(), labels: z.record(z.string(), z.string()) }),
  /** Loki tail: entries the server dropped (its `dropped_entries`), counted. */
  z.object({ type: z.literal('dropped'), count: z.number().int().nonnegative(), message: z.string() }),
  /** Something a person should read: reconnecting, rate limited, a resolved selector, a limit hit. */
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), message: z.string() }),
  /** Nothing more will come (every source ended and not following, or the target is gone). */
  z.object({ type: z.literal('end'), reason: z.string() }),
]);
export type LogEvent = z.infer<typeof logEventSchema>;

const followTarget = {
  context: contextName(),
  namespace: namespaceName(),
  target: logTargetSchema,
};

export const logsFollowParamsSchema = z
  .object({
    ...followTarget,
    /** One container; absent = every container of each pod (init containers only when named). */
    container: kubeName().optional(),
    /** The previous (terminated) instance of each container; never followed. */
    previous: z.boolean().default(false),
    sinceSeconds: z.number().int().positive().max(30 * 86_400).optional(),
    /** RFC 3339 time; the API takes whole seconds. */
    sinceTime: z.iso.datetime({ offset: true }).optional(),
    /** Lines per container at attach (pods that appear later are read from their start). */
    tailLines: z.number().int().nonnegative().max(1_000_000).optional(),
    follow: z.boolean().default(true),
    /** At most this many containers streamed at once (kubectl's --max-log-requests). */
    maxSources: z.number().int().positive().max(500).default(100),
  })
  .strict();
export type LogsFollowParams = z.input<typeof logsFollowParamsSchema>;

export const logSourceInfoSchema = z.object({
  pod: z.string(),
  container: z.string(),
  init: z.boolean(),
  /** The pod's phase (Pending, Running, Succeeded, Failed, Unknown). */
  phase: z.string(),
  state: z.enum(['running', 'waiting', 'terminated']),
  /** Waiting or terminated reason (CrashLoopBackOff, ContainerCreating, Completed…). */
  reason: z.string().optional(),
  restarts: z.number().int().nonnegative(),
  node: z.string().optional(),
  /** Whether `previous: true` has something to show. */
  hasPrevious: z.boolean(),
});
export type LogSourceInfo = z.infer<typeof logSourceInfoSchema>;

const lokiTime = () => z.number().finite().nonnegative();

export const lokiSourceSchema = z.object({
  context: z.string(),
  configured: z.boolean(),
  /** Origin and path only: credentials in the URL never reach the renderer. */
  url: z.string().optional(),
  auth: z.enum(['none', 'bearer', 'basic']),
  detail: z.string(),
});
export type LokiSource = z.infer<typeof lokiSourceSchema>;

export const lokiQueryResultSchema = z.object({
  resultType: z.enum(['streams', 'matrix', 'vector']),
  /** Label sets of the streams; lines refer to them by index (src). */
  streams: z.array(z.object({ src: z.number().int().nonnegative(), labels: z.record(z.string(), z.string()) })),
  /** Lines of every stream merged, in the query's direction. */
  lines: z.array(logLineSchema),
  /** Metric queries (rate(), count_over_time()): one series per label set, [epoch ms, value]. */
  series: z.array(z.object({ labels: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.number()])) })),
  /** True when the line limit was reached (older or newer lines exist). */
  limited: z.boolean(),
  stats: z.object({ bytesProcessed: z.number().optional(), linesProcessed: z.number().optional(), execTimeSeconds: z.number().optional() }),
  warnings: z.array(z.string()),
});
export type LokiQueryResult = z.infer<typeof lokiQueryResultSchema>;

export const logsContract = {
  'logs.sources': defineMethod({
    request: z.object({ ...followTarget, container: kubeName().optional() }).strict(),
    response: z.object({
      sources: z.array(logSourceInfoSchema),
      /** The label selector the target resolved to (absent for one pod). */
      selector: z.string().optional(),
    }),
    mutates: false,
    summary: 'The pods and containers a log target (pod, workload, label selector) resolves to now.',
  }),
  'logs.lokiSource': defineMethod({
    request: z.object({ context: contextName() }).strict(),
    response: lokiSourceSchema,
    mutates: false,
    summary: 'Whether a Loki is set for this context (Settings → log store) and which auth kind; never the credential.',
  }),
  'logs.lokiQuery': defineMethod({
    request: z
      .object({
        context: contextName(),
        query: freeText().min(1),
        /** Epoch milliseconds. */
        start: lokiTime(),
        end: lokiTime(),
        limit: z.number().int().positive().max(50_000).default(1_000),
        direction: z.enum(['backward', 'forward']).default('backward'),
      })
      .strict()
      .refine((r) => r.end > r.start, { message: 'end must be after start' }),
    response: lokiQueryResultSchema,
    mutates: false,
    summary: 'A LogQL query over a time range (/loki/api/v1/query_range): log lines or metric series.',
  }),
  'logs.lokiLabels': defineMethod({
    request: z.object({ context: contextName(), start: lokiTime().optional(), end: lokiTime().optional() }).strict(),
    response: z.object({ labels: z.array(z.string()) }),
    mutates: false,
    summary: 'Label names Loki knows in the range (/loki/api/v1/labels).',
  }),
  'logs.lokiLabelValues': defineMethod({
    request: z
      .object({
        context: contextName(),
        name: z.string().min(1).max(LIMITS.identifier),
        /** A stream selector narrowing the values (`{namespace="inference"}`). */
        query: freeText().optional(),
        start: lokiTime().optional(),
        end: lokiTime().optional(),
      })
      .strict(),
    response: z.object({ values: z.array(z.string()) }),
    mutates: false,
    summary: 'Values of one label (/loki/api/v1/label/<name>/values).',
  }),
} as const;

export const logsStreams = {
  'logs.follow': defineStream({
    params: logsFollowParamsSchema,
    event: logEventSchema,
    summary: 'Pod logs of a pod, workload or selector, stern-like: new pods attached, gone pods closed, dropped streams re-attached without repeats.',
  }),
  'logs.lokiTail': defineStream({
    params: z
      .object({
        context: contextName(),
        query: freeText().min(1),
        /** Epoch milliseconds to start from; default one hour ago (Loki's default). */
        start: lokiTime().optional(),
        limit: z.number().int().positive().max(5_000).default(100),
        /** Seconds Loki waits for late entries (0-5). */
        delayFor: z.number().int().min(0).max(5).default(0),
      })
      .strict(),
    event: logEventSchema,
    summary: 'Loki live tail (/loki/api/v1/tail over WebSocket), reconnecting after a drop from the last entry without repeats; dropped entries counted.',
  }),
} as const;
