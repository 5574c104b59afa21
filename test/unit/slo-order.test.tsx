import { describe, expect, it } from 'vitest';
import { sortSlosForTriage } from '../../renderer/views/metrics/slo-order';
import type { SloStatus } from '../../shared/contract/metrics';

type Card = Pick<SloStatus, 'state' | 'service' | 'slo'>;
type SloKind = SloStatus['slo'];
const card = (service: string, slo: SloKind, state: SloStatus['state']): Card => ({ service, slo, state });
const names = (cards: Card[]) => cards.map((c) => `${c.service}/${c.slo}:${c.state}`);

describe('SLO cards in triage order', () => {
  const input: Card[] = [
    card('api', 'availability', 'ok'),
    card('llm', 'latency', 'not-enough-data'),
    card('web', 'availability', 'ticket'),
    card('batch', 'availability', 'no-data'),
    card('llm', 'availability', 'page'),
    card('embed', 'availability', 'exhausted'),
    card('broken', 'availability', 'invalid'),
    card('api', 'latency', 'page'),
  ];

  it('puts paging first, then exhausted, ticket, cannot evaluate, no traffic, not enough data, within budget last', () => {
    expect(names(sortSlosForTriage(input))).toEqual([
      'api/latency:page',
      'llm/availability:page',
      'embed/availability:exhausted',
      'web/availability:ticket',
      'broken/availability:invalid',
      'batch/availability:no-data',
      'llm/latency:not-enough-data',
      'api/availability:ok',
    ]);
  });

  it('is stable by name within a state whatever order the data arrives in (a refresh keeps the order)', () => {
    const once = names(sortSlosForTriage(input));
    expect(names(sortSlosForTriage([...input].reverse()))).toEqual(once);
    expect(names(sortSlosForTriage([input[3], input[0], input[7], input[1], input[6], input[2], input[5], input[4]]))).toEqual(once);
  });

  it('moves a card when its state changes and leaves the input untouched', () => {
    const before = [...input];
    const refreshed = input.map((c) => (c.service === 'api' && c.slo === 'availability' ? { ...c, state: 'ticket' as const } : c));
    const order = names(sortSlosForTriage(refreshed));
    expect(order.indexOf('api/availability:ticket')).toBe(order.indexOf('web/availability:ticket') - 1);
    expect(input).toEqual(before);
  });
});
