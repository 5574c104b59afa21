// Shell and kubectl steps that may change the cluster are held to the action road's standard:
// reviewed (the exact command, secrets masked, and the RBAC verdict of its kubectl changes asked of
// the road's reviewer), refused with the road's sentence when RBAC denies, and written to the road's
// audit log when they start and when they end. Read-only steps pass through untouched.
import { ContractError } from '../../../shared/contract-kit.js';
import type { AccessCheck } from '../../../shared/contract/actions.js';
import type { StepReview } from '../../../shared/contract/runbooks.js';
import { cannotSentence, couldNotCheck } from '../../../shared/model/action-refusals.js';
import type { RunbookStep } from '../../../shared/model/runbook.js';
import { reviewStepChanges } from '../../../shared/model/runbook-kubectl.js';
import type { AccessReviewer } from '../actions/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Session } from '../contract-server.js';
import { secretRedactor } from '../secrets/index.js';
import { kubectlScript } from './step-runners.js';

/** Shell and kubectl steps flagged as (possibly) changing the cluster. */
export const changesCluster = (step: Pick<RunbookStep, 'kind' | 'mutating'>): boolean => (step.kind === 'sh' || step.kind === 'kubectl') && step.mutating;

export interface GuardedRun {
  runId: string;
  runbookId: string;
  hash: string;
  context?: string;
}

/** The step's audit trail once admitted: `end` writes the outcome and answers its record id. */
export interface ChangeAudit {
  end(exitCode: number, durationMs: number, error?: string): string;
}

export interface ChangeGuardDeps {
  audit: Pick<AuditLog, 'append'>;
  reviewer: AccessReviewer;
  defaultNamespace(context: string): string;
  who(session: Session): string;
}

const describeCheck = (c: AccessCheck) => `${c.verb} ${c.group ? c.group + '/' : ''}${c.resource}${c.subresource ? '/' + c.subresource : ''}${c.name ? ' ' + c.name : ''}${c.namespace ? ` in ${c.namespace}` : ''}`;

export function createChangeGuard(deps: ChangeGuardDeps) {
  const { audit, reviewer } = deps;

  /** `step` has its params filled in; `mask` hides the run's secret params in text. */
  async function review(run: GuardedRun, step: RunbookStep, mask: (text: string) => string): Promise<StepReview> {
    const shown = step.kind === 'kubectl' ? kubectlScript(step.code) : step.code;
    const command = secretRedactor.redactText(mask(shown));
    const base = { stepId: step.id, kind: step.lang, changes: changesCluster(step), command, context: run.context };
    if (!base.changes || (step.kind !== 'sh' && step.kind !== 'kubectl')) return { ...base, rbac: { allowed: true, checks: [] }, unchecked: [] };
    const found = reviewStepChanges(step.kind, step.code, run.context ? deps.defaultNamespace(run.context) : 'default');
    const unchecked = found.unchecked.map(mask).map((note) => secretRedactor.redactText(note));
    if (!found.checks.length) return { ...base, rbac: { allowed: true, checks: [] }, unchecked };
    if (!run.context) return { ...base, rbac: { allowed: true, checks: [] }, unchecked: [...unchecked, 'this run has no context, so its kubectl changes could not be RBAC-checked'] };
    const checks = found.checks.map((c) => ({ ...c, name: c.name === undefined ? undefined : mask(c.name) }));
    try {
      const answers = await reviewer.review(run.context, found.checks);
      const verdicts = checks.map((c, i) => ({ ...c, allowed: answers[i]?.allowed === true, reason: answers[i]?.reason }));
      const denied = verdicts.find((c) => !c.allowed);
      return { ...base, rbac: { allowed: !denied, reason: denied ? cannotSentence(reviewer.userOf(run.context), denied, denied.reason) : undefined, checks: verdicts }, unchecked };
    } catch (error) {
      return { ...base, rbac: { allowed: false, reason: `${couldNotCheck(error)}. Nothing was run.`, checks: [] }, unchecked };
    }
  }

  /**
   * Lets a reviewed step run: refuses it (audited, nothing run) when RBAC denies or could not be
   * asked, else writes the start record and returns the handle that writes the end record.
   */
  function admit(run: GuardedRun, review: StepReview, session: Session, options: { unattended: boolean }): ChangeAudit {
    const entry = {
      session: session.kind,
      context: run.context,
      user: run.context ? reviewer.userOf(run.context) : undefined,
      action: 'runbook-step',
      method: 'runbooks.runStep',
      target: { kind: 'RunbookStep', name: `${run.runbookId}#${review.stepId}` },
    };
    const params = {
      runId: run.runId,
      runbook: run.runbookId,
      runbookHash: run.hash,
      step: review.stepId,
      stepKind: review.kind,
      command: review.command,
      who: deps.who(session),
      unattended: options.unattended,
      rbac: review.rbac.checks.length ? review.rbac.checks.map((c) => `${c.allowed ? 'allowed' : 'denied'}: ${describeCheck(c)}`) : ['no kubectl change to check'],
      ...(review.unchecked.length ? { notRbacChecked: review.unchecked } : {}),
    };
    if (!review.rbac.allowed) {
      const reason = review.rbac.reason ?? 'forbidden';
      audit.append({ ...entry, phase: 'prepare', outcome: 'forbidden', params, error: reason });
      const forbidden = review.rbac.checks.some((c) => !c.allowed);
      throw new ContractError(forbidden ? 'forbidden' : 'upstream_unavailable', `Step "${review.stepId}" was not run: ${reason}.${forbidden ? ' Nothing was changed.' : ''}`);
    }
    audit.append({ ...entry, phase: 'prepare', outcome: 'planned', params });
    return {
      end(exitCode, durationMs, error) {
        const record = audit.append({ ...entry, phase: 'execute', outcome: exitCode === 0 ? 'succeeded' : 'failed', params: { ...params, exitCode }, durationMs, error: error ?? (exitCode === 0 ? undefined : `exit ${exitCode}`) });
        return record.id;
      },
    };
  }

  return { review, admit };
}
