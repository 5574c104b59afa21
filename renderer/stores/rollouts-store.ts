// Rollouts view state: the live workload list (stream `rollouts.watch`), the selected workload,
// and its history. RBAC availability, the confirm dialog and the last outcome live in the actions
// store, shared with Topology and the command palette.
import { create } from 'zustand';
import type { ActionTarget } from '../../shared/contract/actions';
import type { RevisionEntry, WorkloadSummary } from '../../shared/contract/rollouts';
import { getApi } from '../api/client';
import { targetKey, useActionsStore } from './actions-store';

export { targetKey, type PendingAction } from './actions-store';
export const targetOf = (w: WorkloadSummary): ActionTarget => ({ kind: w.kind, namespace: w.namespace, name: w.name });

export interface RolloutsState {
  context?: string;
  workloads: WorkloadSummary[];
  problems: string[];
  at?: string;
  error?: string;
  filter: string;
  selected?: string;
  history: Record<string, RevisionEntry[] | undefined>;
  historyError?: string;
  watch(context: string): () => void;
  setFilter(filter: string): void;
  select(key: string | undefined): void;
  loadHistory(context: string, target: ActionTarget): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const useRolloutsStore = create<RolloutsState>((set, get) => ({
  workloads: [],
  problems: [],
  filter: '',
  history: {},

  watch(context) {
    // What belongs to another context goes: its toast, and a dialog planned there.
    useActionsStore.getState().forgetOtherContexts(context);
    set({ context, workloads: [], problems: [], at: undefined, error: undefined });
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

  async loadHistory(context, target) {
    const key = `${context}|${targetKey(target)}`;
    try {
      const { revisions } = await getApi().call('rollouts.history', { context, target });
      set({ history: { ...get().history, [key]: revisions }, historyError: undefined });
    } catch (error) {
      set({ historyError: message(error) });
    }
  },
}));
