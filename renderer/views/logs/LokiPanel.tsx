// Loki, when the context has one (Settings → log store): a LogQL box, a range, a label browser
// that writes stream selectors, "Run" (query_range) and "Live tail". Lines land in the same viewer.
import { useEffect, useState } from 'react';
import { getApi } from '../../api/client';
import type { FollowSpec } from '../../stores/logs-store';

const RANGES: Array<[string, number]> = [
  ['5 min', 300_000],
  ['1 hour', 3_600_000],
  ['6 hours', 21_600_000],
  ['1 day', 86_400_000],
  ['7 days', 604_800_000],
];

function LabelBrowser({ context, onPick }: { context: string; onPick: (label: string, value: string) => void }) {
  const [labels, setLabels] = useState<string[]>();
  const [open, setOpen] = useState<string>();
  const [values, setValues] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stale = false;
    getApi()
      .call('logs.lokiLabels', { context })
      .then((a) => !stale && setLabels(a.labels))
      .catch((e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stale = true;
    };
  }, [context]);
  useEffect(() => {
    if (!open) return;
    let stale = false;
    getApi()
      .call('logs.lokiLabelValues', { context, name: open })
      .then((a) => !stale && setValues(a.values))
      .catch((e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stale = true;
    };
  }, [context, open]);
  if (error) return <p className="dialog-error">{error}</p>;
  if (!labels) return <p className="muted">Loading labels…</p>;
  return (
    <div className="loki-labels" data-testid="loki-labels">
      {labels.map((l) => (
        <button type="button" key={l} className={`chip${open === l ? ' active' : ''}`} onClick={() => setOpen(open === l ? undefined : l)}>
          {l}
        </button>
      ))}
      {open && (
        <div className="loki-values">
          {values.map((v) => (
            <button type="button" key={v} className="chip" onClick={() => onPick(open, v)}>
              {v}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Adds label="value" to the query's first stream selector (or starts one). */
function withMatcher(query: string, label: string, value: string): string {
  const matcher = `${label}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const m = /\{([^}]*)\}/.exec(query);
  if (!m) return `{${matcher}}${query ? ` ${query}` : ''}`;
  const inner = m[1].trim();
  return query.replace(m[0], `{${inner ? `${inner}, ` : ''}${matcher}}`);
}

export function LokiPanel({ context, onStart }: { context: string; onStart: (spec: FollowSpec) => void }) {
  const [source, setSource] = useState<{ configured: boolean; detail: string; url?: string }>();
  const [query, setQuery] = useState('');
  const [range, setRange] = useState(3_600_000);
  const [limit, setLimit] = useState(5_000);
  useEffect(() => {
    let stale = false;
    getApi()
      .call('logs.lokiSource', { context })
      .then((s) => !stale && setSource(s))
      .catch((e: unknown) => !stale && setSource({ configured: false, detail: e instanceof Error ? e.message : String(e) }));
    return () => {
      stale = true;
    };
  }, [context]);
  if (!source) return <p className="muted">Looking for this context’s Loki…</p>;
  if (!source.configured)
    return (
      <p className="muted" data-testid="loki-none">
        No Loki for {context}: {source.detail} Set its URL under <a href="#/settings">Settings → log store</a>.
      </p>
    );
  const run = () => {
    const end = Date.now();
    onStart({ kind: 'lokiQuery', context, query, start: end - range, end, limit });
  };
  return (
    <div className="loki-panel" data-testid="loki-panel">
      <form
        className="logs-picker"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) run();
        }}
      >
        <input className="loki-query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder='{namespace="inference"} |= "error"' aria-label="LogQL query" spellCheck={false} />
        <select value={range} onChange={(e) => setRange(Number(e.target.value))} aria-label="Range">
          {RANGES.map(([label, ms]) => (
            <option key={ms} value={ms}>
              last {label}
            </option>
          ))}
        </select>
        <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} aria-label="Line limit">
          {[1_000, 5_000, 20_000, 50_000].map((n) => (
            <option key={n} value={n}>
              {n.toLocaleString()} lines
            </option>
          ))}
        </select>
        <button type="submit" className="primary" disabled={!query.trim()}>
          Run
        </button>
        <button type="button" disabled={!query.trim()} onClick={() => onStart({ kind: 'lokiTail', context, query })}>
          Live tail
        </button>
        <span className="muted">{source.url}</span>
      </form>
      <LabelBrowser context={context} onPick={(l, v) => setQuery((q) => withMatcher(q, l, v))} />
    </div>
  );
}
