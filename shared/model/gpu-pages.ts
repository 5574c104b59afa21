// Which rows of the GPU heatmap to fetch: whole pages of rows, so scrolling a few rows at a time
// asks the main process once per page rather than once per wheel tick. Pure, pinned by unit tests.
import type { GpuGrid } from '../contract/gpu.js';

export const PAGE_ROWS = 64;

/** The page-aligned window covering rows [offset, offset + rows). */
export function pageWindow(offset: number, rows: number): { rowOffset: number; rowCount: number } {
  const first = Math.floor(Math.max(0, offset) / PAGE_ROWS);
  const last = Math.floor((Math.max(0, offset) + Math.max(1, rows) - 1) / PAGE_ROWS);
  return { rowOffset: first * PAGE_ROWS, rowCount: (last - first + 1) * PAGE_ROWS };
}

/**
 * The pages within rows [from, to) that hold a row not fetched yet (and not being fetched), as one
 * span from the first such page to the last, or null when there is nothing to fetch.
 */
export function missingSpan(loaded: Uint8Array, from: number, to: number, isPending: (page: number) => boolean): { rowOffset: number; rowCount: number; pages: number[] } | null {
  const total = loaded.length;
  const lo = Math.max(0, Math.min(from, total));
  const hi = Math.max(lo, Math.min(to, total));
  const pages: number[] = [];
  for (let page = Math.floor(lo / PAGE_ROWS); page * PAGE_ROWS < hi; page++) {
    if (isPending(page)) continue;
    const start = page * PAGE_ROWS;
    const end = Math.min(total, start + PAGE_ROWS);
    for (let r = start; r < end; r++) {
      if (!loaded[r]) {
        pages.push(page);
        break;
      }
    }
  }
  if (pages.length === 0) return null;
  const rowOffset = pages[0] * PAGE_ROWS;
  const rowCount = Math.min(total, (pages[pages.length - 1] + 1) * PAGE_ROWS) - rowOffset;
  const all: number[] = [];
  for (let p = pages[0]; p <= pages[pages.length - 1]; p++) all.push(p);
  return { rowOffset, rowCount, pages: all };
}

/** A window answer belongs to this grid: same range, columns and row order at the window. */
export function rowsMatch(grid: Pick<GpuGrid, 'rows' | 'totalRows' | 'start' | 'columns' | 'step'>, answer: Pick<GpuGrid, 'rows' | 'rowsFrom' | 'totalRows' | 'start' | 'columns' | 'step' | 'rowOffset' | 'rowCount'>): boolean {
  if (answer.totalRows !== grid.totalRows || answer.start !== grid.start || answer.columns !== grid.columns || answer.step !== grid.step) return false;
  for (let i = 0; i < answer.rowCount; i++) {
    const row = answer.rows[answer.rowOffset + i - answer.rowsFrom];
    if (!row || row.key !== grid.rows[answer.rowOffset + i]?.key) return false;
  }
  return true;
}

/** Every row of [from, to) has its values. */
export function rowsLoaded(loaded: Uint8Array, from: number, to: number): boolean {
  for (let r = Math.max(0, from); r < Math.min(to, loaded.length); r++) if (!loaded[r]) return false;
  return true;
}
