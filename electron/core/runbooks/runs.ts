// The executor: runs live in the main process (a closed or reloaded window reattaches through
// `runbooks.watchRun`), one step at a time, each journaled and fsync'd before it starts and after
// it ends. Before every step the runbook file is hashed again: a runbook edited during a run is
// refused, not half-applied. Action steps run only through the action road's prepare → confirm →
// execute; a completed step is never run again, and an interrupted one only when the user says so.
// Shell and kubectl steps that may change the cluster are confirmed (or the run is unattended),
// RBAC-checked from their kubectl command lines and audited like the road's actions (change-guard).
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ContractError } from '../../../shared/contract-kit.js';
import { maskSecrets, maskedInputs, resolveInputs, resolveStep, type Inputs, type RunbookStep } from '../../../shared/model/runbook.js';
import type { ActionPlan } from '../../../shared/contract/actions.js';
import type { RunState, StepReview, StepState } from '../../../shared/contract/runbooks.js';
import type { AccessReviewer, ActionRoad } from '../actions/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Session } from '../contract-server.js';
import { writePrivateFileAtomic } from '../files/index.js';
import { journalPath, listJournals, openJournal, readJournal, runsDir, type Journal, type JournalRecord } from './journal.js';
import type { RunbookLibrary } from './library.js';
import { describeStep, isDone, overallStatus, stateFromJournal } from './run-state.js';
import { runPromqlStep, spawnShellStep, type InstantQueryClient, type StepProcess } from './step-runners.js';
import { changesCluster, createChangeGuard, type ChangeAudit } from './change-guard.js';

export interface RunsDeps {
  dataDir: string;
  library: RunbookLibrary;
  road: ActionRoad;
  /** A kubeconfig (YAML or JSON text) whose current context is `context`. */
  kubeconfigText(context: string): string;
  prometheus(context: string): Promise<InstantQueryClient | undefined>;
  /** The road's audit log: steps that may change the cluster are recorded there too. */
  audit: Pick<AuditLog, 'append'>;
  /** The road's reviewer: the kubectl changes of a step are asked of it before the step runs. */
  reviewer: AccessReviewer;
  /** The namespace kubectl uses in `context` when a command names none. */
  defaultNamespace?(context: string): string | undefined;
  now?: () => number;
}

const OUTPUT_CAP = 256 * 1024;
const EMIT_EVERY_MS = 100;

interface ActiveRun {
  state: RunState;
  values: Inputs;
  steps: RunbookStep[];
  journal: Journal;
  listeners: Set<(state: RunState) => void>;
  busy?: string;
  emitTimer?: NodeJS.Timeout;
  /** Plans made for this run's action steps: a token only executes the step it was planned for. */
  tokens: Map<string, string>;
  /** The running shell/kubectl step's processes, while one runs. */
  process?: StepProcess;
  /** Who asked to stop the running step, so its end says why it failed. */
  stoppedBy?: string;
}

export interface RunManager {
  start(runbookId: string, context: string | undefined, inputs: Inputs, session: Session): RunState;
  /** A step that may change the cluster needs `confirmChange` (the person saw runbooks.reviewStep). */
  runStep(runId: string, stepId: string, confirmRerun: boolean, session: Session, options?: { confirmChange?: boolean }): Promise<RunState>;
  /** The step's resolved command, context and RBAC verdict: what its confirmation shows. */
  reviewStep(runId: string, stepId: string): Promise<StepReview>;
  skipStep(runId: string, stepId: string, session: Session): RunState;
  /** Stops the running shell/kubectl step (SIGTERM to its process group, SIGKILL after a grace); it ends failed. */
  stopStep(runId: string, stepId: string, session: Session): RunState;
  /**
   * Runs the remaining steps in order, stopping at the first failure. Interactive: stops at action
   * and manual steps. `unattended`: action steps are planned and executed through the action road
   * without a dialog (audited as usual; refused when RBAC forbids or the context needs a typed
   * confirmation), manual steps still stop the run.
   */
  runToEnd(runId: string, session: Session, options?: { unattended?: boolean }): RunState;
  prepareAction(runId: string, stepId: string, session: Session): Promise<ActionPlan>;
  executeAction(runId: string, stepId: string, token: string, confirmText: string | undefined, confirmRerun: boolean, session: Session): Promise<RunState>;
  resume(runId: string, inputs: Inputs, session: Session): RunState;
  get(runId: string): RunState;
  list(): { runs: RunState[]; problems: string[] };
  watch(runId: string, listener: (state: RunState) => void): () => void;
  /** Resolves when the run's current step (if any) has finished: tests and run-to-end. */
  idle(runId: string): Promise<void>;
  dryRun(runbookId: string, context: string | undefined, inputs: Inputs): { steps: Array<{ stepId: string; kind: string; would: string }>; problems: string[] };
  stop(): void;
}

/** Steps that run a process on this machine (their text, params filled in, goes to bash or kubectl). */
const runsOnThisMachine = (step: RunbookStep) => step.kind === 'sh' || step.kind === 'kubectl';

/**
 * Like the terminal's local shell: a browser on another machine (browser mode off loopback) runs
 * no process here. Queries, manual steps and action steps (the action road, RBAC-checked) it may run.
 */
export const REMOTE_STEP_REFUSED = 'shell and kubectl steps run on the machine Flightdeck runs on, and this browser is on another machine: run them from that machine (queries, manual and action steps work from here).';

const who = (session: Session) => `${safeUser()} (${session.kind})`;
const safeUser = () => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};
const iso = (ms: number) => new Date(ms).toISOString();
/** Some errors (aborted fetches, timeouts) carry an empty message: say at least what they are. */
const describeError = (error: unknown) => (error instanceof Error ? error.message || error.name || 'unknown error' : String(error));

/** A step's KUBECONFIG copy is removed when the step ends; a crash leaves it: remove it on start. */
function removeLeftoverKubeconfigs(dataDir: string): void {
  try {
    for (const f of readdirSync(runsDir(dataDir))) if (f.endsWith('.kubeconfig')) rmSync(join(runsDir(dataDir), f), { force: true });
  } catch {
    // No runs folder yet.
  }
}

export function createRunManager(deps: RunsDeps): RunManager {
  const now = deps.now ?? Date.now;
  const active = new Map<string, ActiveRun>();
  removeLeftoverKubeconfigs(deps.dataDir);
  const waiters = new Map<string, Array<() => void>>();

  const emitNow = (run: ActiveRun) => {
    clearTimeout(run.emitTimer);
    run.emitTimer = undefined;
    run.state.status = run.busy ? 'running' : overallStatus(run.state);
    for (const l of run.listeners) l(structuredClone(run.state));
  };
  const emitSoon = (run: ActiveRun) => {
    if (!run.emitTimer) run.emitTimer = setTimeout(() => emitNow(run), EMIT_EVERY_MS);
  };

  const record = (run: ActiveRun, r: JournalRecord) => run.journal.append(r);

  const mustBeActive = (runId: string): ActiveRun => {
    const run = active.get(runId);
    if (run) return run;
    const path = journalPath(deps.dataDir, runId);
    const { records } = readJournal(path);
    if (!records.length) throw new ContractError('not_found', `There is no run "${runId}".`);
    throw new ContractError('conflict', `Run ${runId} is not active (it was stopped or the app restarted): resume it first. ${stateFromJournal(records, []).steps.some((s) => s.status === 'interrupted') ? 'A step was interrupted while running.' : ''}`.trim());
  };

  const stepOf = (run: ActiveRun, stepId: string) => {
    const step = run.steps.find((s) => s.id === stepId);
    const state = run.state.steps.find((s) => s.stepId === stepId);
    if (!step || !state) throw new ContractError('not_found', `Run ${run.state.runId} has no step "${stepId}".`);
    return { step, state };
  };

  /** Refuses a step when the runbook file changed since the run started. */
  const checkHash = (run: ActiveRun) => {
    const fresh = deps.library.fresh(run.state.runbookId);
    if (fresh.hash !== run.state.hash) {
      const notice = `${fresh.path} changed since this run started (sha256 ${run.state.hash.slice(0, 12)} → ${fresh.hash.slice(0, 12)}): steps are refused so an edited runbook is not half-applied. Its journal keeps everything done so far; start a new run to use the edited runbook.`;
      run.state.notice = notice;
      emitNow(run);
      throw new ContractError('conflict', notice);
    }
  };

  const guard = createChangeGuard({ audit: deps.audit, reviewer: deps.reviewer, defaultNamespace: (context) => deps.defaultNamespace?.(context) ?? 'default', who });
  const guarded = (run: ActiveRun) => ({ runId: run.state.runId, runbookId: run.state.runbookId, hash: run.state.hash, context: run.state.context });
  const reviewOf = (run: ActiveRun, step: RunbookStep) => guard.review(guarded(run), resolveStep(step, run.values), (text) => maskSecrets(text, run.state.runbook.params, run.values));

  const canStart = (run: ActiveRun, state: StepState, confirmRerun: boolean) => {
    if (run.busy) throw new ContractError('conflict', `Step "${run.busy}" is still running; wait for it to finish.`);
    if (state.status === 'succeeded') throw new ContractError('conflict', `Step "${state.stepId}" already succeeded in this run; it is not run again.`);
    if (state.status === 'interrupted' && !confirmRerun) {
      throw new ContractError('conflict', `Step "${state.stepId}" was running when the app stopped: it may have done part or all of its work. Check, then confirm to run it again.`);
    }
  };

  const beginStep = (run: ActiveRun, state: StepState, session: Session) => {
    state.attempts += 1;
    state.status = 'running';
    state.startedAt = iso(now());
    state.output = '';
    state.exitCode = undefined;
    state.error = undefined;
    state.durationMs = undefined;
    run.busy = state.stepId;
    run.state.notice = undefined;
    record(run, { t: 'step-start', at: state.startedAt, stepId: state.stepId, attempt: state.attempts, who: who(session) });
  };

  const endStep = (run: ActiveRun, state: StepState, status: 'succeeded' | 'failed', started: number, extra: { exitCode?: number; auditId?: string; error?: string } = {}) => {
    Object.assign(state, { status, durationMs: now() - started, ...extra });
    record(run, { t: 'step-end', at: iso(now()), stepId: state.stepId, status, exitCode: state.exitCode, durationMs: state.durationMs ?? 0, output: state.output, auditId: state.auditId, error: state.error });
    run.busy = undefined;
    emitNow(run);
    for (const w of waiters.get(run.state.runId)?.splice(0) ?? []) w();
  };

  const append = (run: ActiveRun, state: StepState, chunk: string) => {
    state.output = maskSecrets(state.output + chunk, run.state.runbook.params, run.values);
    if (state.output.length > OUTPUT_CAP) state.output = '…(earlier output cut)\n' + state.output.slice(-OUTPUT_CAP);
    emitSoon(run);
  };

  /** Starts a shell/kubectl/promql/manual step; resolves once it is running, with its completion. */
  const launch = (run: ActiveRun, step: RunbookStep, state: StepState, session: Session, audited?: ChangeAudit): { started: Promise<void>; finished: Promise<void> } => {
    const resolved = resolveStep(step, run.values);
    const started = now();
    beginStep(run, state, session);
    if (step.kind === 'manual') {
      endStep(run, state, 'succeeded', started, { exitCode: 0 });
      return { started: Promise.resolve(), finished: Promise.resolve() };
    }
    if (step.kind === 'promql') {
      const finished = (async () => {
        try {
          if (!run.state.context) throw new Error('this run has no context, so there is no Prometheus to ask');
          const result = await runPromqlStep(resolved, await deps.prometheus(run.state.context));
          append(run, state, result.output);
          endStep(run, state, result.exitCode === 0 ? 'succeeded' : 'failed', started, { exitCode: result.exitCode });
        } catch (error) {
          endStep(run, state, 'failed', started, { exitCode: 2, error: `the query failed: ${describeError(error)}` });
        }
      })();
      emitNow(run);
      return { started: Promise.resolve(), finished };
    }
    let kubeconfigFile: string | undefined;
    const env: NodeJS.ProcessEnv = { ...process.env, FLIGHTDECK_RUN_ID: run.state.runId, FLIGHTDECK_STEP: step.id };
    delete env.KUBECONFIG;
    if (run.state.context) {
      try {
        kubeconfigFile = join(runsDir(deps.dataDir), `${run.state.runId}.${randomBytes(4).toString('hex')}.kubeconfig`);
        writePrivateFileAtomic(kubeconfigFile, deps.kubeconfigText(run.state.context));
        env.KUBECONFIG = kubeconfigFile;
        env.FLIGHTDECK_CONTEXT = run.state.context;
      } catch (error) {
        const why = `could not prepare KUBECONFIG for "${run.state.context}": ${error instanceof Error ? error.message : String(error)}`;
        endStep(run, state, 'failed', started, { exitCode: 2, error: why, auditId: audited?.end(2, now() - started, why) });
        return { started: Promise.resolve(), finished: Promise.resolve() };
      }
    }
    const proc = spawnShellStep(resolved, env, (chunk) => append(run, state, chunk));
    run.process = proc;
    run.stoppedBy = undefined;
    const startedP = new Promise<void>((resolve) => {
      proc.child.once('spawn', () => resolve());
      proc.child.once('error', () => resolve());
    });
    const finished = proc.done.then((code) => {
      if (kubeconfigFile) rmSync(kubeconfigFile, { force: true });
      clearTimeout(run.emitTimer);
      const stoppedBy = run.stoppedBy;
      run.process = undefined;
      run.stoppedBy = undefined;
      const why = stoppedBy ? `stopped by ${stoppedBy} after ${Math.round((now() - started) / 1000)} s (exit ${code})` : undefined;
      // A stopped step failed even if its shell exited 0 on SIGTERM: it did not finish its work.
      const status = code === 0 && !stoppedBy ? 'succeeded' : 'failed';
      endStep(run, state, status, started, { exitCode: code, auditId: audited?.end(code, now() - started, why), ...(why ? { error: why } : {}) });
    });
    emitNow(run);
    return { started: startedP, finished };
  };

  /** Executes a planned action step's token on the road, journaled as one attempt of the step. */
  const executePlanned = async (run: ActiveRun, state: StepState, token: string, confirmText: string | undefined, session: Session) => {
    const started = now();
    beginStep(run, state, session);
    emitNow(run);
    try {
      const result = await deps.road.execute(token, confirmText, session);
      append(run, state, `${result.message}\n`);
      endStep(run, state, 'succeeded', started, { exitCode: 0, auditId: result.auditId });
    } catch (error) {
      // Journaled as a failed attempt (a refused confirmation changed nothing, and says so).
      endStep(run, state, 'failed', started, { exitCode: 1, error: describeError(error) });
      throw error;
    }
  };

  /** Unattended run: plan the action step on the road and execute it, or say why it cannot be. */
  const runActionUnattended = async (run: ActiveRun, step: RunbookStep, state: StepState, session: Session): Promise<string | undefined> => {
    if (!run.state.context) return `Stopped at "${step.id}": this run has no context, and action steps need one.`;
    const spec = resolveStep(step, run.values).action!;
    const plan = await deps.road.prepare({ context: run.state.context, target: spec.target, action: spec.action, params: spec.params }, session);
    if (!plan.token) return `Stopped at "${step.id}": the action road refused the plan (${plan.rbac.reason ?? 'forbidden'}).`;
    if (plan.confirmText !== undefined) return `Stopped at "${step.id}": "${run.state.context}" is a production context, so this action needs its name typed in the confirm dialog.`;
    try {
      await executePlanned(run, state, plan.token, undefined, session);
    } catch {
      // The step holds the road's error.
    }
    return undefined;
  };

  const runRemaining = async (run: ActiveRun, session: Session, unattended: boolean) => {
    run.state.runningToEnd = true;
    emitNow(run);
    try {
      for (;;) {
        const next = run.state.steps.find((s) => !isDone(s));
        if (!next) {
          run.state.notice = 'Every step is done.';
          record(run, { t: 'finish', at: iso(now()), status: 'succeeded' });
          run.state.phase = 'finished';
          break;
        }
        const { step } = stepOf(run, next.stepId);
        if (next.status === 'failed' && next.attempts > 0) {
          run.state.notice = `Stopped at "${next.stepId}": it failed${next.exitCode !== undefined ? ` (exit ${next.exitCode})` : ''}. Retry it or skip it.`;
          break;
        }
        if (next.status === 'interrupted') {
          run.state.notice = `Stopped at "${next.stepId}": it was interrupted while running. Check it, then confirm to run it again.`;
          break;
        }
        if ((step.kind === 'action' && !unattended) || step.kind === 'manual') {
          run.state.notice = step.kind === 'action' ? `Waiting for you to confirm action step "${next.stepId}".` : `Waiting for you to tick manual step "${next.stepId}".`;
          break;
        }
        if (session.remote && runsOnThisMachine(step)) {
          run.state.notice = `Stopped at "${next.stepId}": ${REMOTE_STEP_REFUSED}`;
          break;
        }
        if (changesCluster(step) && !unattended) {
          run.state.notice = `Waiting for you to confirm step "${next.stepId}": it may change the cluster.`;
          break;
        }
        checkHash(run);
        if (changesCluster(step)) {
          let audited: ChangeAudit;
          try {
            audited = guard.admit(guarded(run), await reviewOf(run, step), session, { unattended: true });
          } catch (error) {
            run.state.notice = `Stopped at "${next.stepId}": ${describeError(error)}`;
            break;
          }
          await launch(run, step, next, session, audited).finished;
        } else if (step.kind === 'action') {
          const stopped = await runActionUnattended(run, step, next, session);
          if (stopped) {
            run.state.notice = stopped;
            break;
          }
        } else await launch(run, step, next, session).finished;
        if (next.status === 'failed') {
          run.state.notice = `Stopped at "${next.stepId}": it failed${next.exitCode !== undefined ? ` (exit ${next.exitCode})` : ''}${next.error ? `: ${next.error}` : ''}. Later steps were not run.`;
          break;
        }
      }
    } catch (error) {
      run.state.notice = error instanceof Error ? error.message : String(error);
    } finally {
      run.state.runningToEnd = false;
      emitNow(run);
    }
  };

  const activate = (state: RunState, values: Inputs): ActiveRun => {
    const steps = state.runbook.steps as RunbookStep[];
    const run: ActiveRun = { state: { ...state, phase: 'active' }, values, steps, journal: openJournal(deps.dataDir, state.runId), listeners: new Set(), tokens: new Map() };
    active.set(state.runId, run);
    return run;
  };

  const readRun = (runId: string): RunState => {
    const live = active.get(runId);
    if (live) return structuredClone({ ...live.state, status: live.busy ? 'running' : overallStatus(live.state) });
    const { records, problems } = readJournal(journalPath(deps.dataDir, runId));
    if (!records.length) throw new ContractError('not_found', `There is no run "${runId}"${problems.length ? `: ${problems.join('; ')}` : ''}.`);
    try {
      return stateFromJournal(records, problems);
    } catch (error) {
      throw new ContractError('invalid_request', `${journalPath(deps.dataDir, runId)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    start(runbookId, context, inputs, session) {
      const loaded = deps.library.fresh(runbookId);
      const { parsed } = loaded;
      const blocking = parsed.problems.filter((p) => /unknown step kind|action step|fence attributes|front matter/.test(p.message));
      if (blocking.length) throw new ContractError('invalid_request', `The runbook has problems to fix first: ${blocking.map((p) => `${p.file}:${p.line}: ${p.message}`).join('; ')}`);
      const { values, problems } = resolveInputs(parsed.params, inputs);
      if (problems.length) throw new ContractError('invalid_request', `Cannot start "${parsed.title}": ${problems.join('; ')}.`);
      const runId = `${new Date(now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(4).toString('hex')}`;
      const secretParams = parsed.params.filter((p) => p.secret).map((p) => p.name);
      const start: JournalRecord = {
        t: 'start',
        runId,
        at: iso(now()),
        who: who(session),
        runbook: { id: loaded.id, file: loaded.path, title: parsed.title, hash: loaded.hash, source: loaded.source },
        context,
        inputs: maskedInputs(parsed.params, values),
        secretParams,
      };
      const state = stateFromJournal([start], [], true);
      const run = activate(state, values);
      for (const s of run.state.steps) s.resolved = maskSecrets(describeStep(resolveStep(run.steps.find((x) => x.id === s.stepId)!, values)), parsed.params, values);
      record(run, start);
      return structuredClone(run.state);
    },

    async runStep(runId, stepId, confirmRerun, session, options = {}) {
      const run = mustBeActive(runId);
      const { step, state } = stepOf(run, stepId);
      if (step.kind === 'action') throw new ContractError('invalid_request', `Step "${stepId}" is an action: it is planned and confirmed in the action dialog (runbooks.prepareAction, then runbooks.executeAction).`);
      if (session.remote && runsOnThisMachine(step)) throw new ContractError('forbidden', REMOTE_STEP_REFUSED);
      canStart(run, state, confirmRerun);
      checkHash(run);
      let audited: ChangeAudit | undefined;
      if (changesCluster(step)) {
        if (!options.confirmChange) throw new ContractError('invalid_request', `Step "${stepId}" may change the cluster: review its command and RBAC verdict (runbooks.reviewStep) and confirm it.`);
        const review = await reviewOf(run, step);
        canStart(run, state, confirmRerun); // the review awaited the cluster: another call may have started it
        audited = guard.admit(guarded(run), review, session, { unattended: false });
      }
      const { started } = launch(run, step, state, session, audited);
      await started;
      return structuredClone(run.state);
    },

    async reviewStep(runId, stepId) {
      const run = mustBeActive(runId);
      const { step } = stepOf(run, stepId);
      return reviewOf(run, step);
    },

    skipStep(runId, stepId, session) {
      const run = mustBeActive(runId);
      const { state } = stepOf(run, stepId);
      if (run.busy === stepId) throw new ContractError('conflict', `Step "${stepId}" is running; it cannot be skipped now.`);
      if (state.status === 'succeeded') throw new ContractError('conflict', `Step "${stepId}" already succeeded.`);
      state.status = 'skipped';
      record(run, { t: 'step-skip', at: iso(now()), stepId, who: who(session) });
      emitNow(run);
      return structuredClone(run.state);
    },

    stopStep(runId, stepId, session) {
      const run = mustBeActive(runId);
      stepOf(run, stepId);
      if (run.busy !== stepId) throw new ContractError('conflict', `Step "${stepId}" is not running.`);
      if (!run.process) throw new ContractError('conflict', `Step "${stepId}" cannot be stopped: only shell and kubectl steps run as processes (an action or a query finishes on its own).`);
      if (!run.stoppedBy) {
        run.stoppedBy = who(session);
        record(run, { t: 'step-stop', at: iso(now()), stepId, who: run.stoppedBy });
        run.process.stop();
        run.state.notice = `Stopping "${stepId}": SIGTERM sent to its processes (SIGKILL in 5 s if they remain).`;
        emitNow(run);
      }
      return structuredClone(run.state);
    },

    runToEnd(runId, session, options = {}) {
      const run = mustBeActive(runId);
      if (run.busy || run.state.runningToEnd) throw new ContractError('conflict', `Run ${runId} is already running a step.`);
      void runRemaining(run, session, options.unattended ?? false);
      return structuredClone(run.state);
    },

    async prepareAction(runId, stepId, session) {
      const run = mustBeActive(runId);
      const { step, state } = stepOf(run, stepId);
      if (step.kind !== 'action' || !step.action) throw new ContractError('invalid_request', `Step "${stepId}" is not an action step.`);
      if (state.status === 'succeeded') throw new ContractError('conflict', `Action step "${stepId}" already succeeded in this run; it is not run again.`);
      if (!run.state.context) throw new ContractError('invalid_request', 'This run has no context: action steps need one.');
      checkHash(run);
      const spec = resolveStep(step, run.values).action!;
      const plan = await deps.road.prepare({ context: run.state.context, target: spec.target, action: spec.action, params: spec.params }, session);
      if (plan.token) run.tokens.set(plan.token, stepId);
      return plan;
    },

    async executeAction(runId, stepId, token, confirmText, confirmRerun, session) {
      const run = mustBeActive(runId);
      const { step, state } = stepOf(run, stepId);
      if (step.kind !== 'action') throw new ContractError('invalid_request', `Step "${stepId}" is not an action step.`);
      if (run.tokens.get(token) !== stepId) throw new ContractError('invalid_request', `This plan was not made for step "${stepId}" of run ${runId}: prepare the step's action again.`);
      canStart(run, state, confirmRerun);
      checkHash(run);
      run.tokens.delete(token);
      await executePlanned(run, state, token, confirmText, session);
      return structuredClone(run.state);
    },

    resume(runId, inputs, session) {
      if (active.has(runId)) return readRun(runId);
      const state = readRun(runId);
      if (state.phase === 'finished') throw new ContractError('conflict', `Run ${runId} finished (${state.status}); start a new run instead.`);
      const fresh = deps.library.fresh(state.runbookId);
      if (fresh.hash !== state.hash) {
        throw new ContractError('conflict', `${fresh.path} changed since run ${runId} started (sha256 ${state.hash.slice(0, 12)} → ${fresh.hash.slice(0, 12)}): it cannot be resumed against a different runbook. Its journal stays readable; start a new run.`);
      }
      const params = state.runbook.params;
      const given: Inputs = {};
      for (const p of params) given[p.name] = p.secret ? (inputs[p.name] ?? '') : (state.inputs[p.name] ?? inputs[p.name] ?? '');
      const { values, problems } = resolveInputs(params, given);
      if (problems.length) throw new ContractError('invalid_request', `To resume, give the secret params again: ${problems.join('; ')}.`);
      const run = activate(state, values);
      for (const s of run.state.steps) s.resolved = maskSecrets(describeStep(resolveStep(run.steps.find((x) => x.id === s.stepId)!, values)), params, values);
      record(run, { t: 'resume', at: iso(now()), who: who(session) });
      const next = run.state.steps.find((s) => !isDone(s));
      run.state.notice = next ? `Resumed at "${next.stepId}"${next.status === 'interrupted' ? ' (interrupted while running: confirm before running it again)' : ''}. Completed steps are not run again.` : 'Every step is done.';
      emitNow(run);
      return structuredClone(run.state);
    },

    get: readRun,

    list() {
      const problems: string[] = [];
      const runs: RunState[] = [];
      for (const id of listJournals(deps.dataDir)) {
        try {
          runs.push(readRun(id));
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
      runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      return { runs, problems };
    },

    watch(runId, listener) {
      const run = active.get(runId);
      listener(readRun(runId));
      if (!run) return () => undefined;
      run.listeners.add(listener);
      return () => run.listeners.delete(listener);
    },

    idle(runId) {
      const run = active.get(runId);
      if (!run || (!run.busy && !run.state.runningToEnd)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const check = () => (!run.busy && !run.state.runningToEnd ? resolve() : setTimeout(check, 20));
        check();
      });
    },

    dryRun(runbookId, context, inputs) {
      const { parsed } = deps.library.fresh(runbookId);
      const { values, problems } = resolveInputs(parsed.params, inputs);
      const filled = { ...Object.fromEntries(parsed.params.map((p) => [p.name, `{{${p.name}}}`])), ...values };
      const where = context ? `context "${context}"` : 'no context';
      const steps = parsed.steps.map((raw) => {
        const step = resolveStep(raw, filled);
        const body = maskSecrets(describeStep(step), parsed.params, values);
        const would = {
          sh: `runs in a local bash (-e -o pipefail) with KUBECONFIG for ${where}; may change the cluster, so it asks first, is RBAC-checked where its kubectl commands can be read, and is audited:\n${body}`,
          kubectl: `runs kubectl against ${where}${step.mutating ? ' (may change the cluster: asks first, RBAC-checked and audited)' : ' (read-only)'}:\n${body}`,
          promql: `queries the Prometheus of ${where}; succeeds when every sample meets the expectation:\n${body}`,
          action: `plans "${step.action?.action ?? '?'}" through the action road in ${where}; you see the exact requests and confirm before anything changes:\n${body}`,
          manual: `asks a person to do and tick: ${body}`,
        }[step.kind];
        return { stepId: raw.id, kind: raw.kind, would };
      });
      return { steps, problems: [...problems, ...parsed.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)] };
    },

    stop() {
      for (const run of active.values()) {
        clearTimeout(run.emitTimer);
        run.journal.close();
      }
      active.clear();
    },
  };
}
