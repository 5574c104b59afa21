// The live sessions, one per pane, kept while their pane exists: leaving the Terminal view keeps
// every shell running (and its scrollback); closing a pane or tab ends its session.
import { useTerminalStore } from '../../stores/terminal-store';
import { TerminalSession } from './session';
import { installTerminalHook } from './test-hook';

const sessions = new Map<string, TerminalSession>();

/** The pane's session, created (not yet started: that waits for its first attach) on first use. */
export function sessionFor(paneId: string): TerminalSession | undefined {
  const existing = sessions.get(paneId);
  if (existing) return existing;
  const pane = useTerminalStore.getState().panes[paneId];
  if (!pane) return undefined;
  const session = new TerminalSession(paneId, pane.target, (patch) => useTerminalStore.getState().updatePane(paneId, patch));
  sessions.set(paneId, session);
  return session;
}

export const liveSession = (paneId: string): TerminalSession | undefined => sessions.get(paneId);

useTerminalStore.subscribe((state) => {
  for (const [id, session] of sessions) {
    if (state.panes[id]) continue;
    sessions.delete(id);
    session.dispose();
  }
});

installTerminalHook({
  panes: () =>
    Object.values(useTerminalStore.getState().panes).map((p) => {
      const s = sessions.get(p.id);
      return { id: p.id, kind: p.target.kind, status: p.status, title: p.title, sessions: p.sessions, written: s?.written ?? 0, cols: s?.term.cols ?? 0, rows: s?.term.rows ?? 0, renderer: s?.renderer ?? 'none', unicode: s?.term.unicode.activeVersion ?? '' };
    }),
  text: (id, lastLines) => sessions.get(id)?.text(lastLines) ?? '',
  cells: (id, pattern) => sessions.get(id)?.cells(pattern),
  onWritten: (id, listener) => sessions.get(id)?.onWritten(listener) ?? (() => undefined),
});
