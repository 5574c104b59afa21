// One button of the action road for any view: asks actions.available for its target (cached in
// the actions store), is disabled with the reason as tooltip when RBAC or a read-only session says
// no, hides itself when no handler serves the target's kind, and opens the shared confirm dialog.
import { useEffect } from 'react';
import type { ActionTarget } from '../../shared/contract/actions';
import { availabilityKey, useActionsStore, verdictOf } from '../stores/actions-store';
import { useAppStore } from '../stores/app-store';
import { Permitted } from './Permitted';

export interface ActionButtonProps {
  context: string;
  target: ActionTarget;
  action: string;
  params?: Record<string, unknown>;
  label: string;
  /** data-testid; `action-<action>` unless given. */
  testId?: string;
}

export function ActionButton({ context, target, action, params = {}, label, testId }: ActionButtonProps) {
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const key = availabilityKey(context, target);
  const entry = useActionsStore((s) => s.availability[key]);
  const loadAvailability = useActionsStore((s) => s.loadAvailability);
  const prepare = useActionsStore((s) => s.prepare);

  useEffect(() => {
    void loadAvailability(context, target);
    // The key names the target; a new object with the same key is the same target.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, loadAvailability]);

  const verdict = verdictOf(entry, action, readOnly);
  if (!verdict.offered) return null;
  return (
    <Permitted allowed={verdict.allowed} reason={verdict.reason}>
      <button type="button" onClick={() => void prepare(context, { target, action, params })} data-testid={testId ?? `action-${action}`}>
        {label}
      </button>
    </Permitted>
  );
}
