// The war room's two charts as echarts options, sized for a wall: a coarse GPU heatmap (few, big
// cells: a room reads the pattern, not a cell) and the SLOs' error budget burned as bars.
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import type { ComposeOption } from 'echarts/core';
import type { GridComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { HeatmapSeriesOption } from 'echarts/charts';
import type { GpuGrid } from '../../../shared/contract/gpu';
import type { SloStatus } from '../../../shared/contract/metrics';
import { echarts, HEAT_COLORS } from '../../components/charts/echarts';

// Bars are drawn only here; registering them is idempotent and keeps the shared build lean.
echarts.use([BarChart]);

export type WarRoomChartOption = ComposeOption<BarSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

const MAX_COLUMNS = 60;
const MAX_ROWS = 32;

export interface HeatCells {
  rows: string[];
  columns: number;
  /** [column, row, mean value] for every bucket with samples. */
  cells: [number, number, number][];
}

/** Averages the packed grid into at most MAX_ROWS x MAX_COLUMNS buckets (NaN = no sample, skipped). */
export function heatCells(grid: Pick<GpuGrid, 'rows' | 'columns' | 'rowCount'>, values: Float32Array): HeatCells {
  const rowCount = Math.min(grid.rowCount, grid.rows.length, MAX_ROWS);
  const width = Math.max(1, Math.ceil(grid.columns / MAX_COLUMNS));
  const columns = Math.ceil(grid.columns / width);
  const cells: [number, number, number][] = [];
  for (let r = 0; r < rowCount; r++) {
    for (let b = 0; b < columns; b++) {
      let sum = 0;
      let n = 0;
      for (let c = b * width; c < Math.min(grid.columns, (b + 1) * width); c++) {
        const v = values[r * grid.columns + c];
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      if (n > 0) cells.push([b, r, Math.round((sum / n) * 10) / 10]);
    }
  }
  return { rows: grid.rows.slice(0, rowCount).map((row) => `${row.node} · ${row.gpu}`), columns, cells };
}

export function gpuHeatOption(heat: HeatCells, scale: { min: number; max: number }, fontSize: number): WarRoomChartOption {
  return {
    animation: false,
    grid: { left: fontSize * 12, right: fontSize * 5, top: fontSize, bottom: fontSize * 2 },
    xAxis: { type: 'category', data: Array.from({ length: heat.columns }, (_, i) => String(i)), axisLabel: { show: false }, axisTick: { show: false } },
    yAxis: { type: 'category', inverse: true, data: heat.rows, axisLabel: { color: '#ffffff', fontSize: fontSize * 0.7 } },
    visualMap: {
      min: scale.min,
      max: Math.max(scale.max, scale.min + 1),
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: fontSize * 8,
      itemWidth: fontSize,
      textStyle: { color: '#ffffff', fontSize: fontSize * 0.7 },
      inRange: { color: HEAT_COLORS },
    },
    series: [{ type: 'heatmap', data: heat.cells, emphasis: { disabled: true } }],
  };
}

export const SLO_STATE_COLORS: Record<SloStatus['state'], string> = {
  ok: '#2ee66b',
  ticket: '#ffb000',
  page: '#ff3b3b',
  exhausted: '#ff3b3b',
  'not-enough-data': '#9aa4b2',
  'no-data': '#9aa4b2',
  invalid: '#c77dff',
};

/** Error budget burned, in per cent of the period's budget (over 100 when overspent); 0 without a figure. */
export function sloBars(slos: readonly SloStatus[]): { labels: string[]; values: { value: number; itemStyle: { color: string } }[] } {
  const order = ['page', 'exhausted', 'ticket', 'invalid', 'ok', 'not-enough-data', 'no-data'];
  const sorted = [...slos].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || (b.budget.consumed ?? 0) - (a.budget.consumed ?? 0));
  return {
    labels: sorted.map((s) => `${s.service} ${s.slo}`),
    values: sorted.map((s) => ({ value: Math.round((s.budget.consumed ?? 0) * 1000) / 10, itemStyle: { color: SLO_STATE_COLORS[s.state] } })),
  };
}

export function sloBurnOption(slos: readonly SloStatus[], fontSize: number): WarRoomChartOption {
  const bars = sloBars(slos);
  return {
    animation: false,
    grid: { left: fontSize * 14, right: fontSize * 4, top: fontSize, bottom: fontSize * 2.5 },
    xAxis: { type: 'value', min: 0, max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { color: '#ffffff', fontSize: fontSize * 0.7, formatter: '{value}%' }, splitLine: { lineStyle: { color: '#444' } } },
    yAxis: { type: 'category', inverse: true, data: bars.labels, axisLabel: { color: '#ffffff', fontSize: fontSize * 0.8 } },
    series: [{ type: 'bar', data: bars.values, barMaxWidth: fontSize * 1.6, label: { show: true, position: 'right', color: '#ffffff', fontSize: fontSize * 0.8, formatter: '{c}%' } }],
  };
}
