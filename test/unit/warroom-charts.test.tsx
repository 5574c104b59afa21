// The war room's charts: the GPU grid averaged into big cells (NaN = no sample is skipped, not
// drawn as 0) and the SLO bars in triage order with the budget burned in per cent.
import { describe, expect, it } from 'vitest';
import type { SloStatus } from '../../shared/contract/metrics';
import { heatCells, sloBars } from '../../renderer/views/warroom/warroom-charts';

const row = (node: string, gpu: string) => ({ key: `${node}/${gpu}`, node, gpu, uuid: gpu, model: 'H100', group: node, mean: null, max: null, variance: null });

describe('war-room GPU heatmap cells', () => {
  it('averages columns into at most 60 buckets and skips missing samples', () => {
    const columns = 120;
    const values = new Float32Array(2 * columns);
    for (let c = 0; c < columns; c++) {
      values[c] = c % 2 === 0 ? 10 : 30; // row 0: pairs average to 20
      values[columns + c] = c < 2 ? NaN : 50; // row 1: first bucket has no sample
    }
    const heat = heatCells({ rows: [row('n1', '0'), row('n1', '1')], columns, rowCount: 2 }, values);
    expect(heat.columns).toBe(60);
    expect(heat.rows).toEqual(['n1 · 0', 'n1 · 1']);
    expect(heat.cells.filter(([, r]) => r === 0).every(([, , v]) => v === 20)).toBe(true);
    expect(heat.cells.filter(([, r]) => r === 1)).toHaveLength(59);
    expect(heat.cells.find(([c, r]) => c === 0 && r === 1)).toBeUndefined();
  });
  it('starts at the first bucket with a sample (a fleet watched for minutes fills the width)', () => {
    const columns = 120;
    const values = new Float32Array(columns).fill(NaN);
    for (let c = 100; c < columns; c++) values[c] = 40;
    const heat = heatCells({ rows: [row('n1', '0')], columns, rowCount: 1 }, values);
    expect(heat.columns).toBe(10);
    expect(heat.cells.map(([c]) => c)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(heatCells({ rows: [row('n1', '0')], columns, rowCount: 1 }, new Float32Array(columns).fill(NaN)).cells).toEqual([]);
  });
});

describe('war-room SLO bars', () => {
  const win = (severity: 'page' | 'ticket', longBurn: number | null, factor: number) => ({ severity, long: '1h', short: '5m', factor, longBurn, shortBurn: longBurn, firing: false, query: '' });
  const slo = (service: string, state: SloStatus['state'], pageBurnRate: number | null, consumed: number | null) =>
    ({ service, slo: 'availability', state, windows: [win('ticket', 99, 6), win('page', pageBurnRate, 14.4)], budget: { consumed, remaining: null, coverageSeconds: null, periodSeconds: 1, enoughData: true } }) as SloStatus;
  it('puts paging SLOs first, the fastest burn first, with the page window’s burn rate and the budget burned in per cent', () => {
    const bars = sloBars([slo('a', 'ok', 0.5, 0.1), slo('b', 'page', 15, 0.5), slo('c', 'not-enough-data', null, null), slo('d', 'page', 30.04, 1.25)]);
    expect(bars.labels).toEqual(['d availability', 'b availability', 'a availability', 'c availability']);
    expect(bars.values.map((v) => v.value)).toEqual([30, 15, 0.5, 0]);
    expect(bars.values.map((v) => v.budgetPct)).toEqual([125, 50, 10, null]);
    expect(bars.pageFactor).toBe(14.4);
    expect(bars.values[0].itemStyle.color).not.toBe(bars.values[2].itemStyle.color);
  });
});
