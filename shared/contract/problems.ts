// The header's problem badge (issue 17): everything that is wrong right now, worst first. Each
// problem says what, where, since when, and where to act. Sources: firing alerts (at their P-level),
// failing workloads, contexts that are offline or degraded, stale data; the severities are the alert
// P-levels, so everything sorts together.
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';
import { contextField } from './limits.js';

/** P1 pages now; P2 needs someone today; P3 can wait; P4 is information. */
export const problemSeveritySchema = z.enum(['P1', 'P2', 'P3', 'P4']);
export type ProblemSeverity = z.infer<typeof problemSeveritySchema>;

export const problemSourceSchema = z.enum(['alert', 'workload', 'context', 'staleness']);

export const problemSchema = z.object({
  /** Stable across polls, so the UI keeps its place. */
  id: z.string(),
  severity: problemSeveritySchema,
  source: problemSourceSchema,
  /** What is wrong, in a person's words ("canary error rate 14.9 % vs stable 0.0 %"). */
  what: z.string(),
  /** Where: context and object ("demo-admin · Rollout inference/recommender"). */
  where: z.string(),
  context: z.string().optional(),
  /** ISO time it started (or this console first saw it). */
  since: z.string().optional(),
  /** The place to act: a view and what to open in it. */
  link: z.object({ label: z.string(), view: z.string(), context: z.string().optional(), select: z.string().optional() }),
});
export type Problem = z.infer<typeof problemSchema>;

export const problemsContract = {
  'problems.list': defineMethod({
    request: z.object({ context: contextField().optional() }).strict(),
    response: z.object({ problems: z.array(problemSchema), at: z.string() }),
    mutates: false,
    summary: 'What is wrong now, worst first: firing alerts by P-level, failing workloads of the context, offline or degraded contexts, stale data.',
  }),
} as const;
