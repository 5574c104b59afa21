// Pod exec without a transport: which requests may start one (the checks the apiserver makes
// before upgrading), running the workload simulation's mini-shell, and the Status it ends with.
// exec-websocket.ts and exec-spdy.ts carry the bytes; both share everything here, so kubectl over
// SPDY and client-node over WebSocket see the same shell and the same exit codes.
import type { ObjectStore } from '../store.js';
import { pickContainer } from './logs.js';
import type { SimHooks } from './sim-hooks.js';
import { ApiError, badRequest, statusBody } from './status.js';

export interface ExecPlan {
  container: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** The Status a session ends with, as the kubelet writes it on the error/status channel. */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: { reason: string; message: string }[] };
}

export interface ExecOutput {
  /** False (exactly) when the transport is full: the session waits for ExecControl.resumeOutput(). */
  stdout(b: Buffer): unknown;
  stderr(b: Buffer): void;
  /** Called once, after the last output. */
  exit(status: ExecStatus): void;
}

export interface ExecControl {
  writeStdin(b: Buffer): void;
  closeStdin(): void;
  resize(width: number, height: number): void;
  /** The transport has room again. */
  resumeOutput(): void;
  /** The client left: stop without reporting. */
  kill(): void;
}

const flag = (q: URLSearchParams, k: string) => q.get(k) === 'true' || q.get(k) === '1';

/** Validates an exec request; throws an ApiError the caller answers with before upgrading. */
export function planExec(store: ObjectStore, sim: SimHooks, namespace: string, name: string, q: URLSearchParams): ExecPlan {
  const pod = store.peekOne('pods', namespace, name);
  if (!pod) throw new ApiError(statusBody(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
  const command = q.getAll('command');
  if (!command.length) throw badRequest('you must specify at least 1 command');
  const container = pickContainer(pod, q.get('container'), false);
  const phase = (pod as { status?: { phase?: string } }).status?.phase;
  if (phase !== 'Running') {
    throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  }
  if (!sim.openExecSession) {
    throw new ApiError(statusBody(503, 'ServiceUnavailable', 'exec is not available: the demo fleet was started without its workload simulation'));
  }
  return { container, command, tty: flag(q, 'tty'), stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') };
}

export function exitStatus(code: number, command: string[]): ExecStatus {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** A resize message: JSON `{"Width":W,"Height":H}` (either case); undefined when malformed. */
export function parseResize(payload: Buffer): { width: number; height: number } | undefined {
  try {
    const size = JSON.parse(payload.toString('utf8')) as { Width?: unknown; Height?: unknown; width?: unknown; height?: unknown };
    const width = Number(size.Width ?? size.width);
    const height = Number(size.Height ?? size.height);
    if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) return undefined;
    return { width, height };
  } catch {
    return undefined;
  }
}

/**
 * Starts the mini-shell for a planned exec. The pod may have gone between planning and the
 * upgrade; then (or if the shell cannot start) the session ends at once with a Failure status.
 */
export function runExec(store: ObjectStore, sim: SimHooks, namespace: string, name: string, plan: ExecPlan, out: ExecOutput): ExecControl {
  const idle: ExecControl = { writeStdin: () => undefined, closeStdin: () => undefined, resize: () => undefined, resumeOutput: () => undefined, kill: () => undefined };
  const pod = store.get('pods', namespace, name);
  if (!pod || !sim.openExecSession) {
    out.exit({ metadata: {}, status: 'Failure', message: `pods "${name}" not found`, reason: 'NotFound', code: 404 });
    return idle;
  }
  let session;
  try {
    session = sim.openExecSession(store, pod, plan.container, plan.command, { tty: plan.tty });
  } catch (e) {
    out.exit({ metadata: {}, status: 'Failure', message: (e as Error).message, reason: 'InternalError', code: 500 });
    return idle;
  }
  let done = false;
  session.onStdout((b) => out.stdout(b));
  session.onStderr((b) => out.stderr(b));
  session.onExit((code) => {
    if (done) return;
    done = true;
    out.exit(exitStatus(code, plan.command));
  });
  if (!plan.stdin) session.closeStdin();
  return {
    writeStdin: (b) => session.writeStdin(b),
    closeStdin: () => session.closeStdin(),
    resize: (w, h) => session.resize(w, h),
    resumeOutput: () => session.resumeOutput(),
    kill: () => {
      if (done) return;
      done = true;
      session.kill();
    },
  };
}
