// The war-room screen: big type scaled to the viewport, a clock, firing counts by P-level always
// in view, and one large panel that rotates on a timer (or stays when pinned). A loud "STALE since
// hh:mm" when data stops; it clears by itself when data comes back. Nothing on it acts.
import { useEffect, useState } from 'react';
import { useAppStore } from '../../stores/app-store';
import { useWarRoomStore } from '../../stores/warroom-store';
import { AlertsPanel, GpuPanel, IncidentPanel, PriorityCounts, RolloutsPanel, SloPanel } from './WarRoomPanels';
import { clockText, hhmm, msParam, nextPanel, PANEL_TITLES, PANELS, staleSince, type PanelId } from './warroom-model';
import './warroom.css';

/** Base type: 1.4% of the shorter side (30 px at 3840x2160), never under 18 px. */
const baseFontFor = (width: number, height: number) => Math.max(18, Math.round(Math.min(width, height) * 0.014));

function useViewportFont(): number {
  const [font, setFont] = useState(() => baseFontFor(window.innerWidth, window.innerHeight));
  useEffect(() => {
    const onResize = () => setFont(baseFontFor(window.innerWidth, window.innerHeight));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return font;
}

function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function WarRoom({ fullScreen }: { fullScreen: boolean }) {
  const search = window.location.search;
  const [timers] = useState(() => {
    const pollMs = msParam(search, 'poll', 5_000);
    return { pollMs, rotateMs: msParam(search, 'rotate', 15_000), staleAfterMs: msParam(search, 'stale', pollMs * 3) };
  });
  const fontSize = useViewportFont();
  const now = useNow();
  const context = useAppStore((s) => s.activeContext);
  const link = useAppStore((s) => s.link);
  const info = useAppStore((s) => s.info);
  const loadError = useAppStore((s) => s.loadError);
  const clusterStaleSince = useAppStore((s) => (context ? s.statuses[context]?.staleSince : undefined));
  const { data, errors, lastGoodAt, failingSince, watch } = useWarRoomStore();
  const [panel, setPanel] = useState<PanelId>('incident');
  const [pinned, setPinned] = useState<PanelId | undefined>();

  useEffect(() => (context ? watch(context, timers.pollMs) : undefined), [context, watch, timers.pollMs]);

  useEffect(() => {
    if (pinned) return;
    const timer = setInterval(() => setPanel((current) => nextPanel(current, undefined)), timers.rotateMs);
    return () => clearInterval(timer);
  }, [pinned, timers.rotateMs]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Keys typed into the shell's palette or a field are not for the wall.
      if (e.ctrlKey || e.metaKey || e.altKey || (e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName)))) return;
      if (e.key === 'ArrowRight') setPanel((current) => nextPanel(current, undefined));
      else if (e.key === 'ArrowLeft') setPanel((current) => PANELS[(PANELS.indexOf(current) + PANELS.length - 1) % PANELS.length]);
      else if (e.key === 'p') setPinned((p) => (p ? undefined : panel));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel]);

  const pin = (id: PanelId) => {
    if (pinned === id) setPinned(undefined);
    else {
      setPinned(id);
      setPanel(id);
    }
  };

  const stale = staleSince({ now, lastGoodAt, failingSince, link, clusterStaleSince, staleAfterMs: timers.staleAfterMs });
  const shown = pinned ?? panel;

  return (
    <div className={`warroom${fullScreen ? ' warroom-full' : ''}`} style={{ fontSize }} data-testid="warroom" data-panel={shown} data-pinned={pinned ?? ''}>
      <header className="warroom-head">
        <span className="warroom-brand">WAR ROOM</span>
        <span className="warroom-context">{context ?? '—'}</span>
        {info?.readOnly ? <span className="warroom-readonly">read-only</span> : null}
        <span className="warroom-clock" data-testid="warroom-clock">
          {clockText(now)}
        </span>
      </header>
      {stale !== undefined ? (
        <div className="warroom-stale" role="alert" data-testid="warroom-stale">
          STALE since {hhmm(stale)}
          <span className="warroom-stale-why">{link.state !== 'open' ? 'reconnecting to the Flightdeck server' : 'no fresh data; retrying'}</span>
        </div>
      ) : null}
      {loadError && !context ? <div className="warroom-stale" role="alert">Cannot reach the Flightdeck server: {loadError}</div> : null}
      <PriorityCounts data={data} />
      <section className="warroom-stage" aria-label={PANEL_TITLES[shown]} data-testid={`warroom-panel-${shown}`}>
        <h2 className="warroom-panel-title">{PANEL_TITLES[shown]}</h2>
        {shown === 'incident' ? <IncidentPanel data={data} error={errors.incident} /> : null}
        {shown === 'alerts' ? <AlertsPanel data={data} error={errors.alerts} /> : null}
        {shown === 'gpu' ? <GpuPanel data={data} error={errors.gpu} fontSize={fontSize} /> : null}
        {shown === 'slo' ? <SloPanel data={data} error={errors.slo} fontSize={fontSize} /> : null}
        {shown === 'rollouts' ? <RolloutsPanel data={data} error={errors.rollouts} /> : null}
      </section>
      {/* View controls only: choose and pin a panel on this screen. */}
      <nav className="warroom-tabs" aria-label="Panels">
        {PANELS.map((id) => (
          <button key={id} type="button" data-role="view-control" data-testid={`warroom-tab-${id}`} aria-pressed={pinned === id} className={id === shown ? 'warroom-tab-current' : ''} onClick={() => pin(id)}>
            {pinned === id ? 'PINNED · ' : ''}
            {PANEL_TITLES[id]}
          </button>
        ))}
        {!fullScreen ? (
          <a className="warroom-open" href="/warroom" data-role="view-control">
            Open full screen
          </a>
        ) : null}
      </nav>
    </div>
  );
}
