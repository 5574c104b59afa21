// What the API needs from the workload simulation (electron/demo/sim, another engineer's area):
// pod log lines and exec sessions. index.ts passes the real implementations in; the API only
// knows these signatures.
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store.js';

export interface LogOptions {
  container: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  previous: boolean;
}

export interface ExecSession {
  onStdout(cb: (b: Buffer) => void): void;
  onStderr(cb: (b: Buffer) => void): void;
  onExit(cb: (code: number) => void): void;
  writeStdin(b: Buffer): void;
  closeStdin(): void;
  resize(w: number, h: number): void;
  kill(): void;
}

export interface SimHooks {
  podLogStream?: (store: ObjectStore, clock: DemoClock, pod: KubeObject, opts: LogOptions) => AsyncIterable<string>;
  openExecSession?: (store: ObjectStore, pod: KubeObject, container: string, command: string[], io: { tty: boolean }) => ExecSession;
}
