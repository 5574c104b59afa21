// Drill-down: one node's GPUs over time as lines, with who uses each GPU and a link to the pod in
// Topology (`#/topology?select=<ns>/<pod>`).
import { useEffect, useMemo, useRef } from 'react';
import { EChart } from '../../components/charts/EChart';
import { LINE_COLORS, type ChartOption } from '../../components/charts/echarts';
import type { DecodedGrid } from '../../stores/gpu-store';
import type { GpuCallout } from '../../../shared/contract/gpu';
import { formatTime } from '../../stores/time-range';

/** `grid` holds this node's rows (fetched for the drill-down); `callouts` are the fleet's. */
export function NodeDrilldown({ grid, callouts: all, node, onClose }: { grid: DecodedGrid; callouts: GpuCallout[]; node: string; onClose(): void }) {
  const rows = useMemo(() => grid.rows.map((r, i) => ({ row: r, i })).filter((x) => x.row.node === node), [grid, node]);
  const option = useMemo<ChartOption>(() => {
    const times = Array.from({ length: grid.columns }, (_, c) => (grid.start + c * grid.step) * 1000);
    return {
      animation: false,
      color: LINE_COLORS,
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      legend: { top: 0, textStyle: { color: 'inherit' } },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' } },
      yAxis: { type: 'value', name: grid.unit, min: grid.scale.min, max: grid.scale.max },
      series: rows.map(({ row, i }) => ({
        type: 'line',
        name: `GPU ${row.gpu}`,
        showSymbol: false,
        connectNulls: false,
        data: times.map((t, c) => {
          const v = grid.values[i * grid.columns + c];
          return [t, Number.isNaN(v) ? null : v];
        }),
      })),
    };
  }, [grid, rows]);
  const callouts = all.filter((c) => c.node === node);
  // It opens below the heatmap and callouts, usually below the fold: bring it into view (whole
  // if it fits) when a node is picked, so the click visibly does something.
  const section = useRef<HTMLElement>(null);
  // A block body, never `() => el.scrollIntoView()`: Chromium's scroll methods now return a
  // Promise, which React would keep as the effect's cleanup and call on close ("not a function").
  useEffect(() => {
    section.current?.scrollIntoView({ block: 'nearest' });
  }, [node]);
  return (
    <section ref={section} className="panel drilldown" data-testid="gpu-drilldown" aria-label={`Node ${node}`}>
      <header className="panel-head">
        <h2>Node {node}</h2>
        <span className="muted">
          {rows.length} GPU{rows.length === 1 ? '' : 's'} · {grid.title} · {formatTime(grid.start)} – {formatTime(grid.start + (grid.columns - 1) * grid.step)}
        </span>
        <div className="spacer" />
        <button type="button" className="ghost" onClick={onClose} aria-label="Close node details">
          ✕
        </button>
      </header>
      {callouts.length ? (
        <ul className="callout-list compact">
          {callouts.map((c, k) => (
            <li key={k} className={`callout sev-${c.severity}`}>
              {c.message}
            </li>
          ))}
        </ul>
      ) : null}
      <EChart option={option} style={{ height: 240 }} testId="gpu-drilldown-chart" />
      <table className="data">
        <thead>
          <tr>
            <th>GPU</th>
            <th>UUID</th>
            <th>Model</th>
            <th>Pod</th>
            <th>Mean</th>
            <th>Max</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ row }) => (
            <tr key={row.key}>
              <td>{row.gpu}</td>
              <td className="mono">{row.uuid || '—'}</td>
              <td>{row.model}</td>
              <td>{row.pod ? <a href={`#/topology?select=${row.namespace ?? ''}/${row.pod}`}>{`${row.namespace ?? '?'}/${row.pod}`}</a> : <span className="muted">not allocated</span>}</td>
              <td>{row.mean === null ? '—' : `${row.mean.toFixed(1)} ${grid.unit}`}</td>
              <td>{row.max === null ? '—' : `${row.max.toFixed(1)} ${grid.unit}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
