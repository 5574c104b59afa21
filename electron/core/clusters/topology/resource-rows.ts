// Flat rows for the resource tables and the scripting API (`resources.list`): one array of cells
// per object, columns named once, so 10,000 pods stay a compact payload.
import type { z } from 'zod';
import type { resourceRowsSchema, resourceTableSchema } from '../../../../shared/contract/topology.js';
import type { KubeObject, ResourceCaches } from '../../../../shared/model/kube.js';
import type { TopologyProjection } from '../../../../shared/model/topology.js';

type Rows = z.infer<typeof resourceRowsSchema>;
type Table = z.infer<typeof resourceTableSchema>;

export function resourceRows(caches: ResourceCaches, projection: TopologyProjection, table: Table): Rows {
  const elements = projection.all();
  switch (table) {
    case 'pods':
      return {
        columns: ['namespace', 'name', 'phase', 'health', 'reason', 'ready', 'restarts', 'node', 'gpus', 'id'],
        rows: elements.filter((e) => e.k === 'pod').map((e) => [e.ns ?? '', e.n, e.ph ?? '', e.h, e.r ?? '', e.rdy ?? '', e.rs ?? 0, e.on?.slice(6) ?? '', e.g ?? 0, e.id]),
      };
    case 'nodes': {
      const used = new Map<string, number>();
      for (const e of elements) if (e.k === 'gpu' && e.by && e.on) used.set(e.on, (used.get(e.on) ?? 0) + 1);
      const pods = new Map<string, number>();
      for (const e of elements) if (e.k === 'pod' && e.on) pods.set(e.on, (pods.get(e.on) ?? 0) + 1);
      return {
        columns: ['name', 'status', 'health', 'reason', 'pool', 'gpus used', 'gpus', 'pods', 'id'],
        rows: elements.filter((e) => e.k === 'node').map((e) => [e.n, e.ph ?? '', e.h, e.r ?? '', e.pool ?? '', used.get(e.id) ?? 0, e.g ?? 0, pods.get(e.id) ?? 0, e.id]),
      };
    }
    case 'workloads':
      return {
        columns: ['kind', 'namespace', 'name', 'ready', 'health', 'reason', 'id'],
        rows: elements.filter((e) => ['deploy', 'sts', 'ds', 'job', 'ro'].includes(e.k)).map((e) => [e.k, e.ns ?? '', e.n, e.rdy ?? '', e.h, e.r ?? '', e.id]),
      };
    case 'services':
      return {
        columns: ['namespace', 'name', 'health', 'id'],
        rows: elements.filter((e) => e.k === 'svc').map((e) => [e.ns ?? '', e.n, e.h, e.id]),
      };
    case 'events': {
      type Ev = KubeObject & { involvedObject?: { kind?: string; name?: string; namespace?: string }; type?: string; reason?: string; message?: string; count?: number; lastTimestamp?: string; eventTime?: string };
      const events = (caches.list('events') as Ev[])
        .map((e) => [e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '', e.type ?? 'Normal', e.reason ?? '', `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`, e.involvedObject?.namespace ?? '', e.message ?? '', e.count ?? 1, ''] as (string | number)[])
        .sort((a, b) => String(b[0]).localeCompare(String(a[0])));
      return { columns: ['last seen', 'type', 'reason', 'object', 'namespace', 'message', 'count', 'id'], rows: events.slice(0, 5_000) };
    }
  }
}
