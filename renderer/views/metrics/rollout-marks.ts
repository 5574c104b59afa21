// Rollout annotations on the service charts (as Grafana's annotations): a vertical mark at each
// revision start, promotion and abort of the workloads behind the chart's services.
import { useEffect, useState } from 'react';
import { getApi } from '../../api/client';
import type { RolloutEvent } from '../../../shared/contract/rollouts';
import type { MethodResponse } from '../../../shared/contract';

export const MARK_COLORS: Record<RolloutEvent['type'], string> = { started: '#5b8def', promoted: '#3fb27f', aborted: '#e5534b' };

/** The chart's x range in unix seconds: first to last column. */
export const chartRange = (data: Pick<MethodResponse<'metrics.services'>, 'start' | 'step' | 'columns'>) => ({
  start: data.start,
  end: data.start + Math.max(0, data.columns - 1) * data.step,
});

/** Events of one panel: the panel's services, inside the chart's range. */
export function marksForPanel(events: readonly RolloutEvent[], services: readonly string[], range: { start: number; end: number }): RolloutEvent[] {
  const wanted = new Set(services);
  return events.filter((e) => wanted.has(e.service) && e.at >= range.start && e.at <= range.end);
}

/** Re-read with every services answer (each live refresh), so a new rollout shows within one refresh. */
export function useRolloutEvents(context: string | null | undefined, data: MethodResponse<'metrics.services'>): RolloutEvent[] {
  const [events, setEvents] = useState<RolloutEvent[]>([]);
  useEffect(() => {
    if (!context || !data.services.length) return;
    let cancelled = false;
    const { start, end } = chartRange(data);
    getApi()
      .call('rollouts.events', { context, services: data.services, start, end: end > start ? end : start + 1 })
      // Annotations are an extra: the charts stand without them, so a failed read shows none.
      .then((r) => !cancelled && setEvents(r.events))
      .catch(() => !cancelled && setEvents([]));
    return () => {
      cancelled = true;
    };
  }, [context, data]);
  return events;
}
