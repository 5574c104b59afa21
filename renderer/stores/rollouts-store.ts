// Rollouts view state: the live workload list (stream `rollouts.watch`), the selected workload,
// RBAC availability per workload (cached: buttons ask often, RBAC changes rarely), its history,
// and the plan currently shown in the confirm dialog.
import { create } from 'zustand';
import type { ActionPlan, ActionResult, ActionTarget } from '../../shared/contract/actions';
import type { ActionAvailability, RevisionEntry, WorkloadSummary } from '../../shared/contract/rollouts';
import { ApiError, getApi } from '../api/client';

export const targetKey = (t: { kind: string; namespace?: string; name: string }) => `${t.kind}/${t.namespace ?? ''}/${t.name}`;
export const targetOf = (w: WorkloadSummary): ActionTarget => ({ kind: w.kind, namespace: w.namespace, name: w.name });

const AVAILABILITY_TTL_MS = 30_000;

export interface PendingAction {
  target: ActionTarget;
  action: string;
  params: Record<string, unknown>;
}

export interface RolloutsState {
  context?: string;
  workloads: WorkloadSummary[];
  problems: string[];
  at?: string;
  error?: string;
  filter: string;
  selected?: string;
  availability: Record<string, { at: number; actions: ActionAvailability[]; error?: string }>;
  history: Record<string, RevisionEntry[] | undefined>;
  historyError?: string;
  /** The action being confirmed: its plan, or why it could not be planned. */
  dialog?: { context: string; request: PendingAction; plan?: ActionPlan; error?: string; busy: boolean; result?: ActionResult };
  /** The last action's outcome, for the context it ran in: another context never shows it. */
  lastResult?: { message: string; ok: boolean; at: number; context: string };
  watch(context: string): () => void;
  setFilter(filter: string): void;
  select(key: string | undefined): void;
  loadAvailability(context: string, target: ActionTarget, force?: boolean): Promise<void>;
  loadHistory(context: string, target: ActionTarget): Promise<void>;
  prepare(context: string, request: PendingAction): Promise<void>;
  execute(confirmText?: string): Promise<void>;
  closeDialog(): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const useRolloutsStore = create<RolloutsState>((set, get) => ({
  workloads: [],
  problems: [],
  filter: '',
  availability: {},
  history: {},

  watch(context) {
    // What belongs to another context goes: its toast, and a dialog planned there.
    const { lastResult, dialog } = get();
    set({
      context,
      workloads: [],
      problems: [],
      at: undefined,
      error: undefined,
      ...(lastResult && lastResult.context !== context ? { lastResult: undefined } : {}),
      ...(dialog && dialog.context !== context ? { dialog: undefined } : {}),
    });
    return getApi().subscribe(
      'rollouts.watch',
      { context, intervalMs: 1000 },
      (event) => {
        if (get().context !== context) return;
        set({ workloads: event.workloads, problems: event.problems, at: event.at, error: undefined });
      },
      (error) => set({ error: error.message }),
    );
  },

  setFilter(filter) {
    set({ filter });
  },

  select(key) {
    set({ selected: key });
  },

  async loadAvailability(context, target, force = false) {
    const key = `${context}|${targetKey(target)}`;
    const hit = get().availability[key];
    if (!force && hit && Date.now() - hit.at < AVAILABILITY_TTL_MS) return;
    try {
      const { actions } = await getApi().call('actions.available', { context, target });
      set({ availability: { ...get().availability, [key]: { at: Date.now(), actions } } });
    } catch (error) {
      set({ availability: { ...get().availability, [key]: { at: Date.now(), actions: [], error: message(error) } } });
    }
  },

  async loadHistory(context, target) {
    const key = `${context}|${targetKey(target)}`;
    try {
      const { revisions } = await getApi().call('rollouts.history', { context, target });
      set({ history: { ...get().history, [key]: revisions }, historyError: undefined });
    } catch (error) {
      set({ historyError: message(error) });
    }
  },

  async prepare(context, request) {
    set({ dialog: { context, request, busy: true } });
    // Cancelled (or replaced) while planning: the answer must not open the dialog again.
    const stillAsked = () => get().dialog?.request === request;
    try {
      const plan = await getApi().call('actions.prepare', { context, target: request.target, action: request.action, params: request.params });
      if (stillAsked()) set({ dialog: { context, request, plan, busy: false } });
    } catch (error) {
      if (stillAsked()) set({ dialog: { context, request, busy: false, error: message(error) } });
    }
  },

  async execute(confirmText) {
    const dialog = get().dialog;
    if (!dialog?.plan?.token) return;
    set({ dialog: { ...dialog, busy: true, error: undefined } });
    try {
      const result = await getApi().call('actions.execute', { token: dialog.plan.token, confirmText });
      const context = dialog.plan.context;
      set({ dialog: undefined, lastResult: { message: result.message, ok: true, at: Date.now(), context } });
      void get().loadHistory(context, dialog.request.target);
    } catch (error) {
      // A wrong typed confirmation keeps the token; every other failure needs a fresh plan.
      const keepsToken = error instanceof ApiError && error.code === 'invalid_request' && /type "/.test(error.message);
      set({
        dialog: { ...dialog, busy: false, error: message(error), plan: keepsToken ? dialog.plan : { ...dialog.plan, token: null } },
        lastResult: keepsToken ? get().lastResult : { message: message(error), ok: false, at: Date.now(), context: dialog.plan.context },
      });
    }
  },

  closeDialog() {
    set({ dialog: undefined });
  },
}));
