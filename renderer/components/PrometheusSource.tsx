// Which Prometheus this context reads, where it was found, and the override: a URL (kept in the
// settings) and optional credentials (sent once to the main process, which never sends them back).
import { useCallback, useEffect, useState } from 'react';
import type { PrometheusSource as Source } from '../../shared/contract/metrics';
import { getApi } from '../api/client';
import { useAppStore } from '../stores/app-store';
import { useSourceState } from './metrics-source-state';

export function PrometheusSource({ context, onChanged }: { context: string; onChanged?: () => void }) {
  const [source, setSource] = useState<Source>();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const settings = useAppStore((s) => s.settings);

  const check = useCallback(
    (recheck: boolean) =>
      getApi()
        .call('metrics.source', { context, recheck })
        .then((s) => {
          setSource(s);
          useSourceState.getState().put(s);
          setUrl((u) => u || (s.kind === 'settings' ? (s.url ?? '') : ''));
        })
        .catch((e: Error) => setProblem(e.message)),
    [context],
  );

  useEffect(() => {
    void check(false);
  }, [check]);

  const save = async () => {
    setProblem(undefined);
    try {
      const urls = { ...(settings?.prometheusUrls ?? {}) };
      if (url.trim()) urls[context] = url.trim();
      else delete urls[context];
      const next = await getApi().call('settings.set', { prometheusUrls: urls });
      useAppStore.setState({ settings: next });
      if (token) await getApi().call('metrics.setAuth', { context, auth: { kind: 'bearer', token } });
      setToken('');
      await check(true);
      onChanged?.();
      setOpen(false);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  // No Prometheus at all: said once for the whole view, with the way to fix it.
  if (source?.kind === 'none' && !open) {
    return (
      <span className="prom-source">
        <span className="source-line health-failing" role="alert" data-testid="no-metrics-source">
          No metrics source: {source.detail}{' '}
          <a href="#/settings" data-testid="open-settings">
            Open Settings
          </a>
        </span>
      </span>
    );
  }

  return (
    <span className="prom-source">
      <span className={`muted source-line ${source && !source.healthy ? 'health-failing' : ''}`} data-testid="prometheus-source">
        {source ? `Prometheus: ${source.detail}${source.url ? ` — ${source.url}` : ''}${source.healthy ? (source.version ? ` (v${source.version})` : '') : ` — not answering: ${source.message ?? ''}`}` : 'Looking for Prometheus…'}
      </span>
      {readOnly ? null : (
        <button type="button" className="ghost small" onClick={() => setOpen(!open)} aria-expanded={open}>
          Change…
        </button>
      )}
      {open ? (
        <form
          className="panel prom-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            Prometheus URL for {context} <span className="muted">(empty = find it automatically)</span>
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://prometheus.example:9090" aria-label="Prometheus URL" />
          </label>
          <label>
            Bearer token <span className="muted">(optional; stays in the main process{source?.auth && source.auth !== 'none' ? `, one is set: ${source.auth}` : ''})</span>
            <input type="password" value={token} onChange={(e) => setToken(e.target.value)} aria-label="Bearer token" autoComplete="off" />
          </label>
          <div>
            <button type="submit" className="primary">
              Save and check
            </button>{' '}
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          {problem ? <p className="health-failing">{problem}</p> : null}
        </form>
      ) : null}
    </span>
  );
}
