// The action road: prepare -> confirm -> execute, once. A plan carries a random single-use token
// valid for two minutes; a forbidden plan gets no token; every step is written to the audit log.
import { randomBytes } from 'node:crypto';
import { ContractError, describeIssues } from '../../../shared/contract-kit.js';
import type { ActionPlan, ActionRequest, ActionResult, ActionTarget, RbacVerdict } from '../../../shared/contract/actions.js';
import type { AuditLog } from '../audit/index.js';
import type { Session } from '../contract-server.js';
import type { AccessReviewer, ActionDraft, ActionHandler, ActionInput } from './action-handler.js';
import { cannotSentence, couldNotCheck, NO_DECLARED_ACCESS, READ_ONLY_SESSION } from '../../../shared/model/action-refusals.js';

export const TOKEN_TTL_MS = 2 * 60 * 1000;

interface PendingPlan {
  handler: ActionHandler<unknown>;
  input: ActionInput<unknown>;
  draft: ActionDraft;
  expiresAt: number;
  confirmText?: string;
  user?: string;
}

export interface ActionRoadOptions {
  audit: AuditLog;
  reviewer: AccessReviewer;
  /** Regular expression source; contexts matching it need the target's name typed to confirm. */
  productionPattern: () => string;
  now?: () => number;
}

export interface ActionRoad {
  register(handler: ActionHandler<never>): void;
  prepare(request: ActionRequest, session: Session): Promise<ActionPlan>;
  execute(token: string, confirmText: string | undefined, session: Session): Promise<ActionResult>;
  /** Every registered action for the target's kind, and whether this user may take it (with why not). */
  available(request: { context: string; target: ActionTarget }, session: Session): Promise<{ actions: ActionAvailability[] }>;
}

export interface ActionAvailability {
  action: string;
  allowed: boolean;
  reason?: string;
}

export function createActionRoad(options: ActionRoadOptions): ActionRoad {
  const { audit, reviewer } = options;
  const now = options.now ?? Date.now;
  const handlers: ActionHandler<unknown>[] = [];
  const pending = new Map<string, PendingPlan>();
  const sessionName = (s: Session) => s.kind;

  const sweep = () => {
    const t = now();
    for (const [token, plan] of pending) if (plan.expiresAt <= t) pending.delete(token);
  };

  const serves = (h: ActionHandler<unknown>, kind: string) => h.kinds.includes(kind) || h.matchesKind?.(kind) === true;
  const findHandler = (action: string, kind: string) =>
    handlers.find((h) => h.action === action && serves(h, kind));

  async function verdictFor(context: string, draft: ActionDraft, handler: ActionHandler<unknown>): Promise<RbacVerdict> {
    if (handler.outsideKubernetes && draft.access.length === 0) return { allowed: true, reason: handler.outsideKubernetes, checks: [] };
    let answers: Array<{ allowed: boolean; reason?: string }>;
    try {
      answers = await reviewer.review(context, draft.access);
    } catch (error) {
      throw new ContractError(
        'upstream_unavailable',
        `Could not check permissions in "${context}": ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`,
      );
    }
    const checks = draft.access.map((check, i) => ({ ...check, ...answers[i] }));
    const denied = checks.find((c) => !c.allowed);
    return {
      allowed: checks.length > 0 && !denied,
      reason: denied ? cannotSentence(reviewer.userOf(context), denied, denied.reason) : checks.length === 0 ? NO_DECLARED_ACCESS : undefined,
      checks,
    };
  }

  async function availability(context: string, target: ActionTarget, handler: ActionHandler<unknown>): Promise<ActionAvailability> {
    const { action } = handler;
    const checks = handler.access(target);
    if (checks.length === 0) return handler.outsideKubernetes ? { action, allowed: true } : { action, allowed: false, reason: NO_DECLARED_ACCESS };
    try {
      const answers = await reviewer.review(context, checks);
      const denied = checks.findIndex((_, i) => !answers[i]?.allowed);
      if (denied < 0) return { action, allowed: true };
      return { action, allowed: false, reason: cannotSentence(reviewer.userOf(context), checks[denied], answers[denied]?.reason) };
    } catch (error) {
      return { action, allowed: false, reason: couldNotCheck(error) };
    }
  }

  return {
    register(handler) {
      const h = handler as ActionHandler<unknown>;
      for (const kind of h.kinds) {
        if (findHandler(h.action, kind)) throw new Error(`action "${h.action}" on ${kind} is registered twice`);
      }
      handlers.push(h);
    },

    async available({ context, target }, session) {
      const serving = handlers.filter((h) => serves(h, target.kind));
      if (session.readOnly) return { actions: serving.map((h) => ({ action: h.action, allowed: false, reason: READ_ONLY_SESSION })) };
      return { actions: await Promise.all(serving.map((h) => availability(context, target, h))) };
    },

    async prepare(request, session) {
      sweep();
      const { context, target, action } = request;
      const handler = findHandler(action, target.kind);
      if (!handler) {
        throw new ContractError('invalid_request', `There is no action "${action}" for a ${target.kind}.`);
      }
      const params = handler.params.safeParse(request.params);
      if (!params.success) {
        throw new ContractError('invalid_request', `Invalid parameters for ${action}: ${describeIssues(params.error)}`);
      }
      const input: ActionInput<unknown> = { context, target, params: params.data };
      const user = reviewer.userOf(context);
      const record = { phase: 'prepare' as const, session: sessionName(session), context, user, target, action, params: params.data as Record<string, unknown> };
      let draft: ActionDraft;
      try {
        draft = await handler.plan(input);
      } catch (error) {
        // Refused by the object's state (resume of a running rollout, undo to the same revision)
        // or by an unreachable cluster: still an attempt, so it is audited.
        audit.append({ ...record, outcome: 'refused', error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      const rbac = await verdictFor(context, draft, handler);
      const expiresAt = now() + TOKEN_TTL_MS;
      const production = matches(options.productionPattern(), context);
      const confirmText = production ? target.name : undefined;
      const token = rbac.allowed ? randomBytes(24).toString('base64url') : null;
      if (token) pending.set(token, { handler, input, draft, expiresAt, confirmText, user });
      audit.append({ ...record, outcome: rbac.allowed ? 'planned' : 'forbidden', requests: draft.requests, error: rbac.allowed ? undefined : rbac.reason });
      return {
        token,
        expiresAt: new Date(expiresAt).toISOString(),
        context,
        target,
        action,
        params: params.data as Record<string, unknown>,
        summary: draft.summary,
        diff: draft.diff,
        requests: draft.requests,
        rbac,
        warnings: draft.warnings ?? [],
        confirmText,
      };
    },

    async execute(token, confirmText, session) {
      const plan = pending.get(token);
      if (!plan) {
        audit.append({ phase: 'execute', outcome: 'refused', session: sessionName(session), error: 'unknown or already used token' });
        throw new ContractError('token_used', 'This plan was already executed or never existed. Prepare the action again to get a fresh plan.');
      }
      const { handler, input, draft, user } = plan;
      const base = { session: sessionName(session), context: input.context, user, target: input.target, action: handler.action };
      if (plan.expiresAt <= now()) {
        pending.delete(token);
        audit.append({ ...base, phase: 'execute', outcome: 'refused', error: 'plan expired' });
        throw new ContractError('token_expired', 'This plan expired (plans are valid for 2 minutes). Prepare the action again.');
      }
      if (plan.confirmText !== undefined && confirmText !== plan.confirmText) {
        // Wrong confirmation keeps the token: the user can retype.
        audit.append({ ...base, phase: 'execute', outcome: 'refused', error: 'typed confirmation did not match' });
        throw new ContractError('invalid_request', `"${input.context}" is a production context: type "${plan.confirmText}" to confirm.`);
      }
      pending.delete(token);
      const started = now();
      try {
        const outcome = await handler.execute(input, draft);
        const record = audit.append({
          ...base,
          phase: 'execute',
          outcome: 'succeeded',
          params: input.params as Record<string, unknown>,
          requests: draft.requests,
          durationMs: now() - started,
        });
        return { ok: true, message: outcome.message, auditId: record.id, durationMs: record.durationMs ?? 0 };
      } catch (error) {
        audit.append({
          ...base,
          phase: 'execute',
          outcome: 'failed',
          params: input.params as Record<string, unknown>,
          requests: draft.requests,
          error: error instanceof Error ? error.message : String(error),
          durationMs: now() - started,
        });
        if (error instanceof ContractError) throw error;
        throw new ContractError('upstream_error', `${handler.action} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

function matches(pattern: string, context: string): boolean {
  if (!pattern) return false;
  try {
    return new RegExp(pattern).test(context);
  } catch {
    return false;
  }
}
