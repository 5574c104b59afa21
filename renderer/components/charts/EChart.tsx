// One echarts instance in a div: created once, options replaced on change, resized with its box,
// disposed on unmount. `group` joins charts so they share the crosshair (echarts.connect).
import { useEffect, useRef } from 'react';
import { echarts, type ChartOption } from './echarts';

type Handler = (params: unknown) => void;

export interface EChartProps {
  option: ChartOption;
  group?: string;
  onEvents?: Record<string, Handler>;
  className?: string;
  style?: React.CSSProperties;
  /** Replace the whole option instead of merging (when series come and go). */
  notMerge?: boolean;
  testId?: string;
  onRendered?: () => void;
  /**
   * Set a new option in a task of its own after React's commit: the layout of a big chart (the GPU
   * heatmap's 96 row labels) then does not lengthen the task that rendered the view.
   */
  deferUpdate?: boolean;
}

export function EChart({ option, group, onEvents, className, style, notMerge = true, testId, onRendered, deferUpdate = false }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const handlers = useRef(onEvents);
  const rendered = useRef(onRendered);
  handlers.current = onEvents;
  rendered.current = onRendered;

  useEffect(() => {
    if (!ref.current) return;
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    for (const name of ['click', 'mouseover', 'globalout']) instance.on(name, (p: unknown) => handlers.current?.[name]?.(p));
    instance.on('finished', () => rendered.current?.());
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    if (group) {
      instance.group = group;
      echarts.connect(group);
    }
  }, [group]);

  useEffect(() => {
    if (!deferUpdate) {
      chart.current?.setOption(option, { notMerge, lazyUpdate: false });
      return;
    }
    const timer = setTimeout(() => chart.current?.setOption(option, { notMerge, lazyUpdate: false }), 0);
    return () => clearTimeout(timer);
  }, [option, notMerge, deferUpdate]);

  return <div ref={ref} className={className} style={style} data-testid={testId} />;
}
