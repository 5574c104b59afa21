// Incidents view state: the list, the open incident's detail (live over incidents.events), the
// declare form (prefilled when declared from an alert) and the last error for a person.
import { create } from 'zustand';
import type { MethodResponse } from '../../shared/contract';
import type { DeclareIncident, IncidentDetail } from '../../shared/contract/incidents';
import type { IncidentRetro, IncidentSeverity, IncidentStatus } from '../../shared/model/incident';
import { getApi } from '../api/client';

export interface DeclareDraft {
  title: string;
  severity: IncidentSeverity;
  commander: string;
  fromAlert?: DeclareIncident['fromAlert'];
}

export interface IncidentsState {
  list: MethodResponse<'incidents.list'>['incidents'];
  problems: string[];
  detail?: IncidentDetail;
  draft?: DeclareDraft;
  error?: string;
  busy: boolean;
  report?: { fileName: string; markdown: string };
  refresh(context?: string): Promise<void>;
  open(id: string | undefined): void;
  startDraft(draft: DeclareDraft): void;
  updateDraft(patch: Partial<DeclareDraft>): void;
  cancelDraft(): void;
  declare(context: string): Promise<void>;
  note(text: string): Promise<void>;
  setStatus(status: IncidentStatus): Promise<void>;
  updateRetro(retro: Partial<IncidentRetro>): Promise<void>;
  exportReport(): Promise<{ fileName: string; markdown: string } | undefined>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
let unwatch: (() => void) | undefined;

export const useIncidentsStore = create<IncidentsState>((set, get) => {
  const act = async (work: () => Promise<IncidentDetail>) => {
    set({ busy: true, error: undefined });
    try {
      const detail = await work();
      set({ detail, busy: false });
      void get().refresh(detail.incident.context);
    } catch (error) {
      set({ busy: false, error: message(error) });
    }
  };
  return {
    list: [],
    problems: [],
    busy: false,
    async refresh(context) {
      try {
        const answer = await getApi().call('incidents.list', { context });
        set({ list: answer.incidents, problems: answer.problems });
      } catch (error) {
        set({ error: message(error) });
      }
    },
    open(id) {
      unwatch?.();
      unwatch = undefined;
      set({ detail: undefined, report: undefined, error: undefined });
      if (!id) return;
      unwatch = getApi().subscribe(
        'incidents.events',
        { id },
        (event) => set({ detail: event.detail }),
        (error) => set({ error: error.message }),
      );
      void getApi()
        .call('incidents.get', { id })
        .then((detail) => set({ detail }))
        .catch((error: unknown) => set({ error: message(error) }));
    },
    startDraft: (draft) => set({ draft, error: undefined }),
    updateDraft: (patch) => set((s) => ({ draft: s.draft ? { ...s.draft, ...patch } : s.draft })),
    cancelDraft: () => set({ draft: undefined }),
    async declare(context) {
      const draft = get().draft;
      if (!draft) return;
      await act(() => getApi().call('incidents.declare', { context, ...draft }));
      const detail = get().detail;
      if (detail && !get().error) {
        set({ draft: undefined });
        get().open(detail.incident.id);
        window.location.hash = `#/incidents?open=${encodeURIComponent(detail.incident.id)}`;
      }
    },
    async note(text) {
      const id = get().detail?.incident.id;
      if (id) await act(() => getApi().call('incidents.note', { id, text }));
    },
    async setStatus(status) {
      const id = get().detail?.incident.id;
      if (id) await act(() => getApi().call('incidents.setStatus', { id, status }));
    },
    async updateRetro(retro) {
      const id = get().detail?.incident.id;
      if (id) await act(() => getApi().call('incidents.updateRetro', { id, retro }));
    },
    async exportReport() {
      const id = get().detail?.incident.id;
      if (!id) return undefined;
      try {
        const report = await getApi().call('incidents.export', { id });
        set({ report });
        return report;
      } catch (error) {
        set({ error: message(error) });
        return undefined;
      }
    },
  };
});
