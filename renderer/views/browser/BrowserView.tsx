// Resource browser (issue #20): every kind discovery reports, grouped by API group; the selected
// kind's objects as the server prints them (`kubectl get` columns, CRD printer columns included),
// live and virtualized so 50,000 rows scroll as well as 50; details, YAML and actions on the right.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BrowserKind, TableRow } from '../../../shared/contract/browser';
import { useAppStore } from '../../stores/app-store';
import { kindKey, useBrowserStore } from '../../stores/browser-store';
import { ObjectPanel } from './ObjectPanel';
import './browser.css';

const ROW_HEIGHT = 28;

function groupKinds(kinds: BrowserKind[], filter: string): Array<[string, BrowserKind[]]> {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, BrowserKind[]>();
  for (const kind of kinds) {
    const hay = `${kind.kind} ${kind.plural} ${kind.group} ${kind.shortNames.join(' ')}`.toLowerCase();
    if (needle && !hay.includes(needle)) continue;
    const group = kind.group || 'core';
    groups.set(group, [...(groups.get(group) ?? []), kind]);
  }
  return [...groups];
}

function KindNav({ onSelect }: { onSelect(kind: BrowserKind): void }) {
  const kinds = useBrowserStore((s) => s.kinds);
  const error = useBrowserStore((s) => s.kindsError);
  const selected = useBrowserStore((s) => s.selectedKind);
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => groupKinds(kinds, filter), [kinds, filter]);
  return (
    <nav className="browser-kinds" aria-label="Kinds by API group">
      <input className="browser-kind-filter" placeholder="Filter kinds" aria-label="Filter kinds" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {error && <p className="browser-problem" role="alert">{error}</p>}
      <div className="browser-kind-groups">
        {groups.map(([group, members]) => (
          <section key={group} aria-label={`API group ${group}`}>
            <h3>{group}</h3>
            <ul>
              {members.map((kind) => (
                <li key={kindKey(kind)}>
                  <button type="button" data-testid={`kind-${kindKey(kind)}`} className={selected && kindKey(selected) === kindKey(kind) ? 'active' : undefined} title={`${kind.plural}.${kind.version}${kind.group ? '.' + kind.group : ''}${kind.namespaced ? '' : ' (cluster wide)'}`} onClick={() => onSelect(kind)}>
                    {kind.kind}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </nav>
  );
}

function cellText(value: TableRow['cells'][number]): string {
  return value === null ? '' : String(value);
}

function LiveTable() {
  const columns = useBrowserStore((s) => s.columns);
  const rows = useBrowserStore((s) => s.rows);
  const order = useBrowserStore((s) => s.order);
  const version = useBrowserStore((s) => s.version);
  const complete = useBrowserStore((s) => s.complete);
  const selectedRow = useBrowserStore((s) => s.selectedRow);
  const selectRow = useBrowserStore((s) => s.selectRow);
  const kind = useBrowserStore((s) => s.selectedKind);
  const [filter, setFilter] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => columns.map((c, i) => ({ ...c, index: i })).filter((c) => c.priority === 0), [columns]);
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    // version: rows is mutated in place; a new version means new content.
    void version;
    return needle ? order.filter((key) => key.toLowerCase().includes(needle)) : order;
  }, [order, filter, version]);
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const template = `${kind?.namespaced ? 'minmax(8rem, 1fr) ' : ''}${shown.map(() => 'minmax(6rem, 1fr)').join(' ')}`;
  return (
    <div className="browser-table-pane">
      <div className="browser-table-bar">
        <input placeholder="Filter by name" aria-label="Filter objects" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="browser-count" data-testid="object-count" aria-live="polite">
          {visible.length.toLocaleString()} {visible.length === 1 ? 'object' : 'objects'}
          {complete ? '' : ' (loading…)'}
        </span>
      </div>
      <div className="browser-table" role="table" aria-label={`${kind?.kind ?? ''} objects`} aria-rowcount={visible.length + 1}>
        <div className="browser-row browser-head" role="row" data-testid="table-head" style={{ gridTemplateColumns: template }}>
          {kind?.namespaced && <span role="columnheader">Namespace</span>}
          {shown.map((c) => (
            <span key={c.name} role="columnheader" title={c.description}>
              {c.name}
            </span>
          ))}
        </div>
        <div className="browser-scroll" ref={scrollRef}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows.get(visible[item.index]);
              if (!row) return null;
              return (
                <div
                  key={row.key}
                  role="row"
                  aria-selected={row.key === selectedRow}
                  data-testid={`row-${row.key}`}
                  className={`browser-row${row.key === selectedRow ? ' selected' : ''}`}
                  style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  onClick={() => selectRow(row.key)}
                >
                  {kind?.namespaced && <span role="cell">{row.namespace}</span>}
                  {shown.map((c) => (
                    <span key={c.name} role="cell">
                      {cellText(row.cells[c.index])}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

export default function BrowserView() {
  const context = useAppStore((s) => s.activeContext);
  const loadKinds = useBrowserStore((s) => s.loadKinds);
  const selectKind = useBrowserStore((s) => s.selectKind);
  const kind = useBrowserStore((s) => s.selectedKind);
  const problem = useBrowserStore((s) => s.problem);
  const selectedRow = useBrowserStore((s) => s.selectedRow);
  const [chosen, setChosen] = useState<BrowserKind>();

  useEffect(() => {
    if (context) void loadKinds(context);
  }, [context, loadKinds]);

  // #/resources?kind=plural.version.group (the palette's kind entries) opens that kind;
  // &object=namespace/name (the palette's object entries) then opens that object once its row is listed.
  const kinds = useBrowserStore((s) => s.kinds);
  const wantedObject = useRef<{ kind: string; key: string } | undefined>(undefined);
  useEffect(() => {
    const fromHash = () => {
      const match = /[?&]kind=([^&]+)/.exec(window.location.hash);
      const wanted = match ? kinds.find((k) => kindKey(k) === decodeURIComponent(match[1])) : undefined;
      const object = /[?&]object=([^&]+)/.exec(window.location.hash);
      if (wanted && object) wantedObject.current = { kind: kindKey(wanted), key: decodeURIComponent(object[1]) };
      if (wanted) setChosen(wanted);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [kinds]);

  useEffect(() => {
    if (!context || !chosen) return undefined;
    return selectKind(context, chosen);
  }, [context, chosen, selectKind]);

  const rowsVersion = useBrowserStore((s) => s.version);
  useEffect(() => {
    const wanted = wantedObject.current;
    const { selectedKind, rows, selectRow } = useBrowserStore.getState();
    if (!wanted || !selectedKind || kindKey(selectedKind) !== wanted.kind || !rows.has(wanted.key)) return;
    wantedObject.current = undefined;
    selectRow(wanted.key);
  }, [rowsVersion]);

  return (
    <div className="browser-view">
      <KindNav onSelect={setChosen} />
      <main className="browser-main">
        <header className="browser-header">
          <h2>{kind ? `${kind.kind}` : 'Resources'}</h2>
          {kind && <code>{`${kind.plural}.${kind.version}${kind.group ? '.' + kind.group : ''}`}</code>}
          {kind && !kind.namespaced && <span className="browser-scope">cluster wide</span>}
        </header>
        {problem && (
          <p className="browser-problem" role="alert">
            {problem}
          </p>
        )}
        {kind ? <LiveTable /> : <p className="browser-empty">Choose a kind on the left: every kind the cluster serves, built-in or custom, grouped by API group.</p>}
      </main>
      {kind && selectedRow && context && <ObjectPanel context={context} kind={kind} rowKey={selectedRow} />}
    </div>
  );
}
