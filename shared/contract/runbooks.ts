// Runbooks (issue 13): a library of markdown runbooks with runnable steps, runs journaled on disk
// and resumable after a crash, reviewable offline and exportable as markdown. Methods that run
// anything are `mutates: true`, so read-only sessions can read runbooks and runs but run nothing.
// Action steps go the action road: `runbooks.prepareAction` plans through `actions.prepare`'s road,
// the user confirms in the same dialog, `runbooks.executeAction` executes it and journals the step.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { actionPlanSchema, rbacVerdictSchema } from './actions.js';
import { contextName, freeText } from './limits.js';

const runbookId = () => z.string().min(1).max(512);
const runId = () => z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'a run id');
const stepId = () => z.string().min(1).max(200);
const inputsSchema = z.record(z.string().max(100), z.string().max(4096));

export const runbookProblemSchema = z.object({ file: z.string(), line: z.number(), message: z.string() });

export const runbookSummarySchema = z.object({
  id: z.string(),
  file: z.string(),
  folder: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  alerts: z.array(z.string()),
  severity: z.string().optional(),
  owner: z.string().optional(),
  steps: z.number(),
  problems: z.number(),
});
export type RunbookSummary = z.infer<typeof runbookSummarySchema>;

export const runbookStepSchema = z.object({
  id: z.string(),
  kind: z.enum(['sh', 'kubectl', 'promql', 'action', 'manual']),
  lang: z.string(),
  section: z.string(),
  code: z.string(),
  line: z.number(),
  mutating: z.boolean(),
  expect: z.object({ op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number() }).optional(),
  expectText: z.string().optional(),
  action: z.object({ action: z.string(), target: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }), params: z.record(z.string(), z.unknown()) }).optional(),
  checked: z.boolean().optional(),
});

export const runbookDocSchema = z.object({
  id: z.string(),
  file: z.string(),
  hash: z.string(),
  title: z.string(),
  meta: z.object({ tags: z.array(z.string()).optional(), alerts: z.array(z.string()).optional(), severity: z.string().optional(), owner: z.string().optional(), description: z.string().optional() }).passthrough(),
  params: z.array(z.object({ name: z.string(), prompt: z.string().optional(), default: z.string().optional(), pattern: z.string().optional(), secret: z.boolean().optional() })),
  steps: z.array(runbookStepSchema),
  segments: z.array(
    z.union([
      z.object({ type: z.literal('markdown'), text: z.string(), line: z.number() }),
      z.object({ type: z.literal('step'), stepId: z.string() }),
      z.object({ type: z.literal('checklist'), stepIds: z.array(z.string()) }),
    ]),
  ),
  problems: z.array(runbookProblemSchema),
});
export type RunbookDoc = z.infer<typeof runbookDocSchema>;

export const stepStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'interrupted']);
export type StepStatusName = z.infer<typeof stepStatusSchema>;

export const stepStateSchema = z.object({
  stepId: z.string(),
  status: stepStatusSchema,
  attempts: z.number(),
  exitCode: z.number().optional(),
  startedAt: z.string().optional(),
  durationMs: z.number().optional(),
  /** Live while running; secrets masked. */
  output: z.string(),
  auditId: z.string().optional(),
  error: z.string().optional(),
  /** What the step runs with params filled in (secrets masked). */
  resolved: z.string(),
});
export type StepState = z.infer<typeof stepStateSchema>;

export const runStateSchema = z.object({
  runId: z.string(),
  runbookId: z.string(),
  title: z.string(),
  hash: z.string(),
  context: z.string().optional(),
  who: z.string(),
  startedAt: z.string(),
  /** active: in memory and runnable; stopped: read from its journal (resume to run again). */
  phase: z.enum(['active', 'stopped', 'finished']),
  status: z.enum(['running', 'idle', 'succeeded', 'failed', 'interrupted', 'abandoned']),
  inputs: z.record(z.string(), z.string()),
  secretParams: z.array(z.string()),
  steps: z.array(stepStateSchema),
  /** Set while run-to-end goes on; cleared when it stops (done, a failure, a step needing a person). */
  runningToEnd: z.boolean(),
  /** Why run-to-end stopped, or why the run cannot go on (runbook changed, journal problems). */
  notice: z.string().optional(),
  problems: z.array(z.string()),
  /** The runbook as it was when the run started, for offline review. */
  runbook: runbookDocSchema,
});
export type RunState = z.infer<typeof runStateSchema>;

export const runSummarySchema = z.object({
  runId: z.string(),
  runbookId: z.string(),
  title: z.string(),
  context: z.string().optional(),
  who: z.string(),
  startedAt: z.string(),
  phase: runStateSchema.shape.phase,
  status: runStateSchema.shape.status,
  done: z.number(),
  total: z.number(),
  /** First step that is not finished (pending or interrupted). */
  resumeAt: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/**
 * What running a step that changes the cluster would do, for its inline confirmation: the exact
 * command (secrets masked), the context, and the RBAC verdict of what could be read from it.
 */
export const stepReviewSchema = z.object({
  stepId: z.string(),
  kind: z.string(),
  /** Whether the step needs a confirmation (shell and kubectl steps that may change the cluster). */
  changes: z.boolean(),
  command: z.string(),
  context: z.string().optional(),
  rbac: rbacVerdictSchema,
  /** Why (part of) the step could not be RBAC-checked; empty when every change was checked. */
  unchecked: z.array(z.string()),
});
export type StepReview = z.infer<typeof stepReviewSchema>;

const runRef = z.object({ runId: runId() }).strict();
const stepRef = z.object({ runId: runId(), stepId: stepId() }).strict();

export const runbooksContract = {
  'runbooks.list': defineMethod({
    request: z.object({ query: freeText().optional() }).strict(),
    response: z.object({ runbooks: z.array(runbookSummarySchema), folders: z.array(z.string()), problems: z.array(runbookProblemSchema) }),
    mutates: false,
    summary: 'The runbook library (bundled and added folders), searchable by title, tag and alert name.',
  }),
  'runbooks.get': defineMethod({
    request: z.object({ id: runbookId() }).strict(),
    response: runbookDocSchema,
    mutates: false,
    summary: 'One runbook parsed: front matter, params, steps, prose segments and problems with lines.',
  }),
  'runbooks.image': defineMethod({
    request: z.object({ id: runbookId(), src: z.string().min(1).max(1024) }).strict(),
    response: z.object({ dataUrl: z.string() }),
    mutates: false,
    summary: "An image a runbook shows, read from the runbook's own folder (png, jpeg, gif, webp; up to 2 MB) as a data URL.",
  }),
  'runbooks.addFolder': defineMethod({
    request: z.object({ path: z.string().min(1).max(4096) }).strict(),
    response: z.object({ folders: z.array(z.string()) }),
    mutates: true,
    summary: 'Adds a folder of markdown runbooks to the library (watched for changes).',
  }),
  'runbooks.dryRun': defineMethod({
    request: z.object({ id: runbookId(), context: contextName().optional(), inputs: inputsSchema.default({}) }).strict(),
    response: z.object({ steps: z.array(z.object({ stepId: z.string(), kind: z.string(), would: z.string() })), problems: z.array(z.string()) }),
    mutates: false,
    summary: 'What each step would do with these inputs, without running anything.',
  }),
  'runbooks.start': defineMethod({
    request: z.object({ id: runbookId(), context: contextName().optional(), inputs: inputsSchema.default({}) }).strict(),
    response: runStateSchema,
    mutates: true,
    summary: 'Starts a run (journal created); steps then run one by one or to the end.',
  }),
  'runbooks.runStep': defineMethod({
    request: stepRef.extend({ confirmRerun: z.boolean().default(false), confirmChange: z.boolean().default(false) }).strict(),
    response: runStateSchema,
    mutates: true,
    summary: 'Runs (or retries) one shell, kubectl or promql step, or ticks a manual step; returns once it started. A step that may change the cluster needs confirmChange (after runbooks.reviewStep), is RBAC-checked and audited.',
  }),
  'runbooks.reviewStep': defineMethod({
    request: stepRef,
    response: stepReviewSchema,
    mutates: false,
    summary: "A step's resolved command, context and RBAC verdict (SelfSubjectAccessReview of the kubectl changes it makes), for its confirmation.",
  }),
  'runbooks.skipStep': defineMethod({ request: stepRef, response: runStateSchema, mutates: true, summary: 'Skips a step.' }),
  'runbooks.stopStep': defineMethod({ request: stepRef, response: runStateSchema, mutates: true, summary: 'Stops the running shell or kubectl step (SIGTERM to its processes, SIGKILL after 5 s); it ends failed.' }),
  'runbooks.runToEnd': defineMethod({
    request: runRef.extend({ unattended: z.boolean().default(false) }).strict(),
    response: runStateSchema,
    mutates: true,
    summary: 'Runs the remaining steps in order, stopping at the first failure or at a step that needs a person (manual, interrupted; action unless unattended, which plans and executes actions through the road without a dialog, never on a production context).',
  }),
  'runbooks.prepareAction': defineMethod({
    request: stepRef,
    response: actionPlanSchema,
    mutates: true,
    summary: "Plans an action step on the action road (the confirm dialog's plan).",
  }),
  'runbooks.executeAction': defineMethod({
    request: stepRef.extend({ token: z.string().min(1).max(200), confirmText: freeText(256).optional(), confirmRerun: z.boolean().default(false) }).strict(),
    response: runStateSchema,
    mutates: true,
    summary: 'Executes a confirmed action step once, audited, and journals it.',
  }),
  'runbooks.resume': defineMethod({
    request: runRef.extend({ inputs: inputsSchema.default({}) }).strict(),
    response: runStateSchema,
    mutates: true,
    summary: 'Reopens a stopped run at its first unfinished step; secret params are asked again.',
  }),
  'runbooks.runs': defineMethod({
    request: z.object({ runbookId: runbookId().optional() }).strict(),
    response: z.object({ runs: z.array(runSummarySchema), problems: z.array(z.string()) }),
    mutates: false,
    summary: 'Past and active runs, newest first, from their journals.',
  }),
  'runbooks.run': defineMethod({ request: runRef, response: runStateSchema, mutates: false, summary: 'One run, active or from its journal (works offline).' }),
  'runbooks.export': defineMethod({
    request: runRef,
    response: z.object({ fileName: z.string(), markdown: z.string() }),
    mutates: false,
    summary: 'A run as a markdown report (inputs, each step with output, exit code and duration; secrets masked).',
  }),
} as const;

export const runbooksStreams = {
  'runbooks.watchRun': defineStream({
    params: runRef,
    event: runStateSchema,
    summary: 'A run, re-sent as its steps start, print and finish (reattaches after a reload).',
  }),
} as const;
