// The confirm dialog of the action road: what will happen (summary, warnings, spec diff), exactly
// what will be sent (method, path, content type, body), the RBAC verdict, and — for production
// contexts — the workload's name typed to confirm. Used by rollouts, topology and runbook action
// steps; ActionConfirmDialog is it bound to the actions store's one pending action.
import { useEffect, useRef, useState } from 'react';
import type { ActionPlan } from '../../shared/contract/actions';
import { useActionsStore, type PendingAction } from '../stores/actions-store';
import { Permitted } from './Permitted';
import './confirm-dialog.css';

export interface ConfirmDialogProps {
  /** What is being planned, shown while the plan loads or when planning failed. */
  title: string;
  plan?: ActionPlan;
  busy: boolean;
  /** Planning or execution failure, written for a person. */
  error?: string;
  onConfirm(confirmText?: string): void;
  onCancel(): void;
  /** Ask for a fresh plan (after a conflict, an expiry, or a used token). */
  onPrepareAgain(): void;
}

function DiffBlock({ diff }: { diff: string }) {
  const lines = diff.split('\n').filter((l) => !/^(=+|Index:)/.test(l));
  return (
    <pre className="plan-diff" aria-label="Change preview">
      {lines.map((line, i) => (
        <div key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'diff-add' : line.startsWith('-') && !line.startsWith('---') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : undefined}>
          {line || ' '}
        </div>
      ))}
    </pre>
  );
}

export function ConfirmDialog({ title, plan, busy, error, onConfirm, onCancel, onPrepareAgain }: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const dialogRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    dialogRef.current?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const expired = plan ? Date.parse(plan.expiresAt) <= now : false;
  const needsTyping = plan?.confirmText !== undefined;
  const typedOk = !needsTyping || typed === plan?.confirmText;
  const canApply = !!plan?.token && !expired && typedOk && !busy;
  const blockReason = !plan
    ? 'Waiting for the plan'
    : !plan.rbac.allowed
      ? `Forbidden: ${plan.rbac.reason ?? 'RBAC denies this action'}`
      : !plan.token
        ? 'This plan can no longer be used: prepare it again'
        : expired
          ? 'The plan expired (2 minutes): prepare it again'
          : !typedOk
            ? `Type "${plan.confirmText}" to confirm`
            : undefined;

  return (
    <div className="dialog-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="confirm-dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog" tabIndex={-1} ref={dialogRef}>
        <h2 id="confirm-title">{title}</h2>
        {!plan && busy && <p className="muted">Planning… reading the live object and asking RBAC.</p>}
        {plan && (
          <>
            <p className="plan-summary" data-testid="plan-summary">
              {plan.summary}
            </p>
            <p className="plan-meta muted">
              Context <strong>{plan.context}</strong> · valid until {new Date(plan.expiresAt).toLocaleTimeString()} · single use
            </p>
            {plan.warnings.length > 0 && (
              <ul className="plan-warnings" aria-label="Warnings">
                {plan.warnings.map((w) => (
                  <li key={w}>⚠ {w}</li>
                ))}
              </ul>
            )}
            <section className={`plan-rbac ${plan.rbac.allowed ? 'rbac-ok' : 'rbac-denied'}`} data-testid="plan-rbac">
              {/* An allowed plan with no checks changes something outside Kubernetes (a silence): its reason says whose authentication applies. */}
              <strong>{plan.rbac.allowed ? (plan.rbac.checks.length === 0 ? '✓ No Kubernetes RBAC applies' : '✓ Allowed by RBAC') : '✕ Forbidden by RBAC'}</strong>
              {plan.rbac.reason && <span> — {plan.rbac.reason}</span>}
              <ul>
                {plan.rbac.checks.map((c, i) => (
                  <li key={i} className={c.allowed ? undefined : 'denied'}>
                    {c.allowed ? '✓' : '✕'} {c.verb} {c.group ? `${c.group}/` : ''}
                    {c.resource}
                    {c.subresource ? `/${c.subresource}` : ''} {c.namespace ? `in ${c.namespace}` : ''}
                  </li>
                ))}
              </ul>
            </section>
            {plan.diff && (
              <details open>
                <summary>What changes</summary>
                <DiffBlock diff={plan.diff} />
              </details>
            )}
            <details>
              <summary>Exact requests ({plan.requests.length})</summary>
              <ol className="plan-requests" data-testid="plan-requests">
                {plan.requests.map((r, i) => (
                  <li key={i}>
                    <code>
                      {r.method} {r.path}
                    </code>
                    {r.contentType && <span className="muted"> · {r.contentType}</span>}
                    {r.body !== undefined && <pre>{JSON.stringify(r.body, null, 2)}</pre>}
                  </li>
                ))}
              </ol>
            </details>
            {needsTyping && (
              <label className="confirm-typed">
                <span>
                  <strong>{plan.context}</strong> is a production context. Type <code>{plan.confirmText}</code> to confirm:
                </span>
                <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} aria-label="Type the workload name to confirm" data-testid="confirm-typed" />
              </label>
            )}
          </>
        )}
        {error && (
          <p className="dialog-error" role="alert" data-testid="confirm-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          {(error || expired || (plan && !plan.token && plan.rbac.allowed)) && (
            <button type="button" onClick={onPrepareAgain} disabled={busy}>
              Prepare again
            </button>
          )}
          <Permitted allowed={canApply || busy ? true : blockReason === undefined} reason={blockReason}>
            <button type="button" className="primary" disabled={!canApply} onClick={() => onConfirm(needsTyping ? typed : undefined)} data-testid="confirm-apply">
              {busy && plan ? 'Applying…' : 'Apply'}
            </button>
          </Permitted>
        </div>
      </div>
    </div>
  );
}

const defaultTitle = (request: PendingAction) => `${request.action} ${request.target.kind} ${request.target.namespace ? `${request.target.namespace}/` : ''}${request.target.name}`;

/** The confirm dialog of the action the actions store is planning or confirming, if any. */
export function ActionConfirmDialog({ titleOf = defaultTitle }: { titleOf?: (request: PendingAction) => string }) {
  const dialog = useActionsStore((s) => s.dialog);
  const { execute, closeDialog, prepare } = useActionsStore.getState();
  if (!dialog) return null;
  return (
    <ConfirmDialog
      title={titleOf(dialog.request)}
      plan={dialog.plan}
      busy={dialog.busy}
      error={dialog.error}
      onConfirm={(typed) => void execute(typed)}
      onCancel={closeDialog}
      onPrepareAgain={() => void prepare(dialog.context, dialog.request)}
    />
  );
}
