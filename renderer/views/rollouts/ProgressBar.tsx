// The rollout progress bar: full and green exactly when `kubectl rollout status` would say done,
// red when it would fail (progress deadline, Degraded) or when the workload is failing for another
// reason (a canary's error rate, a failed analysis), its message as the label.
import type { WorkloadSummary } from '../../../shared/contract/rollouts';

export const statusTone = (w: WorkloadSummary): string => (w.progress.failed || w.failure ? 'health-failing' : w.progress.done ? 'health-ok' : w.paused || w.phase === 'Paused' ? 'health-warning' : '');

export function ProgressBar({ workload }: { workload: WorkloadSummary }) {
  const { progress } = workload;
  const pct = Math.round(progress.fraction * 100);
  const failing = progress.failed || !!workload.failure;
  const state = failing ? 'failed' : progress.done ? 'done' : 'rolling';
  const title = workload.failure ? `Failing: ${workload.failure.reason}\n${progress.message}` : progress.message;
  return (
    <span className="progress" title={title} data-state={state}>
      <span className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={progress.message}>
        <span className={`progress-fill progress-${state}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="progress-label">{workload.failure && !progress.failed ? `Failing${workload.phase ? ` (${workload.phase} ${pct}%)` : ''}` : progress.done ? (workload.phase ?? 'rolled out') : progress.failed ? (workload.phase ?? 'failed') : workload.phase ? `${workload.phase} ${pct}%` : `${pct}%`}</span>
    </span>
  );
}
