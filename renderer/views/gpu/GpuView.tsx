// GPUs: a heatmap of every GPU over time (rows grouped by node, pool, model or namespace), the
// callouts an SRE acts on first, and a drill-down into one node's GPUs.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { cssVar } from '../../components/charts/echarts';
import { useAppStore } from '../../stores/app-store';
import { OVERSCAN_ROWS, VISIBLE_ROWS, calloutsKey, nextRefreshMs, useGpuStore } from '../../stores/gpu-store';
import { rowsLoaded } from '../../../shared/model/gpu-pages';
import { formatTime } from '../../stores/time-range';
import { gpuMetricIds, type GpuCallout, type GpuGroupBy, type GpuMetric, type GpuSort } from '../../../shared/contract/gpu';
import { PrometheusSource } from '../../components/PrometheusSource';
import { useNoMetricsSource } from '../../components/metrics-source-state';
import { heatmapOption } from './heatmap-option';
import { NodeDrilldown } from './NodeDrilldown';
import { HeatmapStage } from './HeatmapStage';
import { StaleBanner } from '../../components/StaleBanner';
import { CalloutsPanel } from './CalloutsPanel';
import { RangePicker } from '../../components/RangePicker';
import { useLiveRefresh } from '../../components/use-live-refresh';
import '../../components/charts/charts.css';

const METRIC_TITLES: Record<GpuMetric, string> = { util: 'Utilization', memUsedPct: 'Memory used', temp: 'Temperature', power: 'Power', engineActive: 'Engine active' };
const ROWS_PER_PAGE = VISIBLE_ROWS;
const NO_CALLOUTS: GpuCallout[] = [];

export default function GpuView() {
  const context = useAppStore((s) => s.activeContext);
  const noSource = useNoMetricsSource(context);
  const { metric, range, groupBy, sort, grid, loading, error, node, drill, set, load, fetches, offset, setOffset, ensureRows, loadNode, callouts } = useGpuStore();
  // Callouts arrive after the grid: until then the panel shows the previous range's as being updated.
  const calloutsUpdating = !!callouts && (!context || callouts.key !== calloutsKey(context, range));
  const [renderMs, setRenderMs] = useState<number>();
  const drawStart = useRef(0);
  const drawn = useRef<{ receivedAt: number; start: number }>({ receivedAt: 0, start: 0 });

  // Load now, then refresh while the range follows "now"; back off while Prometheus fails.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- metric, range, groupBy and sort are read by load() from the store: a change must refetch
  const refresh = useMemo(() => (context ? () => load(context) : undefined), [context, metric, range, groupBy, sort, load]);
  useLiveRefresh(refresh, range.preset !== 'custom', nextRefreshMs);

  const total = grid?.totalRows ?? 0;
  const wanted = Math.min(offset, Math.max(0, total - ROWS_PER_PAGE));
  // Rows scrolled to before their values arrive: keep drawing the last complete window meanwhile.
  const ready = !!grid && rowsLoaded(grid.loaded, wanted, wanted + ROWS_PER_PAGE);
  const start = ready || drawn.current.receivedAt !== grid?.receivedAt ? wanted : drawn.current.start;
  useEffect(() => {
    if (context && grid) void ensureRows(context, wanted, wanted + ROWS_PER_PAGE + OVERSCAN_ROWS);
  }, [context, grid, wanted, ensureRows]);
  // Once per refresh (not per page of rows merged into the grid).
  const receivedAt = grid?.receivedAt;
  useEffect(() => {
    if (context && node && receivedAt) void loadNode(context, node);
  }, [context, node, receivedAt, loadNode]);
  const option = useMemo(() => {
    if (!grid) return undefined;
    drawn.current = { receivedAt: grid.receivedAt, start };
    drawStart.current = performance.now();
    return heatmapOption(grid, start, ROWS_PER_PAGE, cssVar('--text', '#e6e9ef'), cssVar('--text-muted', '#8b94a5'));
  }, [grid, start]);

  const onRendered = useCallback(() => {
    if (drawStart.current) {
      setRenderMs(Math.round(performance.now() - drawStart.current));
      drawStart.current = 0;
    }
  }, []);

  const onSelectRow = useCallback(
    (i: number) => {
      const row = grid?.rows[i];
      if (row) set({ node: row.node });
    },
    [grid, set],
  );

  const onSelectNode = useCallback((n: string) => set({ node: n }), [set]);

  const onWheel = (e: React.WheelEvent) => {
    if (total <= ROWS_PER_PAGE) return;
    setOffset(Math.min(offset, total) + Math.sign(e.deltaY) * 8);
  };

  const heights = Math.max(220, Math.min(total - start, ROWS_PER_PAGE) * 14 + 70);

  return (
    <div className="view gpu-view" data-testid="view-gpus" data-fetches={fetches} data-render-ms={renderMs ?? ''}>
      <header className="view-head">
        <h1>GPUs</h1>
        {context ? <PrometheusSource context={context} onChanged={() => void load(context)} /> : null}
      </header>
      <div className="toolbar" role="toolbar" aria-label="Heatmap options">
        <div className="segmented" role="radiogroup" aria-label="Metric">
          {gpuMetricIds.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={metric === m} className={metric === m ? 'on' : ''} onClick={() => set({ metric: m })}>
              {METRIC_TITLES[m]}
            </button>
          ))}
        </div>
        <RangePicker value={range} onChange={(r) => set({ range: r })} />
        <label>
          Group by{' '}
          <select value={groupBy} onChange={(e) => set({ groupBy: e.target.value as GpuGroupBy })} aria-label="Group by">
            <option value="node">node</option>
            <option value="pool">pool</option>
            <option value="model">model</option>
            <option value="namespace">namespace</option>
          </select>
        </label>
        <label>
          Sort{' '}
          <select value={sort} onChange={(e) => set({ sort: e.target.value as GpuSort })} aria-label="Sort rows">
            <option value="name">by name</option>
            <option value="mean">by mean</option>
            <option value="max">by max</option>
            <option value="variance">by variance</option>
          </select>
        </label>
        {loading ? <span className="muted">loading…</span> : null}
      </div>
      {/* Without any Prometheus the source line says so once, with the way to Settings. */}
      {noSource ? null : <StaleBanner freshness={grid?.freshness} error={error && !grid?.freshness.stale ? error : grid ? undefined : error} what="GPU data" />}
      <div className="gpu-layout">
        <section className="panel heatmap-panel" aria-label="GPU heatmap">
          {grid && total === 0 ? (
            <p className="notice">No DCGM exporter series in this range. Is dcgm-exporter running and scraped by this Prometheus?</p>
          ) : null}
          {grid && option ? (
            <div>
              <HeatmapStage grid={grid} start={start} count={ROWS_PER_PAGE} option={option} height={heights} onRendered={onRendered} onSelectRow={onSelectRow} onWheel={onWheel} />
              <div className="heatmap-foot muted">
                Rows {total ? start + 1 : 0}–{Math.min(total, start + ROWS_PER_PAGE)} of {total} GPUs in {grid.groups.length} {groupBy === 'node' ? 'nodes' : 'groups'}
                {total > ROWS_PER_PAGE ? (
                  <input
                    type="range"
                    aria-label="Scroll rows"
                    min={0}
                    max={total - ROWS_PER_PAGE}
                    value={wanted}
                    onChange={(e) => setOffset(Number(e.target.value))}
                  />
                ) : null}
                · {grid.columns} columns × {grid.step}s · {formatTime(grid.start)} → {formatTime(grid.start + (grid.columns - 1) * grid.step)} · query {grid.timings.queryMs} ms, pack {grid.timings.packMs} ms,{' '}
                {(grid.bytes / 1024).toFixed(0)} KB{ready ? '' : ', loading rows…'}{renderMs !== undefined ? `, draw ${renderMs} ms` : ''}
              </div>
            </div>
          ) : !error ? (
            <p className="muted">Loading the heatmap…</p>
          ) : null}
        </section>
        <CalloutsPanel callouts={callouts?.list ?? NO_CALLOUTS} gpuRows={callouts ? grid?.totalRows : undefined} updating={calloutsUpdating} error={callouts?.error} onSelect={onSelectNode} />
      </div>
      {grid && node && drill?.node === node ? <NodeDrilldown grid={drill} callouts={callouts?.list ?? NO_CALLOUTS} node={node} onClose={() => set({ node: undefined })} /> : null}
    </div>
  );
}
