// The Alerts view's first list is asked once: the early fetch made when the view's code loads
// (prefetchAlerts) and the view's first poll share one alerts.list call; later refreshes ask anew.
import { describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
const answers: Array<() => void> = [];
const fullAnswer = { source: { kind: 'alertmanager', detail: 'test' }, groups: [], fetchedAt: 'now', revision: 'r1', delta: false, removed: [], order: [] };
vi.mock('../../renderer/api/client', () => ({
  getApi: () => ({
    call: (method: string) => {
      calls.push(method);
      if (method === 'alerts.silences') return Promise.resolve({ source: fullAnswer.source, silences: [] });
      return new Promise((resolve) => answers.push(() => resolve(fullAnswer)));
    },
  }),
}));
const { prefetchAlerts, useAlertsStore } = await import('../../renderer/stores/alerts-store');

describe('alerts store first load', () => {
  it('shares the early fetch with the first poll, and a later refresh asks again', async () => {
    prefetchAlerts('demo');
    const firstPoll = useAlertsStore.getState().refresh();
    expect(calls.filter((m) => m === 'alerts.list')).toHaveLength(1);
    answers.shift()?.();
    await firstPoll;
    expect(useAlertsStore.getState()).toMatchObject({ context: 'demo', refreshes: 1, list: { revision: 'r1' } });

    // Holding a list, the same context's next refresh is a call of its own.
    const later = useAlertsStore.getState().refresh();
    expect(calls.filter((m) => m === 'alerts.list')).toHaveLength(2);
    answers.shift()?.();
    await later;
    expect(useAlertsStore.getState().refreshes).toBe(2);

    // Opening the view again with the list held asks nothing more.
    prefetchAlerts('demo');
    expect(calls.filter((m) => m === 'alerts.list')).toHaveLength(2);
  });
});
