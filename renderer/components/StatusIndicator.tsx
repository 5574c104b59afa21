// Connection and staleness at a glance: the link to the Flightdeck server and the active context's
// cluster state, with since-when. Stale data is never shown as live.
import { useEffect, useState } from 'react';
import { useAppStore } from '../stores/app-store';

export function since(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export function StatusIndicator() {
  const link = useAppStore((s) => s.link);
  const active = useAppStore((s) => s.activeContext);
  const status = useAppStore((s) => (s.activeContext ? s.statuses[s.activeContext] : undefined));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  let tone = 'unknown';
  let label: string;
  let title: string;
  if (link.state !== 'open') {
    tone = 'failing';
    label = link.state === 'connecting' ? 'connecting…' : `server link lost ${since(link.since, now)} ago`;
    title = link.reason ?? 'Connecting to the Flightdeck server';
  } else if (!active) {
    label = 'no cluster';
    title = 'No cluster configured';
  } else if (!status) {
    label = 'connecting…';
    title = `Connecting to ${active}`;
  } else {
    tone = status.state === 'live' ? 'ok' : status.state === 'connecting' || status.state === 'degraded' ? 'warning' : 'failing';
    const age = since(Date.parse(status.since), now);
    label = status.state === 'live' ? 'live' : `${status.state} · since ${age}`;
    title = `${active}: ${status.state}${status.reason ? ` — ${status.reason}` : ''} (since ${new Date(status.since).toLocaleTimeString()})`;
  }
  return (
    <div className={`status-indicator tone-${tone}`} title={title} role="status" aria-live="polite" data-testid="connection-status">
      <span className="dot" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
