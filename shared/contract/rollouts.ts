// Rollouts (issue 7): every Deployment, StatefulSet and Argo Rollout of a context, their history and
// template diffs, and which actions the user may take. Actions themselves go the action road
// (`actions.prepare` / `actions.execute`); `actions.available` only asks RBAC, it never plans.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { actionTargetSchema } from './actions.js';
import { contextName, namespaceName } from './limits.js';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Rollout'] as const;
export const workloadKindSchema = z.enum(WORKLOAD_KINDS);
export type WorkloadKind = z.infer<typeof workloadKindSchema>;

export const workloadConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** The same verdict `kubectl rollout status` (or `kubectl argo rollouts status`) would print. */
export const rolloutProgressSchema = z.object({
  done: z.boolean(),
  /** Progress deadline exceeded, Degraded, or a strategy rollout status cannot follow. */
  failed: z.boolean(),
  message: z.string(),
  /** 0..1 for the progress bar; 1 exactly when done. */
  fraction: z.number(),
});
export type RolloutProgress = z.infer<typeof rolloutProgressSchema>;

export const workloadSummarySchema = z.object({
  kind: workloadKindSchema,
  namespace: z.string(),
  name: z.string(),
  revision: z.string().optional(),
  images: z.array(z.string()),
  model: z.object({ name: z.string().optional(), version: z.string().optional() }),
  changeCause: z.string().optional(),
  replicas: z.object({
    desired: z.number(),
    current: z.number(),
    updated: z.number(),
    ready: z.number(),
    available: z.number(),
  }),
  strategy: z.string(),
  paused: z.boolean(),
  conditions: z.array(workloadConditionSchema),
  progress: rolloutProgressSchema,
  /**
   * Set when the workload is failing though its phase may read Paused: the canary's error rate is
   * clearly above the stable's, an AnalysisRun failed, or it was aborted / Degraded. `since` is when
   * this console first saw it.
   */
  failure: z.object({ reason: z.string(), source: z.enum(['errorRate', 'analysis', 'abort', 'degraded', 'progress']), since: z.string().optional() }).optional(),
  /** Argo Rollouts phase and message as the plugin shows them. */
  phase: z.string().optional(),
  phaseMessage: z.string().optional(),
  canary: z
    .object({
      stepIndex: z.number().optional(),
      stepCount: z.number(),
      /** Weight the current step asks for. */
      setWeight: z.number().optional(),
      /** Weight actually served: trafficRouting weights, else available canary pods x 100 / available. */
      weight: z.number(),
      pauseReasons: z.array(z.string()),
      stableRS: z.string().optional(),
      canaryRS: z.string().optional(),
      aborted: z.boolean(),
    })
    .optional(),
  blueGreen: z
    .object({
      activeRS: z.string().optional(),
      previewRS: z.string().optional(),
      activeSelector: z.string().optional(),
      previewSelector: z.string().optional(),
      activeService: z.string().optional(),
      previewService: z.string().optional(),
      pauseReasons: z.array(z.string()),
      aborted: z.boolean(),
    })
    .optional(),
});
export type WorkloadSummary = z.infer<typeof workloadSummarySchema>;

export const revisionSchema = z.object({
  revision: z.number(),
  /** ReplicaSet (or ControllerRevision) that holds this revision's template. */
  source: z.string(),
  changeCause: z.string().optional(),
  images: z.array(z.string()),
  createdAt: z.string().optional(),
  current: z.boolean(),
  replicas: z.number(),
  /** The pod template as YAML, pod-template-hash stripped, for side-by-side diffs. */
  template: z.string(),
});
export type RevisionEntry = z.infer<typeof revisionSchema>;

export const errorRateSchema = z.object({
  /** Canary error ratio (0..1) over the last minutes, when a metrics source answers. */
  canary: z.number().nullable(),
  stable: z.number().nullable(),
  /** Set when there is no number: why ("no metrics source", "no series for …"). */
  note: z.string().optional(),
});

export const actionAvailabilitySchema = z.object({
  action: z.string(),
  allowed: z.boolean(),
  reason: z.string().optional(),
});
export type ActionAvailability = z.infer<typeof actionAvailabilitySchema>;

export const ROLLOUT_EVENT_TYPES = ['started', 'promoted', 'aborted'] as const;
/** One mark on a Metrics chart: a revision started, a Rollout promoted or aborted. */
export const rolloutEventSchema = z.object({
  type: z.enum(ROLLOUT_EVENT_TYPES),
  /** Unix seconds. */
  at: z.number(),
  kind: workloadKindSchema,
  namespace: z.string(),
  workload: z.string(),
  /** The service the workload's requests are reported under (its app.kubernetes.io/name or app label). */
  service: z.string(),
  revision: z.number().optional(),
  /** Short text on the mark: "rev 3 started", "promoted", "aborted". */
  label: z.string(),
  detail: z.string(),
});
export type RolloutEvent = z.infer<typeof rolloutEventSchema>;

const targetRequest = z.object({ context: contextName(), target: actionTargetSchema }).strict();

export const rolloutsContract = {
  'rollouts.list': defineMethod({
    request: z.object({ context: contextName(), namespace: namespaceName().optional() }).strict(),
    response: z.object({
      workloads: z.array(workloadSummarySchema),
      /** ISO time of the read; the view marks data older than a few seconds. */
      at: z.string(),
      /** Kinds that could not be read, e.g. "rollouts: Argo Rollouts is not installed". */
      problems: z.array(z.string()),
    }),
    mutates: false,
    summary: 'Every Deployment, StatefulSet and Argo Rollout with revision, replicas, strategy and rollout-status progress.',
  }),
  'rollouts.history': defineMethod({
    request: targetRequest,
    response: z.object({ revisions: z.array(revisionSchema) }),
    mutates: false,
    summary: 'Revisions of one workload (newest first) with change-cause and pod template.',
  }),
  'rollouts.diff': defineMethod({
    request: targetRequest.extend({ from: z.number().int(), to: z.number().int() }).strict(),
    response: z.object({
      from: revisionSchema,
      to: revisionSchema,
      /** Side by side rows: left (from) and right (to); null where the side has no line. */
      rows: z.array(z.object({ left: z.string().nullable(), right: z.string().nullable(), change: z.enum(['same', 'removed', 'added', 'changed']) })),
      unified: z.string(),
    }),
    mutates: false,
    summary: 'Side-by-side diff of the pod templates of two revisions.',
  }),
  'rollouts.errorRate': defineMethod({
    request: targetRequest,
    response: errorRateSchema,
    mutates: false,
    summary: "A canary's error ratio next to the stable's, from Prometheus when there is a source.",
  }),
  'rollouts.events': defineMethod({
    request: z
      .object({
        context: contextName(),
        namespace: namespaceName().optional(),
        /** Only workloads behind these services (their pods' app.kubernetes.io/name or app label). */
        services: z.array(z.string().min(1).max(253)).max(200).optional(),
        /** Unix seconds. */
        start: z.number().finite(),
        end: z.number().finite(),
      })
      .strict()
      .refine((r) => r.end > r.start, { message: 'end must be after start' }),
    response: z.object({ events: z.array(rolloutEventSchema), problems: z.array(z.string()) }),
    mutates: false,
    summary: 'Rollout annotations for charts: when each revision started, and when an Argo Rollout was promoted or aborted, inside a time range.',
  }),
  'actions.available': defineMethod({
    request: targetRequest,
    response: z.object({ actions: z.array(actionAvailabilitySchema) }),
    mutates: false,
    summary: 'Which actions exist for a target and whether RBAC allows each (SelfSubjectAccessReview), without preparing.',
  }),
} as const;

export const rolloutsStreams = {
  'rollouts.watch': defineStream({
    params: z.object({ context: contextName(), intervalMs: z.number().int().min(250).max(10_000).default(1000) }).strict(),
    event: z.object({ workloads: z.array(workloadSummarySchema), at: z.string(), problems: z.array(z.string()) }),
    summary: 'The rollouts list, re-sent when it changes (checked at most every intervalMs).',
  }),
} as const;
