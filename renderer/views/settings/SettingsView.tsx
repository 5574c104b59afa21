// Settings: per context the Prometheus, Alertmanager and log store URLs and credentials (which stay
// in the main process: the page only says "set" or "not set"); then the production pattern, the
// GPU-hour price the idle-cost callouts use, and the theme. Every change is audited by the main process.
import { useCallback, useEffect, useState } from 'react';
import type { ServiceAuth, Settings } from '../../../shared/contract/app';
import type { PrometheusSource } from '../../../shared/contract/metrics';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { useSourceState } from '../../components/metrics-source-state';
import { ServiceEndpoint, type AuthKind } from './ServiceEndpoint';
import { GeneralSettings } from './GeneralSettings';
import './settings.css';

type UrlKey = 'prometheusUrls' | 'alertmanagerUrls' | 'logStoreUrls';

export default function SettingsView() {
  const settings = useAppStore((s) => s.settings);
  const contexts = useAppStore((s) => s.contexts);
  const activeContext = useAppStore((s) => s.activeContext);
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const [context, setContext] = useState(activeContext ?? '');
  const [source, setSource] = useState<PrometheusSource>();
  const [auth, setAuth] = useState<{ alertmanager: AuthKind; logs: AuthKind }>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!context && activeContext) setContext(activeContext);
  }, [context, activeContext]);

  const refresh = useCallback(async (recheck: boolean) => {
    if (!context) return;
    const api = getApi();
    try {
      const [s, a] = await Promise.all([api.call('metrics.source', { context, recheck }), api.call('settings.authStatus', { context })]);
      setSource(s);
      useSourceState.getState().put(s);
      setAuth(a);
      setProblem(undefined);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, [context]);

  useEffect(() => {
    setSource(undefined);
    setAuth(undefined);
    void refresh(false);
  }, [refresh]);

  const saveUrl = async (key: UrlKey, url: string): Promise<Settings> => {
    const urls = { ...(settings?.[key] ?? {}) };
    if (url) urls[context] = url;
    else delete urls[context];
    const next = await getApi().call('settings.set', { [key]: urls });
    useAppStore.setState({ settings: next });
    return next;
  };

  const savePrometheus = async (url: string, credential: ServiceAuth | undefined) => {
    await saveUrl('prometheusUrls', url);
    if (credential) await getApi().call('metrics.setAuth', { context, auth: credential });
    const checked = await getApi().call('metrics.source', { context, recheck: true });
    setSource(checked);
    useSourceState.getState().put(checked);
    // The status line under the card says whether it answers.
    return 'Saved and checked.';
  };

  const saveService = (key: UrlKey, service: 'alertmanager' | 'logs') => async (url: string, credential: ServiceAuth | undefined) => {
    await saveUrl(key, url);
    if (credential) {
      const { auth: kind } = await getApi().call('settings.setAuth', { context, service, auth: credential });
      setAuth((a) => (a ? { ...a, [service]: kind } : a));
    }
    return 'Saved.';
  };

  return (
    <div className="view settings-view" data-testid="view-settings">
      <header className="view-head">
        <h1>Settings</h1>
        {readOnly ? <span className="muted">Read-only link: settings can be changed only on the console.</span> : null}
      </header>
      <section aria-label="Per context">
        <h2>
          Data sources for{' '}
          <select value={context} onChange={(e) => setContext(e.target.value)} aria-label="Context">
            {contexts.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </h2>
        {problem ? (
          <p className="health-failing" role="alert">
            {problem}
          </p>
        ) : null}
        {context ? (
          <div className="settings-grid" key={context}>
            <div>
              <ServiceEndpoint
                title="Prometheus"
                testId="settings-prometheus"
                url={settings?.prometheusUrls[context] ?? ''}
                placeholder="https://prometheus.example:9090"
                authKind={source?.auth}
                readOnly={readOnly}
                onSave={savePrometheus}
              />
              <p className="muted source-line" data-testid="settings-prometheus-status">
                {source ? (source.healthy ? `In use: ${source.detail}${source.url ? ` — ${source.url}` : ''}` : source.kind === 'none' ? 'No metrics source: none set and none found.' : `Not answering: ${source.message ?? ''}`) : 'Checking…'}
              </p>
            </div>
            <ServiceEndpoint
              title="Alertmanager"
              testId="settings-alertmanager"
              url={settings?.alertmanagerUrls[context] ?? ''}
              placeholder="https://alertmanager.example:9093"
              authKind={auth?.alertmanager}
              readOnly={readOnly}
              onSave={saveService('alertmanagerUrls', 'alertmanager')}
            />
            <ServiceEndpoint
              title="Log store"
              testId="settings-logs"
              url={settings?.logStoreUrls[context] ?? ''}
              placeholder="https://loki.example:3100"
              authKind={auth?.logs}
              readOnly={readOnly}
              onSave={saveService('logStoreUrls', 'logs')}
            />
          </div>
        ) : (
          <p className="muted">No contexts in the kubeconfig.</p>
        )}
      </section>
      {settings ? <GeneralSettings settings={settings} readOnly={readOnly} /> : null}
    </div>
  );
}
