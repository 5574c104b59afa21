// Time ranges the metric views share: presets that follow "now" (live) or a fixed custom window.
export type RangePreset = '15m' | '1h' | '6h' | '24h' | 'custom';
export const PRESET_SECONDS: Record<Exclude<RangePreset, 'custom'>, number> = { '15m': 900, '1h': 3600, '6h': 21_600, '24h': 86_400 };

export interface RangeChoice {
  preset: RangePreset;
  /** Unix seconds, for custom. */
  start?: number;
  end?: number;
}

export function resolveRange(choice: RangeChoice, now = Date.now() / 1000): { start: number; end: number } {
  if (choice.preset === 'custom' && choice.start !== undefined && choice.end !== undefined && choice.end > choice.start) return { start: choice.start, end: choice.end };
  const seconds = choice.preset === 'custom' ? 3600 : PRESET_SECONDS[choice.preset];
  const end = Math.floor(now);
  return { start: end - seconds, end };
}

/** Refresh every 15 s; after failures wait longer (30, 60, 120 s) so a sick Prometheus is not hammered. */
export const refreshDelayMs = (failures: number): number => Math.min(120_000, 15_000 * 2 ** Math.min(failures, 3));

export const formatTime = (unixSeconds: number): string => {
  const d = new Date(unixSeconds * 1000);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
};

export const formatSince = (iso?: string): string => {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  const ago = seconds < 90 ? `${seconds} s` : seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
  return `${new Date(iso).toLocaleTimeString(undefined, { hour12: false })} (${ago} ago)`;
};
