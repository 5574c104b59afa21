// What a domain plugs into the action road: for one action name and some target kinds, how to
// plan it (exact requests, summary, diff, the access it needs) and how to run the plan.
import type { z } from 'zod';
import type { AccessCheck, ActionTarget, PlannedRequest } from '../../../shared/contract/actions.js';

export interface ActionInput<P> {
  context: string;
  target: ActionTarget;
  params: P;
}

export interface ActionDraft {
  summary: string;
  diff?: string;
  requests: PlannedRequest[];
  /** Every permission the requests need; each becomes a SelfSubjectAccessReview. */
  access: AccessCheck[];
  warnings?: string[];
}

export interface ActionOutcome {
  message: string;
}

export interface ActionHandler<P = unknown> {
  action: string;
  /** Target kinds this handler serves (`Deployment`, `Rollout`, ...). */
  kinds: readonly string[];
  /** For handlers that serve kinds no list can name (the resource browser's any kind): whether this one is served. */
  matchesKind?(kind: string): boolean;
  params: z.ZodType<P>;
  /**
   * Every permission the action may need on this target, known without reading the object:
   * actions.available asks these (params absent there). A plan lists what it needs exactly.
   */
  access(target: ActionTarget, params?: P): AccessCheck[];
  /**
   * For actions that change something outside Kubernetes (an Alertmanager silence): says whose
   * authentication applies instead. Such a handler declares no access checks; the road then asks
   * no SelfSubjectAccessReview but still confirms and audits. Without it, an empty access list
   * is refused, so a handler cannot skip RBAC by forgetting to declare what it needs.
   */
  outsideKubernetes?: string;
  plan(input: ActionInput<P>): Promise<ActionDraft>;
  /** Runs the plan's requests. Throws ContractError (conflict, not_found, upstream_error) for a person to read. */
  execute(input: ActionInput<P>, draft: ActionDraft): Promise<ActionOutcome>;
}

/** Answers whether the context's user may do each check (SelfSubjectAccessReview). */
export interface AccessReviewer {
  review(context: string, checks: AccessCheck[]): Promise<Array<{ allowed: boolean; reason?: string }>>;
  /** The Kubernetes user name of the context, for the audit log. */
  userOf(context: string): string | undefined;
}

export const defineActionHandler = <P>(handler: ActionHandler<P>): ActionHandler<P> => handler;
