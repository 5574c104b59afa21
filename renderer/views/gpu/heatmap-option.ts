// The heatmap for one window of rows, in two layers: echarts draws the axes, row labels and colour
// legend; the cells are painted into one canvas over the plot area (paintCells). As 23,000 echarts
// rectangles (96 rows x 241 columns) the first draw took 100-160 ms in several long tasks; as pixels
// it is a few milliseconds. Hover and click map the pointer to a cell with the same geometry.
import type { ChartOption } from '../../components/charts/echarts';
import { HEAT_COLORS } from '../../components/charts/echarts';
import type { DecodedGrid } from '../../stores/gpu-store';
import { formatTime } from '../../stores/time-range';

/** The plot area inside the chart box (echarts `grid`), shared by the axes, the cells and the pointer. */
export const PLOT = { left: 170, right: 120, top: 10, bottom: 50 } as const;

export const rowLabel = (grid: DecodedGrid, i: number): string => {
  const row = grid.rows[i];
  return `${row.node} · ${row.gpu}`;
};

export function heatmapOption(grid: DecodedGrid, offset: number, count: number, text: string, muted: string): ChartOption {
  const end = Math.min(grid.rows.length, offset + count);
  const labels = Array.from({ length: end - offset }, (_, i) => rowLabel(grid, offset + i));
  // Columns on a value axis [0, columns): cell c spans [c, c + 1) like the painted cells, and echarts
  // places a dozen time ticks instead of measuring 241 category labels to pick which to show.
  const every = Math.max(1, Math.ceil(grid.columns / 12));
  return {
    animation: false,
    grid: { ...PLOT },
    xAxis: {
      type: 'value',
      min: 0,
      max: grid.columns,
      interval: every,
      splitLine: { show: false },
      axisLine: { show: true },
      axisTick: { show: true },
      axisLabel: { color: muted, formatter: (c: number) => (c < grid.columns ? formatTime(grid.start + c * grid.step).slice(-8, -3) : '') },
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
      // A legend only: the cells are painted outside echarts, so the handles would filter nothing.
      calculable: false,
      text: [`${Math.round(grid.scale.max)} ${grid.unit}`, `${Math.round(grid.scale.min)} ${grid.unit}`],
      orient: 'vertical',
      right: 16,
      top: 'middle',
      itemHeight: 110,
      textStyle: { color: text },
      inRange: { color: HEAT_COLORS },
    },
    series: [{ type: 'heatmap', data: [], emphasis: { disabled: true } }],
  };
}

/** 256 colours over the scale, interpolated like the visual map's continuous colour ramp (RGBA, little-endian). */
export function colourRamp(colors: readonly string[] = HEAT_COLORS): Uint32Array {
  const rgb = colors.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  const ramp = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const at = (i / 255) * (rgb.length - 1);
    const k = Math.min(rgb.length - 2, Math.floor(at));
    const f = at - k;
    const [r, g, b] = [0, 1, 2].map((j) => Math.round(rgb[k][j] + (rgb[k + 1][j] - rgb[k][j]) * f));
    ramp[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return ramp;
}

const RAMP = colourRamp();

/** One pixel per cell, reused between paints (a canvas the size of the grid, never in the page). */
let cellCanvas: HTMLCanvasElement | undefined;

/**
 * Paints rows [offset, offset + count) into `canvas` (its pixel size = CSS size x devicePixelRatio):
 * one block of pixels per cell, transparent where there is no sample or the row is not fetched.
 * The cells are written one pixel each (241 x 96 for an hour) and the canvas scales them up without
 * smoothing: writing every screen pixel (1.6M at 1500 px wide) and uploading them took ~20 ms.
 */
export function paintCells(canvas: HTMLCanvasElement, grid: DecodedGrid, offset: number, count: number): void {
  const ctx = canvas.getContext('2d');
  const width = canvas.width;
  const height = canvas.height;
  if (!ctx || width === 0 || height === 0) return;
  ctx.clearRect(0, 0, width, height);
  const rows = Math.max(0, Math.min(grid.totalRows, offset + count) - offset);
  const cols = grid.columns;
  if (rows === 0 || cols === 0) return;
  const image = new ImageData(cols, rows);
  const pixels = new Uint32Array(image.data.buffer);
  const { min, max } = grid.scale;
  const span = max - min || 1;
  for (let r = 0; r < rows; r++) {
    const row = offset + r;
    if (!grid.loaded[row]) continue;
    const base = row * cols;
    const line = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = grid.values[base + c];
      pixels[line + c] = Number.isNaN(v) ? 0 : RAMP[Math.max(0, Math.min(255, Math.round(((v - min) / span) * 255)))];
    }
  }
  cellCanvas ??= document.createElement('canvas');
  if (cellCanvas.width !== cols || cellCanvas.height !== rows) {
    cellCanvas.width = cols;
    cellCanvas.height = rows;
  }
  cellCanvas.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cellCanvas, 0, 0, cols, rows, 0, 0, width, height);
}

/** The cell under a point of the chart box, or null outside the plot area. */
export function cellAt(x: number, y: number, boxWidth: number, boxHeight: number, rows: number, columns: number): { row: number; column: number } | null {
  const w = boxWidth - PLOT.left - PLOT.right;
  const h = boxHeight - PLOT.top - PLOT.bottom;
  const px = x - PLOT.left;
  const py = y - PLOT.top;
  if (w <= 0 || h <= 0 || px < 0 || py < 0 || px >= w || py >= h || rows === 0) return null;
  return { row: Math.floor((py / h) * rows), column: Math.floor((px / w) * columns) };
}

/** Tooltip lines for one cell (the first two bold). */
export function cellTooltip(grid: DecodedGrid, row: number, column: number): string[] {
  const r = grid.rows[row];
  const v = grid.values[row * grid.columns + column];
  const value = !grid.loaded[row] ? 'loading…' : Number.isNaN(v) ? 'no data' : `${Math.round(v * 10) / 10} ${grid.unit}`;
  const pod = r.pod ? `${r.namespace ?? '?'}/${r.pod}` : 'not allocated';
  return [`${r.node} · GPU ${r.gpu}`, `${grid.title}: ${value}`, `UUID ${r.uuid || '—'}`, r.model, `Pod ${pod}`, formatTime(grid.start + column * grid.step)];
}
