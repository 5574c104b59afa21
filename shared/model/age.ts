// Relative ages as kubectl prints them ("45s", "12m", "3h5m", "4d"), for tables and details:
// short enough for a column, with the absolute time kept for the tooltip.

/** Age of an ISO (or epoch-ms) time at `now`, kubectl-style; '' for a missing or unreadable time. */
export function ageText(time: string | number | undefined, now: number = Date.now()): string {
  if (time === undefined || time === '') return '';
  const at = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(at)) return '';
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return `${days}d${hours % 24 ? `${hours % 24}h` : ''}`;
  return days < 365 * 2 ? `${days}d` : `${Math.floor(days / 365)}y${days % 365 ? `${days % 365}d` : ''}`;
}

// What `toLocaleString(undefined, { hour12: false })` prints, made once: that call builds a new
// formatter every time (~0.2 ms), and a table row asks for one or two per render.
let absoluteFormat: Intl.DateTimeFormat | undefined;

/** The absolute local time for a tooltip; '' when unreadable. */
export function absoluteTime(time: string | number | undefined): string {
  if (time === undefined || time === '') return '';
  const at = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(at)) return '';
  absoluteFormat ??= new Intl.DateTimeFormat(undefined, { hour12: false, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return absoluteFormat.format(at);
}
