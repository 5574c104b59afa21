// The rollout progress bar: full and green exactly when `kubectl rollout status` would say done,
// red when it would fail (progress deadline, Degraded), its message as the label.
import type { WorkloadSummary } from '../../../shared/contract/rollouts';

export const statusTone = (w: WorkloadSummary): string => (w.progress.failed ? 'health-failing' : w.progress.done ? 'health-ok' : w.paused || w.phase === 'Paused' ? 'health-warning' : '');

export function ProgressBar({ workload }: { workload: WorkloadSummary }) {
  const { progress } = workload;
  const pct = Math.round(progress.fraction * 100);
  const state = progress.failed ? 'failed' : progress.done ? 'done' : 'rolling';
  return (
    <span className="progress" title={progress.message} data-state={state}>
      <span className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={progress.message}>
        <span className={`progress-fill progress-${state}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="progress-label">{progress.done ? (workload.phase ?? 'rolled out') : progress.failed ? (workload.phase ?? 'failed') : workload.phase ? `${workload.phase} ${pct}%` : `${pct}%`}</span>
    </span>
  );
}
