// Per-service panels sharing one time axis and crosshair (echarts.connect on the group), with the
// rollouts of the services' workloads marked on the time axis.
import { useMemo } from 'react';
import { EChart } from '../../components/charts/EChart';
import { cssVar } from '../../components/charts/echarts';
import { serviceChartOption } from './service-chart-option';
import { chartRange, MARK_COLORS, marksForPanel, useRolloutEvents } from './rollout-marks';
import { useAppStore } from '../../stores/app-store';
import type { MethodResponse } from '../../../shared/contract';

type Services = MethodResponse<'metrics.services'>;

export function ServiceCharts({ data }: { data: Services }) {
  const times = useMemo(() => Array.from({ length: data.columns }, (_, c) => (data.start + c * data.step) * 1000), [data]);
  const muted = cssVar('--text-muted', '#8b94a5');
  const context = useAppStore((s) => s.activeContext);
  const events = useRolloutEvents(context, data);
  const range = chartRange(data);
  return (
    <div className="service-charts">
      {data.panels.map((panel) => {
        const marks = marksForPanel(events, panel.series.map((s) => s.service), range);
        const option = serviceChartOption(panel, times, muted, marks);
        return (
          <figure className="panel chart-card" key={panel.id} data-testid={`panel-${panel.id}`}>
            <figcaption>
              {panel.title} <span className="muted">({panel.unit})</span>
              {panel.id === 'costPer1k' ? <span className="muted"> at ${data.gpuHourPriceUsd}/GPU-hour</span> : null}
            </figcaption>
            {panel.series.length ? <EChart option={option} group="service-panels" style={{ height: 170 }} /> : <p className="muted empty">No data for this panel.</p>}
            {marks.length ? (
              <ul className="rollout-marks" aria-label="Rollout events">
                {marks.map((m) => (
                  <li key={`${m.namespace}/${m.workload}/${m.type}/${m.at}`} data-testid="rollout-mark" data-type={m.type} data-at={m.at} title={m.detail} style={{ color: MARK_COLORS[m.type] }}>
                    {new Date(m.at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} {m.workload} {m.label}
                  </li>
                ))}
              </ul>
            ) : null}
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
