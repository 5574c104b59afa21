// One pane: its header (title, where it runs, state), the xterm, the search bar and the banners
// for a dropped connection (Reconnect: a new session) or an ended shell (Restart).
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useTerminalStore, type PaneState } from '../../stores/terminal-store';
import { reachesConsole } from './keys';
import { SEARCH_DECORATIONS } from './session';
import { sessionFor } from './sessions';

const STATUS_TEXT: Record<PaneState['status'], string> = { connecting: 'connecting…', open: 'live', exited: 'exited', dropped: 'dropped', error: 'failed' };

export function TerminalPane({ pane, active, onClose }: { pane: PaneState; active: boolean; onClose(): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [searching, setSearching] = useState(false);
  const setActivePane = useTerminalStore((s) => s.setActivePane);

  useEffect(() => {
    const session = sessionFor(pane.id);
    const el = box.current;
    if (!session || !el) return;
    session.attach(el);
    session.onSearchKey = () => setSearching(true);
    // Keys typed into the terminal are the shell's: the console's shortcuts (Ctrl+K, g, :, ?) do
    // not see them, except the escape hatch to the palette.
    const keep = (e: KeyboardEvent) => {
      if (!reachesConsole(e)) e.stopPropagation();
    };
    el.addEventListener('keydown', keep);
    return () => {
      el.removeEventListener('keydown', keep);
      session.onSearchKey = () => undefined;
      session.detach();
    };
  }, [pane.id]);

  useEffect(() => {
    if (active && !searching) sessionFor(pane.id)?.focus();
  }, [active, searching, pane.id]);

  const restart = (note: string) => {
    sessionFor(pane.id)?.start(note);
    sessionFor(pane.id)?.focus();
  };
  const isPod = pane.target.kind === 'exec';

  return (
    <section className={`term-pane${active ? ' active' : ''}`} aria-label={`Terminal ${pane.title}`} data-testid="terminal-pane" data-pane={pane.id} data-status={pane.status} onMouseDown={() => setActivePane(pane.id)}>
      <header className="term-pane-head">
        <span className={`term-dot term-${pane.status}`} aria-hidden="true" />
        <strong className="term-title">{pane.title}</strong>
        <span className="muted term-detail">{pane.detail ?? ''}</span>
        <span className="muted term-state" data-testid="terminal-state">
          {STATUS_TEXT[pane.status]}
        </span>
        <button type="button" className="ghost" aria-label="Search in terminal (Ctrl+Shift+F)" title="Search (Ctrl+Shift+F)" onClick={() => setSearching(true)}>
          ⌕
        </button>
        <button type="button" className="ghost" aria-label={`Close pane ${pane.title}`} onClick={onClose}>
          ✕
        </button>
      </header>
      {searching ? <SearchBar paneId={pane.id} onClose={() => setSearching(false)} /> : null}
      {pane.status === 'dropped' ? (
        <div className="term-banner warning" role="alert" data-testid="terminal-dropped">
          <span>
            {pane.message ?? 'The connection was lost.'}
            {/* Said once: the server's message may already say it. */}
            {/cannot be resumed/.test(pane.message ?? '') ? '' : isPod ? ' A pod shell cannot be resumed: reconnecting opens a new session.' : ' Reconnecting opens a new session.'}
          </span>
          <button type="button" className="primary" onClick={() => restart(isPod ? 'reconnected: a pod shell cannot be resumed; this is a new session' : 'reconnected: this is a new session')}>
            Reconnect
          </button>
        </div>
      ) : null}
      {pane.status === 'exited' || pane.status === 'error' ? (
        <div className={`term-banner ${pane.status === 'error' ? 'error' : ''}`} role="status" data-testid="terminal-exited">
          <span>
            {pane.status === 'error' ? `Could not open the terminal: ${pane.message ?? ''}` : `The shell exited${pane.exitCode === null || pane.exitCode === undefined ? '' : ` with code ${pane.exitCode}`}${pane.message ? ` — ${pane.message}` : ''}.`}
          </span>
          <button type="button" onClick={() => restart('restarted: a new session')}>
            {pane.status === 'error' ? 'Retry' : 'Restart'}
          </button>
        </div>
      ) : null}
      <div className="term-box" ref={box} />
    </section>
  );
}

function SearchBar({ paneId, onClose }: { paneId: string; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ index: number; count: number }>();
  const input = useRef<HTMLInputElement>(null);
  const session = sessionFor(paneId);

  useEffect(() => {
    input.current?.focus();
    const sub = session?.search.onDidChangeResults((r) => setFound({ index: r.resultIndex, count: r.resultCount }));
    return () => {
      sub?.dispose();
      session?.search.clearDecorations();
    };
  }, [session]);

  const find = (backwards: boolean, text = query) => {
    if (!session || !text) return setFound(undefined);
    const options = { incremental: !backwards, decorations: SEARCH_DECORATIONS };
    if (backwards) session.search.findPrevious(text, options);
    else session.search.findNext(text, options);
  };
  const close = () => {
    onClose();
    session?.focus();
  };
  const onKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    e.stopPropagation();
    if (e.key === 'Enter') {
      e.preventDefault();
      find(e.shiftKey);
    } else if (e.key === 'Escape') close();
  };

  return (
    <div className="term-search" role="search" data-testid="terminal-search">
      <input
        ref={input}
        type="search"
        aria-label="Find in terminal"
        placeholder="Find (Enter next, Shift+Enter previous)"
        value={query}
        onKeyDown={onKey}
        onChange={(e) => {
          setQuery(e.target.value);
          find(false, e.target.value);
        }}
      />
      <span className="muted" data-testid="terminal-search-count">
        {!query ? '' : found && found.count > 0 ? `${found.index + 1} of ${found.count}` : 'no match'}
      </span>
      <button type="button" onClick={() => find(true)} aria-label="Previous match">
        ↑
      </button>
      <button type="button" onClick={() => find(false)} aria-label="Next match">
        ↓
      </button>
      <button type="button" className="ghost" onClick={close} aria-label="Close search">
        ✕
      </button>
    </div>
  );
}
