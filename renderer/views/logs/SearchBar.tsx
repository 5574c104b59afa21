// Search over every held line (in the worker): plain or regex, case, filter-to-matches, previous /
// next, the count, and a bad regex said plainly.
import { useEffect, useRef, useState } from 'react';
import { matches, useLogsStore } from '../../stores/logs-store';

export function SearchBar() {
  // One selector each: the bar re-renders when the search changes, not when lines arrive.
  const search = useLogsStore((s) => s.search);
  const searchError = useLogsStore((s) => s.searchError);
  const searching = useLogsStore((s) => s.searching);
  const current = useLogsStore((s) => s.current);
  const searchMs = useLogsStore((s) => s.searchMs);
  const matchesVersion = useLogsStore((s) => s.matchesVersion);
  const setSearch = useLogsStore((s) => s.setSearch);
  const step = useLogsStore((s) => s.step);
  const [text, setText] = useState(search.text);
  const box = useRef<HTMLInputElement>(null);

  // Typing is debounced a little: each keystroke is not a search over a million lines.
  useEffect(() => {
    if (text === useLogsStore.getState().search.text) return;
    const timer = setTimeout(() => setSearch({ text }), 150);
    return () => clearTimeout(timer);
  }, [text, setSearch]);

  // "/" focuses the search box (less, k9s).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      if (e.key === '/' && !typing) {
        e.preventDefault();
        box.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const count = matches.length;
  return (
    <div className="logs-search" role="search" data-matches-version={matchesVersion}>
      <input
        ref={box}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          if (text !== search.text) setSearch({ text });
          else step(e.shiftKey ? -1 : 1);
        }}
        placeholder={search.regex ? 'Regex, e.g. timeout|5\\d\\d' : 'Search held lines (/)'}
        aria-label="Search logs"
        spellCheck={false}
        className={searchError ? 'invalid' : ''}
        data-testid="logs-search"
      />
      <button type="button" className={`toggle${search.regex ? ' on' : ''}`} aria-pressed={search.regex} title="Regular expression" onClick={() => setSearch({ regex: !search.regex })}>
        .*
      </button>
      <button type="button" className={`toggle${search.caseSensitive ? ' on' : ''}`} aria-pressed={search.caseSensitive} title="Match case" onClick={() => setSearch({ caseSensitive: !search.caseSensitive })}>
        Aa
      </button>
      <button type="button" className={`toggle${search.filter ? ' on' : ''}`} aria-pressed={search.filter} title="Show only matching lines" onClick={() => setSearch({ filter: !search.filter })} data-testid="logs-filter">
        only matches
      </button>
      <button type="button" onClick={() => step(-1)} disabled={count === 0} aria-label="Previous match" data-testid="logs-prev">
        ↑
      </button>
      <button type="button" onClick={() => step(1)} disabled={count === 0} aria-label="Next match" data-testid="logs-next">
        ↓
      </button>
      <span className={searchError ? 'dialog-error' : 'muted'} data-testid="logs-match-count" data-search-ms={searchMs ? searchMs.roundTrip.toFixed(1) : undefined} data-worker-ms={searchMs ? searchMs.worker.toFixed(1) : undefined} role="status">
        {searchError ??
          (search.text === ''
            ? ''
            : searching
              ? 'Searching…'
              : count === 0
                ? 'No line matches'
                : `${Math.min(current + 1, count).toLocaleString('en-US')} / ${count.toLocaleString('en-US')} lines`)}
      </span>
    </div>
  );
}
