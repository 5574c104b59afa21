// Writing a silence: matchers (one `name=value` per line; =~ for a regex, != and !~ to negate),
// how long, why and who. Submitting plans it on the action road; the confirm dialog follows.
import { useEffect, useState } from 'react';
import { matcherLine, parseMatchers } from '../../../shared/model/alert-matchers';
import { useAlertsStore, type SilenceDraft } from '../../stores/alerts-store';

const DURATIONS: Array<[number, string]> = [
  [30, '30 minutes'],
  [60, '1 hour'],
  [120, '2 hours'],
  [240, '4 hours'],
  [720, '12 hours'],
  [1440, '1 day'],
  [10080, '1 week'],
];

export function SilenceForm({ draft, error }: { draft: SilenceDraft; error?: string }) {
  const { updateDraft, prepareSilence, closeDialog } = useAlertsStore();
  const [text, setText] = useState(() => draft.matchers.map(matcherLine).join('\n'));
  const parsed = parseMatchers(text);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeDialog();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeDialog]);
  return (
    <div className="dialog-backdrop" role="presentation">
      <form
        className="confirm-dialog silence-form"
        role="dialog"
        aria-modal="true"
        aria-label="New silence"
        data-testid="silence-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (parsed.error) return;
          updateDraft({ matchers: parsed.matchers });
          void prepareSilence();
        }}
      >
        <h2>New silence</h2>
        <label>
          <span>Matchers (one per line)</span>
          <textarea rows={Math.max(3, text.split('\n').length)} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-label="Matchers" />
        </label>
        {parsed.error && <p className="dialog-error">{parsed.error}</p>}
        <label>
          <span>For</span>
          <select value={draft.durationMinutes} onChange={(e) => updateDraft({ durationMinutes: Number(e.target.value) })} aria-label="Duration">
            {DURATIONS.map(([m, label]) => (
              <option key={m} value={m}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Comment (why)</span>
          <input value={draft.comment} onChange={(e) => updateDraft({ comment: e.target.value })} aria-label="Comment" maxLength={1024} />
        </label>
        <label>
          <span>Created by</span>
          <input value={draft.createdBy} onChange={(e) => updateDraft({ createdBy: e.target.value })} aria-label="Created by" maxLength={256} />
        </label>
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!!parsed.error || parsed.matchers.length === 0} data-testid="silence-plan">
            Review…
          </button>
        </div>
      </form>
    </div>
  );
}
