// How each step kind runs. Shell and kubectl steps are child processes of the main process (so they
// outlive a closed or reloaded window) with the run's context as KUBECONFIG's current context;
// promql steps query the context's Prometheus and compare every sample with the expectation.
import { spawn, type ChildProcess } from 'node:child_process';
import { meetsExpectation, type RunbookStep } from '../../../shared/model/runbook.js';

export interface InstantQueryClient {
  query(promql: string): Promise<{ data: unknown }>;
}

export interface StepProcess {
  child: ChildProcess;
  /** Resolves with the exit code (signals count as 128 + n, like a shell). */
  done: Promise<number>;
  /** SIGTERM to the step's whole process group (a pipeline, a `kubectl … -w`), SIGKILL after `graceMs`. */
  stop(graceMs?: number): void;
}

/** How long a stopped step's processes get to exit after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;

/** kubectl blocks may omit the leading `kubectl` on each command line. */
export function kubectlScript(code: string): string {
  const lines = code.split('\n');
  return lines
    .map((line, i) => {
      const t = line.trim();
      const continued = i > 0 && lines[i - 1].trimEnd().endsWith('\\');
      if (continued || !t || t.startsWith('#') || /^kubectl\b/.test(t) || /^[|&;)-]/.test(t)) return line;
      return `kubectl ${t}`;
    })
    .join('\n');
}

export function spawnShellStep(step: RunbookStep, env: NodeJS.ProcessEnv, onOutput: (chunk: string) => void): StepProcess {
  const script = step.kind === 'kubectl' ? kubectlScript(step.code) : step.code;
  // -e and pipefail: a runbook step fails at its first failing command, as a person would stop.
  // Its own process group (detached), so stopping it reaches every process of a pipeline.
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  child.stdout?.setEncoding('utf8').on('data', onOutput);
  child.stderr?.setEncoding('utf8').on('data', onOutput);
  const done = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      onOutput(`could not start bash: ${error.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1)));
  });
  let exited = false;
  void done.then(() => (exited = true));
  const signalGroup = (signal: NodeJS.Signals) => {
    if (exited || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = (graceMs = STOP_GRACE_MS) => {
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    timer.unref();
    void done.then(() => clearTimeout(timer));
  };
  return { child, done, stop };
}

const signalNumber = (signal: NodeJS.Signals) => ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 })[signal as string];

type Sample = { metric: Record<string, string>; value: [number, string] };

/** Runs a promql step: output lists each sample; exit 0 when every sample meets the expectation. */
export async function runPromqlStep(step: RunbookStep, client: InstantQueryClient | undefined): Promise<{ exitCode: number; output: string }> {
  if (!client) return { exitCode: 2, output: 'No Prometheus for this context (set one in Settings): the query could not be evaluated.\n' };
  const answer = await client.query(step.code);
  const data = answer.data as { resultType?: string; result?: unknown };
  let samples: Sample[];
  if (data.resultType === 'vector') samples = data.result as Sample[];
  else if (data.resultType === 'scalar') samples = [{ metric: {}, value: data.result as [number, string] }];
  else return { exitCode: 2, output: `The query answered a ${data.resultType ?? 'unknown'} result; a promql step needs an instant vector or a scalar.\n` };
  const lines = samples.map((s) => {
    const labels = Object.entries(s.metric)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    const value = Number(s.value[1]);
    const ok = step.expect ? meetsExpectation(value, step.expect) : true;
    return `${ok ? 'ok  ' : 'FAIL'} {${labels}} ${s.value[1]}`;
  });
  const failing = step.expect ? samples.filter((s) => !meetsExpectation(Number(s.value[1]), step.expect!)).length : 0;
  const verdict = step.expect ? `${samples.length - failing}/${samples.length} samples meet ${step.expect.op} ${step.expect.value}` : `${samples.length} samples`;
  // An expectation nothing answered cannot be said to hold: no samples fails the step.
  const empty = samples.length === 0 ? `No samples: the series does not exist (yet) in this Prometheus${step.expect ? ', so the expectation cannot be checked' : ''}.\n` : '';
  const exitCode = failing > 0 || (step.expect && samples.length === 0) ? 1 : 0;
  return { exitCode, output: `${lines.join('\n')}${lines.length ? '\n' : ''}${empty}${verdict}\n` };
}
