// The heatmap on screen: echarts draws axes, row labels and legend; a canvas over the plot area holds
// the cells (see heatmap-option.ts); the pointer is mapped to a cell for the tooltip and the click.
import { useEffect, useRef, useState } from 'react';
import { EChart } from '../../components/charts/EChart';
import type { ChartOption } from '../../components/charts/echarts';
import type { DecodedGrid } from '../../stores/gpu-store';
import { PLOT, cellAt, cellTooltip, paintCells } from './heatmap-option';

interface Props {
  grid: DecodedGrid;
  /** First row drawn and how many rows the plot holds. */
  start: number;
  count: number;
  option: ChartOption;
  height: number;
  onRendered(): void;
  onSelectRow(row: number): void;
  onWheel(e: React.WheelEvent): void;
}

declare global {
  interface Window {
    /** Benchmark hook (test/bench/gpu-heatmap.ts): called right after the cells of a window are on the canvas. */
    __flightdeckHeatmapPainted?: (painted: { columns: number; start: number; rows: number; loadedRows: number; totalRows: number }) => void;
  }
}

const tipStyle: React.CSSProperties = {
  position: 'absolute',
  pointerEvents: 'none',
  zIndex: 2,
  padding: '6px 9px',
  borderRadius: 4,
  background: 'var(--panel, #1b2230)',
  border: '1px solid var(--border, #333c4d)',
  color: 'var(--text, #e6e9ef)',
  fontSize: 12,
  lineHeight: 1.45,
  whiteSpace: 'nowrap',
  boxShadow: '0 2px 8px rgba(0,0,0,.35)',
};

export function HeatmapStage({ grid, start, count, option, height, onRendered, onSelectRow, onWheel }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ x: number; y: number; width: number; row: number; column: number }>();
  const shown = Math.max(0, Math.min(grid.totalRows, start + count) - start);

  // Paint with the canvas's current pixel size when the rows change; the size itself comes from a
  // ResizeObserver (after layout), so painting never forces a synchronous layout of the page.
  const paint = useRef(() => {});
  paint.current = () => {
    if (!canvas.current) return;
    paintCells(canvas.current, grid, start, shown);
    if (window.__flightdeckHeatmapPainted) {
      let loadedRows = 0;
      for (let r = start; r < start + shown; r++) if (grid.loaded[r]) loadedRows++;
      window.__flightdeckHeatmapPainted({ columns: grid.columns, start, rows: shown, loadedRows, totalRows: grid.totalRows });
    }
  };
  // In the task after React commits (and echarts redraws its axes): two shorter tasks instead of one.
  useEffect(() => {
    const timer = setTimeout(() => paint.current(), 0);
    return () => clearTimeout(timer);
  }, [grid, start, shown]);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const device = entry.devicePixelContentBoxSize?.[0];
      const ratio = window.devicePixelRatio || 1;
      const width = device ? device.inlineSize : Math.round(entry.contentRect.width * ratio);
      const height = device ? device.blockSize : Math.round(entry.contentRect.height * ratio);
      if (el.width !== width || el.height !== height) {
        el.width = width;
        el.height = height;
        paint.current();
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const locate = (e: React.MouseEvent) => {
    const rect = box.current?.getBoundingClientRect();
    if (!rect) return null;
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const cell = cellAt(x, y, rect.width, rect.height, shown, grid.columns);
    return cell ? { ...cell, x, y } : null;
  };

  const onMove = (e: React.MouseEvent) => {
    const at = locate(e);
    setHover(at ? { x: at.x, y: at.y, width: box.current?.clientWidth ?? 0, row: start + at.row, column: at.column } : undefined);
  };

  const tip = hover && hover.row < grid.totalRows ? cellTooltip(grid, hover.row, hover.column) : null;

  return (
    <div
      ref={box}
      style={{ position: 'relative', height }}
      onWheel={onWheel}
      onMouseMove={onMove}
      onMouseLeave={() => setHover(undefined)}
      onClick={(e) => {
        const at = locate(e);
        if (at) onSelectRow(start + at.row);
      }}
    >
      {/* Axes in their own task, queued before the cells' paint below (a child's effects run first). */}
      <EChart option={option} style={{ height }} testId="gpu-heatmap" onRendered={onRendered} deferUpdate />
      <canvas
        ref={canvas}
        data-testid="gpu-heatmap-cells"
        style={{ position: 'absolute', left: PLOT.left, top: PLOT.top, width: `calc(100% - ${PLOT.left + PLOT.right}px)`, height: `calc(100% - ${PLOT.top + PLOT.bottom}px)`, cursor: 'pointer' }}
      />
      {tip && hover ? (
        <div role="tooltip" style={{ ...tipStyle, top: Math.max(0, hover.y - 130), ...(hover.x > hover.width / 2 ? { right: hover.width - hover.x + 12 } : { left: hover.x + 12 }) }}>
          {/* One block with line breaks: the lines read as one tooltip, not as separate elements. */}
          {tip.map((line, i) => (
            <span key={i}>
              {i > 0 ? <br /> : null}
              {i < 2 ? <b>{line}</b> : line}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}
