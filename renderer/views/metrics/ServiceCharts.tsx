// Per-service panels sharing one time axis and crosshair (echarts.connect on the group).
import { useMemo } from 'react';
import { EChart } from '../../components/charts/EChart';
import { cssVar } from '../../components/charts/echarts';
import { serviceChartOption } from './service-chart-option';
import type { MethodResponse } from '../../../shared/contract';

type Services = MethodResponse<'metrics.services'>;

export function ServiceCharts({ data }: { data: Services }) {
  const times = useMemo(() => Array.from({ length: data.columns }, (_, c) => (data.start + c * data.step) * 1000), [data]);
  const muted = cssVar('--text-muted', '#8b94a5');
  return (
    <div className="service-charts">
      {data.panels.map((panel) => {
        const option = serviceChartOption(panel, times, muted);
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
