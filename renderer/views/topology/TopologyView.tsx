// Topology: what runs where, live. The graph (canvas, layout in a worker) or the resource tables,
// a search that reaches every pod (inside collapsed groups too), filters, grouping, a details
// panel, and the connection's staleness. Keyboard: `/` filter, arrows + Enter in tables, Esc closes.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TopoElement } from '../../../shared/contract/topology';
import { useAppStore } from '../../stores/app-store';
import { useTopologyStore, type TopologyTab } from '../../stores/topology-store';
import { describeEmptyGraph, groupKeyOf, NO_FILTERS, searchElements, type HealthFilter } from '../../../shared/model/topology-graph';
import { GraphCanvas, ITEM_SIZE } from './GraphCanvas';
import { GraphSearch, useSearchHighlight } from './GraphSearch';
import { ResourceTable, type Cell, type Column } from './ResourceTable';
import { DetailsPanel } from './DetailsPanel';
import { EventsTable } from './EventsTable';
import { useGraph } from './use-graph';
import { NO_USAGE, cpuCell, memoryCell, useUsage } from './use-usage';
import type { ClusterUsage } from '../../../shared/contract/metrics';
import './topology.css';

const TABS: { id: TopologyTab; title: string }[] = [
  { id: 'graph', title: 'Graph' },
  { id: 'pods', title: 'Pods' },
  { id: 'nodes', title: 'Nodes' },
  { id: 'workloads', title: 'Workloads' },
  { id: 'events', title: 'Events' },
];

const POD_COLUMNS: Column[] = [
  { key: 'ns', title: 'Namespace', width: 130 }, { key: 'name', title: 'Name', width: 280 }, { key: 'phase', title: 'Phase', width: 90 },
  { key: 'h', title: 'Health', width: 80, health: true }, { key: 'r', title: 'Reason', width: 200 }, { key: 'rdy', title: 'Ready', width: 60 },
  { key: 'rs', title: 'Restarts', width: 70 }, { key: 'node', title: 'Node', width: 170 }, { key: 'g', title: 'GPUs', width: 50 },
];
const NODE_COLUMNS: Column[] = [
  { key: 'name', title: 'Name', width: 220 }, { key: 'ph', title: 'Status', width: 90 }, { key: 'h', title: 'Health', width: 80, health: true },
  { key: 'r', title: 'Reason', width: 200 }, { key: 'pool', title: 'GPU pool', width: 200 }, { key: 'used', title: 'GPUs used', width: 90 },
  { key: 'g', title: 'GPUs', width: 60 }, { key: 'pods', title: 'Pods', width: 60 },
];
const WORKLOAD_COLUMNS: Column[] = [
  { key: 'k', title: 'Kind', width: 70 }, { key: 'ns', title: 'Namespace', width: 140 }, { key: 'name', title: 'Name', width: 260 },
  { key: 'rdy', title: 'Ready', width: 140 }, { key: 'h', title: 'Health', width: 80, health: true }, { key: 'r', title: 'Reason', width: 260 },
];

/** CPU and Memory columns (metrics API, else Prometheus): their format says where the figures came from. */
function usageColumns(usage: ClusterUsage | undefined): Column[] {
  return [
    { key: 'cpu', title: 'CPU', width: 80, format: cpuCell(usage) },
    { key: 'mem', title: 'Memory', width: 90, format: memoryCell(usage) },
  ];
}

function tableRows(elements: Map<string, TopoElement>, tab: TopologyTab, usage?: ClusterUsage): Cell[][] {
  const all = [...elements.values()];
  const figures = (u: { cpu: number; memory: number } | undefined): Cell[] => [u?.cpu ?? NO_USAGE, u?.memory ?? NO_USAGE];
  if (tab === 'pods') return all.filter((e) => e.k === 'pod').map((e) => [e.ns ?? '', e.n, e.ph ?? '', e.h, e.r ?? '', e.rdy ?? '', e.rs ?? 0, e.on?.slice(6) ?? '', e.g ?? 0, ...figures(usage?.pods[`${e.ns ?? ''}/${e.n}`]), e.id]);
  if (tab === 'nodes') {
    const used = new Map<string, number>();
    const pods = new Map<string, number>();
    for (const e of all) {
      if (e.k === 'gpu' && e.by && e.on) used.set(e.on, (used.get(e.on) ?? 0) + 1);
      if (e.k === 'pod' && e.on) pods.set(e.on, (pods.get(e.on) ?? 0) + 1);
    }
    return all.filter((e) => e.k === 'node').map((e) => [e.n, e.ph ?? '', e.h, e.r ?? '', e.pool ?? '', used.get(e.id) ?? 0, e.g ?? 0, pods.get(e.id) ?? 0, ...figures(usage?.nodes[e.n]), e.id]);
  }
  return all.filter((e) => ['deploy', 'sts', 'ds', 'job', 'ro'].includes(e.k)).map((e) => [e.k, e.ns ?? '', e.n, e.rdy ?? '', e.h, e.r ?? '', e.id]);
}

export default function TopologyView() {
  const context = useAppStore((s) => s.activeContext);
  const status = useAppStore((s) => (context ? s.statuses[context] : undefined));
  const store = useTopologyStore();
  const { elements, version, filters, groupBy, expanded, selected, detailsOpen, tab } = store;
  const [query, setQuery] = useState('');
  const [tableFilter, setTableFilter] = useState('');
  const [fitRequest, setFitRequest] = useState({ n: 0, whole: false });
  const [centerRequest, setCenterRequest] = useState<{ id: string; n: number }>();
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => store.connect(context), [context]); // eslint-disable-line react-hooks/exhaustive-deps
  // A new filter or grouping shows a different graph: fit it.
  useEffect(() => setFitRequest((f) => ({ n: f.n + 1, whole: false })), [filters, groupBy]);

  // Keyboard: `/` focuses the search/filter box, Esc closes details (or clears the search).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName);
      if (e.key === '/' && !typing) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'Escape') {
        if (useTopologyStore.getState().detailsOpen) useTopologyStore.getState().closeDetails();
        else if (typing) (e.target as HTMLElement).blur();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The graph model and its layout come from the worker, which mirrors the deltas.
  const { model, placed, seq: graphSeq } = useGraph(context, filters, groupBy, expanded, ITEM_SIZE);

  const results = useMemo(() => (tab === 'graph' ? searchElements(elements.values(), query, 12) : []), [elements, version, query, tab]); // eslint-disable-line react-hooks/exhaustive-deps
  const highlight = useSearchHighlight(elements, version, query, groupBy, tab === 'graph');
  const usage = useUsage(context, tab === 'pods' || tab === 'nodes');
  const rows = useMemo(() => (tab === 'graph' || tab === 'events' ? [] : tableRows(elements, tab, usage)), [elements, version, tab, usage]); // eslint-disable-line react-hooks/exhaustive-deps
  const podColumns = useMemo(() => [...POD_COLUMNS, ...usageColumns(usage)], [usage]);
  const nodeColumns = useMemo(() => [...NODE_COLUMNS, ...usageColumns(usage)], [usage]);

  /** The collapsed group currently hiding a pod, if any (a visible group item with its key). */
  const groupHiding = (e: TopoElement | undefined): string | undefined => {
    if (e?.k !== 'pod') return undefined;
    const key = groupKeyOf(e, groupBy);
    return placed.has(key) ? key : undefined;
  };

  /** Selects an element, opening the group that hides it, and brings it into view. */
  const reveal = (id: string) => {
    const group = groupHiding(elements.get(id));
    if (group) store.expand(group);
    store.select(id, true);
    setCenterRequest({ id, n: Date.now() });
    setQuery('');
  };

  // The toolbar's counts, namespaces and GPU pools: the store keeps them per delta.
  const counts = store.summary;
  const namespaceKey = [...counts.namespaces.keys()].sort().join('\n');
  const poolKey = [...counts.pools.keys()].sort().join('\n');
  const namespaces = useMemo(() => (namespaceKey ? namespaceKey.split('\n') : []), [namespaceKey]);
  const pools = useMemo(() => (poolKey ? poolKey.split('\n') : []), [poolKey]);

  const stale = store.offlineAsOf
    ? `offline — as of ${new Date(store.offlineAsOf).toLocaleString()} (read-only snapshot)`
    : status?.state === 'degraded' || status?.state === 'offline'
      ? // The reason usually names the state itself ("reconnecting — …", "offline — as of …").
        `${status.reason && /^(offline|reconnecting)\b/.test(status.reason) ? status.reason : `${status.state === 'offline' ? 'offline' : 'reconnecting'} — ${status.reason ?? ''}`} (since ${new Date(status.since).toLocaleTimeString()})`
      : undefined;

  return (
    <div className="view topology" data-testid="view-topology">
      <div className="topo-toolbar">
        <GraphSearch
          inputRef={searchRef}
          graph={tab === 'graph'}
          value={tab === 'graph' ? query : tableFilter}
          onChange={(v) => (tab === 'graph' ? setQuery(v) : setTableFilter(v))}
          results={results}
          inGroup={(e) => groupHiding(e) !== undefined}
          onReveal={reveal}
        />
        <label>
          <span className="sr-only">Namespace</span>
          <select aria-label="Namespace filter" value={filters.namespace} onChange={(e) => store.setFilters({ namespace: e.target.value })}>
            <option value="">All namespaces</option>
            {namespaces.map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </label>
        <select aria-label="Health filter" value={filters.health} onChange={(e) => store.setFilters({ health: e.target.value as HealthFilter })}>
          <option value="all">Any health</option>
          <option value="problems">Problems only</option>
          <option value="failing">Failing</option>
          <option value="warning">Warning</option>
          <option value="ok">OK</option>
          <option value="unknown">Unknown</option>
        </select>
        <select aria-label="GPU pool filter" value={filters.pool} onChange={(e) => store.setFilters({ pool: e.target.value })}>
          <option value="">All GPU pools</option>
          {pools.map((p) => (
            <option key={p} value={p}>{p}</option>
          ))}
        </select>
        <select aria-label="Group pods by" value={groupBy} onChange={(e) => store.setGroupBy(e.target.value as 'namespace' | 'node')}>
          <option value="namespace">Group by workload</option>
          <option value="node">Group by node</option>
        </select>
        {tab === 'graph' ? (
          <button type="button" onClick={() => setFitRequest({ n: fitRequest.n + 1, whole: true })}>Fit</button>
        ) : null}
        <div className="spacer" />
        <span className="muted small" data-testid="topology-counts">
          {counts.pods.toLocaleString()} pods · {counts.nodes.toLocaleString()} nodes · {counts.gpus.toLocaleString()} GPUs
          {counts.failing ? <span className="health-failing"> · {counts.failing} failing</span> : null}
          {store.synced ? '' : ' · syncing…'}
        </span>
      </div>
      <div className="topo-tabs" role="tablist" aria-label="Topology views">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => store.setTab(t.id)}>
            {t.title}
          </button>
        ))}
      </div>
      {stale ? (
        <div className="banner warning" role="status" data-testid="topology-stale">
          {stale}
        </div>
      ) : null}
      {store.error ? <div className="banner error" role="alert">{store.error}</div> : null}
      {!context ? <p className="muted">No context selected. Pick one in the context switcher, or start with --demo.</p> : null}
      <div className="topo-body">
        <div className="topo-main">
          {tab === 'graph' ? (
            elements.size === 0 ? (
              <p className="muted topo-empty">{store.synced ? 'This context has no workloads yet.' : 'Loading the topology…'}</p>
            ) : (
              <GraphCanvas
                model={model}
                placed={placed}
                seq={graphSeq}
                selected={selected}
                fitRequest={fitRequest}
                centerRequest={centerRequest}
                onSelect={(id) => store.select(id, id !== undefined)}
                onToggleGroup={(id) => store.toggleGroup(id)}
                highlight={highlight}
                emptyText={describeEmptyGraph(filters)}
                onClearFilters={() => store.setFilters(NO_FILTERS)}
              />
            )
          ) : tab === 'events' ? (
            context ? <EventsTable context={context} filter={tableFilter} version={version} /> : null
          ) : (
            <ResourceTable
              name={tab}
              columns={tab === 'pods' ? podColumns : tab === 'nodes' ? nodeColumns : WORKLOAD_COLUMNS}
              rows={rows}
              idIndex={tab === 'pods' ? 11 : tab === 'nodes' ? 10 : 6}
              filter={tableFilter}
              selected={selected}
              onSelect={(id) => store.select(id, false)}
              onOpen={(id) => store.select(id, true)}
              staleSince={status && status.state !== 'live' ? status.staleSince ?? store.offlineAsOf : undefined}
            />
          )}
        </div>
        {detailsOpen && selected && context ? <DetailsPanel context={context} id={selected} onClose={() => store.closeDetails()} /> : null}
      </div>
    </div>
  );
}
