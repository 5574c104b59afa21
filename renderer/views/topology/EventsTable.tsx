// Cluster events, newest first, from the main process's event cache (refreshed as the graph moves).
import { useEffect, useState } from 'react';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { absoluteTime, ageText } from '../../../shared/model/age';
import { ResourceTable, type Cell, type Column } from './ResourceTable';

const COLUMNS: Column[] = [
  // Sorted by the ISO time, shown as its age; the exact time on hover.
  { key: 'last', title: 'Last seen', width: 90, format: (v) => ({ text: ageText(String(v)) || '—', title: absoluteTime(String(v)) || 'time not recorded' }) }, { key: 'type', title: 'Type', width: 80 }, { key: 'reason', title: 'Reason', width: 150 },
  { key: 'object', title: 'Object', width: 260 }, { key: 'ns', title: 'Namespace', width: 120 }, { key: 'message', title: 'Message', width: 480 }, { key: 'count', title: 'Count', width: 60 },
];

const NEWEST_FIRST = { index: 0, desc: true };

export function EventsTable({ context, filter, version }: { context: string; filter: string; version: number }) {
  const [rows, setRows] = useState<Cell[][]>([]);
  const [error, setError] = useState<string>();
  const [staleSince, setStaleSince] = useState<string>();
  const bucket = Math.floor(version / 20);
  // The graph stops moving in an outage: ask again when the connection state changes.
  const state = useAppStore((s) => s.statuses[context]?.state);
  useEffect(() => {
    let cancelled = false;
    getApi()
      .call('resources.list', { context, table: 'events' })
      .then((r) => !cancelled && (setRows(r.rows), setStaleSince(r.stale ? r.since : undefined), setError(undefined)))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [context, bucket, state]);
  if (error) return <p className="health-failing" role="alert">{error}</p>;
  // Newest first: the table's default order (first column ascending) would put the oldest on top.
  return <ResourceTable name="events" columns={COLUMNS} rows={rows} idIndex={7} filter={filter} onSelect={() => undefined} onOpen={() => undefined} staleSince={staleSince} initialSort={NEWEST_FIRST} />;
}
