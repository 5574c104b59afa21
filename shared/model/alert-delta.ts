// Applying an `alerts.list` delta answer to the list a caller holds.
import type { MethodResponse } from '../contract.js';
import type { AlertGroup } from './alert.js';

type AlertList = MethodResponse<'alerts.list'>;

/** Changed groups replaced, gone ones dropped, all in the answer's order; a full answer replaces everything. */
export function applyAlertAnswer(held: AlertList | undefined, answer: AlertList): AlertList {
  if (!answer.delta || !held) return answer;
  const byKey = new Map(held.groups.map((g) => [g.key, g]));
  for (const key of answer.removed) byKey.delete(key);
  for (const g of answer.groups) byKey.set(g.key, g);
  const groups = answer.order.map((key) => byKey.get(key)).filter((g): g is AlertGroup => g !== undefined);
  return { ...answer, groups, delta: false, removed: [], order: [] };
}
