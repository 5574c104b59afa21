// Revision history of one workload with change-cause, and a side-by-side diff of the pod templates
// of any two chosen revisions (left = from, right = to).
import { useEffect, useState } from 'react';
import type { RevisionEntry, WorkloadSummary } from '../../../shared/contract/rollouts';
import type { MethodResponse } from '../../../shared/contract';
import { getApi } from '../../api/client';

type Diff = MethodResponse<'rollouts.diff'>;

export function HistoryPanel({ context, workload, revisions }: { context: string; workload: WorkloadSummary; revisions?: RevisionEntry[] }) {
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const [diff, setDiff] = useState<Diff>();
  const [error, setError] = useState<string>();
  const { kind, namespace, name } = workload;

  // Until the person picks a pair, the pair follows the history: the newest revision against the
  // one before it, also after a restart or rollout adds a revision (it stayed on 1 vs 1 before).
  const [picked, setPicked] = useState(false);
  useEffect(() => {
    if (!revisions || revisions.length === 0) return;
    const known = (n: number | undefined) => n !== undefined && revisions.some((r) => r.revision === n);
    setTo((t) => (picked && known(t) ? t : revisions[0].revision));
    setFrom((f) => (picked && known(f) ? f : (revisions[1] ?? revisions[0]).revision));
  }, [revisions, picked]);
  const pickFrom = (n: number) => (setPicked(true), setFrom(n));
  const pickTo = (n: number) => (setPicked(true), setTo(n));

  useEffect(() => {
    if (from === undefined || to === undefined) return;
    let stale = false;
    getApi()
      .call('rollouts.diff', { context, target: { kind, namespace, name }, from, to })
      .then((d) => !stale && (setDiff(d), setError(undefined)))
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [context, kind, namespace, name, from, to]);

  if (!revisions) return <p className="muted">Loading history…</p>;
  if (revisions.length === 0) return <p className="muted">No revision history (no ReplicaSets or ControllerRevisions owned by this workload).</p>;
  const changed = diff?.rows.filter((r) => r.change !== 'same').length ?? 0;

  return (
    <section className="history" aria-label="History" data-testid="history">
      <h3>History</h3>
      <table className="history-table">
        <thead>
          <tr>
            <th>From</th>
            <th>To</th>
            <th>Revision</th>
            <th>Change cause</th>
            <th>Images</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.revision} className={r.current ? 'current' : undefined} data-testid={`revision-${r.revision}`}>
              <td>
                <input type="radio" name="diff-from" checked={from === r.revision} onChange={() => pickFrom(r.revision)} aria-label={`Diff from revision ${r.revision}`} />
              </td>
              <td>
                <input type="radio" name="diff-to" checked={to === r.revision} onChange={() => pickTo(r.revision)} aria-label={`Diff to revision ${r.revision}`} />
              </td>
              <td>
                {r.revision}
                {r.current && <span className="pill pill-ok">current</span>}
              </td>
              <td>{r.changeCause ?? <span className="muted">—</span>}</td>
              <td>{r.images.join(', ')}</td>
              <td className="muted">{r.createdAt ? new Date(r.createdAt).toLocaleString() : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className="health-failing">{error}</p>}
      {diff && (
        <div className="side-by-side" data-testid="template-diff" aria-label={`Pod template diff, revision ${from} to ${to}`}>
          <div className="sbs-head">
            <span>revision {from}</span>
            <span>
              revision {to} <span className="muted">({changed === 0 ? 'identical templates' : `${changed} changed lines`})</span>
            </span>
          </div>
          {diff.rows.map((row, i) => (
            <div key={i} className={`sbs-row sbs-${row.change}`}>
              <pre className="sbs-left">{row.left ?? ''}</pre>
              <pre className="sbs-right">{row.right ?? ''}</pre>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
