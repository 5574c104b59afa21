// The echarts option for one window of heatmap rows. Only the visible rows become chart items: a
// fleet of 8,000 GPUs is 1.9M cells, far more than a screen shows or echarts should hold.
import type { ChartOption } from '../../components/charts/echarts';
import { HEAT_COLORS } from '../../components/charts/echarts';
import type { DecodedGrid } from '../../stores/gpu-store';
import { formatTime } from '../../stores/time-range';

export const rowLabel = (grid: DecodedGrid, i: number): string => {
  const row = grid.rows[i];
  return `${row.node} · ${row.gpu}`;
};

export function heatmapOption(grid: DecodedGrid, offset: number, count: number, text: string, muted: string): ChartOption {
  const end = Math.min(grid.rows.length, offset + count);
  const data: Array<[number, number, number | '-']> = [];
  for (let r = offset; r < end; r++) {
    const base = r * grid.columns;
    for (let c = 0; c < grid.columns; c++) {
      const v = grid.values[base + c];
      data.push([c, r - offset, Number.isNaN(v) ? '-' : Math.round(v * 10) / 10]);
    }
  }
  const times = Array.from({ length: grid.columns }, (_, c) => grid.start + c * grid.step);
  const labels = Array.from({ length: end - offset }, (_, i) => rowLabel(grid, offset + i));
  return {
    animation: false,
    grid: { left: 170, right: 120, top: 10, bottom: 50 },
    tooltip: {
      position: 'top',
      confine: true,
      formatter: (p: unknown) => {
        const d = (p as { data?: [number, number, number | '-'] }).data;
        if (!d) return '';
        const row = grid.rows[offset + d[1]];
        const value = d[2] === '-' ? 'no data' : `${d[2]} ${grid.unit}`;
        const pod = row.pod ? `${row.namespace ?? '?'}/${row.pod}` : 'not allocated';
        return [
          `<b>${row.node}</b> · GPU ${row.gpu}`,
          `UUID ${row.uuid || '—'}`,
          row.model,
          `Pod ${pod}`,
          `<b>${grid.title}: ${value}</b>`,
          formatTime(times[d[0]]),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: times.map((t) => formatTime(t).slice(-8, -3)),
      axisLabel: { color: muted },
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      axisLabel: {
        color: text,
        fontSize: 11,
        interval: labels.length > 60 ? Math.ceil(labels.length / 60) - 1 : 0,
      },
    },
    visualMap: {
      min: grid.scale.min,
      max: grid.scale.max,
      calculable: true,
      orient: 'vertical',
      right: 16,
      top: 'middle',
      itemHeight: 110,
      formatter: (v: unknown) => `${Math.round(Number(v))} ${grid.unit}`,
      textStyle: { color: text },
      inRange: { color: HEAT_COLORS },
    },
    series: [
      {
        type: 'heatmap',
        data,
        // Drawn in chunks across frames so a refresh never blocks the page for long.
        progressive: 3000,
        progressiveThreshold: 6000,
        // No hover state: it doubles the elements echarts keeps per cell; the tooltip says which cell.
        emphasis: { disabled: true },
      },
    ],
  };
}
