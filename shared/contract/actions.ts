// The action road (DESIGN.md §2): the only way anything in a cluster is changed.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { LIMITS, boundedRecord, contextName, freeText, identifier, kubeName, namespaceName } from './limits.js';

export const actionTargetSchema = z.object({
  kind: identifier(),
  namespace: namespaceName().optional(),
  name: kubeName(),
});
export type ActionTarget = z.infer<typeof actionTargetSchema>;

/** One Kubernetes request a plan will send, shown verbatim in the confirm dialog. */
export const plannedRequestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string(),
  contentType: z.string().optional(),
  body: z.unknown().optional(),
});
export type PlannedRequest = z.infer<typeof plannedRequestSchema>;

/** The attributes of one SelfSubjectAccessReview (authorization.k8s.io/v1 ResourceAttributes). */
export const accessCheckSchema = z.object({
  verb: z.string(),
  group: z.string(),
  resource: z.string(),
  subresource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
});
export type AccessCheck = z.infer<typeof accessCheckSchema>;

export const rbacVerdictSchema = z.object({
  allowed: z.boolean(),
  /** Why not, for the disabled button's tooltip ("viewer cannot patch deployments/scale in inference"). */
  reason: z.string().optional(),
  checks: z.array(accessCheckSchema.extend({ allowed: z.boolean(), reason: z.string().optional() })),
});
export type RbacVerdict = z.infer<typeof rbacVerdictSchema>;

export const actionRequestSchema = z.object({
  context: contextName(),
  target: actionTargetSchema,
  action: identifier(),
  params: boundedRecord().default({}),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

export const actionPlanSchema = z.object({
  /** Single-use; valid until expiresAt (2 minutes). Null when the plan is forbidden. */
  token: z.string().nullable(),
  expiresAt: z.string(),
  context: z.string(),
  target: actionTargetSchema,
  action: z.string(),
  params: z.record(z.string(), z.unknown()),
  summary: z.string(),
  /** Unified diff of what changes (spec before -> after), when the action has one. */
  diff: z.string().optional(),
  requests: z.array(plannedRequestSchema),
  rbac: rbacVerdictSchema,
  warnings: z.array(z.string()),
  /** Production contexts: the user must type this (the workload's name) to confirm. */
  confirmText: z.string().optional(),
});
export type ActionPlan = z.infer<typeof actionPlanSchema>;

export const actionResultSchema = z.object({
  ok: z.literal(true),
  message: z.string(),
  auditId: z.string(),
  durationMs: z.number(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

export const auditRecordSchema = z.object({
  id: z.string(),
  time: z.string(),
  phase: z.enum(['prepare', 'execute', 'refused']),
  /** `invalid`: a mutating call whose payload the contract rejected (summarized in params.payload). */
  outcome: z.enum(['planned', 'forbidden', 'succeeded', 'failed', 'refused', 'invalid']),
  session: z.enum(['console', 'readonly', 'ipc']),
  context: z.string().optional(),
  /** Kubernetes user of the context (kubeconfig user name). */
  user: z.string().optional(),
  /** Not the request's caps: records written before them, or cut with a marker, stay listable. */
  target: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }).optional(),
  action: z.string().optional(),
  method: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  requests: z.array(plannedRequestSchema).optional(),
  error: z.string().optional(),
  durationMs: z.number().optional(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** audit.list's filter; the audit.events stream takes the same. */
export const auditFilterSchema = z
  .object({
    limit: z.number().int().positive().max(10_000).default(200),
    context: contextName().optional(),
    action: identifier().optional(),
    outcome: auditRecordSchema.shape.outcome.optional(),
    text: freeText().optional(),
  })
  .strict();

export const auditPageSchema = z.object({
  records: z.array(auditRecordSchema),
  /** Matching records in the whole history (rotated files included); see totalIsEstimate. */
  total: z.number(),
  /**
   * True when the read stopped at the page's last record: total is then scaled from the part
   * read (matches per byte x the history's size). False/absent: total is exact.
   */
  totalIsEstimate: z.boolean().optional(),
});

export const actionsContract = {
  'actions.prepare': defineMethod({
    request: actionRequestSchema,
    response: actionPlanSchema,
    mutates: true,
    summary: 'Plans an action: exact requests, summary, diff, RBAC verdict and a single-use token.',
  }),
  'actions.execute': defineMethod({
    request: z.object({ token: z.string().min(1).max(LIMITS.identifier), confirmText: freeText(LIMITS.name).optional() }).strict(),
    response: actionResultSchema,
    mutates: true,
    summary: 'Runs a prepared plan once and records it in the audit log.',
  }),
  'audit.list': defineMethod({
    request: auditFilterSchema,
    response: auditPageSchema,
    mutates: false,
    summary: 'Audit records, newest first, filtered.',
  }),
} as const;

export const actionsStreams = {
  'audit.events': defineStream({
    params: auditFilterSchema.extend({ limit: z.number().int().positive().max(1_000).default(50) }),
    event: auditPageSchema,
    summary: 'The audit.list page for a filter: sent at once, then again whenever a record is written (coalesced), instead of polling.',
  }),
} as const;
