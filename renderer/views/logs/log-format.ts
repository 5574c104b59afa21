// How one held line is shown: its level's class, its source colour, JSON pretty-printing on demand,
// highlighted search matches, and the text a download writes.
import { Level } from '../../stores/logs-lines';

export const LEVEL_CLASS: Record<number, string> = {
  [Level.None]: '',
  [Level.Debug]: 'lvl-debug',
  [Level.Info]: 'lvl-info',
  [Level.Warn]: 'lvl-warn',
  [Level.Error]: 'lvl-error',
};

/** Source prefix colour: one hue per pod, readable on both themes. */
export const sourceColor = (hue: number): string => `hsl(${hue} 65% 62%)`;

export const looksLikeJson = (text: string): boolean => {
  const t = text.trimStart();
  return t.startsWith('{') && text.trimEnd().endsWith('}');
};

/** The line's JSON indented, or undefined when it does not parse. */
export function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

/** Time as the viewer prints it: UTC with milliseconds, like kubectl --timestamps (shorter). */
export const timeText = (t: number): string => (Number.isFinite(t) && t > 0 ? new Date(t).toISOString().replace('T', ' ').replace('Z', '') : '—');

/** Splits a line into plain and matched parts for <mark>. */
export function splitMatches(text: string, ranges: Array<[number, number]>): Array<{ text: string; hit: boolean }> {
  const out: Array<{ text: string; hit: boolean }> = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
