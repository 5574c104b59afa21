// Logs (issue 19): pod logs of a pod, a workload's pods or a label selector, followed stern-like
// (each line prefixed and coloured by pod/container), or Loki (LogQL range and live tail), in one
// viewer that holds a million lines compactly, searches them in a worker, pauses with a "N new
// lines" marker, jumps to a time, wraps, pretty-prints JSON on click and downloads what it holds.
// Opened from Topology, Rollouts, an alert or a runbook step by #/logs?ns=…&pod=… / &kind=…&name=….
import { useEffect, useState } from 'react';
import { useAppStore } from '../../stores/app-store';
import { parseLogsHash, type LogsLink } from '../../stores/logs-link';
import { lines, targetText, useLogsStore, type FollowSpec } from '../../stores/logs-store';
import { SourcePicker } from './SourcePicker';
import { LokiPanel } from './LokiPanel';
import { LogViewport } from './LogViewport';
import { SearchBar } from './SearchBar';
import { download, heldLinesBlob } from './download';
import { sourceColor } from './log-format';
import { installLogsHook } from './test-hook';
import './logs.css';

installLogsHook();

function specTitle(spec: FollowSpec | undefined): string {
  if (!spec) return 'Nothing followed yet';
  if (spec.kind === 'pods') return `${spec.params.context} · ${targetText(spec.params.namespace, spec.params.target)}${spec.params.container ? ` · ${spec.params.container}` : ''}${spec.params.previous ? ' · previous' : ''}`;
  return `${spec.context} · Loki ${spec.kind === 'lokiTail' ? 'live tail' : 'query'} ${spec.query}`;
}

/** "10:04", "10:04:05" (UTC, on the held lines' last day) or a full date-time (UTC unless it says). */
function parseJump(text: string): number | undefined {
  const t = text.trim();
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(t);
  if (clock) {
    const ref = lines.held > 0 ? new Date(lines.time(lines.total - 1)) : new Date();
    return Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth(), ref.getUTCDate(), Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0), Math.round(Number(clock[4] ?? 0) * 1000));
  }
  const parsed = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : `${t.replace(' ', 'T')}Z`);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function Sources() {
  const sources = useLogsStore((s) => s.sources);
  const list = Object.values(sources);
  if (list.length === 0) return null;
  return (
    <div className="logs-sources" aria-label="Sources" data-testid="logs-sources">
      {list.slice(0, 60).map((s) => (
        <span key={s.src} className={`log-source-chip state-${s.state ?? 'attached'}`} title={s.message ?? s.state ?? ''} data-testid="log-source">
          <i style={{ background: sourceColor(s.hue) }} aria-hidden="true" />
          {s.label}
          {s.state && s.state !== 'attached' ? <em> {s.state}</em> : null}
        </span>
      ))}
      {list.length > 60 && <span className="muted">and {list.length - 60} more</span>}
    </div>
  );
}

function Notices() {
  const notices = useLogsStore((s) => s.notices);
  const following = useLogsStore((s) => s.status === 'following');
  const link = useAppStore((s) => s.link);
  const [hidden, setHidden] = useState(0);
  const shown = notices.slice(hidden).slice(-4);
  const linkDown = following && link.state !== 'open';
  if (shown.length === 0 && !linkDown) return null;
  return (
    <div className="logs-notices" data-testid="logs-notices" role="status">
      {linkDown && <p className="logs-notice warning">{link.reason ?? 'Connecting to the Flightdeck server…'} — lines resume when it answers.</p>}
      {shown.map((n, i) => (
        <p key={`${n.at}-${i}`} className={`logs-notice ${n.level}`}>
          <time>{new Date(n.at).toLocaleTimeString()}</time> {n.message}
        </p>
      ))}
      <button type="button" className="ghost" onClick={() => setHidden(notices.length)} aria-label="Dismiss notices">
        ✕
      </button>
    </div>
  );
}

function Toolbar() {
  const { spec, status, statusText, paused, wrap, timestamps, sources } = useLogsStore();
  const { setPaused, setWrap, setTimestamps, stop, clear, jumpToTime } = useLogsStore();
  useLogsStore((s) => s.version);
  const [jump, setJump] = useState('');
  const [jumpError, setJumpError] = useState<string>();
  const following = status === 'following';
  const doJump = () => {
    const t = parseJump(jump);
    if (t === undefined) return setJumpError('Say a time like 10:04:05 or 2026-12-02 10:04 (UTC)');
    setJumpError(jumpToTime(t) ? undefined : 'No lines held');
  };
  const name = spec?.kind === 'pods' ? targetText(spec.params.namespace, spec.params.target).replace(/[^\w.-]+/g, '_') : 'loki';
  return (
    <div className="logs-toolbar">
      <span className={`logs-status status-${status}`} data-testid="logs-status">
        {status === 'following' ? (paused ? 'Paused' : 'Following') : status === 'loading' ? 'Loading…' : status === 'ended' ? `Ended${statusText ? `: ${statusText}` : ''}` : status === 'error' ? `Error: ${statusText ?? ''}` : 'Idle'}
      </span>
      <span className="muted" data-testid="logs-held" data-held={lines.held} data-total={lines.total}>
        {lines.held.toLocaleString('en-US')} lines held
        {lines.dropped > 0 && <span className="logs-dropped"> · {lines.dropped.toLocaleString('en-US')} oldest lines dropped (the viewer keeps {lines.cap.toLocaleString('en-US')})</span>}
      </span>
      <div className="spacer" />
      <button type="button" onClick={() => setPaused(!paused)} disabled={lines.held === 0 && !following} data-testid="logs-pause" aria-pressed={paused}>
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
      {following && (
        <button type="button" onClick={stop}>
          Stop
        </button>
      )}
      <label className="toggle-label">
        <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> wrap
      </label>
      <label className="toggle-label">
        <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} data-testid="logs-timestamps" /> timestamps
      </label>
      <form
        className="logs-jump"
        onSubmit={(e) => {
          e.preventDefault();
          doJump();
        }}
      >
        <input value={jump} onChange={(e) => setJump(e.target.value)} placeholder="jump to 10:04:05 UTC" aria-label="Jump to time" />
        {jumpError && <span className="dialog-error">{jumpError}</span>}
      </form>
      <button type="button" disabled={lines.held === 0} onClick={() => download(heldLinesBlob(sources, Object.keys(sources).length > 1, timestamps), `${name}.log`)} data-testid="logs-download">
        Download
      </button>
      <button type="button" disabled={lines.held === 0} onClick={clear}>
        Clear
      </button>
    </div>
  );
}

function NewLinesMarker() {
  const { paused, pausedAt, status } = useLogsStore();
  const setPaused = useLogsStore((s) => s.setPaused);
  useLogsStore((s) => s.version);
  const n = lines.total - pausedAt;
  if (!paused || n <= 0) return null;
  return (
    <button type="button" className="logs-new-lines" onClick={() => setPaused(false)} data-testid="logs-new-lines" data-count={n}>
      ▼ {n.toLocaleString('en-US')} new line{n === 1 ? '' : 's'}
      {status === 'following' ? ' — Resume' : ''}
    </button>
  );
}

function Empty() {
  const spec = useLogsStore((s) => s.spec);
  useLogsStore((s) => s.version);
  if (lines.held > 0) return null;
  return <p className="muted logs-empty">{spec ? 'No lines yet.' : 'Choose what to follow above, or open Logs from a pod or workload in Topology or Rollouts.'}</p>;
}

/** Whether the store already follows what the link names (coming back to the view keeps its lines). */
function follows(spec: FollowSpec | undefined, link: LogsLink, context: string): boolean {
  if (spec?.kind !== 'pods') return false;
  const p = spec.params;
  return p.context === context && p.namespace === link.namespace && JSON.stringify(p.target) === JSON.stringify(link.target) && p.container === link.container;
}

export default function LogsView() {
  const context = useAppStore((s) => s.activeContext);
  const spec = useLogsStore((s) => s.spec);
  const start = useLogsStore((s) => s.start);
  const [tab, setTab] = useState<'pods' | 'loki'>(spec && spec.kind !== 'pods' ? 'loki' : 'pods');
  const [link, setLink] = useState<LogsLink | undefined>(() => parseLogsHash(window.location.hash));

  // A link from another view (#/logs?ns=…) names what to follow: follow it at once.
  useEffect(() => {
    const onHash = () => setLink(parseLogsHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!link || !context) return;
    if (link.context && link.context !== context) {
      useAppStore.getState().setActiveContext(link.context);
      return;
    }
    setTab('pods');
    if (follows(useLogsStore.getState().spec, link, context)) return;
    start({ kind: 'pods', params: { context, namespace: link.namespace, target: link.target, container: link.container, tailLines: 500, follow: true } });
  }, [link, context, start]);

  return (
    <div className="view logs" data-testid="view-logs">
      <div className="logs-head">
        <h1>Logs</h1>
        <div className="logs-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'pods'} className={tab === 'pods' ? 'active' : ''} onClick={() => setTab('pods')}>
            Pod logs
          </button>
          <button type="button" role="tab" aria-selected={tab === 'loki'} className={tab === 'loki' ? 'active' : ''} onClick={() => setTab('loki')}>
            Loki
          </button>
        </div>
        <span className="muted logs-title" data-testid="logs-title">
          {specTitle(spec)}
        </span>
      </div>
      {context ? (
        tab === 'pods' ? (
          <SourcePicker key={`${context}|${link ? JSON.stringify(link) : ''}`} context={context} initial={link} onFollow={(params) => start({ kind: 'pods', params })} />
        ) : (
          <LokiPanel context={context} onStart={start} />
        )
      ) : (
        <p className="muted">No context selected.</p>
      )}
      <Sources />
      <Notices />
      <Toolbar />
      <SearchBar />
      <div className="logs-body">
        <LogViewport />
        <NewLinesMarker />
        <Empty />
      </div>
    </div>
  );
}
