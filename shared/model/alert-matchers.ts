// Silence matchers as a person types them, one per line: `name=value`, `name=~regex`, `name!=value`,
// `name!~regex` (quotes around the value optional), and back.
import type { SilenceMatcher } from './alert.js';

export const matcherLine = (m: SilenceMatcher): string => `${m.name}${m.isEqual ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!='}${m.value}`;

/** Parses matcher lines; the error names the line a person got wrong, and blank lines are skipped. */
export function parseMatchers(text: string): { matchers: SilenceMatcher[]; error?: string } {
  const matchers: SilenceMatcher[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/.exec(line);
    if (!m) return { matchers, error: `Line ${i + 1} ("${line}") is not name=value (or =~, !=, !~).` };
    const quoted = /^"(.*)"$/.exec(m[3]);
    const value = quoted ? quoted[1] : m[3];
    if (m[2].endsWith('~')) {
      try {
        new RegExp(value);
      } catch {
        return { matchers, error: `Line ${i + 1}: "${value}" is not a valid regular expression.` };
      }
    }
    matchers.push({ name: m[1], value, isRegex: m[2].endsWith('~'), isEqual: !m[2].startsWith('!') });
  }
  return { matchers };
}
