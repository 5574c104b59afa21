// Alerts view state: the grouped alerts and silences of the active context (polled), which groups
// are collapsed, the selected alert, the silence being written and the plan in the confirm dialog,
// and desktop notifications for new P1/P2 alerts (off by default). Also the figures the bench reads.
import { create } from 'zustand';
import type { MethodResponse } from '../../shared/contract';
import type { ActionPlan } from '../../shared/contract/actions';
import type { CreateSilenceParams, Silence } from '../../shared/contract/alerts';
import { newUrgentAlerts, type AlertGroup, type SilenceMatcher } from '../../shared/model/alert';
import { applyAlertAnswer } from '../../shared/model/alert-delta';
import { getApi } from '../api/client';

type AlertList = MethodResponse<'alerts.list'>;


export interface SilenceDraft {
  matchers: SilenceMatcher[];
  durationMinutes: number;
  comment: string;
  createdBy: string;
}

export type SilenceDialog =
  | { step: 'form'; draft: SilenceDraft; error?: string }
  | { step: 'confirm'; title: string; action: 'silence.create' | 'silence.expire'; target: { kind: 'Silence'; name: string }; params: Record<string, unknown>; plan?: ActionPlan; busy: boolean; error?: string; draft?: SilenceDraft };

export interface AlertsState {
  context?: string;
  list?: AlertList;
  silences: Silence[];
  error?: string;
  failures: number;
  /** Completed refreshes (the bench waits on it). */
  refreshes: number;
  filter: string;
  collapsed: Set<string>;
  selected?: string;
  dialog?: SilenceDialog;
  lastResult?: { ok: boolean; message: string; context: string };
  notify: boolean;
  setContext(context: string): void;
  refresh(): Promise<void>;
  setFilter(filter: string): void;
  toggleGroup(key: string): void;
  select(fingerprint: string | undefined): void;
  openSilenceForm(matchers: SilenceMatcher[]): void;
  updateDraft(patch: Partial<SilenceDraft>): void;
  prepareSilence(): Promise<void>;
  prepareExpire(silence: Silence): Promise<void>;
  prepareAgain(): Promise<void>;
  execute(confirmText?: string): Promise<void>;
  closeDialog(): void;
  setNotify(on: boolean): Promise<void>;
}

const NOTIFY_KEY = 'flightdeck.alerts.notify';
const CREATOR_KEY = 'flightdeck.alerts.creator';
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const stored = (key: string) => {
  try {
    return globalThis.localStorage?.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
};
const store = (key: string, value: string) => {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this session only
  }
};

/** When the last alerts.list answer arrived (performance.now()): the view measures answer → paint from it. */
export const alertsTiming = { answeredAt: 0 };

/** The alerts.list call on its way, if any (refresh() joins it rather than asking again). */
let inFlight: { context: string; done: Promise<void> } | undefined;

/** Fingerprints of the P1/P2 alerts already announced (per context), so a refresh never repeats one. */
const announced = new Map<string, Set<string>>();

function announce(context: string, groups: AlertGroup[], enabled: boolean): void {
  const seen = announced.get(context);
  const urgent = newUrgentAlerts(seen ?? new Set(), groups);
  const next = new Set(seen ?? []);
  for (const a of urgent) next.add(a.fingerprint);
  announced.set(context, next);
  // The first answer for a context only records what is already firing: only new alerts notify.
  if (!seen || !enabled || urgent.length === 0 || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  for (const a of urgent.slice(0, 3)) {
    new Notification(`${a.priority} ${a.name}`, { body: a.annotations.summary ?? [a.labels.namespace, a.labels.service].filter(Boolean).join('/'), tag: a.fingerprint });
  }
}

export const useAlertsStore = create<AlertsState>((set, get) => ({
  silences: [],
  failures: 0,
  refreshes: 0,
  filter: '',
  collapsed: new Set(),
  notify: stored(NOTIFY_KEY) === 'on',

  setContext(context) {
    if (get().context === context) return;
    const dialog = get().dialog;
    set({ context, list: undefined, silences: [], error: undefined, selected: undefined, dialog: dialog?.step === 'form' ? dialog : undefined, failures: 0 });
  },

  refresh() {
    const context = get().context;
    if (!context) return Promise.resolve();
    // The first list of a context is asked once: the view's first poll joins the early fetch
    // (prefetchAlerts) rather than fetching and grouping 5,000 alerts a second time. Later refreshes
    // (Refresh, after a silence) always ask anew, so they never show an answer older than the click.
    if (inFlight?.context === context && !get().list) return inFlight.done;
    const done = (async () => {
      const api = getApi();
      try {
        const since = get().list?.revision;
        const [answer, silences] = await Promise.all([api.call('alerts.list', { context, since }), api.call('alerts.silences', { context }).catch(() => undefined)]);
        if (get().context !== context) return;
        alertsTiming.answeredAt = performance.now();
        const held = get().list;
        // A delta against a list this store no longer holds cannot be applied: ask for everything.
        if (answer.delta && held?.revision !== since) return set({ list: undefined });
        const list = applyAlertAnswer(held, answer);
        set({ list, silences: silences?.silences ?? [], error: undefined, failures: 0, refreshes: get().refreshes + 1 });
        announce(context, list.groups, get().notify);
      } catch (error) {
        if (get().context === context) set({ error: message(error), failures: get().failures + 1, refreshes: get().refreshes + 1 });
      }
    })().finally(() => {
      if (inFlight?.done === done) inFlight = undefined;
    });
    inFlight = { context, done };
    return done;
  },

  setFilter: (filter) => set({ filter }),

  toggleGroup(key) {
    const collapsed = new Set(get().collapsed);
    if (collapsed.has(key)) collapsed.delete(key);
    else collapsed.add(key);
    set({ collapsed });
  },

  select: (fingerprint) => set({ selected: fingerprint }),

  openSilenceForm(matchers) {
    set({ dialog: { step: 'form', draft: { matchers, durationMinutes: 120, comment: '', createdBy: stored(CREATOR_KEY) ?? '' } } });
  },

  updateDraft(patch) {
    const dialog = get().dialog;
    if (dialog?.step !== 'form') return;
    set({ dialog: { ...dialog, draft: { ...dialog.draft, ...patch }, error: undefined } });
  },

  async prepareSilence() {
    const { dialog, context } = get();
    if (dialog?.step !== 'form' || !context) return;
    const { draft } = dialog;
    if (!draft.comment.trim()) return set({ dialog: { ...dialog, error: 'Say why in the comment: it is what the next person reads.' } });
    if (!draft.createdBy.trim()) return set({ dialog: { ...dialog, error: 'Say who creates the silence.' } });
    if (draft.matchers.length === 0) return set({ dialog: { ...dialog, error: 'A silence needs at least one matcher.' } });
    store(CREATOR_KEY, draft.createdBy.trim());
    const params: CreateSilenceParams = { ...draft, comment: draft.comment.trim(), createdBy: draft.createdBy.trim() };
    set({ dialog: { step: 'confirm', title: 'Create a silence', action: 'silence.create', target: { kind: 'Silence', name: 'new' }, params, busy: true, draft } });
    await get().prepareAgain();
  },

  async prepareExpire(silence) {
    set({ dialog: { step: 'confirm', title: `Expire silence ${silence.id.slice(0, 8)}`, action: 'silence.expire', target: { kind: 'Silence', name: silence.id }, params: {}, busy: true } });
    await get().prepareAgain();
  },

  async prepareAgain() {
    const { dialog, context } = get();
    if (dialog?.step !== 'confirm' || !context) return;
    set({ dialog: { ...dialog, busy: true, error: undefined, plan: undefined } });
    try {
      const plan = await getApi().call('actions.prepare', { context, target: dialog.target, action: dialog.action, params: dialog.params });
      set({ dialog: { ...dialog, plan, busy: false, error: undefined } });
    } catch (error) {
      set({ dialog: { ...dialog, busy: false, error: message(error) } });
    }
  },

  async execute(confirmText) {
    const dialog = get().dialog;
    if (dialog?.step !== 'confirm' || !dialog.plan?.token) return;
    set({ dialog: { ...dialog, busy: true, error: undefined } });
    try {
      const result = await getApi().call('actions.execute', { token: dialog.plan.token, confirmText });
      set({ dialog: undefined, lastResult: { ok: true, message: result.message, context: dialog.plan.context } });
      await get().refresh();
    } catch (error) {
      set({ dialog: { ...dialog, busy: false, error: message(error), plan: { ...dialog.plan, token: null } } });
    }
  },

  closeDialog: () => set({ dialog: undefined }),

  async setNotify(on) {
    if (on && typeof Notification !== 'undefined' && Notification.permission === 'default') await Notification.requestPermission();
    store(NOTIFY_KEY, on ? 'on' : 'off');
    set({ notify: on });
  },
}));

/** Poll every 10 s, backing off to a minute while the source fails. */
export const alertsRefreshMs = () => Math.min(60_000, 10_000 * 2 ** useAlertsStore.getState().failures);

/**
 * Asks for the context's alerts as the Alerts route opens (the registry's `opening`), while the
 * view's code loads: the 5,000-alert answer is then on its way during the chunk load and the mount
 * (the view's own first poll joins this call). Nothing is asked when the store holds this context's list.
 */
export function prefetchAlerts(context: string | undefined): void {
  if (!context) return;
  const state = useAlertsStore.getState();
  state.setContext(context);
  if (!useAlertsStore.getState().list) void state.refresh();
}
