// Alertmanager's silences for the context: what each matches, until when, who and why, and an
// Expire button that goes through the action road.
import type { Silence } from '../../../shared/contract/alerts';
import { ageText, absoluteTime } from '../../../shared/model/age';
import { useAppStore } from '../../stores/app-store';
import { useAlertsStore } from '../../stores/alerts-store';
import { matcherLine } from '../../../shared/model/alert-matchers';

export function SilencesPanel({ silences }: { silences: Silence[] }) {
  const prepareExpire = useAlertsStore((s) => s.prepareExpire);
  const readOnly = useAppStore((s) => s.info?.readOnly);
  const live = silences.filter((s) => s.state !== 'expired');
  const expired = silences.filter((s) => s.state === 'expired').slice(0, 10);
  const row = (s: Silence) => (
    <li key={s.id} className={`silence silence-${s.state}`} data-testid="silence-row">
      <div className="silence-matchers">
        {s.matchers.map((m) => (
          <code key={matcherLine(m)}>{matcherLine(m)}</code>
        ))}
      </div>
      <div className="muted">
        {s.state === 'expired' ? 'expired' : s.state === 'pending' ? 'starts' : 'until'} <time title={absoluteTime(s.state === 'pending' ? s.startsAt : s.endsAt)}>{new Date(s.state === 'pending' ? s.startsAt : s.endsAt).toLocaleString()}</time> · by {s.createdBy} · {ageText(s.startsAt)} ago
      </div>
      <div className="silence-comment">{s.comment}</div>
      {s.state !== 'expired' && (
        <button type="button" onClick={() => void prepareExpire(s)} disabled={readOnly} title={readOnly ? 'Read-only session' : undefined}>
          Expire…
        </button>
      )}
    </li>
  );
  return (
    <section className="silences" aria-label="Silences">
      <h2>Silences ({live.length})</h2>
      {live.length === 0 && <p className="muted">No active silence.</p>}
      <ul>{live.map(row)}</ul>
      {expired.length > 0 && (
        <details>
          <summary>Recently expired ({expired.length})</summary>
          <ul>{expired.map(row)}</ul>
        </details>
      )}
    </section>
  );
}
