// One service of a context (Prometheus, Alertmanager, log store): its URL, kept in the settings,
// and its credential, sent once to the main process, which never sends it back — the page only
// learns whether one is set, and of which kind.
import { useEffect, useState } from 'react';
import type { ServiceAuth } from '../../../shared/contract/app';

export type AuthKind = ServiceAuth['kind'];

interface Props {
  /** "Prometheus", "Alertmanager", "Log store": also the start of every field's accessible name. */
  title: string;
  testId: string;
  url: string;
  placeholder: string;
  /** Undefined while unknown. */
  authKind?: AuthKind;
  readOnly: boolean;
  /** Saves the URL ('' = unset) and, when given, the new credential; resolves with a line for the user. */
  onSave(url: string, auth: ServiceAuth | undefined): Promise<string>;
}

export function authStatusText(kind: AuthKind | undefined): string {
  if (kind === undefined) return 'checking…';
  return kind === 'none' ? 'not set' : `set (${kind === 'bearer' ? 'bearer token' : 'basic auth'})`;
}

export function ServiceEndpoint({ title, testId, url, placeholder, authKind, readOnly, onSave }: Props) {
  const [draftUrl, setDraftUrl] = useState(url);
  const [change, setChange] = useState<'keep' | AuthKind>('keep');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => setDraftUrl(url), [url]);

  const newAuth = (): ServiceAuth | undefined => {
    if (change === 'keep') return undefined;
    if (change === 'bearer') return { kind: 'bearer', token };
    if (change === 'basic') return { kind: 'basic', username, password };
    return { kind: 'none' };
  };

  const save = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const text = await onSave(draftUrl.trim(), newAuth());
      setMessage({ ok: true, text });
      setChange('keep');
      setToken('');
      setPassword('');
    } catch (error) {
      setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel service-endpoint"
      data-testid={testId}
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{title}</h3>
      <label>
        URL <span className="muted">(empty = {title === 'Prometheus' ? 'find it automatically' : 'none'})</span>
        <input type="url" value={draftUrl} onChange={(e) => setDraftUrl(e.target.value)} placeholder={placeholder} aria-label={`${title} URL`} disabled={readOnly} />
      </label>
      <p className="auth-line">
        Credential: <b data-testid={`${testId}-auth`}>{authStatusText(authKind)}</b> <span className="muted">(kept in the main process, never shown again)</span>
      </p>
      {readOnly ? null : (
        <label>
          Change credential
          <select value={change} onChange={(e) => setChange(e.target.value as 'keep' | AuthKind)} aria-label={`${title} credential`}>
            <option value="keep">keep as it is</option>
            <option value="bearer">bearer token</option>
            <option value="basic">basic auth</option>
            <option value="none">remove</option>
          </select>
        </label>
      )}
      {change === 'bearer' ? (
        <label>
          Bearer token
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} aria-label={`${title} bearer token`} autoComplete="off" required />
        </label>
      ) : null}
      {change === 'basic' ? (
        <>
          <label>
            User name
            <input value={username} onChange={(e) => setUsername(e.target.value)} aria-label={`${title} user name`} autoComplete="off" required />
          </label>
          <label>
            Password
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} aria-label={`${title} password`} autoComplete="off" />
          </label>
        </>
      ) : null}
      {readOnly ? null : (
        <div>
          <button type="submit" className="primary" disabled={busy}>
            Save {title}
          </button>
        </div>
      )}
      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'health-ok' : 'health-failing'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
