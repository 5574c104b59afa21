// A service panel drawn by echarts itself (SVG, server-side) at the size it has on screen: the
// legend keeps to one row above the plot and never covers a y-axis label, however many services.
import { describe, expect, it } from 'vitest';
import { SVGRenderer } from 'echarts/renderers';
import { echarts } from '../../renderer/components/charts/echarts';
import { serviceChartOption } from '../../renderer/views/metrics/service-chart-option';

echarts.use(SVGRenderer);

interface Box { text: string; left: number; right: number; top: number; bottom: number }

/** The chart's texts as approximate boxes (sans-serif averages ~0.6 em per character). */
function textBoxes(svg: string): { legend: Box[]; yLabels: Box[] } {
  const legend: Box[] = [];
  const yLabels: Box[] = [];
  for (const m of svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)) {
    const [, attrs, text] = m;
    const size = Number(/font-size:(\d+)px|(\d+)px sans-serif/.exec(attrs)?.slice(1).find(Boolean) ?? 12);
    const [tx, ty] = (/translate\(([\d.-]+) ([\d.-]+)\)/.exec(attrs)?.slice(1) ?? ['0', '0']).map(Number);
    const x = tx + Number(/ x="([\d.-]+)"/.exec(attrs)?.[1] ?? 0);
    const y = ty + Number(/ y="([\d.-]+)"/.exec(attrs)?.[1] ?? 0);
    const width = text.length * size * 0.6;
    const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1];
    const left = anchor === 'end' ? x - width : anchor === 'middle' ? x - width / 2 : x;
    const box = { text, left, right: left + width, top: y - size / 2, bottom: y + size / 2 };
    if (size === 11) legend.push(box);
    else if (anchor === 'end') yLabels.push(box);
  }
  return { legend, yLabels };
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function draw(services: string[], width: number) {
  const times = Array.from({ length: 60 }, (_, i) => 1_700_000_000_000 + i * 60_000);
  const panel = { id: 'requestRate' as const, title: 'Requests', unit: 'req/s', query: 'q', series: services.map((service, k) => ({ service, values: times.map((_, i) => 20 * (k + 1) + (i % 7)) })) };
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height: 170 });
  chart.setOption(serviceChartOption(panel, times, '#888'));
  const svg = chart.renderToSVGString();
  chart.dispose();
  return textBoxes(svg);
}

describe('service panel legend', () => {
  for (const [services, width] of [
    [['chat-frontend', 'embedder', 'llm-gateway', 'ranker', 'recommender'], 400],
    [['chat-frontend', 'embedder', 'llm-gateway', 'ranker', 'recommender', 'speech-to-text', 'vision-encoder'], 560],
    [['chat-llama', 'embed-small'], 400],
  ] as const) {
    it(`${services.length} services in ${width} px: one legend row, clear of every y-axis label`, () => {
      const { legend, yLabels } = draw([...services], width);
      expect(legend.length).toBeGreaterThan(0);
      expect(yLabels.length).toBeGreaterThan(2);
      expect(new Set(legend.map((b) => Math.round(b.top))).size).toBe(1);
      const clashes = legend.flatMap((l) => yLabels.filter((y) => overlaps(l, y)).map((y) => `${l.text} on ${y.text}`));
      expect(clashes).toEqual([]);
    });
  }
});
