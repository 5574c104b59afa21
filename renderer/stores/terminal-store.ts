// Terminal tabs and panes (issue 14): what each pane runs (a local shell or a pod shell), its
// state as the session reports it, and which tab and pane are active. The live sessions (xterm
// and the duplex stream) live in the terminal view's code, keyed by pane id, so this store stays
// small enough for Topology and Runbooks to import when they open a shell.
import { create } from 'zustand';

export type TerminalTarget =
  | { kind: 'local'; context?: string }
  | { kind: 'exec'; context: string; namespace: string; pod: string; container?: string; command?: string[] };

export type PaneStatus = 'connecting' | 'open' | 'exited' | 'dropped' | 'error';

export interface PaneState {
  id: string;
  target: TerminalTarget;
  status: PaneStatus;
  /** The session's title (`pod/container`, `local: bash`), then the shell's own (OSC) title. */
  title: string;
  detail?: string;
  exitCode?: number | null;
  /** Why it exited, dropped or failed. */
  message?: string;
  /** How many sessions this pane has opened (a reconnect or restart opens a new one). */
  sessions: number;
}

export interface TabState {
  id: string;
  /** Set when the user renamed the tab; otherwise the active pane's title is shown. */
  name?: string;
  panes: string[];
  activePane: string;
}

export interface TerminalState {
  tabs: TabState[];
  panes: Record<string, PaneState>;
  activeTab?: string;
  /** A new tab with one pane running `target`; returns the pane id. */
  openTab(target: TerminalTarget): string;
  /** A second pane beside the tab's first (a tab holds at most two). */
  split(tabId: string, target: TerminalTarget): string | undefined;
  closePane(paneId: string): void;
  closeTab(tabId: string): void;
  setActiveTab(tabId: string): void;
  setActivePane(paneId: string): void;
  renameTab(tabId: string, name: string | undefined): void;
  updatePane(paneId: string, patch: Partial<Omit<PaneState, 'id' | 'target'>>): void;
}

export const MAX_PANES_PER_TAB = 2;

export const targetTitle = (t: TerminalTarget): string =>
  t.kind === 'local' ? 'local shell' : `${t.pod}${t.container ? `/${t.container}` : ''}`;

let serial = 0;
const newPane = (target: TerminalTarget): PaneState => ({ id: `pane-${++serial}`, target, status: 'connecting', title: targetTitle(target), sessions: 0 });

export const useTerminalStore = create<TerminalState>((set, get) => ({
  tabs: [],
  panes: {},

  openTab(target) {
    const pane = newPane(target);
    const tab: TabState = { id: `tab-${++serial}`, panes: [pane.id], activePane: pane.id };
    set((s) => ({ tabs: [...s.tabs, tab], panes: { ...s.panes, [pane.id]: pane }, activeTab: tab.id }));
    return pane.id;
  },

  split(tabId, target) {
    const tab = get().tabs.find((t) => t.id === tabId);
    if (!tab || tab.panes.length >= MAX_PANES_PER_TAB) return undefined;
    const pane = newPane(target);
    set((s) => ({
      tabs: s.tabs.map((t) => (t.id === tabId ? { ...t, panes: [...t.panes, pane.id], activePane: pane.id } : t)),
      panes: { ...s.panes, [pane.id]: pane },
      activeTab: tabId,
    }));
    return pane.id;
  },

  closePane(paneId) {
    const tab = get().tabs.find((t) => t.panes.includes(paneId));
    if (tab && tab.panes.length === 1) return get().closeTab(tab.id);
    set((s) => {
      const panes = Object.fromEntries(Object.entries(s.panes).filter(([id]) => id !== paneId));
      const tabs = s.tabs.map((t) => {
        if (!t.panes.includes(paneId)) return t;
        const rest = t.panes.filter((p) => p !== paneId);
        return { ...t, panes: rest, activePane: t.activePane === paneId ? rest[0] : t.activePane };
      });
      return { panes, tabs };
    });
  },

  closeTab(tabId) {
    set((s) => {
      const index = s.tabs.findIndex((t) => t.id === tabId);
      if (index < 0) return s;
      const gone = new Set(s.tabs[index].panes);
      const tabs = s.tabs.filter((t) => t.id !== tabId);
      const panes = Object.fromEntries(Object.entries(s.panes).filter(([id]) => !gone.has(id)));
      const activeTab = s.activeTab === tabId ? tabs[Math.min(index, tabs.length - 1)]?.id : s.activeTab;
      return { tabs, panes, activeTab };
    });
  },

  setActiveTab(tabId) {
    set({ activeTab: tabId });
  },

  setActivePane(paneId) {
    set((s) => ({ tabs: s.tabs.map((t) => (t.panes.includes(paneId) && t.activePane !== paneId ? { ...t, activePane: paneId } : t)) }));
  },

  renameTab(tabId, name) {
    set((s) => ({ tabs: s.tabs.map((t) => (t.id === tabId ? { ...t, name: name?.trim() || undefined } : t)) }));
  },

  updatePane(paneId, patch) {
    set((s) => (s.panes[paneId] ? { panes: { ...s.panes, [paneId]: { ...s.panes[paneId], ...patch } } } : s));
  },
}));

/** Opens a shell in a new terminal tab and shows the Terminal view (from Topology, Runbooks, the palette). */
export function openTerminal(target: TerminalTarget): void {
  useTerminalStore.getState().openTab(target);
  window.location.hash = '#/terminal';
}
