// One object of the browser: conditions, events and YAML (redacted by the main process), and the
// generic actions through the action road: edit YAML (server-side apply, planned as a dry run so
// the confirm dialog shows the diff and any field-manager conflict) and delete.
import { useCallback, useEffect, useState } from 'react';
import type { ActionPlan } from '../../../shared/contract/actions';
import { resourceKindName, type BrowserKind } from '../../../shared/contract/browser';
import { ageText } from '../../../shared/model/age';
import { getApi } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useBrowserStore } from '../../stores/browser-store';

type Tab = 'conditions' | 'events' | 'yaml' | 'edit';

interface Dialog {
  title: string;
  action: 'resource.apply' | 'resource.delete';
  params: Record<string, unknown>;
  plan?: ActionPlan;
  error?: string;
  busy: boolean;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function ObjectPanel({ context, kind, rowKey }: { context: string; kind: BrowserKind; rowKey: string }) {
  const row = useBrowserStore((s) => s.rows.get(rowKey));
  const details = useBrowserStore((s) => s.details);
  const detailsError = useBrowserStore((s) => s.detailsError);
  const loadDetails = useBrowserStore((s) => s.loadDetails);
  const selectRow = useBrowserStore((s) => s.selectRow);
  const [tab, setTab] = useState<Tab>('conditions');
  const [draft, setDraft] = useState('');
  const [force, setForce] = useState(false);
  const [dialog, setDialog] = useState<Dialog>();
  const [result, setResult] = useState<string>();

  useEffect(() => {
    setTab('conditions');
    setResult(undefined);
  }, [rowKey]);

  const target = { kind: resourceKindName(kind), namespace: row?.namespace, name: row?.name ?? rowKey };

  const prepare = useCallback(
    async (next: Omit<Dialog, 'busy'>) => {
      setDialog({ ...next, busy: true });
      try {
        const plan = await getApi().call('actions.prepare', { context, target, action: next.action, params: next.params });
        setDialog((d) => (d?.action === next.action ? { ...next, plan, busy: false } : d));
      } catch (error) {
        setDialog((d) => (d?.action === next.action ? { ...next, busy: false, error: message(error) } : d));
      }
    },
    // target is rebuilt each render from the same parts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [context, target.kind, target.namespace, target.name],
  );

  const execute = async (confirmText?: string) => {
    if (!dialog?.plan?.token) return;
    setDialog({ ...dialog, busy: true, error: undefined });
    try {
      const done = await getApi().call('actions.execute', { token: dialog.plan.token, confirmText });
      setDialog(undefined);
      setResult(done.message);
      if (dialog.action === 'resource.delete') selectRow(undefined);
      else {
        setTab('yaml');
        void loadDetails();
      }
    } catch (error) {
      setDialog({ ...dialog, busy: false, error: message(error), plan: { ...dialog.plan, token: null } });
    }
  };

  if (!row) return null;
  return (
    <aside className="browser-object" data-testid="object-panel" aria-label={`${kind.kind} ${row.name}`}>
      <header>
        <h3>{row.namespace ? `${row.namespace}/${row.name}` : row.name}</h3>
        <div className="browser-actions">
          <button
            type="button"
            data-testid="edit-yaml"
            onClick={() => {
              setDraft(details?.editableYaml ?? '');
              setForce(false);
              setTab('edit');
            }}
            disabled={!details}
          >
            Edit YAML
          </button>
          <button type="button" data-testid="delete-object" className="danger" onClick={() => void prepare({ title: `Delete ${kind.kind} ${row.name}`, action: 'resource.delete', params: {} })}>
            Delete
          </button>
          <button type="button" aria-label="Close details" onClick={() => selectRow(undefined)}>
            ×
          </button>
        </div>
      </header>
      {result && (
        <p className="browser-result" data-testid="action-result" role="status">
          {result}
        </p>
      )}
      <div role="tablist" className="browser-tabs">
        {(['conditions', 'events', 'yaml'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t === 'yaml' ? 'YAML' : t[0].toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      {detailsError && <p className="browser-problem" role="alert">{detailsError}</p>}
      {!details && !detailsError && <p className="browser-empty">Loading…</p>}
      {details && tab === 'conditions' &&
        (details.conditions.length ? (
          <table className="browser-conditions" data-testid="object-conditions">
            <thead>
              <tr>
                <th>Type</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Message</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {details.conditions.map((c) => (
                <tr key={c.type} className={c.status === 'True' ? undefined : 'cond-not-true'}>
                  <td>{c.type}</td>
                  <td>{c.status}</td>
                  <td>{c.reason}</td>
                  <td>{c.message}</td>
                  <td>{c.lastTransitionTime ? ageText(c.lastTransitionTime) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="browser-empty">No status conditions.</p>
        ))}
      {details && tab === 'events' &&
        (details.events.length ? (
          <ul className="browser-events">
            {details.events.map((e, i) => (
              <li key={i} className={e.type === 'Warning' ? 'warning' : undefined}>
                <strong>{e.reason}</strong> {e.message} <span>×{e.count}</span> {e.lastSeen && <span>{ageText(e.lastSeen)}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="browser-empty">No events about this object.</p>
        ))}
      {details && tab === 'yaml' && <pre className="browser-yaml" data-testid="object-yaml" aria-label="YAML">{details.yaml}</pre>}
      {tab === 'edit' && (
        <form
          className="browser-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void prepare({ title: `Apply ${kind.kind} ${row.name}`, action: 'resource.apply', params: { yaml: draft, force } });
          }}
        >
          <textarea data-testid="yaml-editor" aria-label="Edit YAML" spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <label>
            <input type="checkbox" data-testid="apply-force" checked={force} onChange={(e) => setForce(e.target.checked)} /> Take over fields other managers own (force)
          </label>
          <div className="browser-actions">
            <button type="submit" data-testid="review-apply">Review changes</button>
            <button type="button" onClick={() => setTab('yaml')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {dialog && (
        <ConfirmDialog
          title={dialog.title}
          plan={dialog.plan}
          busy={dialog.busy}
          error={dialog.error}
          onConfirm={(text) => void execute(text)}
          onCancel={() => setDialog(undefined)}
          onPrepareAgain={() => void prepare({ title: dialog.title, action: dialog.action, params: dialog.params })}
        />
      )}
    </aside>
  );
}
