// Per-service panels sharing one time axis and crosshair (echarts.connect on the group).
import { useMemo } from 'react';
import { EChart } from '../../components/charts/EChart';
import { LINE_COLORS, cssVar, type ChartOption } from '../../components/charts/echarts';
import type { MethodResponse } from '../../../shared/contract';

type Services = MethodResponse<'metrics.services'>;

const fmt = (v: number, unit: string) => (unit === 's' ? (v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`) : unit === 'USD' ? `$${v.toFixed(3)}` : `${v.toFixed(v < 10 ? 2 : 0)} ${unit}`);

export function ServiceCharts({ data }: { data: Services }) {
  const times = useMemo(() => Array.from({ length: data.columns }, (_, c) => (data.start + c * data.step) * 1000), [data]);
  return (
    <div className="service-charts">
      {data.panels.map((panel) => {
        const option: ChartOption = {
          animation: false,
          color: LINE_COLORS,
          title: undefined,
          grid: { left: 60, right: 16, top: 28, bottom: 24 },
          tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt(v, panel.unit) : '—') },
          axisPointer: { link: [{ xAxisIndex: 'all' }] },
          legend: { show: true, top: 0, right: 0, itemHeight: 8, textStyle: { color: cssVar('--text-muted', '#8b94a5'), fontSize: 11 } },
          // One range for every panel, so the crosshair lines up across charts.
          xAxis: { type: 'time', min: times[0], max: times[times.length - 1], axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' } },
          yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt(v, panel.unit) } },
          series: panel.series.map((s) => ({
            type: 'line',
            name: s.service,
            showSymbol: false,
            data: times.map((t, i) => [t, s.values[i]]),
          })),
        };
        return (
          <figure className="panel chart-card" key={panel.id} data-testid={`panel-${panel.id}`}>
            <figcaption>
              {panel.title} <span className="muted">({panel.unit})</span>
              {panel.id === 'costPer1k' ? <span className="muted"> at ${data.gpuHourPriceUsd}/GPU-hour</span> : null}
            </figcaption>
            {panel.series.length ? <EChart option={option} group="service-panels" style={{ height: 170 }} /> : <p className="muted empty">No data for this panel.</p>}
            <details>
              <summary className="muted">PromQL</summary>
              <pre className="mono promql">{panel.query}</pre>
            </details>
          </figure>
        );
      })}
    </div>
  );
}
