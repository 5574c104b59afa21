// What a terminal session runs on: a local pty or a pod's exec socket. The session (session.ts)
// only sees this shape, so flow control, coalescing, limits and audit are written once.
import type { Pausable } from './flow-control.js';

export interface SourceEvents {
  /** The shell or command is running; `shell` names what started (bash, sh, /bin/zsh, ...). */
  opened(info: { shell: string; title: string; detail: string }): void;
  data(bytes: Uint8Array): void;
  /** The command ended (code null: it never started, or was killed without a status). */
  exit(code: number | null, reason: string): void;
  /** The connection was lost; nothing more will come. */
  dropped(message: string): void;
}

export interface TerminalSource extends Pausable {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ends the session (kills the pty, closes the exec socket); no events after it. */
  stop(): void;
}
