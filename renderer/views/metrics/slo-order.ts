// Triage order for SLO cards: what needs a person now comes first, "within budget" last.
import type { SloStatus } from '../../../shared/contract/metrics';

// Page (act now) > exhausted (budget spent) > ticket (slow burn) > cannot evaluate (a broken SLO file
// hides a real state) > no traffic > not enough data > within budget.
const STATE_RANK: Record<SloStatus['state'], number> = {
  page: 0,
  exhausted: 1,
  ticket: 2,
  invalid: 3,
  'no-data': 4,
  'not-enough-data': 5,
  ok: 6,
};

const cardName = (s: Pick<SloStatus, 'service' | 'slo'>) => `${s.service}\u0000${s.slo}`;

/** A new array by state rank, then service and SLO name, so a refresh with the same states keeps the order. */
export function sortSlosForTriage<T extends Pick<SloStatus, 'state' | 'service' | 'slo'>>(slos: readonly T[]): T[] {
  return [...slos].sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || cardName(a).localeCompare(cardName(b), 'en'));
}
