// The server's Table (meta.k8s.io/v1) as rows the renderer draws: each row keyed by namespace/name
// from its embedded PartialObjectMetadata (includeObject=Metadata), cells as printed.
import type { TableColumn, TableRow } from '../../../shared/contract/browser.js';

export const TABLE_ACCEPT = 'application/json;as=Table;g=meta.k8s.io;v=v1,application/json';

export interface ServerTable {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions?: Array<{ name: string; type: string; format?: string; description?: string; priority?: number }>;
  rows?: Array<{ cells?: unknown[]; object?: { metadata?: { name?: string; namespace?: string; resourceVersion?: string } } }>;
}

export const rowKey = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

type Cell = TableRow['cells'][number];
const cellOf = (value: unknown): Cell =>
  value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? (value ?? null) : JSON.stringify(value);

export function columnsOf(table: ServerTable): TableColumn[] | undefined {
  return table.columnDefinitions?.map((c) => ({ name: c.name, type: c.type, format: c.format || undefined, description: c.description || undefined, priority: c.priority ?? 0 }));
}

export function rowsOf(table: ServerTable): TableRow[] {
  const rows: TableRow[] = [];
  for (const row of table.rows ?? []) {
    const meta = row.object?.metadata;
    if (!meta?.name) continue;
    rows.push({ key: rowKey(meta.namespace, meta.name), namespace: meta.namespace, name: meta.name, cells: (row.cells ?? []).map(cellOf) });
  }
  return rows;
}
