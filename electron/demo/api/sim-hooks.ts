// What the API needs from the workload simulation (electron/demo/sim): pod log lines and exec
// sessions. index.ts passes the real implementations in; the API only knows these signatures,
// which are the simulation's own types.
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store.js';
import type { LogLineStream, LogOptions } from '../sim/logs.js';
import type { ExecSession } from '../sim/shell.js';

export type { LogLineStream, LogOptions, ExecSession };

export interface SimHooks {
  podLogStream?: (store: ObjectStore, clock: DemoClock, pod: KubeObject, opts: LogOptions) => LogLineStream;
  openExecSession?: (store: ObjectStore, pod: KubeObject, container: string, command: string[], io: { tty: boolean }) => ExecSession;
}
