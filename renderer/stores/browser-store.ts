// Resource browser state: the context's kinds (discovery), the selected kind's live table (stream
// `browser.table`: a reset, pages, then coalesced changes) and the selected object's details. Rows
// live in a Map mutated in place with a version counter, so a batch of changes on 50,000 rows costs
// the changed rows, not a copy of the table.
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { BrowserKind, ResourceRef, TableColumn, TableRow } from '../../shared/contract/browser';
import type { MethodResponse } from '../../shared/contract';
import type { PaletteEntry } from '../../shared/model/palette-search';
import { getApi } from '../api/client';

export type Details = MethodResponse<'browser.details'>;

export const kindKey = (k: { group: string; version: string; plural: string }) => `${k.plural}.${k.version}${k.group ? `.${k.group}` : ''}`;

export interface BrowserState {
  context?: string;
  kinds: BrowserKind[];
  kindsError?: string;
  selectedKind?: BrowserKind;
  columns: TableColumn[];
  rows: Map<string, TableRow>;
  /** Keys in list order (the server's), new rows appended. */
  order: string[];
  /** Bumped on every change to rows, for views to re-derive. */
  version: number;
  complete: boolean;
  problem?: string;
  /** When the last batch of changes reached the store (performance.now()), for the bench. */
  lastBatchAt?: number;
  selectedRow?: string;
  details?: Details;
  detailsError?: string;
  loadKinds(context: string): Promise<void>;
  selectKind(context: string, kind: BrowserKind | undefined): () => void;
  selectRow(key: string | undefined): void;
  loadDetails(): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const refOf = (kind: BrowserKind, row?: TableRow): ResourceRef => ({ group: kind.group, version: kind.version, plural: kind.plural, ...(row?.namespace ? { namespace: row.namespace } : {}) });

export const useBrowserStore = create<BrowserState>((set, get) => ({
  kinds: [],
  columns: [],
  rows: new Map(),
  order: [],
  version: 0,
  complete: false,

  async loadKinds(context) {
    if (get().context !== context) set({ context, kinds: [], kindsError: undefined, selectedKind: undefined });
    try {
      const { kinds } = await getApi().call('browser.kinds', { context });
      if (get().context === context) set({ kinds, kindsError: undefined });
    } catch (error) {
      if (get().context === context) set({ kindsError: message(error) });
    }
  },

  selectKind(context, kind) {
    set({ selectedKind: kind, columns: [], rows: new Map(), order: [], version: get().version + 1, complete: false, problem: undefined, selectedRow: undefined, details: undefined });
    if (!kind) return () => undefined;
    const rows = new Map<string, TableRow>();
    let order: string[] = [];
    return getApi().subscribe(
      'browser.table',
      { context, group: kind.group, version: kind.version, plural: kind.plural, pageSize: 500 },
      (event) => {
        if (get().selectedKind !== kind) return;
        if (event.type === 'problem') {
          set({ problem: event.message });
          return;
        }
        if (event.type === 'reset') {
          rows.clear();
          order = [];
        }
        const upserts = event.type === 'changes' ? event.upserts : event.rows;
        for (const row of upserts) {
          if (!rows.has(row.key)) order.push(row.key);
          rows.set(row.key, row);
        }
        if (event.type === 'changes' && event.deletes.length) {
          for (const key of event.deletes) rows.delete(key);
          order = order.filter((key) => rows.has(key));
        }
        set({
          rows,
          order,
          version: get().version + 1,
          problem: undefined,
          lastBatchAt: performance.now(),
          ...(event.type === 'reset' ? { columns: event.columns, complete: event.complete } : event.type === 'page' ? { complete: event.complete } : {}),
        });
      },
      (error) => set({ problem: error.message }),
    );
  },

  selectRow(key) {
    set({ selectedRow: key, details: undefined, detailsError: undefined });
    if (key) void get().loadDetails();
  },

  async loadDetails() {
    const { context, selectedKind, selectedRow, rows } = get();
    const row = selectedRow ? rows.get(selectedRow) : undefined;
    if (!context || !selectedKind || !row) return;
    try {
      const details = await getApi().call('browser.details', { context, resource: refOf(selectedKind, row), name: row.name });
      if (get().selectedRow === selectedRow) set({ details, detailsError: undefined });
    } catch (error) {
      if (get().selectedRow === selectedRow) set({ detailsError: message(error) });
    }
  },
}));

/** The hash that opens the Resources view on one kind (palette entries, links). */
export const kindHash = (key: string) => `#/resources?kind=${encodeURIComponent(key)}`;

/** Every kind of the context for the palette, labelled with its API group; loads discovery once per context. */
export function useKindPaletteEntries(context: string | undefined): PaletteEntry[] {
  const kinds = useBrowserStore((s) => (s.context === context ? s.kinds : undefined));
  useEffect(() => {
    const state = useBrowserStore.getState();
    if (context && (state.context !== context || (!state.kinds.length && !state.kindsError))) void state.loadKinds(context);
  }, [context]);
  return useMemo(
    () =>
      (kinds ?? []).map((k) => ({
        id: `kind:${kindKey(k)}`,
        group: 'resource' as const,
        label: `${k.kind} · ${k.group || 'core'}`,
        hint: k.group || 'core',
        text: `${k.kind} ${k.plural} ${k.group || 'core'} ${k.shortNames.join(' ')}`,
      })),
    [kinds],
  );
}
