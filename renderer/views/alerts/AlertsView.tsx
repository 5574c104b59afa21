// Alerts: Alertmanager's alerts for the active context (Prometheus' own when there is no
// Alertmanager) grouped by alertname / namespace / service with P-levels, silenced and inhibited
// ones apart; an alert's runbooks, workloads and graph; silences created and expired through the
// action road's confirm dialog. Rows are virtualized: 5,000 alerts stay smooth.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { groupMatchers, type AlertGroup, type ConsoleAlert } from '../../../shared/model/alert';
import { ageText, absoluteTime } from '../../../shared/model/age';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useLiveRefresh } from '../../components/use-live-refresh';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { alertsRefreshMs, alertsTiming, useAlertsStore } from '../../stores/alerts-store';
import { alertRows, type AlertRow } from './alert-rows';
import { AlertDetail, type RunbookRef } from './AlertDetail';
import { SilenceForm } from './SilenceForm';
import { SilencesPanel } from './SilencesPanel';
import './alerts.css';

const ROW_HEIGHT = 34;

const HIDDEN_LABELS = new Set(['alertname', 'namespace', 'service', 'severity']);

function Counts({ group }: { group: AlertGroup }) {
  return (
    <span className="alert-counts">
      {group.active > 0 && <span className="pill pill-failing">{group.active} firing</span>}
      {group.pending > 0 && <span className="pill pill-warning">{group.pending} pending</span>}
      {group.silenced > 0 && <span className="pill pill-muted">{group.silenced} silenced</span>}
      {group.inhibited > 0 && <span className="pill pill-muted">{group.inhibited} inhibited</span>}
    </span>
  );
}

function stateText(a: ConsoleAlert): string {
  if (a.state === 'active') return 'firing';
  if (a.state === 'pending') return 'pending';
  return a.silencedBy.length > 0 ? 'silenced' : 'inhibited';
}

export default function AlertsView() {
  const context = useAppStore((s) => s.activeContext);
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const { list, silences, error, filter, collapsed, selected, dialog, lastResult, notify, refreshes } = useAlertsStore();
  const { setContext, refresh, setFilter, toggleGroup, select, openSilenceForm, execute, closeDialog, prepareAgain, setNotify } = useAlertsStore();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [runbooks, setRunbooks] = useState<Array<RunbookRef & { alerts: string[] }>>([]);
  const renderedMs = useRef<{ started: number; ms?: number }>({ started: performance.now() });

  useEffect(() => {
    if (context) setContext(context);
  }, [context, setContext]);
  const poll = useCallback(() => refresh(), [refresh]);
  useLiveRefresh(context ? poll : undefined, true, alertsRefreshMs);

  // Runbooks whose front matter lists an alert (runbooks.list); absent when the library is not there.
  // Asked once the first list is on screen: the server's first listing parses every runbook, which
  // would otherwise sit in front of the alerts answer.
  const listShown = list !== undefined;
  useEffect(() => {
    if (!listShown) return;
    let stale = false;
    const timer = setTimeout(() => {
      getApi()
        .call('runbooks.list', {})
        .then((answer) => !stale && setRunbooks(answer.runbooks.map((r) => ({ id: r.id, title: r.title, alerts: r.alerts }))))
        .catch(() => undefined);
    }, 0);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [listShown]);

  const model = useMemo(() => alertRows(list?.groups ?? [], filter, collapsed), [list, filter, collapsed]);
  const virtualizer = useVirtualizer({ count: model.rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  // The bench reads how long the list took from the answer's arrival to this paint.
  useLayoutEffect(() => {
    if (!list) return;
    renderedMs.current.ms = performance.now() - renderedMs.current.started;
    scrollRef.current?.setAttribute('data-rendered-ms', renderedMs.current.ms.toFixed(1));
    // Answer arrival → list committed: the renderer's share of an update (the bench reads it).
    scrollRef.current?.setAttribute('data-apply-ms', (performance.now() - alertsTiming.answeredAt).toFixed(1));
    renderedMs.current.started = performance.now();
  }, [list]);

  const selectedAlert = useMemo(() => {
    if (!selected || !list) return undefined;
    for (const g of list.groups) for (const a of g.alerts) if (a.fingerprint === selected) return a;
    return undefined;
  }, [selected, list]);
  const canSilence = list?.source.kind === 'alertmanager' && !readOnly;
  const silenceWhy = readOnly ? 'Read-only session' : list?.source.kind !== 'alertmanager' ? 'Silences need an Alertmanager (set its URL in Settings)' : undefined;
  const total = list?.groups.reduce((n, g) => n + g.alerts.length, 0) ?? 0;
  const runbooksFor = (a: ConsoleAlert): RunbookRef[] => runbooks.filter((r) => r.id === a.runbookId || r.alerts.includes(a.name)).map(({ id, title }) => ({ id, title }));

  const renderRow = (row: AlertRow) => {
    if (row.kind === 'section') return <div className="alerts-section">{row.label}</div>;
    if (row.kind === 'group') {
      const g = row.group;
      const open = !collapsed.has(g.key);
      return (
        <div className={`alerts-group${g.active === 0 ? ' quiet' : ''}`} data-testid="alert-group" data-priority={g.priority}>
          <button type="button" className="twisty" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${g.alertname}`} onClick={() => toggleGroup(g.key)}>
            {open ? '▾' : '▸'}
          </button>
          <span className={`prio prio-${g.priority}`}>{g.priority}</span>
          <strong className="alert-name">{g.alertname}</strong>
          <span className="muted">{[g.namespace, g.service].filter(Boolean).join(' / ')}</span>
          <Counts group={g} />
          <time className="muted" title={absoluteTime(g.since)}>
            {ageText(g.since)}
          </time>
          <button type="button" className="silence-button" disabled={!canSilence} title={silenceWhy} onClick={() => openSilenceForm(groupMatchers(g))}>
            Silence…
          </button>
        </div>
      );
    }
    const a = row.alert;
    const extra = Object.entries(a.labels).filter(([k]) => !HIDDEN_LABELS.has(k));
    return (
      <div className={`alerts-alert state-${a.state}${selected === a.fingerprint ? ' selected' : ''}`} data-testid="alert-row" role="button" tabIndex={0} onClick={() => select(a.fingerprint)} onKeyDown={(e) => e.key === 'Enter' && select(a.fingerprint)}>
        <span className={`prio prio-${a.priority} small`}>{a.priority}</span>
        <span className={`state state-${a.state}`}>{stateText(a)}</span>
        <span className="alert-labels">
          {extra.slice(0, 6).map(([k, v]) => (
            <code key={k}>
              {k}={v}
            </code>
          ))}
        </span>
        <span className="alert-summary-cell muted">{a.annotations.summary ?? ''}</span>
        <time className="muted" title={absoluteTime(a.startsAt)}>
          {ageText(a.startsAt)}
        </time>
      </div>
    );
  };

  return (
    <div className="alerts" data-testid="view-alerts">
      <div className="alerts-head">
        <h1>Alerts</h1>
        <input className="alerts-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter: name, label value, P1…" aria-label="Filter alerts" />
        <span className="muted" data-testid="alerts-count" data-refreshes={refreshes}>
          {list ? (filter ? `${model.shownAlerts.toLocaleString()} of ${total.toLocaleString()} alerts` : `${total.toLocaleString()} alerts in ${list.groups.length.toLocaleString()} groups`) : 'Loading…'}
        </span>
        <button type="button" onClick={() => void refresh()} data-testid="alerts-refresh">
          Refresh
        </button>
        <label className="notify-toggle" title="Desktop notification for each new P1 or P2 alert while the console runs">
          <input type="checkbox" checked={notify} onChange={(e) => void setNotify(e.target.checked)} /> Notify on new P1/P2
        </label>
      </div>
      {list && (
        <p className={`alerts-source${list.source.kind === 'alertmanager' ? '' : ' warn'}`} data-testid="alerts-source">
          {list.source.kind === 'alertmanager' ? 'Alertmanager' : list.source.kind === 'prometheus' ? 'Prometheus (fallback)' : 'No alert source'} — {list.source.detail}
          {list.source.url ? ` (${list.source.url})` : ''}
          {list.source.problem && list.source.kind !== 'none' ? `. Alertmanager: ${list.source.problem}` : ''}
        </p>
      )}
      {error && (
        <p className="dialog-error" role="alert">
          {error}
        </p>
      )}
      {lastResult && lastResult.context === context && <p className={lastResult.ok ? 'alerts-result' : 'dialog-error'}>{lastResult.message}</p>}
      <div className={`alerts-body${selectedAlert ? ' with-detail' : ''}`}>
        <div className="alerts-table">
          <div className="alerts-scroll" ref={scrollRef} data-testid="alerts-scroll">
            {list && model.rows.length === 0 && <p className="muted alerts-empty">{filter ? 'No alert matches the filter.' : 'Nothing is firing.'}</p>}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = model.rows[item.index];
                return (
                  <div key={row.key} className="alerts-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                    {renderRow(row)}
                  </div>
                );
              })}
            </div>
          </div>
          {list?.source.kind === 'alertmanager' && <SilencesPanel silences={silences} />}
        </div>
        {selectedAlert && context && <AlertDetail alert={selectedAlert} context={context} runbooks={runbooksFor(selectedAlert)} canSilence={canSilence} silenceWhy={silenceWhy} />}
      </div>
      {dialog?.step === 'form' && <SilenceForm draft={dialog.draft} error={dialog.error} />}
      {dialog?.step === 'confirm' && (
        <ConfirmDialog title={dialog.title} plan={dialog.plan} busy={dialog.busy} error={dialog.error} onConfirm={(typed) => void execute(typed)} onCancel={closeDialog} onPrepareAgain={() => void prepareAgain()} />
      )}
    </div>
  );
}
