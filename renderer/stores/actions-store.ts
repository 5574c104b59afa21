// The action road on the renderer side, one store for every view: which actions a target offers
// and whether this user may take them (actions.available, cached: buttons ask often, RBAC changes
// rarely), the plan shown in the confirm dialog, and the last outcome. Rollouts, Topology and the
// command palette all open the same dialog through prepare().
import { create } from 'zustand';
import type { ActionPlan, ActionResult, ActionTarget } from '../../shared/contract/actions';
import type { ActionAvailability } from '../../shared/contract/rollouts';
import { couldNotCheck, READ_ONLY_SESSION } from '../../shared/model/action-refusals';
import { ApiError, getApi } from '../api/client';

export const targetKey = (t: { kind: string; namespace?: string; name: string }) => `${t.kind}/${t.namespace ?? ''}/${t.name}`;
export const availabilityKey = (context: string, target: ActionTarget) => `${context}|${targetKey(target)}`;

const AVAILABILITY_TTL_MS = 30_000;

export interface PendingAction {
  target: ActionTarget;
  action: string;
  params: Record<string, unknown>;
}

export interface ActionDialog {
  context: string;
  request: PendingAction;
  plan?: ActionPlan;
  error?: string;
  busy: boolean;
  result?: ActionResult;
}

/** A button's verdict: allowed, or why not; `allowed` undefined while RBAC is being asked. */
export interface ActionVerdict {
  offered: boolean;
  allowed: boolean | undefined;
  reason?: string;
}

export interface ActionsState {
  availability: Record<string, { at: number; actions: ActionAvailability[]; error?: string }>;
  /** The action being confirmed: its plan, or why it could not be planned. */
  dialog?: ActionDialog;
  /** The last action's outcome, for the context it ran in: another context never shows it. */
  lastResult?: { message: string; ok: boolean; at: number; context: string; target: ActionTarget; action: string };
  loadAvailability(context: string, target: ActionTarget, force?: boolean): Promise<void>;
  verdict(context: string, target: ActionTarget, action: string, readOnly: boolean): ActionVerdict;
  prepare(context: string, request: PendingAction): Promise<void>;
  execute(confirmText?: string): Promise<void>;
  closeDialog(): void;
  /** A context switch: what belongs to another context goes (its toast, a dialog planned there). */
  forgetOtherContexts(context: string): void;
}

type AvailabilityEntry = ActionsState['availability'][string];

/** Whether one action of a loaded availability answer may be taken; pure, so components can subscribe to the entry. */
export function verdictOf(entry: AvailabilityEntry | undefined, action: string, readOnly: boolean): ActionVerdict {
  const v = entry?.actions.find((a) => a.action === action);
  if (readOnly) return { offered: v !== undefined, allowed: false, reason: READ_ONLY_SESSION };
  if (entry?.error) return { offered: true, allowed: false, reason: couldNotCheck(entry.error) };
  if (!entry) return { offered: true, allowed: undefined };
  return v ? { offered: true, allowed: v.allowed, reason: v.reason } : { offered: false, allowed: false };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const useActionsStore = create<ActionsState>((set, get) => ({
  availability: {},

  async loadAvailability(context, target, force = false) {
    const key = availabilityKey(context, target);
    const hit = get().availability[key];
    if (!force && hit && Date.now() - hit.at < AVAILABILITY_TTL_MS) return;
    try {
      const { actions } = await getApi().call('actions.available', { context, target });
      set({ availability: { ...get().availability, [key]: { at: Date.now(), actions } } });
    } catch (error) {
      set({ availability: { ...get().availability, [key]: { at: Date.now(), actions: [], error: message(error) } } });
    }
  },

  verdict(context, target, action, readOnly) {
    return verdictOf(get().availability[availabilityKey(context, target)], action, readOnly);
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
    const { target, action } = dialog.request;
    const context = dialog.plan.context;
    try {
      const result = await getApi().call('actions.execute', { token: dialog.plan.token, confirmText });
      set({ dialog: undefined, lastResult: { message: result.message, ok: true, at: Date.now(), context, target, action } });
    } catch (error) {
      // A wrong typed confirmation keeps the token; every other failure needs a fresh plan.
      const keepsToken = error instanceof ApiError && error.code === 'invalid_request' && /type "/.test(error.message);
      set({
        dialog: { ...dialog, busy: false, error: message(error), plan: keepsToken ? dialog.plan : { ...dialog.plan, token: null } },
        lastResult: keepsToken ? get().lastResult : { message: message(error), ok: false, at: Date.now(), context, target, action },
      });
    }
  },

  closeDialog() {
    set({ dialog: undefined });
  },

  forgetOtherContexts(context) {
    const { lastResult, dialog } = get();
    set({
      ...(lastResult && lastResult.context !== context ? { lastResult: undefined } : {}),
      ...(dialog && dialog.context !== context ? { dialog: undefined } : {}),
    });
  },
}));
