// CPU and memory figures for the Pods and Nodes tables: `metrics.usage` (the metrics API, else
// Prometheus), read every 15 s (metrics-server's resolution) while a table shows them.
import { useEffect, useState } from 'react';
import type { ClusterUsage } from '../../../shared/contract/metrics';
import { getApi } from '../../api/client';
import type { Cell } from './ResourceTable';

const POLL_MS = 15_000;

export function useUsage(context: string | undefined, active: boolean): ClusterUsage | undefined {
  const [usage, setUsage] = useState<ClusterUsage>();
  useEffect(() => {
    setUsage(undefined);
    if (!context || !active) return;
    let live = true;
    const read = () =>
      getApi()
        .call('metrics.usage', { context })
        .then((u) => live && setUsage(u))
        .catch((e: unknown) => live && setUsage({ source: 'none', detail: e instanceof Error ? e.message : String(e), nodes: {}, pods: {}, fetchedAt: new Date().toISOString() }));
    void read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [context, active]);
  return usage;
}

/** A usage cell: the figure (sorts as a number), or -1 when there is none. */
export const NO_USAGE = -1;

/** As `kubectl top` prints them: CPU in whole millicores (rounded up), memory in whole MiB (rounded down). */
export function cpuCell(usage: ClusterUsage | undefined) {
  return (value: Cell) => (typeof value === 'number' && value >= 0 ? { text: `${Math.ceil(Math.round(value * 1e9) / 1e6)}m`, title: `${value.toFixed(3)} cores — ${usage?.detail ?? ''}` } : { text: '—', title: usage?.detail ?? 'reading usage…' });
}

export function memoryCell(usage: ClusterUsage | undefined) {
  return (value: Cell) => (typeof value === 'number' && value >= 0 ? { text: `${Math.floor(value / 2 ** 20)}Mi`, title: `${value} bytes — ${usage?.detail ?? ''}` } : { text: '—', title: usage?.detail ?? 'reading usage…' });
}
