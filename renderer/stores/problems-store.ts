// The header's problems: `problems.list` for the context on screen, polled, plus what only the
// renderer can know — the link to the Flightdeck server is down, so everything shown is stale.
import { create } from 'zustand';
import type { Problem } from '../../shared/contract/problems';
import { getApi } from '../api/client';
export { withLocalProblems } from '../../shared/model/local-problems';

const POLL_MS = 5_000;

export interface ProblemsState {
  problems: Problem[];
  at?: number;
  error?: string;
  open: boolean;
  setOpen(open: boolean): void;
  /** Polls for the context until the returned function is called. */
  watch(context: string | undefined): () => void;
}

export const useProblemsStore = create<ProblemsState>((set) => ({
  problems: [],
  open: false,
  setOpen(open) {
    set({ open });
  },
  watch(context) {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const answer = await getApi().call('problems.list', context ? { context } : {});
        if (!stopped) set({ problems: answer.problems, at: Date.now(), error: undefined });
      } catch (error) {
        if (!stopped) set({ error: error instanceof Error ? error.message : String(error) });
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    set({ problems: [], at: undefined, error: undefined });
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
}));
