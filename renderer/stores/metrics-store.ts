// Metrics & SLOs view state: service panels over a shared range, SLO states, and the explorer.
import { create } from 'zustand';
import type { MethodResponse } from '../../shared/contract';
import { getApi } from '../api/client';
import { refreshDelayMs, resolveRange, type RangeChoice } from './time-range';

type Services = MethodResponse<'metrics.services'>;
type Slos = MethodResponse<'slo.status'>;
type Range = MethodResponse<'metrics.queryRange'>;
type Instant = MethodResponse<'metrics.query'>;
interface Failure {
  code: string;
  message: string;
  since: number;
}

export interface MetricsState {
  range: RangeChoice;
  services?: Services;
  slos?: Slos;
  servicesError?: Failure;
  slosError?: Failure;
  failures: number;
  names: string[];
  explorer: { query: string; graph?: Range; table?: Instant; error?: string; running: boolean };
  rules?: string;
  setRange(range: RangeChoice): void;
  load(context: string): Promise<void>;
  loadNames(context: string): Promise<void>;
  runQuery(context: string, query: string): Promise<void>;
  exportRules(context: string): Promise<void>;
}

const failure = (error: unknown, previous?: Failure): Failure => {
  const e = error as { code?: string; message?: string };
  return { code: e.code ?? 'internal', message: e.message ?? String(error), since: previous?.since ?? Date.now() };
};

export const useMetricsStore = create<MetricsState>((set, get) => ({
  range: { preset: '1h' },
  failures: 0,
  names: [],
  explorer: { query: 'sum by (service) (rate(inference_requests_total[1m]))', running: false },
  setRange(range) {
    set({ range });
  },
  async load(context) {
    const api = getApi();
    const range = resolveRange(get().range);
    const [services, slos] = await Promise.allSettled([api.call('metrics.services', { context, range }), api.call('slo.status', { context })]);
    const failed = services.status === 'rejected' || slos.status === 'rejected' || (services.status === 'fulfilled' && services.value.freshness.stale);
    set({
      services: services.status === 'fulfilled' ? services.value : get().services,
      servicesError: services.status === 'rejected' ? failure(services.reason, get().servicesError) : undefined,
      slos: slos.status === 'fulfilled' ? slos.value : get().slos,
      slosError: slos.status === 'rejected' ? failure(slos.reason, get().slosError) : undefined,
      failures: failed ? get().failures + 1 : 0,
    });
  },
  async loadNames(context) {
    try {
      const { names } = await getApi().call('metrics.names', { context });
      set({ names });
    } catch {
      set({ names: [] });
    }
  },
  async runQuery(context, query) {
    set({ explorer: { ...get().explorer, query, running: true, error: undefined } });
    const api = getApi();
    const range = resolveRange(get().range);
    const [graph, table] = await Promise.allSettled([api.call('metrics.queryRange', { context, query, range }), api.call('metrics.query', { context, query })]);
    const error = graph.status === 'rejected' ? (graph.reason as Error).message : table.status === 'rejected' ? (table.reason as Error).message : undefined;
    set({
      explorer: {
        query,
        running: false,
        graph: graph.status === 'fulfilled' ? graph.value : undefined,
        table: table.status === 'fulfilled' ? table.value : undefined,
        error,
      },
    });
  },
  async exportRules(context) {
    const { yaml } = await getApi().call('slo.rules', { context });
    set({ rules: yaml });
  },
}));

export const metricsRefreshMs = () => refreshDelayMs(useMetricsStore.getState().failures);
