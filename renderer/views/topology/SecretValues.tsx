// The literal env values of the object in the details panel, shown redacted as every payload shows
// them; "Reveal" asks the main process for one value (console sessions only; each reveal is audited).
import { useEffect, useState } from 'react';
import type { RedactedValue } from '../../../shared/contract/secrets';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';

const REVEALABLE_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Rollout']);

interface Target {
  context: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function SecretValues({ target }: { target: Target }) {
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const [values, setValues] = useState<RedactedValue[]>([]);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const { context, kind, namespace, name } = target;
  const revealable = REVEALABLE_KINDS.has(kind) && namespace !== undefined;

  useEffect(() => {
    setRevealed({});
    setError(undefined);
    if (!revealable) return;
    let cancelled = false;
    getApi()
      .call('secrets.redacted', { context, kind, namespace, name })
      .then((answer) => !cancelled && setValues(answer.values))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [context, kind, namespace, name, revealable]);

  if (!revealable || (!values.length && !error)) return null;

  const reveal = (path: string) => {
    getApi()
      .call('secrets.reveal', { context, kind, namespace, name, path })
      .then((answer) => setRevealed((r) => ({ ...r, [path]: answer.value })))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const hide = (path: string) => setRevealed(({ [path]: _gone, ...rest }) => rest);

  return (
    <div className="secret-values" data-testid="secret-values">
      <h3>Env values (redacted)</h3>
      {error ? <p className="health-failing small" role="alert">{error}</p> : null}
      <ul className="plain">
        {values.map((v) => (
          <li key={v.path} className="mono small">
            <span className="muted">{v.container} ·</span> {v.env}={' '}
            {revealed[v.path] !== undefined ? <span className="revealed">{revealed[v.path]}</span> : <span className="muted">{v.shown}</span>}{' '}
            {revealed[v.path] !== undefined ? (
              <button type="button" className="ghost small" onClick={() => hide(v.path)}>Hide</button>
            ) : (
              <button
                type="button"
                className="ghost small"
                disabled={readOnly}
                title={readOnly ? 'A read-only (war-room) session cannot reveal secrets.' : 'Show the literal value (recorded in the audit log)'}
                onClick={() => reveal(v.path)}
              >
                Reveal
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
