// The rollouts domain's action handlers on the action road. Plan: read the live object (and its
// ReplicaSets for undo), build the exact requests. Execute: re-read the object; if its spec (or, for
// Argo status patches, the status fields the plan was built from) moved since the plan, refuse with
// a conflict instead of applying a stale plan; then send the planned requests, in order, verbatim.
import { z } from 'zod';
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError } from '../../../shared/contract-kit.js';
import type { AccessCheck } from '../../../shared/contract/actions.js';
import { workloadKindSchema, type WorkloadKind } from '../../../shared/contract/rollouts.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { defineActionHandler, type ActionDraft, type ActionHandler, type ActionInput } from '../actions/index.js';
import { kubeRequest } from '../kube/index.js';
import { access, objectPath } from './plan-kit.js';
import { planPauseResume, planRestart, planScale, planUndo, type PlanInput } from './workload-plans.js';
import { planAbort, planPromote, planRetry, planRolloutPause, planRolloutRestart, planRolloutResume, planRolloutUndo, rolloutStatusKey } from './argo-plans.js';
import { toContractError, type WorkloadReader } from './workload-reader.js';

export interface ActionDeps {
  reader: WorkloadReader;
  configFor(context: string): KubeConfig;
  now?: () => Date;
}

interface Precondition {
  generation?: number;
  statusKey?: string;
}

type Builder<P> = (input: PlanInput, params: P) => ActionDraft;

/** The permissions an action may need on one workload; `on` builds a check on the workload itself. */
type Needs = (on: (verb: string, subresource?: string) => AccessCheck, kind: WorkloadKind, namespace: string) => AccessCheck[];

interface ActionSpec<P> {
  action: string;
  params: z.ZodType<P>;
  /** Per kind: how to plan it. Kinds missing here do not offer the action. */
  build: Partial<Record<WorkloadKind, Builder<P>>>;
  /** What it may need, known without reading the object (actions.available); a plan lists its exact needs. */
  needs: Needs;
  /** The plan depends on status fields (Argo status patches): refuse if they moved. */
  statusSensitive?: boolean;
  needsChildren?: boolean;
  /** Past tense for the result line, kubectl style ("scaled", "restarted"). */
  done: string;
}

const empty = z.object({}).strict();
const patchIt: Needs = (on) => [on('patch')];
const patchStatus: Needs = (on) => [on('patch', 'status')];
const noParams = <T>(f: (input: PlanInput) => T) => (input: PlanInput) => f(input);

/** Keeps each entry's parameter type while the table holds them all. */
const define = <P>(spec: ActionSpec<P>): ActionSpec<unknown> => spec as unknown as ActionSpec<unknown>;

const SPECS: ActionSpec<unknown>[] = [
  define({
    action: 'scale',
    params: z.object({ replicas: z.number().int().min(0).max(10_000) }).strict(),
    build: { Deployment: (i, p: { replicas: number }) => planScale(i, p.replicas), StatefulSet: (i, p: { replicas: number }) => planScale(i, p.replicas) },
    needs: (on) => [on('get'), on('patch', 'scale')],
    done: 'scaled',
  }),
  define({ action: 'restart', params: empty, build: { Deployment: noParams(planRestart), StatefulSet: noParams(planRestart), Rollout: noParams(planRolloutRestart) }, needs: patchIt, done: 'restarted' }),
  define({ action: 'pause', params: empty, build: { Deployment: (i: PlanInput) => planPauseResume(i, true), Rollout: noParams(planRolloutPause) }, needs: patchIt, done: 'paused' }),
  define({ action: 'resume', params: empty, build: { Deployment: (i: PlanInput) => planPauseResume(i, false), Rollout: noParams(planRolloutResume) }, needs: patchIt, done: 'resumed' }),
  define({
    action: 'undo',
    params: z.object({ toRevision: z.number().int().min(0).default(0) }).strict(),
    build: {
      Deployment: (i, p: { toRevision: number }) => planUndo(i, p.toRevision),
      StatefulSet: (i, p: { toRevision: number }) => planUndo(i, p.toRevision),
      Rollout: (i, p: { toRevision: number }) => planRolloutUndo(i, p.toRevision),
    },
    // The revisions to pick from: ControllerRevisions for a StatefulSet, ReplicaSets otherwise.
    needs: (on, kind, namespace) => [on('get'), { verb: 'list', group: 'apps', resource: kind === 'StatefulSet' ? 'controllerrevisions' : 'replicasets', namespace }, on('patch')],
    needsChildren: true,
    done: 'rolled back',
  }),
  define({
    action: 'promote',
    params: z.object({ full: z.boolean().default(false) }).strict(),
    build: { Rollout: (i, p: { full: boolean }) => planPromote(i, p.full) },
    needs: (on) => [on('patch'), on('patch', 'status')],
    statusSensitive: true,
    done: 'promoted',
  }),
  define({ action: 'abort', params: empty, build: { Rollout: noParams(planAbort) }, needs: patchStatus, statusSensitive: true, done: 'aborted' }),
  define({ action: 'retry', params: empty, build: { Rollout: noParams(planRetry) }, needs: patchStatus, statusSensitive: true, done: 'retried' }),
];

const kindOf = (target: { kind: string }): WorkloadKind => {
  const parsed = workloadKindSchema.safeParse(target.kind);
  if (!parsed.success) throw new ContractError('invalid_request', `Rollout actions apply to Deployments, StatefulSets and Rollouts, not to a ${target.kind}.`);
  return parsed.data;
};

export function createRolloutActionHandlers(deps: ActionDeps): ActionHandler<never>[] {
  const now = deps.now ?? (() => new Date());
  const preconditions = new WeakMap<ActionDraft, Precondition>();

  return SPECS.map((spec) => {
    const kinds = (Object.keys(spec.build) as WorkloadKind[]).filter((k) => spec.build[k]);
    const handler = defineActionHandler<unknown>({
      action: spec.action,
      kinds,
      params: spec.params as z.ZodType<unknown>,
      access(target) {
        const kind = kindOf(target);
        const namespace = target.namespace ?? 'default';
        return spec.needs((verb, subresource) => access(kind, namespace, target.name, verb, subresource), kind, namespace);
      },
      async plan(input: ActionInput<unknown>) {
        const kind = kindOf(input.target);
        const namespace = input.target.namespace ?? 'default';
        const live = await deps.reader.get(input.context, kind, namespace, input.target.name);
        const children = spec.needsChildren ? ((await deps.reader.list(input.context, kind === 'StatefulSet' ? 'controllerrevisions' : 'replicasets', namespace)) ?? []) : undefined;
        const built = (spec.build[kind] as Builder<unknown>)({ kind, live, now: now(), children }, input.params);
        // kubectl and the argo plugin read the object before patching; so do we, to refuse a stale plan.
        const get = { method: 'GET' as const, path: objectPath(kind, namespace, input.target.name) };
        const draft = built.requests[0]?.method === 'GET' && built.requests[0].path === get.path ? built : { ...built, requests: [get, ...built.requests] };
        preconditions.set(draft, { generation: live.metadata.generation, statusKey: spec.statusSensitive ? rolloutStatusKey(live) : undefined });
        return draft;
      },
      async execute(input: ActionInput<unknown>, draft: ActionDraft) {
        const kind = kindOf(input.target);
        const namespace = input.target.namespace ?? 'default';
        const what = `${kind} ${namespace}/${input.target.name}`;
        const kc = deps.configFor(input.context);
        const expected = preconditions.get(draft) ?? {};
        const objectUrl = objectPath(kind, namespace, input.target.name);
        const applied: string[] = [];
        for (const request of draft.requests) {
          try {
            if (request.method === 'GET' && request.path === objectUrl) {
              const live = await kubeRequest<KubeObject>(kc, request);
              if (expected.generation !== undefined && live.metadata.generation !== expected.generation) {
                throw new ContractError('conflict', `${what} changed since the plan was made (generation ${expected.generation} → ${live.metadata.generation}): someone else edited it. Nothing was changed. Prepare the action again to see a fresh plan.`);
              }
              if (expected.statusKey !== undefined && rolloutStatusKey(live) !== expected.statusKey) {
                throw new ContractError('conflict', `${what} moved on since the plan was made (step, pause or abort state changed). Nothing was changed. Prepare the action again to see a fresh plan.`);
              }
            } else {
              await kubeRequest(kc, request);
              if (request.method !== 'GET') applied.push(`${request.method} ${request.path}`);
            }
          } catch (error) {
            throw toContractError(error, what, applied);
          }
        }
        return { message: `${kind.toLowerCase()} ${namespace}/${input.target.name} ${spec.done}` };
      },
    });
    return handler as ActionHandler<never>;
  });
}
