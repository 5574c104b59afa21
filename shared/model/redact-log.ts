// Log lines get the console's redactor (redact.ts: URL passwords, secret-looking flags) plus what
// logs print and other payloads do not: `Authorization: Bearer <token>` and `password=<value>`
// style assignments (logfmt `key=value`, JSON `"key": "value"`). Keys must END in a secret word,
// so `prompt_tokens=812` or `max_batch_tokens: 16384` stay readable. Pure, like redact.ts.
import { isRedactionMarker, type Redactor } from './redact.js';

const PRECHECK = /bearer|pass|pwd|secret|token|key/i;
const BEARER = /\b(bearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const SECRET_WORD = '(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key)';
// logfmt / query string / env style: key=value (value quoted or bare).
const ASSIGNMENT = new RegExp(`(\\b[A-Za-z0-9_.-]*${SECRET_WORD}=)("[^"]*"|'[^']*'|[^\\s&,;"'}\\]]+)`, 'gi');
// JSON: "key": "value".
const JSON_FIELD = new RegExp(`("[A-Za-z0-9_.-]*${SECRET_WORD}"\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'gi');

const unquote = (v: string) => (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1) : v);

/** One log line with every secret-looking value replaced by the redactor's marker. */
export function redactLogText(redactor: Redactor, text: string): string {
  let out = redactor.redactText(text);
  if (!PRECHECK.test(out)) return out;
  const mask = (value: string) => (value === '' || isRedactionMarker(value) ? value : redactor.marker(value));
  out = out.replace(BEARER, (_m, head: string, token: string) => head + mask(token));
  out = out.replace(ASSIGNMENT, (whole: string, head: string, value: string) => (value.startsWith('<redacted') ? whole : head + mask(unquote(value))));
  out = out.replace(JSON_FIELD, (_m, head: string, value: string) => `${head}"${mask(value)}"`);
  return out;
}
