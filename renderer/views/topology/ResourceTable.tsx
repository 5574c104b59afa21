// A resource table that stays fast at 10,000 rows: only the rows on screen exist in the DOM
// (@tanstack/react-virtual). Click a header to sort; type in the filter box; arrows move the
// selection, Enter opens the details of the selected row.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export type Cell = string | number;

/** The marker for rows from the cache of a cluster that stopped answering (ISO `since`). */
export function staleLabel(since: string): string {
  return `stale — cluster unreachable since ${new Date(since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })}`;
}

export interface Column {
  key: string;
  title: string;
  width: number;
  /** Renders a health cell with its color. */
  health?: boolean;
  /** Shows the cell differently from how it sorts (an ISO time as its age), with a tooltip. */
  format?(value: Cell): { text: string; title: string };
}

type Sort = { index: number; desc: boolean };
/** The order picked for each table, kept while the page lives: coming back to a table keeps it. */
const chosenSorts = new Map<string, Sort>();

interface Props {
  name: string;
  columns: Column[];
  rows: Cell[][];
  /** Index of the cell holding the row's element id ('' = not selectable). */
  idIndex: number;
  filter: string;
  selected?: string;
  onSelect(id: string): void;
  onOpen(id: string): void;
  /** Set while the rows are the last cached ones of a cluster that is not live: ISO since when. */
  staleSince?: string;
  /** The order before any header click (default: first column, ascending). */
  initialSort?: Sort;
}

const ROW_HEIGHT = 28;

export function ResourceTable({ name, columns, rows, idIndex, filter, selected, onSelect, onOpen, staleSince, initialSort }: Props) {
  // One component serves several tables (tabs): the order is the one chosen for this table's name.
  const [picked, setPicked] = useState<{ name: string; sort: Sort }>();
  const sort = useMemo(() => (picked?.name === name ? picked.sort : (chosenSorts.get(name) ?? initialSort ?? { index: 0, desc: false })), [picked, name, initialSort]);
  const setSort = (next: Sort) => {
    chosenSorts.set(name, next);
    setPicked({ name, sort: next });
  };
  const [cursor, setCursor] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const filtered = q ? rows.filter((r) => r.some((c) => String(c).toLowerCase().includes(q))) : rows.slice();
    const { index, desc } = sort;
    filtered.sort((a, b) => {
      const x = a[index];
      const y = b[index];
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return desc ? -cmp : cmp;
    });
    return filtered;
  }, [rows, filter, sort]);

  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollPaddingStart: ROW_HEIGHT + 6 });

  useEffect(() => {
    if (!selected) return;
    const index = visible.findIndex((r) => r[idIndex] === selected);
    if (index >= 0) setCursor(index);
    // Follow the selection only when it changes, not on every live update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(visible.length - 1, to));
    setCursor(next);
    virtualizer.scrollToIndex(next);
    const id = visible[next]?.[idIndex];
    if (id) onSelect(String(id));
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') move(cursor + 1);
    else if (e.key === 'ArrowUp') move(cursor - 1);
    else if (e.key === 'PageDown') move(cursor + 20);
    else if (e.key === 'PageUp') move(cursor - 20);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(visible.length - 1);
    else if (e.key === 'Enter') {
      const id = visible[cursor]?.[idIndex];
      if (id) onOpen(String(id));
    } else return;
    e.preventDefault();
  };

  const template = columns.map((c) => `${c.width}px`).join(' ');
  const totalWidth = columns.reduce((sum, c) => sum + c.width, 0);
  return (
    <div className={`rtable${staleSince ? ' stale' : ''}`} role="grid" aria-label={`${name} table`} aria-rowcount={visible.length} data-testid={`table-${name}`} tabIndex={0} onKeyDown={onKey}>
      {staleSince ? (
        <div className="rtable-stale" role="status" data-testid="table-stale" title={`These rows are the last ones received before the cluster stopped answering at ${new Date(staleSince).toLocaleString()}.`}>
          {staleLabel(staleSince)}
        </div>
      ) : null}
      <div className="rtable-body" ref={scrollRef}>
        <div className="rtable-head" role="row" style={{ gridTemplateColumns: template, minWidth: totalWidth }}>
          {columns.map((c, i) => (
            <button key={c.key} type="button" role="columnheader" className="rtable-th" aria-sort={sort.index === i ? (sort.desc ? 'descending' : 'ascending') : 'none'} onClick={() => setSort({ index: i, desc: sort.index === i ? !sort.desc : false })}>
              {c.title}
              {sort.index === i ? (sort.desc ? ' ▾' : ' ▴') : ''}
            </button>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: totalWidth }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = visible[v.index];
            const id = String(row[idIndex] ?? '');
            return (
              <div
                key={v.key}
                role="row"
                aria-selected={v.index === cursor}
                className={`rtable-row${v.index === cursor ? ' cursor' : ''}${id && id === selected ? ' selected' : ''}`}
                style={{ gridTemplateColumns: template, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  setCursor(v.index);
                  if (id) onSelect(id);
                }}
                onDoubleClick={() => id && onOpen(id)}
              >
                {columns.map((c, i) => {
                  const shown = c.format ? c.format(row[i]) : { text: String(row[i]), title: String(row[i]) };
                  return (
                    <span key={c.key} role="gridcell" className={c.health ? `health-${row[i]}` : undefined} title={shown.title}>
                      {shown.text}
                    </span>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      <div className="rtable-foot muted">
        {visible.length.toLocaleString()} of {rows.length.toLocaleString()} rows · ↑↓ move · Enter opens
      </div>
    </div>
  );
}
