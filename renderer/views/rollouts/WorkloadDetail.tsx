// One workload: status and conditions, canary / blue-green details and error rate, the action
// buttons (each RBAC-aware), the revision history with a side-by-side template diff, and its audit.
import { useEffect, useState } from 'react';
import { useAppStore } from '../../stores/app-store';
import { targetKey, targetOf, useRolloutsStore, type PendingAction } from '../../stores/rollouts-store';
import { useActionsStore } from '../../stores/actions-store';
import type { WorkloadSummary } from '../../../shared/contract/rollouts';
import { ActionButton } from '../../components/ActionButton';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { getApi } from '../../api/client';
import { HistoryPanel } from './HistoryPanel';
import { logsHrefFor } from '../../stores/logs-link';
import { AuditPanel } from './AuditPanel';
import { ProgressBar } from './ProgressBar';
import { canaryErrorRateFailure } from '../../../shared/model/canary-health';
import { READ_ONLY_SESSION } from '../../../shared/model/action-refusals';

const LABELS: Record<string, string> = {
  scale: 'Scale',
  restart: 'Restart',
  pause: 'Pause',
  resume: 'Resume',
  undo: 'Undo',
  promote: 'Promote',
  promoteFull: 'Promote full',
  abort: 'Abort',
  retry: 'Retry',
};

/** Some conditions are good when False (Paused, ReplicaFailure); Completed/Healthy False is just "not yet". */
function conditionTone(type: string, status: string): string {
  if (status === 'Unknown') return 'health-warning';
  const goodWhenFalse = type === 'Paused' || type === 'ReplicaFailure' || type === 'InvalidSpec';
  const good = goodWhenFalse ? status === 'False' : status === 'True';
  if (good) return 'health-ok';
  return type === 'Completed' || type === 'Healthy' || type === 'Paused' ? 'health-warning' : 'health-failing';
}

function ErrorRate({ context, workload }: { context: string; workload: WorkloadSummary }) {
  const { kind, namespace, name } = workload;
  const [rate, setRate] = useState<{ canary: number | null; stable: number | null; note?: string }>();
  useEffect(() => {
    let stopped = false;
    const load = () =>
      getApi()
        .call('rollouts.errorRate', { context, target: { kind, namespace, name } })
        .then((r) => !stopped && setRate(r))
        .catch((e: Error) => !stopped && setRate({ canary: null, stable: null, note: e.message }));
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [context, kind, namespace, name]);
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
  if (!rate) return null;
  const bad = canaryErrorRateFailure(rate) !== undefined;
  return (
    <p className="error-rate" data-testid="error-rate">
      Error rate: canary <strong className={bad ? 'health-failing' : undefined}>{pct(rate.canary)}</strong> · stable <strong>{pct(rate.stable)}</strong>
      {rate.note && <span className="muted"> — {rate.note}</span>}
      {rate.note?.startsWith('No metrics source') && (
        <>
          {' '}
          <a href="#/settings" data-testid="open-settings">
            Open Settings
          </a>
        </>
      )}
    </p>
  );
}

export function WorkloadDetail({ context, workload, onClose }: { context: string; workload: WorkloadSummary; onClose(): void }) {
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const { history, loadHistory } = useRolloutsStore();
  const { availability, loadAvailability, prepare, dialog, execute, closeDialog, lastResult } = useActionsStore();
  const target = targetOf(workload);
  const key = `${context}|${targetKey(target)}`;
  const verdicts = availability[key];
  const revisions = history[key];
  const [replicas, setReplicas] = useState(workload.replicas.desired);
  const [undoTo, setUndoTo] = useState(0);

  useEffect(() => {
    void loadAvailability(context, target);
    void loadHistory(context, target);
    setReplicas(workload.replicas.desired);
    setUndoTo(0);
    // A different workload was selected: load its verdicts and history once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    // The history changes when a rollout makes a new revision.
    void loadHistory(context, target);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workload.revision]);

  useEffect(() => {
    // An action on this workload succeeded (here, in Topology or from the palette): its history may have moved.
    if (lastResult?.ok && lastResult.context === context && targetKey(lastResult.target) === targetKey(target)) void loadHistory(context, target);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastResult?.at]);

  const deniedReasons = readOnly
    ? [READ_ONLY_SESSION]
    : [...new Set((verdicts?.actions ?? []).filter((a) => !a.allowed && a.reason).map((a) => `${LABELS[a.action] ?? a.action}: ${a.reason}`))];
  const offered = (action: string) => verdicts?.actions.some((a) => a.action === action) ?? false;

  // The one ActionButton every view uses: same verdicts (actions store), same dialog.
  const button = (action: string, params: Record<string, unknown> = {}, label = LABELS[action] ?? action, testId = action) => (
    <ActionButton key={testId} context={context} target={target} action={action} params={params} label={label} testId={`action-${testId}`} />
  );
  const dialogTitle = (request: PendingAction) =>
    `${LABELS[request.action === 'promote' && request.params.full ? 'promoteFull' : request.action] ?? request.action} ${request.target.kind} ${request.target.namespace}/${request.target.name}`;

  return (
    <aside className="workload-detail" aria-label={`${workload.kind} ${workload.name}`} data-testid="workload-detail">
      <header>
        <h2>
          <span className={`kind kind-${workload.kind}`}>{workload.kind}</span> {workload.namespace}/{workload.name}
        </h2>
        <a href={logsHrefFor(workload.kind, workload.namespace, workload.name)} data-testid="workload-logs">
          Logs
        </a>
        <button type="button" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      <ProgressBar workload={workload} />
      {workload.failure && (
        <p className="workload-failure" role="alert" data-testid="workload-failure">
          Failing{workload.failure.since ? ` since ${new Date(workload.failure.since).toLocaleTimeString()}` : ''}: {workload.failure.reason}
        </p>
      )}
      <p className="progress-message" data-testid="progress-message">
        {workload.progress.message}
      </p>
      <dl className="facts">
        <dt>Strategy</dt>
        <dd>{workload.strategy}</dd>
        <dt>Revision</dt>
        <dd>{workload.revision ?? '—'}</dd>
        <dt>Replicas</dt>
        <dd>
          desired {workload.replicas.desired} · updated {workload.replicas.updated} · ready {workload.replicas.ready} · available {workload.replicas.available}
        </dd>
        <dt>Images</dt>
        <dd>{workload.images.join(', ')}</dd>
        {(workload.model.name || workload.model.version) && (
          <>
            <dt>Model</dt>
            <dd>
              {workload.model.name} {workload.model.version && `version ${workload.model.version}`}
            </dd>
          </>
        )}
        {workload.changeCause && (
          <>
            <dt>Change cause</dt>
            <dd>{workload.changeCause}</dd>
          </>
        )}
        {workload.canary && (
          <>
            <dt>Canary</dt>
            <dd data-testid="canary-facts">
              step {workload.canary.stepIndex ?? 0} of {workload.canary.stepCount} · weight {workload.canary.weight}% · stable {workload.canary.stableRS ?? '—'} · canary {workload.canary.canaryRS ?? '—'}
              {workload.canary.pauseReasons.length > 0 && ` · paused: ${workload.canary.pauseReasons.join(', ')}`}
              {workload.canary.aborted && ' · aborted'}
            </dd>
          </>
        )}
        {workload.blueGreen && (
          <>
            <dt>Blue-green</dt>
            <dd data-testid="bluegreen-facts">
              active {workload.blueGreen.activeRS ?? '—'} ({workload.blueGreen.activeSelector ?? 'no selector'}) via {workload.blueGreen.activeService ?? '—'} · preview {workload.blueGreen.previewRS ?? '—'} (
              {workload.blueGreen.previewSelector ?? 'no selector'}) via {workload.blueGreen.previewService ?? '—'}
            </dd>
          </>
        )}
      </dl>
      {workload.kind === 'Rollout' && <ErrorRate context={context} workload={workload} />}
      {workload.conditions.length > 0 && (
        <ul className="conditions" aria-label="Conditions">
          {workload.conditions.map((c) => (
            <li key={c.type} className={conditionTone(c.type, c.status)} title={c.message}>
              {c.type}={c.status} {c.reason && <span className="muted">({c.reason})</span>}
            </li>
          ))}
        </ul>
      )}
      <section className="actions" aria-label="Actions" data-testid="workload-actions">
        {offered('scale') && (
          <span className="scale-control">
            <input type="number" min={0} max={10000} value={replicas} onChange={(e) => setReplicas(Number(e.target.value))} aria-label="Replicas" data-testid="scale-replicas" />
            {button('scale', { replicas })}
          </span>
        )}
        {offered('restart') && button('restart')}
        {offered('pause') && !workload.paused && button('pause')}
        {offered('resume') && workload.paused && button('resume')}
        {offered('promote') && button('promote', { full: false })}
        {offered('promote') && button('promote', { full: true }, 'Promote full', 'promote-full')}
        {offered('abort') && button('abort')}
        {offered('retry') && (workload.canary?.aborted || workload.blueGreen?.aborted) && button('retry')}
        {offered('undo') && (
          <span className="undo-control">
            <select value={undoTo} onChange={(e) => setUndoTo(Number(e.target.value))} aria-label="Undo to revision" data-testid="undo-revision">
              <option value={0}>previous revision</option>
              {(revisions ?? [])
                .filter((r) => !r.current)
                .map((r) => (
                  <option key={r.revision} value={r.revision}>
                    revision {r.revision} — {r.images.join(', ')}
                  </option>
                ))}
            </select>
            {button('undo', { toRevision: undoTo })}
          </span>
        )}
      </section>
      {deniedReasons.length > 0 && (
        <ul className="actions-denied" aria-label="Why actions are disabled" data-testid="actions-denied">
          {deniedReasons.map((r) => (
            <li key={r}>Not allowed — {r}</li>
          ))}
        </ul>
      )}
      <HistoryPanel key={key} context={context} workload={workload} revisions={revisions} />
      <AuditPanel context={context} text={workload.name} />
      {dialog && (
        <ConfirmDialog
          title={dialogTitle(dialog.request)}
          plan={dialog.plan}
          busy={dialog.busy}
          error={dialog.error}
          onConfirm={(typed) => void execute(typed)}
          onCancel={closeDialog}
          onPrepareAgain={() => void prepare(context, dialog.request)}
        />
      )}
    </aside>
  );
}
