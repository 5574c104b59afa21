// The local shell: node-pty running the user's shell ($SHELL, else bash; COMSPEC on Windows) in
// their home directory, with KUBECONFIG pointing at a temporary kubeconfig whose current context
// is the console's. node-pty is loaded on first use; a machine without a working binary gets a
// clear reason (terminal.capabilities) instead of a failed start.
import { homedir } from 'node:os';
import type * as NodePty from '@lydell/node-pty';
import type { KubeConfig } from '@kubernetes/client-node';
import { writeTempKubeconfig } from './temp-kubeconfig.js';
import type { SourceEvents, TerminalSource } from './source.js';

type PtyModule = typeof NodePty;

let loading: Promise<{ pty?: PtyModule; reason?: string }> | undefined;

/** node-pty, or why it cannot be used here. Loaded once. */
export function loadPty(): Promise<{ pty?: PtyModule; reason?: string }> {
  loading ??= import('@lydell/node-pty').then(
    (pty) => ({ pty }),
    (error: unknown) => ({
      reason: `The local shell needs node-pty, which failed to load on ${process.platform}-${process.arch} (${error instanceof Error ? error.message : String(error)}). Reinstall Flightdeck's dependencies (npm ci).`,
    }),
  );
  return loading;
}

export interface LocalShellOptions {
  dataDir: string;
  config: KubeConfig;
  context: string | undefined;
  cols: number;
  rows: number;
  /** Replaces $SHELL (tests). */
  shell?: string;
  env?: NodeJS.ProcessEnv;
}

export function userShell(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.COMSPEC || 'powershell.exe';
  return env.SHELL || 'bash';
}

export async function openLocalShell(options: LocalShellOptions, events: SourceEvents): Promise<TerminalSource> {
  const { pty, reason } = await loadPty();
  if (!pty) throw new Error(reason);
  const env = { ...(options.env ?? process.env) };
  // Our own Electron and Node switches are not the shell's.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  const kubeconfig = options.context ? writeTempKubeconfig(options.dataDir, options.config, options.context) : undefined;
  if (kubeconfig) env.KUBECONFIG = kubeconfig.path;
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  const shell = options.shell ?? userShell(env);
  let proc: NodePty.IPty;
  try {
    proc = pty.spawn(shell, [], { name: 'xterm-256color', cols: options.cols, rows: options.rows, cwd: homedir(), env, encoding: null });
  } catch (error) {
    kubeconfig?.remove();
    throw error;
  }
  let stopped = false;
  // With encoding null, node-pty hands out the raw bytes (its types say string).
  proc.onData((data: string | Buffer) => {
    if (!stopped) events.data(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  });
  proc.onExit(({ exitCode, signal }) => {
    kubeconfig?.remove();
    if (stopped) return;
    stopped = true;
    events.exit(signal ? null : exitCode, signal ? `the shell was ended by signal ${signal}` : `the shell exited with code ${exitCode}`);
  });
  events.opened({ shell, title: `local: ${shell.split(/[\\/]/).pop() ?? shell}`, detail: options.context ? `this machine · kubectl context ${options.context}` : 'this machine' });
  return {
    write: (data) => {
      if (!stopped) proc.write(data);
    },
    resize: (cols, rows) => {
      if (!stopped) proc.resize(cols, rows);
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        proc.kill();
      } finally {
        kubeconfig?.remove();
      }
    },
  };
}
