// Runbooks view state: the library (search by title, tag, alert), the open runbook, past runs, the
// run on screen (followed with `runbooks.watchRun`, so a reload reattaches to a step still running
// in the main process) and the action step being confirmed in the action road's dialog.
import { create } from 'zustand';
import type { ActionPlan } from '../../shared/contract/actions';
import type { RunbookDoc, RunbookSummary, RunState, RunSummary, StepReview } from '../../shared/contract/runbooks';
import type { RunbookProblem } from '../../shared/model/runbook';
import { getApi } from '../api/client';

export interface RunbooksState {
  query: string;
  runbooks: RunbookSummary[];
  folders: string[];
  libraryProblems: RunbookProblem[];
  runs: RunSummary[];
  doc?: RunbookDoc;
  run?: RunState;
  dryRun?: Array<{ stepId: string; kind: string; would: string }>;
  error?: string;
  /** The action step being confirmed: its plan, or why planning failed. */
  dialog?: { stepId: string; title: string; plan?: ActionPlan; error?: string; busy: boolean; confirmRerun: boolean };
  loadLibrary(query?: string): Promise<void>;
  loadRuns(): Promise<void>;
  openRunbook(id: string): Promise<void>;
  openRun(runId: string): Promise<void>;
  closeRun(): void;
  addFolder(path: string): Promise<void>;
  dry(context: string | undefined, inputs: Record<string, string>): Promise<void>;
  start(context: string | undefined, inputs: Record<string, string>): Promise<void>;
  /** `confirmChange`: the person confirmed a step that may change the cluster (after reviewStep). */
  runStep(stepId: string, confirmRerun?: boolean, confirmChange?: boolean): Promise<void>;
  /** The step's resolved command, context and RBAC verdict, for its inline confirmation. */
  reviewStep(stepId: string): Promise<StepReview>;
  skipStep(stepId: string): Promise<void>;
  /** Stops the running shell/kubectl step (it ends failed; retry or skip it after). */
  stopStep(stepId: string): Promise<void>;
  runToEnd(unattended?: boolean): Promise<void>;
  resume(inputs: Record<string, string>): Promise<void>;
  planAction(stepId: string, confirmRerun?: boolean): Promise<void>;
  confirmAction(confirmText?: string): Promise<void>;
  closeDialog(): void;
  exportRun(): Promise<{ fileName: string; markdown: string } | undefined>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
let unwatch: (() => void) | undefined;

export const useRunbooksStore = create<RunbooksState>((set, get) => {
  const follow = (run: RunState) => {
    unwatch?.();
    set({ run, error: undefined });
    unwatch = getApi().subscribe(
      'runbooks.watchRun',
      { runId: run.runId },
      (next) => {
        if (get().run?.runId === next.runId) set({ run: next });
        if (next.status !== 'running') void get().loadRuns();
      },
      (error) => set({ error: error.message }),
    );
  };
  const act = async (f: () => Promise<RunState>) => {
    try {
      const run = await f();
      if (get().run?.runId === run.runId) set({ run, error: undefined });
      else follow(run);
    } catch (error) {
      set({ error: message(error) });
    }
  };

  return {
    query: '',
    runbooks: [],
    folders: [],
    libraryProblems: [],
    runs: [],

    async loadLibrary(query) {
      const q = query ?? get().query;
      set({ query: q });
      try {
        const answer = await getApi().call('runbooks.list', { query: q || undefined });
        if (get().query === q) set({ runbooks: answer.runbooks, folders: answer.folders, libraryProblems: answer.problems });
      } catch (error) {
        set({ error: message(error) });
      }
    },

    async loadRuns() {
      try {
        set({ runs: (await getApi().call('runbooks.runs', {})).runs });
      } catch (error) {
        set({ error: message(error) });
      }
    },

    async openRunbook(id) {
      try {
        const doc = await getApi().call('runbooks.get', { id });
        unwatch?.();
        unwatch = undefined;
        set({ doc, run: undefined, dryRun: undefined, error: undefined });
      } catch (error) {
        set({ error: message(error) });
      }
    },

    async openRun(runId) {
      try {
        const run = await getApi().call('runbooks.run', { runId });
        set({ doc: run.runbook, dryRun: undefined });
        follow(run);
      } catch (error) {
        set({ error: message(error) });
      }
    },

    closeRun() {
      unwatch?.();
      unwatch = undefined;
      set({ run: undefined });
    },

    async addFolder(path) {
      try {
        await getApi().call('runbooks.addFolder', { path });
        await get().loadLibrary();
      } catch (error) {
        set({ error: message(error) });
      }
    },

    async dry(context, inputs) {
      const doc = get().doc;
      if (!doc) return;
      try {
        const answer = await getApi().call('runbooks.dryRun', { id: doc.id, context, inputs });
        set({ dryRun: answer.steps, error: answer.problems.length ? answer.problems.join('; ') : undefined });
      } catch (error) {
        set({ error: message(error) });
      }
    },

    async start(context, inputs) {
      const doc = get().doc;
      if (!doc) return;
      set({ dryRun: undefined });
      await act(() => getApi().call('runbooks.start', { id: doc.id, context, inputs }));
      void get().loadRuns();
    },

    async runStep(stepId, confirmRerun = false, confirmChange = false) {
      const run = get().run;
      if (run) await act(() => getApi().call('runbooks.runStep', { runId: run.runId, stepId, confirmRerun, confirmChange }));
    },

    async reviewStep(stepId) {
      const run = get().run;
      if (!run) throw new Error('No run is open.');
      return getApi().call('runbooks.reviewStep', { runId: run.runId, stepId });
    },

    async skipStep(stepId) {
      const run = get().run;
      if (run) await act(() => getApi().call('runbooks.skipStep', { runId: run.runId, stepId }));
    },

    async stopStep(stepId) {
      const run = get().run;
      if (!run) return;
      // The answer is not applied: the step usually ends at once, and the run's stream delivers
      // that before this answer ("running, stopping") arrives, which would then put it back.
      try {
        await getApi().call('runbooks.stopStep', { runId: run.runId, stepId });
      } catch (error) {
        set({ error: message(error) });
      }
    },

    async runToEnd(unattended = false) {
      const run = get().run;
      if (run) await act(() => getApi().call('runbooks.runToEnd', { runId: run.runId, unattended }));
    },

    async resume(inputs) {
      const run = get().run;
      if (run) await act(() => getApi().call('runbooks.resume', { runId: run.runId, inputs }));
    },

    async planAction(stepId, confirmRerun = false) {
      const run = get().run;
      if (!run) return;
      // The step with its params filled in (what the plan is made from), not the raw {{param}} text.
      const resolved = run.steps.find((s) => s.stepId === stepId)?.resolved;
      const title = resolved ? `Runbook step "${stepId}": ${resolved.split('\n')[0]}` : `Runbook step "${stepId}"`;
      set({ dialog: { stepId, title, busy: true, confirmRerun } });
      try {
        const plan = await getApi().call('runbooks.prepareAction', { runId: run.runId, stepId });
        set({ dialog: { stepId, title, plan, busy: false, confirmRerun } });
      } catch (error) {
        set({ dialog: { stepId, title, busy: false, error: message(error), confirmRerun } });
      }
    },

    async confirmAction(confirmText) {
      const { run, dialog } = get();
      if (!run || !dialog?.plan?.token) return;
      set({ dialog: { ...dialog, busy: true, error: undefined } });
      try {
        const next = await getApi().call('runbooks.executeAction', { runId: run.runId, stepId: dialog.stepId, token: dialog.plan.token, confirmText, confirmRerun: dialog.confirmRerun });
        set({ run: next, dialog: undefined });
      } catch (error) {
        set({ dialog: { ...dialog, busy: false, error: message(error) } });
      }
    },

    closeDialog() {
      set({ dialog: undefined });
    },

    async exportRun() {
      const run = get().run;
      if (!run) return undefined;
      try {
        return await getApi().call('runbooks.export', { runId: run.runId });
      } catch (error) {
        set({ error: message(error) });
        return undefined;
      }
    },
  };
});
