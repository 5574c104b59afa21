// The war room's panels: what each shows of the last good data. Read-only by construction: no
// ActionButton, no dialog, no link that changes anything.
import { useMemo } from 'react';
import { EChart } from '../../components/charts/EChart';
import type { ChartOption } from '../../components/charts/echarts';
import type { WarRoomData } from '../../stores/warroom-store';
import { firingByPriority, hhmm, rolloutsInProgress } from './warroom-model';
import { gpuHeatOption, heatCells, sloBurnOption, SLO_STATE_COLORS } from './warroom-charts';

// The bar/heatmap option is a superset of the shared ChartOption type (bars are registered here).
const asChartOption = (option: unknown) => option as ChartOption;

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="warroom-empty">{children}</p>;
}

function ErrorLine({ error }: { error?: string }) {
  return error ? <p className="warroom-error">Not updated: {error}</p> : null;
}

export function IncidentPanel({ data, error }: { data: WarRoomData; error?: string }) {
  const detail = data.incident;
  if (detail === undefined) return <Empty>{error ? <ErrorLine error={error} /> : 'Reading incidents…'}</Empty>;
  if (detail === null) return <Empty>No incident declared</Empty>;
  const { incident, timeline } = detail;
  return (
    <div className="warroom-incident" data-testid="warroom-incident">
      <div className="warroom-incident-head">
        <span className={`warroom-p warroom-${incident.severity}`}>{incident.severity}</span>
        <span className="warroom-incident-title">{incident.title}</span>
        <span className="warroom-incident-status">{incident.status.toUpperCase()}</span>
      </div>
      <p className="warroom-muted">
        Commander {incident.commander} · declared {hhmm(Date.parse(incident.declaredAt))}
      </p>
      <ol className="warroom-timeline">
        {timeline.slice(-8).map((entry) => (
          <li key={entry.key}>
            <span className="warroom-time">{hhmm(Date.parse(entry.at))}</span> {entry.text}
          </li>
        ))}
      </ol>
      <ErrorLine error={error} />
    </div>
  );
}

export function AlertsPanel({ data, error }: { data: WarRoomData; error?: string }) {
  const groups = (data.alerts ?? []).filter((g) => g.active > 0);
  if (!data.alerts) return <Empty>{error ? <ErrorLine error={error} /> : 'Reading alerts…'}</Empty>;
  return (
    <div data-testid="warroom-alerts">
      {groups.length === 0 ? <Empty>No alert firing</Empty> : null}
      <ul className="warroom-alerts">
        {groups.slice(0, 10).map((g) => (
          <li key={g.key} data-priority={g.priority}>
            <span className={`warroom-p warroom-${g.priority}`}>{g.priority}</span>
            <span className="warroom-alert-name">{g.alertname}</span>
            <span className="warroom-muted">{[g.namespace, g.service].filter(Boolean).join(' / ')}</span>
            <span className="warroom-count">×{g.active}</span>
            <span className="warroom-time">since {hhmm(Date.parse(g.since))}</span>
          </li>
        ))}
      </ul>
      <ErrorLine error={error} />
    </div>
  );
}

/** The always-visible strip: firing counts per P-level. */
export function PriorityCounts({ data }: { data: WarRoomData }) {
  const counts = firingByPriority(data.alerts ?? []);
  return (
    <div className="warroom-counts" data-testid="warroom-counts">
      {(['P1', 'P2', 'P3', 'P4'] as const).map((p) => (
        <div key={p} className={`warroom-countbox warroom-${p}${counts[p] ? '' : ' warroom-zero'}`} data-priority={p}>
          <span className="warroom-countbox-p">{p}</span>
          <span className="warroom-countbox-n">{data.alerts ? counts[p] : '–'}</span>
        </div>
      ))}
    </div>
  );
}

export function GpuPanel({ data, error, fontSize }: { data: WarRoomData; error?: string; fontSize: number }) {
  const heat = useMemo(() => (data.gpu ? heatCells(data.gpu.grid, data.gpu.values) : undefined), [data.gpu]);
  const option = useMemo(() => (heat && data.gpu ? asChartOption(gpuHeatOption(heat, data.gpu.grid.scale, fontSize)) : undefined), [heat, data.gpu, fontSize]);
  if (!heat || !option) return <Empty>{error ? <ErrorLine error={error} /> : 'Reading GPUs…'}</Empty>;
  if (heat.cells.length === 0) return <Empty>No GPU samples in the last 15 minutes</Empty>;
  return (
    <div className="warroom-chart-wrap">
      <EChart option={option} className="warroom-chart" testId="warroom-gpu-chart" />
      <span hidden data-testid="warroom-gpu-points">
        {heat.cells.length}
      </span>
      <ErrorLine error={error} />
    </div>
  );
}

export function SloPanel({ data, error, fontSize }: { data: WarRoomData; error?: string; fontSize: number }) {
  const option = useMemo(() => (data.slos ? asChartOption(sloBurnOption(data.slos, fontSize)) : undefined), [data.slos, fontSize]);
  if (!data.slos || !option) return <Empty>{error ? <ErrorLine error={error} /> : 'Reading SLOs…'}</Empty>;
  if (data.slos.length === 0) return <Empty>No SLO defined</Empty>;
  return (
    <div className="warroom-chart-wrap">
      <EChart option={option} className="warroom-chart" testId="warroom-slo-chart" />
      <span hidden data-testid="warroom-slo-points">
        {data.slos.length}
      </span>
      <ul className="warroom-legend">
        {(['page', 'ticket', 'exhausted', 'ok'] as const).map((state) => (
          <li key={state}>
            <span className="warroom-swatch" style={{ background: SLO_STATE_COLORS[state] }} /> {state}
          </li>
        ))}
      </ul>
      <ErrorLine error={error} />
    </div>
  );
}

export function RolloutsPanel({ data, error }: { data: WarRoomData; error?: string }) {
  if (!data.workloads) return <Empty>{error ? <ErrorLine error={error} /> : 'Reading rollouts…'}</Empty>;
  const moving = rolloutsInProgress(data.workloads);
  return (
    <div data-testid="warroom-rollouts">
      {moving.length === 0 ? <Empty>No rollout in progress ({data.workloads.length} workloads settled)</Empty> : null}
      <ul className="warroom-rollouts">
        {moving.slice(0, 8).map((w) => {
          const failing = Boolean(w.failure || w.progress.failed);
          return (
            <li key={`${w.kind}/${w.namespace}/${w.name}`} className={failing ? 'warroom-failing' : ''}>
              <span className="warroom-rollout-name">
                {w.namespace}/{w.name}
              </span>
              <span className="warroom-bar" aria-hidden="true">
                <span style={{ width: `${Math.round(w.progress.fraction * 100)}%` }} />
              </span>
              <span>{failing ? `FAILING: ${w.failure?.reason ?? w.progress.message}` : w.progress.message}</span>
            </li>
          );
        })}
      </ul>
      <ErrorLine error={error} />
    </div>
  );
}
