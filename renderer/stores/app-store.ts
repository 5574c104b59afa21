// Shell state: who we are, the contexts and their connection states, the active context, the
// link to the Flightdeck server, theme and palette. Fed by contract calls and streams.
import { create } from 'zustand';
import type { AppInfo, Settings } from '../../shared/contract/app';
import type { ClusterContext, ClusterStatus } from '../../shared/contract/clusters';
import { getApi, type LinkState } from '../api/client';

export interface AppState {
  info?: AppInfo;
  settings?: Settings;
  contexts: ClusterContext[];
  contextsProblem?: string;
  /** A changed kubeconfig that was not applied (the previous one stays in use), naming the file. */
  kubeconfigProblem?: string;
  statuses: Record<string, ClusterStatus>;
  activeContext?: string;
  link: LinkState;
  loadError?: string;
  paletteOpen: boolean;
  /** What the palette's box starts with (":" when opened k9s-style). */
  paletteSeed: string;
  keyMapOpen: boolean;
  setActiveContext(name: string): void;
  setTheme(theme: Settings['theme']): void;
  setPaletteOpen(open: boolean, seed?: string): void;
  setKeyMapOpen(open: boolean): void;
  load(): Promise<void>;
}

export const useAppStore = create<AppState>((set, get) => ({
  contexts: [],
  statuses: {},
  link: { state: 'connecting', since: Date.now() },
  paletteOpen: false,
  paletteSeed: '',
  keyMapOpen: false,

  setActiveContext(name) {
    set({ activeContext: name });
    if (!get().info?.readOnly) void getApi().call('settings.set', { activeContext: name }).then((settings) => set({ settings })).catch(() => undefined);
  },

  setTheme(theme) {
    const settings = get().settings;
    if (settings) set({ settings: { ...settings, theme } });
    if (!get().info?.readOnly) void getApi().call('settings.set', { theme }).catch(() => undefined);
  },

  setPaletteOpen(open, seed = '') {
    set(open ? { paletteOpen: true, paletteSeed: seed, keyMapOpen: false } : { paletteOpen: false });
  },

  setKeyMapOpen(open) {
    set(open ? { keyMapOpen: true, paletteOpen: false } : { keyMapOpen: false });
  },

  async load() {
    const api = getApi();
    api.onLinkState((link) => set({ link }));
    try {
      const [info, settings, clusters] = await Promise.all([
        api.call('app.info', {}),
        api.call('settings.get', {}),
        api.call('clusters.list', {}),
      ]);
      const preferred = settings.activeContext && clusters.contexts.some((c) => c.name === settings.activeContext) ? settings.activeContext : undefined;
      set({
        info,
        settings,
        contexts: clusters.contexts,
        contextsProblem: clusters.problem,
        kubeconfigProblem: clusters.reloadProblem,
        activeContext: preferred ?? clusters.contexts.find((c) => c.current)?.name ?? clusters.contexts[0]?.name,
        loadError: undefined,
      });
    } catch (error) {
      set({ loadError: error instanceof Error ? error.message : String(error) });
      return;
    }
    let revision = 0;
    api.subscribe('clusters.status', {}, ({ statuses, kubeconfigRevision, kubeconfigProblem }) => {
      set({ statuses: Object.fromEntries(statuses.map((s) => [s.context, s])), kubeconfigProblem });
      // The kubeconfig was reloaded: contexts may have come, gone or changed their auth.
      if (kubeconfigRevision !== undefined && kubeconfigRevision !== revision) {
        revision = kubeconfigRevision;
        void api
          .call('clusters.list', {})
          .then((clusters) => {
            const active = get().activeContext;
            set({
              contexts: clusters.contexts,
              contextsProblem: clusters.problem,
              activeContext: active && clusters.contexts.some((c) => c.name === active) ? active : clusters.contexts.find((c) => c.current)?.name ?? clusters.contexts[0]?.name,
            });
          })
          .catch(() => undefined);
      }
    });
  },
}));
