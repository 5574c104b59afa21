// The last answer of metrics.source per context, shared so a view shows "no metrics source" once
// (in its source line, with the way to Settings) instead of again in every panel's error banner.
import { create } from 'zustand';
import type { PrometheusSource } from '../../shared/contract/metrics';

interface SourceState {
  byContext: Record<string, PrometheusSource>;
  put(source: PrometheusSource): void;
}

export const useSourceState = create<SourceState>((set) => ({
  byContext: {},
  put: (source) => set((s) => ({ byContext: { ...s.byContext, [source.context]: source } })),
}));

/** True when this context has no Prometheus at all (not set, not found): panels then stay quiet. */
export function useNoMetricsSource(context: string | undefined): boolean {
  return useSourceState((s) => (context ? s.byContext[context]?.kind === 'none' : false));
}
