// The whole audit log (`audit.list`, newest first): every prepared, executed, refused and rejected
// change, of every context and session. Filters by user, context, action, outcome and time; the
// records on screen export as JSON lines or CSV. Context and outcome are filtered by the main
// process (it reads the whole history); user, action and time narrow the records read.
import { useEffect, useMemo, useState } from 'react';
import { auditRecordSchema, type AuditRecord } from '../../../shared/contract/actions';
import { absoluteTime, ageText } from '../../../shared/model/age';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { actionOf, targetText, toCsv, toJsonLines } from '../../../shared/model/audit-export';
import './audit.css';

const OUTCOMES = auditRecordSchema.shape.outcome.options;
/** Records read per refresh: enough for a shift's work, small enough to filter as you type. */
const READ_LIMIT = 2_000;

type Outcome = (typeof OUTCOMES)[number];

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** `datetime-local` value to epoch ms; NaN when empty. */
const localTime = (value: string) => (value ? new Date(value).getTime() : Number.NaN);

export default function AuditView() {
  const contexts = useAppStore((s) => s.contexts);
  const [context, setContext] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [user, setUser] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [total, setTotal] = useState({ count: 0, estimate: false });
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let stopped = false;
    const load = () =>
      getApi()
        .call('audit.list', { limit: READ_LIMIT, context: context || undefined, outcome: outcome || undefined })
        .then((r) => {
          if (stopped) return;
          setRecords(r.records);
          setTotal({ count: r.total, estimate: r.totalIsEstimate === true });
          setError(undefined);
          setNow(Date.now());
        })
        .catch((e: unknown) => !stopped && setError(e instanceof Error ? e.message : String(e)));
    void load();
    const timer = setInterval(() => void load(), 3_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [context, outcome]);

  const actions = useMemo(() => [...new Set(records.map(actionOf).filter(Boolean))].sort(), [records]);
  const users = useMemo(() => [...new Set(records.map((r) => r.user ?? '').filter(Boolean))].sort(), [records]);

  const shown = useMemo(() => {
    const who = user.trim().toLowerCase();
    const start = localTime(from);
    const end = localTime(to);
    return records.filter((r) => {
      if (who && !(r.user ?? '').toLowerCase().includes(who)) return false;
      if (action && actionOf(r) !== action) return false;
      const at = Date.parse(r.time);
      if (Number.isFinite(start) && at < start) return false;
      if (Number.isFinite(end) && at > end) return false;
      return true;
    });
  }, [records, user, action, from, to]);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return (
    <div className="view audit-view" data-testid="view-audit">
      <header className="view-head">
        <h1>Audit log</h1>
        <span className="muted">Every change, refused or rejected call, newest first. The log is append-only on disk.</span>
      </header>
      <form className="toolbar audit-toolbar" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          User
          <input list="audit-users" value={user} onChange={(e) => setUser(e.target.value)} placeholder="any" aria-label="User" />
          <datalist id="audit-users">
            {users.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </label>
        <label>
          Context
          <select value={context} onChange={(e) => setContext(e.target.value)} aria-label="Context">
            <option value="">any</option>
            {contexts.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={action} onChange={(e) => setAction(e.target.value)} aria-label="Action">
            <option value="">any</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome | '')} aria-label="Outcome">
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From" />
        </label>
        <label>
          To
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To" />
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => download(`flightdeck-audit-${stamp}.jsonl`, 'application/x-ndjson', toJsonLines(shown))} disabled={!shown.length}>
          Export JSON lines
        </button>
        <button type="button" onClick={() => download(`flightdeck-audit-${stamp}.csv`, 'text/csv', toCsv(shown))} disabled={!shown.length}>
          Export CSV
        </button>
      </form>
      <p className="muted" data-testid="audit-count">
        {shown.length.toLocaleString()} shown of {records.length.toLocaleString()} read
        {total.count > records.length ? ` (newest ${READ_LIMIT.toLocaleString()} of ${total.estimate ? 'about ' : ''}${total.count.toLocaleString()} matching)` : ''}
      </p>
      {error ? (
        <p className="health-failing" role="alert">
          {error}
        </p>
      ) : null}
      <div className="audit-scroll">
        <table className="data audit-grid" data-testid="audit-table">
          <thead>
            <tr>
              <th>Age</th>
              <th>User</th>
              <th>Session</th>
              <th>Context</th>
              <th>Action</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} className={`audit-${r.outcome}`} data-testid="audit-row">
                <td title={absoluteTime(r.time)}>{ageText(r.time, now)}</td>
                <td title={r.user}>{r.user ?? ''}</td>
                <td>{r.session}</td>
                <td title={r.context}>{r.context ?? ''}</td>
                <td className="mono" title={(r.requests ?? []).map((q) => `${q.method} ${q.path}`).join('\n') || undefined}>
                  {actionOf(r)}
                </td>
                <td className="mono" title={targetText(r) || undefined}>
                  {targetText(r)}
                </td>
                <td className={`outcome outcome-${r.outcome}`}>{r.outcome}</td>
                <td className="error-cell" title={r.error}>
                  {r.error ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!shown.length && !error ? <p className="muted">No audit records match.</p> : null}
      </div>
    </div>
  );
}
