// Incidents (issue #15): declare one (from an alert or blank), follow its timeline as it collects
// (alerts, Warning events, actions, runbook runs, notes, status changes), write the retrospective,
// resolve and export the markdown report. Read-only sessions see everything and change nothing.
import { useEffect, useState } from 'react';
import type { IncidentSeverity } from '../../../shared/model/incident';
import { absoluteTime, ageText } from '../../../shared/model/age';
import { useAppStore } from '../../stores/app-store';
import { useIncidentsStore } from '../../stores/incidents-store';
import { IncidentDetailPanel } from './IncidentDetailPanel';
import './incidents.css';

const SEVERITIES: IncidentSeverity[] = ['P1', 'P2', 'P3', 'P4'];

function DeclareForm({ context }: { context: string }) {
  const { draft, updateDraft, cancelDraft, declare, busy } = useIncidentsStore();
  if (!draft) return null;
  return (
    <form
      className="inc-declare"
      aria-label="Declare incident"
      onSubmit={(e) => {
        e.preventDefault();
        void declare(context);
      }}
    >
      <h2>Declare an incident{draft.fromAlert ? ` from alert ${draft.fromAlert.name}` : ''}</h2>
      <label>
        Title <input value={draft.title} onChange={(e) => updateDraft({ title: e.target.value })} required maxLength={256} />
      </label>
      <label>
        Severity{' '}
        <select value={draft.severity} onChange={(e) => updateDraft({ severity: e.target.value as IncidentSeverity })}>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Commander <input value={draft.commander} onChange={(e) => updateDraft({ commander: e.target.value })} required maxLength={256} />
      </label>
      <p className="muted">Context {context}. The timeline then collects alerts, Warning events, actions and runbook runs on its own.</p>
      <div className="inc-buttons">
        <button type="submit" className="primary" disabled={busy || !draft.title.trim() || !draft.commander.trim()}>
          Declare
        </button>
        <button type="button" onClick={cancelDraft}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export default function IncidentsView() {
  const context = useAppStore((s) => s.activeContext);
  const readOnly = useAppStore((s) => s.info?.readOnly ?? true);
  const { list, problems, detail, draft, error, refresh, open, startDraft } = useIncidentsStore();
  useEffect(() => {
    void refresh(context);
  }, [context, refresh, detail?.incident.status]);
  // `#/incidents?open=<id>`: a link to one incident (the war room, a declare from Alerts).
  useEffect(() => {
    const openFromHash = () => {
      const id = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('open');
      if (id && useIncidentsStore.getState().detail?.incident.id !== id) open(id);
    };
    openFromHash();
    window.addEventListener('hashchange', openFromHash);
    return () => window.removeEventListener('hashchange', openFromHash);
  }, [open]);
  const [statusFilter, setStatusFilter] = useState<'open' | 'all'>('all');
  const shown = list.filter((i) => statusFilter === 'all' || i.status !== 'resolved');
  return (
    <div className="view inc-view" data-testid="view-incidents">
      <nav className="inc-list" aria-label="Incidents">
        <div className="inc-buttons">
          <button type="button" disabled={readOnly || !context} title={readOnly ? 'Read-only session' : undefined} onClick={() => startDraft({ title: '', severity: 'P3', commander: '' })}>
            Declare incident…
          </button>
          <select value={statusFilter} onChange={(e) => setStatusFilter(e.target.value as 'open' | 'all')} aria-label="Show">
            <option value="all">All</option>
            <option value="open">Open only</option>
          </select>
        </div>
        {shown.length === 0 && <p className="muted">No incidents{context ? ` in ${context}` : ''}.</p>}
        <ul>
          {shown.map((i) => (
            <li key={i.id}>
              <button type="button" className={`inc-item${detail?.incident.id === i.id ? ' selected' : ''}`} onClick={() => (window.location.hash = `#/incidents?open=${encodeURIComponent(i.id)}`)}>
                <span className="inc-item-title">
                  <span className={`prio prio-${i.severity}`}>{i.severity}</span> {i.title}
                </span>
                <span className="muted">
                  <span className={`pill inc-status inc-status-${i.status}`}>{i.status}</span> · {i.commander} · <time title={absoluteTime(i.declaredAt)}>{ageText(i.declaredAt)}</time> · {i.entries} entries
                </span>
              </button>
            </li>
          ))}
        </ul>
        {problems.map((p) => (
          <p key={p} className="inc-problem" role="status">
            {p}
          </p>
        ))}
      </nav>
      <main className="inc-main" aria-label="Incident">
        {error && (
          <p className="inc-error" role="alert">
            {error}
          </p>
        )}
        {draft && context && <DeclareForm context={context} />}
        {!draft && detail && <IncidentDetailPanel detail={detail} readOnly={readOnly} />}
        {!draft && !detail && <p className="muted">Pick an incident, or declare one (here or from an alert’s details in Alerts).</p>}
      </main>
    </div>
  );
}
