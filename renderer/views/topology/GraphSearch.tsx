// The topology's search box: on the graph it searches every element (pods inside collapsed groups
// too), lists suggestions while focused (mouse or arrows + Enter) and, while it holds text, the
// graph dims what does not match; on a table tab the same box filters the rows.
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { TopoElement } from '../../../shared/contract/topology';
import { searchHighlight, type GroupBy } from '../../../shared/model/topology-graph';

interface Props {
  inputRef: RefObject<HTMLInputElement | null>;
  /** On the graph: search + suggestions; elsewhere: the table's row filter. */
  graph: boolean;
  value: string;
  onChange(value: string): void;
  results: readonly TopoElement[];
  /** Whether a result is a pod inside a collapsed group (said next to it). */
  inGroup(e: TopoElement): boolean;
  onReveal(id: string): void;
}

export function GraphSearch({ inputRef, graph, value, onChange, results, inGroup, onReveal }: Props) {
  const [active, setActive] = useState(0);
  // The list shows while the box has the focus; the dimming stays as long as the text does.
  const [focused, setFocused] = useState(false);
  useEffect(() => setActive(0), [value]);
  const shown = graph && focused ? results : [];
  const current = Math.min(active, Math.max(0, shown.length - 1));
  return (
    <div className="topo-search">
      <input
        ref={inputRef}
        type="search"
        placeholder={graph ? 'Search pods, nodes, workloads…  ( / )' : 'Filter rows…  ( / )'}
        aria-label={graph ? 'Search the topology' : 'Filter the table'}
        aria-controls={shown.length ? 'topo-results' : undefined}
        aria-activedescendant={shown.length ? `topo-result-${current}` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onKeyDown={(e) => {
          if (!shown.length) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((current + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length);
          } else if (e.key === 'Enter') onReveal(shown[current].id);
        }}
      />
      {shown.length ? (
        <ul id="topo-results" className="topo-results" role="listbox" aria-label="Search results">
          {shown.map((r, i) => (
            <li
              key={r.id}
              id={`topo-result-${i}`}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'active' : undefined}
              onMouseEnter={() => setActive(i)}
              // Keeps the focus in the box. The list disappears at once; the canvas below ignores
              // the button's release (it only acts on presses that started on it).
              onMouseDown={(e) => (e.preventDefault(), onReveal(r.id))}
            >
              <span className={`health-${r.h}`}>●</span> <span className="muted">{r.k}</span> {r.ns ? <span className="muted">{r.ns}/</span> : null}
              {r.n}
              {inGroup(r) ? <span className="muted"> (in a group)</span> : null}
            </li>
          ))}
        </ul>
      ) : graph && focused && value.trim() ? (
        <p className="topo-results muted" role="status">
          Nothing matches “{value.trim()}”: everything is dimmed.
        </p>
      ) : null}
    </div>
  );
}

/**
 * The items a graph search lights up. The set keeps its identity while what matches stays the
 * same, so live updates do not force the canvas into full repaints (it repaints all only when
 * the highlight changes).
 */
export function useSearchHighlight(elements: ReadonlyMap<string, TopoElement>, version: number, query: string, groupBy: GroupBy, active: boolean): ReadonlySet<string> | undefined {
  const previous = useRef<ReadonlySet<string> | undefined>(undefined);
  return useMemo(() => {
    const next = active ? searchHighlight(elements.values(), query, groupBy) : undefined;
    const prev = previous.current;
    if (next && prev && next.size === prev.size && [...next].every((id) => prev.has(id))) return prev;
    previous.current = next;
    return next;
  }, [elements, version, query, groupBy, active]); // eslint-disable-line react-hooks/exhaustive-deps
}
