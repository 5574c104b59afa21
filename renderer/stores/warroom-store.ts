// The war room's data: one poll round every few seconds reads alerts, the GPU heatmap, SLO status,
// rollouts and the open incident — read-only methods only, so the read-only token serves it all.
// A round that brings nothing, or silence longer than staleAfterMs (a hung server), makes the
// screen stale; the next good round clears it, without a reload.
import { create } from 'zustand';
import type { z } from 'zod';
import type { alertGroupSchema } from '../../shared/contract/alerts';
import type { GpuGrid } from '../../shared/contract/gpu';
import type { SloStatus } from '../../shared/contract/metrics';
import type { WorkloadSummary } from '../../shared/contract/rollouts';
import { incidentDetailSchema, incidentsContract, type IncidentDetail } from '../../shared/contract/incidents';
import { ApiError, getApi } from '../api/client';
import { decodeValues } from './gpu-store';

type AlertGroup = z.infer<typeof alertGroupSchema>;
export type Source = 'alerts' | 'gpu' | 'slo' | 'rollouts' | 'incident';

export interface WarRoomData {
  alerts?: AlertGroup[];
  gpu?: { grid: GpuGrid; values: Float32Array };
  slos?: SloStatus[];
  workloads?: WorkloadSummary[];
  /** null: asked, and no incident is open (or the server has no incidents yet). */
  incident?: IncidentDetail | null;
}

export interface WarRoomState {
  data: WarRoomData;
  errors: Partial<Record<Source, string>>;
  lastGoodAt?: number;
  failingSince?: number;
  /** Polls for the context every pollMs until the returned function is called. */
  watch(context: string, pollMs: number): () => void;
}

/** The heatmap's span: the last quarter hour, what an incident room asks about. */
const GPU_RANGE_S = 900;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** An answer that never comes (a stopped server) fails the round instead of stalling it forever. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ApiError('upstream_unavailable', `no answer within ${Math.round(ms / 1000)} s`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * The open incident, if any. Guarded: a server without the incidents domain answers
 * unknown_method, which reads as "no incident declared" rather than an error on the wall.
 */
async function openIncident(context: string): Promise<IncidentDetail | null> {
  // The incidents contract may not be in the merged contract yet; call it by name, check the answers.
  const call = getApi().call as unknown as (method: string, request: unknown) => Promise<unknown>;
  try {
    const list = incidentsContract['incidents.list'].response.parse(await call('incidents.list', { context }));
    const open = list.incidents.find((i) => i.status !== 'resolved');
    if (!open) return null;
    return incidentDetailSchema.parse(await call('incidents.get', { id: open.id }));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unknown_method') return null;
    throw error;
  }
}

export const useWarRoomStore = create<WarRoomState>((set, get) => ({
  data: {},
  errors: {},

  watch(context, pollMs) {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const api = getApi();
    const timeoutMs = Math.max(5_000, pollMs * 2);
    const round = async () => {
      const now = Math.floor(Date.now() / 1000);
      const asks: Record<Source, Promise<Partial<WarRoomData>>> = {
        alerts: api.call('alerts.list', { context }).then((a) => ({ alerts: a.groups })),
        gpu: api
          .call('gpu.heatmap', { context, metric: 'util', range: { start: now - GPU_RANGE_S, end: now }, groupBy: 'node', sort: 'name', callouts: false, rowOffset: 0, labels: 'all' })
          .then((grid) => ({ gpu: { grid, values: decodeValues(grid.values) } })),
        slo: api.call('slo.status', { context }).then((s) => ({ slos: s.slos })),
        rollouts: api.call('rollouts.list', { context }).then((r) => ({ workloads: r.workloads })),
        incident: openIncident(context).then((incident) => ({ incident })),
      };
      const sources = Object.keys(asks) as Source[];
      const settled = await Promise.allSettled(sources.map((s) => withTimeout(asks[s], timeoutMs)));
      if (stopped) return;
      const data: WarRoomData = { ...get().data };
      const errors: WarRoomState['errors'] = {};
      let good = 0;
      settled.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          Object.assign(data, result.value);
          good++;
        } else errors[sources[i]] = message(result.reason);
      });
      // Last good data stays on screen; only the time it is from changes.
      if (good > 0) set({ data, errors, lastGoodAt: Date.now(), failingSince: undefined });
      else set({ errors, failingSince: get().failingSince ?? Date.now() });
      timer = setTimeout(() => void round(), pollMs);
    };
    set({ data: {}, errors: {}, lastGoodAt: undefined, failingSince: undefined });
    void round();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
}));
