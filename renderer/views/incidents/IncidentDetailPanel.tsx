// One incident: its facts, status buttons, a note box, the timeline in time order, the
// retrospective fields and the report export (download, and shown for a look).
import { useEffect, useState } from 'react';
import type { IncidentDetail } from '../../../shared/contract/incidents';
import { INCIDENT_STATUSES, type IncidentRetro } from '../../../shared/model/incident';
import { absoluteTime } from '../../../shared/model/age';
import { useIncidentsStore } from '../../stores/incidents-store';

const RETRO_FIELDS: Array<{ key: Exclude<keyof IncidentRetro, 'actionItems'>; label: string }> = [
  { key: 'summary', label: 'Summary' },
  { key: 'rootCause', label: 'Root cause' },
  { key: 'contributingFactors', label: 'Contributing factors' },
  { key: 'lessonsLearned', label: 'Lessons learned' },
];

function Retro({ retro, readOnly }: { retro: IncidentRetro; readOnly: boolean }) {
  const updateRetro = useIncidentsStore((s) => s.updateRetro);
  const [draft, setDraft] = useState({ ...retro, actionItemsText: retro.actionItems.join('\n') });
  useEffect(() => setDraft({ ...retro, actionItemsText: retro.actionItems.join('\n') }), [retro]);
  return (
    <form
      className="inc-retro"
      aria-label="Retrospective"
      onSubmit={(e) => {
        e.preventDefault();
        const { actionItemsText, ...rest } = draft;
        void updateRetro({ ...rest, actionItems: actionItemsText.split('\n').map((l) => l.trim()).filter(Boolean) });
      }}
    >
      <h3>Retrospective</h3>
      {RETRO_FIELDS.map(({ key, label }) => (
        <label key={key}>
          {label}
          <textarea value={draft[key]} readOnly={readOnly} rows={2} maxLength={8192} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
        </label>
      ))}
      <label>
        Action items (one per line)
        <textarea value={draft.actionItemsText} readOnly={readOnly} rows={3} onChange={(e) => setDraft({ ...draft, actionItemsText: e.target.value })} />
      </label>
      {!readOnly && <button type="submit">Save retrospective</button>}
    </form>
  );
}

export function IncidentDetailPanel({ detail, readOnly }: { detail: IncidentDetail; readOnly: boolean }) {
  const { note, setStatus, exportReport, report, busy } = useIncidentsStore();
  const [text, setText] = useState('');
  const { incident, timeline, problems } = detail;
  const resolved = incident.status === 'resolved';
  const download = async () => {
    const answer = await exportReport();
    if (!answer) return;
    const url = URL.createObjectURL(new Blob([answer.markdown], { type: 'text/markdown' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = answer.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section className="inc-detail" data-testid="incident-detail">
      <header>
        <h1>
          <span className={`prio prio-${incident.severity}`}>{incident.severity}</span> {incident.title}
        </h1>
        <p className="muted">
          <span className={`pill inc-status inc-status-${incident.status}`} data-testid="incident-status">
            {incident.status}
          </span>{' '}
          · commander {incident.commander} · context {incident.context} · declared {absoluteTime(incident.declaredAt)} by {incident.declaredBy}
          {incident.fromAlert && ` from alert ${incident.fromAlert.name}`}
          {incident.resolvedAt && ` · resolved ${absoluteTime(incident.resolvedAt)}`}
        </p>
      </header>
      <div className="inc-buttons" role="group" aria-label="Status">
        {INCIDENT_STATUSES.map((status) => (
          <button key={status} type="button" className={status === 'resolved' ? 'primary' : undefined} disabled={readOnly || resolved || busy || incident.status === status} onClick={() => void setStatus(status)}>
            {status === 'resolved' ? 'Resolve' : `Mark ${status}`}
          </button>
        ))}
        <button type="button" onClick={() => void download()}>
          Export report
        </button>
      </div>
      {!readOnly && (
        <form
          className="inc-note"
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim()) return;
            void note(text.trim()).then(() => setText(''));
          }}
        >
          <input aria-label="Note" placeholder="Add a note to the timeline…" value={text} maxLength={4096} onChange={(e) => setText(e.target.value)} />
          <button type="submit" disabled={busy || !text.trim()}>
            Add note
          </button>
        </form>
      )}
      {problems.map((p) => (
        <p key={p} className="inc-problem" role="status">
          {p}
        </p>
      ))}
      <h3>Timeline</h3>
      <ol className="inc-timeline" aria-label="Timeline">
        {timeline.map((entry) => (
          <li key={entry.key} className={`inc-entry inc-kind-${entry.kind}`}>
            <time dateTime={entry.at}>{new Date(entry.at).toISOString().slice(11, 19)}</time>
            <span className="pill">{entry.kind}</span>
            <span>{entry.text}</span>
            {entry.who && <span className="muted">— {entry.who}</span>}
          </li>
        ))}
      </ol>
      <Retro retro={incident.retro} readOnly={readOnly} />
      {report && report.fileName === `${incident.id}.md` && (
        <details open className="inc-report">
          <summary>Report ({report.fileName})</summary>
          <pre data-testid="incident-report">{report.markdown}</pre>
        </details>
      )}
    </section>
  );
}
