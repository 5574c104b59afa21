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
}

export function EChart({ option, group, onEvents, className, style, notMerge = true, testId, onRendered }: EChartProps) {
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
    chart.current?.setOption(option, { notMerge, lazyUpdate: false });
  }, [option, notMerge]);

  return <div ref={ref} className={className} style={style} data-testid={testId} />;
}
