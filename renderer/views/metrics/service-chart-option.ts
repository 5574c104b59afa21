// The echarts option of one service panel. The legend is one scrolling row above the plot, and the
// plot starts below it: a legend wrapping to a second row (five services in a 400 px card) used to
// sit on the top y-axis label.
import type { ServicePanel } from '../../../shared/contract/metrics';
import type { LineSeriesOption } from 'echarts/charts';
import type { RolloutEvent } from '../../../shared/contract/rollouts';
import { LINE_COLORS, type ChartOption } from '../../components/charts/echarts';
import { MARK_COLORS } from './rollout-marks';

export const formatValue = (v: number, unit: string) =>
  unit === 's' ? (v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`) : unit === 'USD' ? `$${v.toFixed(3)}` : `${v.toFixed(v < 10 ? 2 : 0)} ${unit}`;

/** Legend row height (items 8 px, text 11 px, padding) and the room left under it for the top y label. */
export const LEGEND_ROW_PX = 22;
export const PLOT_TOP_PX = LEGEND_ROW_PX + 14;

export function serviceChartOption(panel: ServicePanel, times: number[], mutedColor: string, marks: readonly RolloutEvent[] = []): ChartOption {
  return {
    animation: false,
    color: LINE_COLORS,
    grid: { left: 60, right: 16, top: PLOT_TOP_PX, bottom: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatValue(v, panel.unit) : '—') },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    legend: {
      show: true,
      data: panel.series.map((s) => s.service),
      type: 'scroll',
      top: 0,
      left: 0,
      right: 0,
      height: LEGEND_ROW_PX,
      padding: [4, 4],
      itemHeight: 8,
      pageIconSize: 10,
      pageTextStyle: { color: mutedColor },
      textStyle: { color: mutedColor, fontSize: 11 },
    },
    // One range for every panel, so the crosshair lines up across charts.
    xAxis: { type: 'time', min: times[0], max: times[times.length - 1], axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatValue(v, panel.unit) } },
    series: [
      ...panel.series.map((s): LineSeriesOption => ({
        type: 'line',
        name: s.service,
        showSymbol: false,
        data: times.map((t, i) => [t, s.values[i]]),
      })),
      // The rollout marks ride on a series of their own, so hiding a service in the legend keeps them.
      ...(marks.length ? [rolloutMarkSeries(marks, times)] : []),
    ],
  };
}

/** Name of the series that carries the rollout marks (not in the legend). */
export const ROLLOUT_MARKS_SERIES = 'Rollouts';

/** Marks closer than this share of the range keep their line but not their label (they would overlap). */
const LABEL_GAP_SHARE = 0.04;

function rolloutMarkSeries(marks: readonly RolloutEvent[], times: number[]): LineSeriesOption {
  const span = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
  let lastLabelled = Number.NEGATIVE_INFINITY;
  const labelled = marks.map((m) => {
    const show = m.at * 1000 - lastLabelled >= span * LABEL_GAP_SHARE;
    if (show) lastLabelled = m.at * 1000;
    return show;
  });
  return {
    type: 'line',
    name: ROLLOUT_MARKS_SERIES,
    data: [],
    markLine: {
      symbol: ['none', 'none'],
      animation: false,
      tooltip: { trigger: 'item', formatter: (p) => String((p as { data?: { detail?: string } }).data?.detail ?? '') },
      data: marks.map((m, i) => ({
        xAxis: m.at * 1000,
        name: m.label,
        detail: `${m.label} · ${new Date(m.at * 1000).toLocaleTimeString()}<br/>${m.detail}`,
        lineStyle: { color: MARK_COLORS[m.type], type: m.type === 'started' ? 'dashed' : 'solid', width: 1.5 },
        label: { show: labelled[i], formatter: m.label, color: MARK_COLORS[m.type], fontSize: 10, position: 'insideEndTop' },
      })),
    },
  };
}
