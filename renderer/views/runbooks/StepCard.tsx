// One runbook step: what it runs (params filled in, secrets masked), its state in the run, live
// output, exit code and duration, and the buttons that make sense for it. An interrupted step asks
// before running again; an action step opens the action road's confirm dialog; a shell or kubectl
// step that may change the cluster asks inline first, showing the exact command, the context and
// the RBAC verdict (a denied step cannot be confirmed).
import { useState } from 'react';
import type { RunbookDoc, RunState, StepReview, StepState } from '../../../shared/contract/runbooks';
import { useRunbooksStore } from '../../stores/runbooks-store';
import { openTerminal } from '../../stores/terminal-store';
import { podTargetOfStep } from '../../../shared/model/terminal-target';
import { logsHref, logsLinkOfStep } from '../../stores/logs-link';

type Step = RunbookDoc['steps'][number];

const KIND_LABEL: Record<Step['kind'], string> = { sh: 'shell', kubectl: 'kubectl', promql: 'PromQL', action: 'action', manual: 'manual' };

export function StepCard({ step, state, run, dry, readOnly }: { step: Step; state?: StepState; run?: RunState; dry?: string; readOnly: boolean }) {
  const { runStep, skipStep, stopStep, planAction, reviewStep } = useRunbooksStore();
  const [confirming, setConfirming] = useState<{ review?: StepReview; error?: string }>();
  const status = state?.status ?? 'pending';
  const active = run?.phase === 'active';
  const busy = run?.status === 'running' || run?.runningToEnd;
  const canAct = active && !readOnly && !busy && status !== 'succeeded' && status !== 'running';
  const interrupted = status === 'interrupted';
  const changes = (step.kind === 'sh' || step.kind === 'kubectl') && step.mutating;
  const askFirst = async () => {
    setConfirming({});
    try {
      setConfirming({ review: await reviewStep(step.id) });
    } catch (error) {
      setConfirming({ error: error instanceof Error ? error.message : String(error) });
    }
  };
  const go = () => (step.kind === 'action' ? planAction(step.id, interrupted) : changes ? askFirst() : runStep(step.id, interrupted));
  // A step about one pod offers a shell in it, in the run's context.
  const runContext = run?.context;
  const podTarget = runContext ? podTargetOfStep(step.kind, state?.resolved ?? step.code) : undefined;
  // A step that reads logs (`kubectl logs …`) opens them in the Logs view, followed.
  const logsLink = logsLinkOfStep(step.kind, state?.resolved ?? step.code);
  const runLabel = interrupted ? 'Run again (was interrupted)' : step.kind === 'action' ? 'Plan & confirm…' : step.kind === 'manual' ? 'Mark done' : status === 'failed' ? 'Retry' : 'Run';

  if (step.kind === 'manual') {
    return (
      <div className={`rb-step rb-manual rb-step-${status}`} data-testid={`step-${step.id}`} data-status={status}>
        <label>
          <input type="checkbox" checked={status === 'succeeded'} disabled={!canAct} onChange={() => void runStep(step.id)} aria-label={step.code} /> {step.code}
        </label>
        {status === 'skipped' && <span className="pill">skipped</span>}
      </div>
    );
  }
  return (
    <section className={`rb-step rb-step-${status}`} data-testid={`step-${step.id}`} data-status={status} aria-label={`Step ${step.id}`}>
      <header className="rb-step-head">
        <span className="pill rb-kind">{KIND_LABEL[step.kind]}</span>
        <strong>{step.id}</strong>
        {step.mutating && step.kind !== 'promql' && <span className="pill pill-warning" title="This step may change the cluster">changes</span>}
        {state && (
          <span className={`pill rb-status rb-status-${status}`} data-testid="step-status">
            {status}
          </span>
        )}
        {state?.exitCode !== undefined && <span className="muted">exit {state.exitCode}</span>}
        {state?.durationMs !== undefined && <span className="muted">{state.durationMs} ms</span>}
        {state?.auditId && <span className="muted">audit {state.auditId}</span>}
        <span className="rb-step-buttons">
          {logsLink && (
            <a className="rb-step-logs" href={logsHref({ ...logsLink, context: runContext })} data-testid="step-logs">
              Logs
            </a>
          )}
          {podTarget && runContext && (
            <button disabled={readOnly} title={`A shell in pod ${podTarget.namespace ?? 'default'}/${podTarget.pod}`} onClick={() => openTerminal({ kind: 'exec', context: runContext, namespace: podTarget.namespace ?? 'default', pod: podTarget.pod, ...(podTarget.container ? { container: podTarget.container } : {}) })}>
              Shell in pod
            </button>
          )}
          {active && status === 'running' && (step.kind === 'sh' || step.kind === 'kubectl') && (
            <button className="danger" disabled={readOnly} title="SIGTERM to the step's processes, SIGKILL after 5 s; the step ends failed" onClick={() => void stopStep(step.id)}>
              Stop
            </button>
          )}
          {active && status !== 'succeeded' && (
            <>
              <button className={interrupted ? 'danger' : 'primary'} disabled={!canAct} onClick={() => void go()}>
                {runLabel}
              </button>
              <button disabled={!canAct} onClick={() => void skipStep(step.id)}>
                Skip
              </button>
            </>
          )}
        </span>
      </header>
      <pre className="rb-code">
        <code>{state?.resolved ?? (step.kind === 'action' && step.action ? `${step.action.action} ${step.action.target.kind} ${step.action.target.namespace ?? ''}/${step.action.target.name} ${JSON.stringify(step.action.params)}` : step.code)}</code>
      </pre>
      {confirming && (
        <ChangeConfirm
          {...confirming}
          onRun={() => {
            setConfirming(undefined);
            void runStep(step.id, interrupted, true);
          }}
          onCancel={() => setConfirming(undefined)}
        />
      )}
      {step.expect && (
        <p className="muted">
          Expect every sample {step.expect.op} {step.expect.value}
        </p>
      )}
      {dry && (
        <p className="rb-dry" data-testid="dry-run">
          Would: {dry}
        </p>
      )}
      {state?.error && <p className="rb-notice rb-error">{state.error}</p>}
      {state && (state.output || status === 'running') && (
        <pre className="rb-output" aria-label={`Output of ${step.id}`} data-testid="step-output">
          {state.output || '…'}
        </pre>
      )}
    </section>
  );
}

/** The inline confirmation of a step that may change the cluster. */
function ChangeConfirm({ review, error, onRun, onCancel }: { review?: StepReview; error?: string; onRun(): void; onCancel(): void }) {
  const verdict = !review
    ? undefined
    : !review.rbac.allowed
      ? review.rbac.reason
      : review.rbac.checks.length
        ? `Allowed by RBAC: ${review.rbac.checks.map((c) => `${c.verb} ${c.resource}${c.subresource ? '/' + c.subresource : ''}${c.namespace ? ` in ${c.namespace}` : ''}`).join(', ')}`
        : review.unchecked.length
          ? undefined
          : 'No kubectl change found to RBAC-check (it is still audited).';
  return (
    <div className={`rb-notice ${review && !review.rbac.allowed ? 'rb-error' : 'rb-warn'}`} role="alertdialog" aria-label="Confirm step" data-testid="confirm-step">
      {!review && !error && <p>Checking permissions…</p>}
      {error && <p>{error}</p>}
      {review && (
        <>
          <p>
            <strong>This step may change the cluster.</strong> It runs in context <strong data-testid="confirm-step-context">{review.context ?? '(none)'}</strong>:
          </p>
          <pre className="rb-code" data-testid="confirm-step-command">
            <code>{review.command}</code>
          </pre>
          {verdict && <p data-testid="confirm-step-rbac">{verdict}</p>}
          {review.unchecked.length > 0 && (
            <div data-testid="confirm-step-unchecked">
              <p>Could not be RBAC-checked (it is still audited):</p>
              <ul>
                {review.unchecked.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      <div className="rb-buttons">
        <button className="primary" data-testid="confirm-step-run" disabled={!review || !review.rbac.allowed} onClick={onRun}>
          Run it
        </button>
        <button onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
