// The echarts build Flightdeck uses: only the charts and components our views draw, on canvas, so
// the bundle carries none of the rest.
import * as echarts from 'echarts/core';
import { HeatmapChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, AxisPointerComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
  MarkLineComponentOption,
} from 'echarts/components';

echarts.use([HeatmapChart, LineChart, GridComponent, TooltipComponent, VisualMapComponent, DataZoomComponent, LegendComponent, AxisPointerComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  HeatmapSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption | DataZoomComponentOption | LegendComponentOption | MarkLineComponentOption
>;

export { echarts };

/** Colours that read on both themes; the heatmap goes cool (idle) to hot (busy). */
export const HEAT_COLORS = ['#0d1b3e', '#1f4e8c', '#2a9d8f', '#e9c46a', '#f4a261', '#e63946'];
export const LINE_COLORS = ['#4c9aff', '#3fb950', '#d29922', '#f85149', '#a371f7', '#39c5cf', '#ff7b72', '#8b949e'];

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}
