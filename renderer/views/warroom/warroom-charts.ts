// The war room's two charts as echarts options, sized for a wall: a coarse GPU heatmap (few, big
// cells: a room reads the pattern, not a cell) and each SLO's burn rate as a bar, against the page line.
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import type { ComposeOption } from 'echarts/core';
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { HeatmapSeriesOption } from 'echarts/charts';
import type { GpuGrid } from '../../../shared/contract/gpu';
import type { SloStatus } from '../../../shared/contract/metrics';
import { echarts, HEAT_COLORS } from '../../components/charts/echarts';

// Bars are drawn only here; registering them is idempotent and keeps the shared build lean.
echarts.use([BarChart]);

export type WarRoomChartOption = ComposeOption<BarSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption | MarkLineComponentOption>;

const MAX_COLUMNS = 60;
const MAX_ROWS = 32;

export interface HeatCells {
  rows: string[];
  columns: number;
  /** [column, row, mean value] for every bucket with samples. */
  cells: [number, number, number][];
}

/** Averages the packed grid into at most MAX_ROWS x MAX_COLUMNS buckets (NaN = no sample, skipped), from the first bucket with a sample. */
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
  // Buckets before the first sample are cut: a fleet watched for 2 minutes fills the width, not 1/60 of it.
  const first = cells.reduce((min, [b]) => Math.min(min, b), columns);
  const shifted = first > 0 && first < columns ? cells.map(([b, r, v]): [number, number, number] => [b - first, r, v]) : cells;
  return { rows: grid.rows.slice(0, rowCount).map((row) => `${row.node} · ${row.gpu}`), columns: first < columns ? columns - first : columns, cells: shifted };
}

export function gpuHeatOption(heat: HeatCells, scale: { min: number; max: number }, fontSize: number): WarRoomChartOption {
  return {
    animation: false,
    grid: { left: fontSize * 12, right: fontSize * 5, top: fontSize, bottom: fontSize * 2 },
    xAxis: { type: 'category', data: Array.from({ length: heat.columns }, (_, i) => String(i)), axisLabel: { show: false }, axisTick: { show: false } },
    yAxis: { type: 'category', inverse: true, data: heat.rows, axisLabel: { color: '#ffffff', fontSize: fontSize * 0.8 } },
    visualMap: {
      min: scale.min,
      max: Math.max(scale.max, scale.min + 1),
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: fontSize * 8,
      itemWidth: fontSize,
      textStyle: { color: '#ffffff', fontSize: fontSize * 0.8 },
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

/** The page window's burn rate (long window; the fastest budget spend that pages), null without data. */
export function pageBurn(slo: SloStatus): number | null {
  const page = slo.windows.find((w) => w.severity === 'page') ?? slo.windows[0];
  return page ? page.longBurn : null;
}

export interface SloBar {
  value: number;
  /** Error budget burned, per cent of the period's (over 100 when overspent); null without a figure. */
  budgetPct: number | null;
  itemStyle: { color: string };
}

/** One bar per SLO, paging first: its burn rate (x the rate that spends the budget exactly in the period). */
export function sloBars(slos: readonly SloStatus[]): { labels: string[]; values: SloBar[]; pageFactor?: number } {
  const order = ['page', 'exhausted', 'ticket', 'invalid', 'ok', 'not-enough-data', 'no-data'];
  const sorted = [...slos].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || (pageBurn(b) ?? 0) - (pageBurn(a) ?? 0));
  return {
    labels: sorted.map((s) => `${s.service} ${s.slo}`),
    values: sorted.map((s) => ({
      value: Math.round((pageBurn(s) ?? 0) * 10) / 10,
      budgetPct: s.budget.consumed === null ? null : Math.round(s.budget.consumed * 1000) / 10,
      itemStyle: { color: SLO_STATE_COLORS[s.state] },
    })),
    pageFactor: slos.flatMap((s) => s.windows).find((w) => w.severity === 'page')?.factor,
  };
}

export function sloBurnOption(slos: readonly SloStatus[], fontSize: number): WarRoomChartOption {
  const bars = sloBars(slos);
  return {
    animation: false,
    grid: { left: fontSize * 16, right: fontSize * 12, top: fontSize * 1.5, bottom: fontSize * 2.5 },
    xAxis: {
      type: 'value',
      min: 0,
      max: (v: { max: number }) => Math.ceil(Math.max(bars.pageFactor ?? 1, v.max) * 1.1),
      axisLabel: { color: '#ffffff', fontSize: fontSize * 0.8, formatter: (x: number) => `${Math.round(x * 10) / 10}×` },
      splitLine: { lineStyle: { color: '#444' } },
    },
    yAxis: { type: 'category', inverse: true, data: bars.labels, axisLabel: { color: '#ffffff', fontSize } },
    series: [
      {
        type: 'bar',
        data: bars.values,
        barMaxWidth: fontSize * 1.6,
        label: {
          show: true,
          position: 'right',
          color: '#ffffff',
          fontSize,
          formatter: (p: { dataIndex: number }) => {
            const bar = bars.values[p.dataIndex];
            return `${bar.value}× · budget ${bar.budgetPct === null ? '—' : `${bar.budgetPct}%`}`;
          },
        },
        markLine:
          bars.pageFactor === undefined
            ? undefined
            : { symbol: 'none', silent: true, data: [{ xAxis: bars.pageFactor }], lineStyle: { color: '#ff3b3b', width: fontSize / 8, type: 'dashed' }, label: { color: '#ff3b3b', fontSize: fontSize * 0.9, formatter: `page ${bars.pageFactor}×` } },
      },
    ],
  };
}
