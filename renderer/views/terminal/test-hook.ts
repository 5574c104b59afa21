// The window hook e2e tests and the terminal bench read terminals through (test/e2e/terminal*.test.ts,
// test/bench/terminal.ts): what each pane is, its text as xterm holds it, and its written output.
export interface TerminalPaneInfo {
  id: string;
  kind: 'local' | 'exec';
  status: string;
  title: string;
  /** Sessions this pane has opened (a reconnect makes it 2). */
  sessions: number;
  /** Characters of output xterm has written (write callbacks). */
  written: number;
  cols: number;
  rows: number;
  renderer: 'webgl' | 'dom' | 'none';
  /** xterm's active Unicode version (character widths): '11'. */
  unicode: string;
}

export interface TerminalHook {
  panes(): TerminalPaneInfo[];
  /** The pane's buffer as text (the last `lastLines` lines, or all of it). */
  text(paneId: string, lastLines?: number): string;
  /** The cells of the last line containing `pattern` ('' for a wide character's second cell). */
  cells(paneId: string, pattern: string): string[] | undefined;
  /** Calls `listener` with each output chunk once xterm has written it; returns the unsubscribe. */
  onWritten(paneId: string, listener: (data: string) => void): () => void;
}

declare global {
  interface Window {
    __flightdeckTerminal?: TerminalHook;
  }
}

export function installTerminalHook(hook: TerminalHook): void {
  window.__flightdeckTerminal = hook;
}
