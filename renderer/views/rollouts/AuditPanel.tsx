// The audit log (stream `audit.events`, re-sent when a record is written): every prepared, executed
// and refused action, newest first, filterable by text and outcome. Read-only: the log is append-only.
import { useEffect, useState } from 'react';
import { auditRecordSchema, type AuditRecord } from '../../../shared/contract/actions';
import { getApi } from '../../api/client';

// The contract's own list, so a new outcome (e.g. `invalid`) shows up here without a second copy.
const OUTCOMES = auditRecordSchema.shape.outcome.options;

export function AuditPanel({ context, text: initialText }: { context?: string; text?: string }) {
  const [text, setText] = useState(initialText ?? '');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number] | ''>('');
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [total, setTotal] = useState({ count: 0, estimate: false });
  const [error, setError] = useState<string>();

  useEffect(() => setText(initialText ?? ''), [initialText]);

  useEffect(() => {
    // One subscription per filter: the page comes at once and again whenever a record is written.
    return getApi().subscribe(
      'audit.events',
      { limit: 50, context, text: text || undefined, outcome: outcome || undefined },
      (page) => {
        setRecords(page.records);
        setTotal({ count: page.total, estimate: page.totalIsEstimate === true });
        setError(undefined);
      },
      (e) => setError(e.message),
    );
  }, [context, text, outcome]);

  return (
    <section className="audit" aria-label="Audit log" data-testid="audit-log">
      <h3>Audit log</h3>
      <div className="audit-filters">
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Filter text" aria-label="Filter audit records" />
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)} aria-label="Outcome">
          <option value="">any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <span className="muted">
          {records.length} of {total.estimate ? 'about ' : ''}{total.count}
        </span>
      </div>
      {error && <p className="health-failing">{error}</p>}
      <table className="audit-table">
        <tbody>
          {records.map((r) => (
            <tr key={r.id} className={`audit-${r.outcome}`} title={r.error ?? (r.requests ?? []).map((q) => `${q.method} ${q.path}`).join('\n')}>
              <td className="muted">{new Date(r.time).toLocaleTimeString()}</td>
              <td>{r.phase}</td>
              <td className={r.outcome === 'succeeded' ? 'health-ok' : r.outcome === 'planned' ? undefined : 'health-failing'}>{r.outcome}</td>
              <td>{r.action ?? r.method}</td>
              <td>{r.target ? `${r.target.kind} ${r.target.namespace ?? ''}/${r.target.name}` : ''}</td>
              <td className="muted">
                {r.user ?? r.session}
                {r.durationMs !== undefined ? ` · ${r.durationMs} ms` : ''}
              </td>
              <td className="audit-error">{r.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
