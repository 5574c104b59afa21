// The heatmap as a window: rows laid out (and sorted) over every GPU from instant statistics, values
// fetched for a window of rows only, the window's query selecting exactly its GPUs, and the view's
// paging (which rows a scroll fetches, and whether an answer still fits the grid on screen).
import { describe, expect, it } from 'vitest';
import { gpusWithSeveralSeries, layoutRows, placeWindow, seriesKey, windowOf, type InstantValue, type StatAnswers } from '../../shared/model/gpu-layout.js';
import { packGrid } from '../../shared/model/gpu-grid.js';
import { gpuCountQuery, gpuStatQueries, gpuWindowQuery, regexLiteral } from '../../shared/model/gpu-queries.js';
import { PAGE_ROWS, missingSpan, pageWindow, rowsLoaded, rowsMatch } from '../../shared/model/gpu-pages.js';

const labels = (node: string, gpu: string, extra: Record<string, string> = {}) => ({ Hostname: node, gpu, UUID: `GPU-${node}-${gpu}`, modelName: 'H100', ...extra });
const v = (l: Record<string, string>, value: string | number): InstantValue => ({ labels: l, value: String(value) });

/**
 * Stat answers for series given as [labels, samples], as Prometheus answers gpuStatQueries: the
 * list holds every series' maximum with blanks kept, avg and stddev drop series with a blank, and
 * counts come only for GPUs with several series (what the main process asks gpuCountQuery for).
 */
function answersFor(series: Array<[Record<string, string>, number[], { present?: boolean }?]>, variance = true): StatAnswers {
  const out: Required<StatAnswers> = { list: [], listHoldsMax: true, avg: [], max: [], stddev: [], present: [], count: [] };
  for (const [l, samples, opts] of series) {
    out.list.push(v(l, Math.max(...samples)));
    if (opts?.present) out.present.push(v({ __name__: 'DCGM_FI_DEV_GPU_UTIL', ...l }, samples.at(-1) ?? 0));
    if (samples.some((s) => s >= 2 ** 63)) continue; // `< 9.2e18` drops the series from avg and stddev
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    out.avg.push(v(l, mean));
    out.stddev.push(v(l, Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length)));
  }
  const several = new Set(gpusWithSeveralSeries(out.list).map((g) => g.uuid));
  for (const [l, samples] of series) if (several.has(l.UUID)) out.count.push(v(l, samples.length));
  return variance ? out : { ...out, stddev: undefined };
}

describe('layoutRows', () => {
  it('sorts every row by its statistic, keeps groups together and gives blank GPUs a row without statistics', () => {
    const layout = layoutRows(
      answersFor([
        [labels('calm', '0'), [10, 10]],
        [labels('busy', '0'), [50, 50]],
        [labels('busy', '1'), [99, 97]],
        [labels('calm', '1'), [2 ** 63, 2 ** 63]],
        [{ gpu: '0' }, [1]],
      ]),
      { groupBy: 'node', sort: 'mean' },
    );
    expect(layout.rows.map((r) => r.key)).toEqual(['busy/GPU-busy-1', 'busy/GPU-busy-0', 'calm/GPU-calm-0', 'calm/GPU-calm-1']);
    expect(layout.groups).toEqual([
      { name: 'busy', firstRow: 0, count: 2 },
      { name: 'calm', firstRow: 2, count: 2 },
    ]);
    expect(layout.rows[0]).toMatchObject({ mean: 98, max: 99, variance: 1 });
    expect(layout.rows[3]).toMatchObject({ mean: null, max: null, variance: null });
    expect(layout.unlabelled).toBe(1);
    expect(layout.observedMax).toBe(99);
    const byName = layoutRows(answersFor([[labels('n-10', '0'), [1]], [labels('n-9', '0'), [1]]]), { groupBy: 'node', sort: 'name' });
    expect(byName.rows.map((r) => r.node)).toEqual(['n-9', 'n-10']);
    // Without the standard deviations (not sorting by variance) rows have no variance, the rest stays.
    const noVariance = layoutRows(answersFor([[labels('a', '0'), [1, 3]]], false), { groupBy: 'node', sort: 'mean' });
    expect(noVariance.rows[0]).toMatchObject({ mean: 2, max: 3, variance: null });
  });

  it('merges the series of one GPU across pods, weighted by samples, and shows the pod still there at the end', () => {
    const layout = layoutRows(
      answersFor([
        [labels('n', '0', { pod: 'old', namespace: 'a' }), [0, 0, 0]],
        [labels('n', '0', { pod: 'new', namespace: 'b' }), [80, 100], { present: true }],
        [labels('n', '1', { pod: 'gone', namespace: 'c' }), [5]],
      ]),
      { groupBy: 'namespace', sort: 'name' },
    );
    expect(layout.rows).toHaveLength(2);
    const merged = layout.rows.find((r) => r.gpu === '0');
    expect(merged).toMatchObject({ pod: 'new', namespace: 'b', group: 'b', max: 100 });
    // Same as the statistics of the five samples together: [0, 0, 0, 80, 100].
    expect(merged?.mean).toBeCloseTo(36, 9);
    expect(merged?.variance).toBeCloseTo((3 * 36 ** 2 + 44 ** 2 + 64 ** 2) / 5, 6);
    // No series left at the end: the GPU keeps the pod of its series.
    expect(layout.rows.find((r) => r.gpu === '1')).toMatchObject({ pod: 'gone', namespace: 'c' });
  });

  it('without the means (rows by name: one fleet-wide query) keeps every row, its maximum and the pod still there', () => {
    const answers = answersFor([
      [labels('n', '0', { pod: 'old', namespace: 'a' }), [0, 7]],
      [labels('n', '0', { pod: 'new', namespace: 'b' }), [80, 100], { present: true }],
      [labels('n', '1'), [5, 2 ** 63]],
      [labels('m', '0'), [3]],
    ]);
    const layout = layoutRows({ list: answers.list, listHoldsMax: true, present: answers.present }, { groupBy: 'node', sort: 'name' });
    expect(layout.rows.map((r) => r.key)).toEqual(['m/GPU-m-0', 'n/GPU-n-0', 'n/GPU-n-1']);
    expect(layout.rows[0]).toMatchObject({ mean: null, max: 3, variance: null });
    expect(layout.rows[1]).toMatchObject({ pod: 'new', namespace: 'b', mean: null, max: 100 });
    // A series with a blank in the range: its row stays, without statistics.
    expect(layout.rows[2]).toMatchObject({ mean: null, max: null });
    expect(layout.observedMax).toBe(100);
  });

  it('matches series across answers by labels, ignoring the metric name', () => {
    expect(seriesKey({ __name__: 'X', b: '2', a: '1' })).toBe(seriesKey({ a: '1', b: '2' }));
    expect(seriesKey({ a: '1' })).not.toBe(seriesKey({ a: '1', b: '' }));
  });
});

describe('windows of rows', () => {
  it('clamps the window to the rows that exist', () => {
    expect(windowOf(10, 0)).toEqual({ rowOffset: 0, rowCount: 10 });
    expect(windowOf(10, 4, 3)).toEqual({ rowOffset: 4, rowCount: 3 });
    expect(windowOf(10, 8, 5)).toEqual({ rowOffset: 8, rowCount: 2 });
    expect(windowOf(10, 12, 5)).toEqual({ rowOffset: 10, rowCount: 0 });
    expect(windowOf(0, 0, 64)).toEqual({ rowOffset: 0, rowCount: 0 });
  });

  it("places the window query's values in the window's row order, NaN for a GPU it did not return", () => {
    const layout = layoutRows(answersFor([[labels('a', '0'), [1]], [labels('a', '1'), [2]], [labels('b', '0'), [3]], [labels('b', '1'), [4]]]), { groupBy: 'node', sort: 'mean' });
    const window = layout.rows.slice(1, 3); // b/0 (mean 3), a/1 (mean 2)
    const packed = packGrid(
      [
        { labels: labels('a', '1'), values: [[100, '7'], [110, '8']] },
        { labels: labels('a', '0'), values: [[100, '9']] },
      ],
      { start: 100, step: 10, columns: 2, groupBy: 'node', sort: 'name' },
    );
    const values = placeWindow(window, packed, 2);
    expect(window.map((r) => r.key)).toEqual(['b/GPU-b-0', 'a/GPU-a-1']);
    expect(Array.from(values)).toEqual([NaN, NaN, 7, 8]);
  });

  it('selects exactly the GPUs of a window by UUID under both label forms, and by node when a GPU has no UUID', () => {
    const q = gpuWindowQuery('util', [
      { node: 'n1', uuid: 'GPU-a.b' },
      { node: 'n2', uuid: 'GPU-c' },
    ]);
    expect(q).toBe('(DCGM_FI_DEV_GPU_UTIL{UUID=~"GPU-a\\\\.b|GPU-c"}) or (DCGM_FI_DEV_GPU_UTIL{uuid=~"GPU-a\\\\.b|GPU-c"})');
    const byNode = gpuWindowQuery('temp', [{ node: 'n.1', uuid: '' }]);
    expect(byNode).toContain('DCGM_FI_DEV_GPU_TEMP{Hostname=~"(?:n\\\\.1)(?::[0-9]+)?"}');
    expect(byNode).toContain('{instance=~');
    expect(gpuWindowQuery('util', [])).toBe('');
    expect(regexLiteral('a|b(c)*')).toBe('a\\|b\\(c\\)\\*');
  });

  it('lists the rows with their maximum from one unfiltered query, and asks for variance and counts only when needed', () => {
    const q = gpuStatQueries('util', 3600, undefined, false);
    expect(q).toEqual({
      // Listed over the range plus Prometheus' 5 min lookback: the range query's first columns reach that far.
      list: 'max_over_time(DCGM_FI_DEV_GPU_UTIL[3900s])',
      listHoldsMax: true,
      avg: '(avg_over_time(DCGM_FI_DEV_GPU_UTIL[3600s]) < 9.2e18)',
      max: null,
      stddev: null,
      present: 'DCGM_FI_DEV_GPU_UTIL',
    });
    // Rows by name show no means: the list alone (its maxima included).
    expect(gpuStatQueries('util', 3600, undefined, false, false)).toMatchObject({ list: 'max_over_time(DCGM_FI_DEV_GPU_UTIL[3900s])', avg: null, max: null, stddev: null });
    expect(gpuStatQueries('memUsedPct', 60, undefined, false, false)).toMatchObject({ avg: null, max: null });
    expect(gpuStatQueries('util', 3600, undefined, true, false).avg).not.toBeNull();
    expect(gpuStatQueries('util', 3600).stddev).toBe('(stddev_over_time(DCGM_FI_DEV_GPU_UTIL[3600s]) < 9.2e18)');
    expect(gpuStatQueries('engineActive', 60).list).toBe('100 * max_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE[360s])');
    // Memory % is a ratio: a blank cannot show through it, so it lists by sample count.
    const mem = gpuStatQueries('memUsedPct', 60);
    expect(mem).toMatchObject({ list: 'count_over_time(DCGM_FI_DEV_FB_USED[360s])', listHoldsMax: false });
    expect(mem.max).toMatch(/^100 \* \(max_over_time\(DCGM_FI_DEV_FB_USED\[60s\]\) < 9.2e18\) \/ /);
    const node = gpuStatQueries('util', 600, 'n1');
    expect(node.list).toBe('(max_over_time(DCGM_FI_DEV_GPU_UTIL{Hostname="n1"}[900s])) or (max_over_time(DCGM_FI_DEV_GPU_UTIL{hostname="n1"}[900s]))');
    expect(gpuCountQuery('util', [{ node: 'n', uuid: 'GPU-1' }], 600)).toBe('(count_over_time(DCGM_FI_DEV_GPU_UTIL{UUID=~"GPU-1"}[600s])) or (count_over_time(DCGM_FI_DEV_GPU_UTIL{uuid=~"GPU-1"}[600s]))');
  });
});

describe('paging in the view', () => {
  it('asks for whole pages covering the rows on screen plus overscan', () => {
    expect(pageWindow(0, 160)).toEqual({ rowOffset: 0, rowCount: 3 * PAGE_ROWS });
    expect(pageWindow(PAGE_ROWS + 5, 10)).toEqual({ rowOffset: PAGE_ROWS, rowCount: PAGE_ROWS });
    expect(pageWindow(PAGE_ROWS - 1, 2)).toEqual({ rowOffset: 0, rowCount: 2 * PAGE_ROWS });
  });

  it('a scroll fetches only the pages it reaches that are neither fetched nor being fetched', () => {
    const loaded = new Uint8Array(1000);
    loaded.fill(1, 0, 3 * PAGE_ROWS);
    expect(missingSpan(loaded, 0, 160, () => false)).toBeNull();
    // Scrolled to row 150: rows 150..310 -> pages 2..4; page 2 is there, page 3 is being fetched.
    expect(missingSpan(loaded, 150, 310, () => false)).toEqual({ rowOffset: 3 * PAGE_ROWS, rowCount: 2 * PAGE_ROWS, pages: [3, 4] });
    expect(missingSpan(loaded, 150, 310, (p) => p === 3)).toEqual({ rowOffset: 4 * PAGE_ROWS, rowCount: PAGE_ROWS, pages: [4] });
    // The last page is short: never ask beyond the last row.
    expect(missingSpan(loaded, 950, 1200, () => false)).toEqual({ rowOffset: 14 * PAGE_ROWS, rowCount: 1000 - 14 * PAGE_ROWS, pages: [14, 15] });
    expect(rowsLoaded(loaded, 0, 3 * PAGE_ROWS)).toBe(true);
    expect(rowsLoaded(loaded, 100, 3 * PAGE_ROWS + 1)).toBe(false);
  });

  it('accepts a window answer only for the same range, columns and row order', () => {
    const row = (key: string) => ({ key, node: key, gpu: '0', uuid: '', model: 'm', group: key, mean: null, max: null, variance: null });
    const grid = { rows: ['a', 'b', 'c', 'd'].map(row), totalRows: 4, start: 100, columns: 5, step: 15 };
    const answer = { rows: [row('c'), row('d')], rowsFrom: 2, rowOffset: 2, rowCount: 2, totalRows: 4, start: 100, columns: 5, step: 15 };
    expect(rowsMatch(grid, answer)).toBe(true);
    expect(rowsMatch(grid, { ...answer, rows: [row('d'), row('c')] })).toBe(false);
    expect(rowsMatch(grid, { ...answer, start: 115 })).toBe(false);
    expect(rowsMatch(grid, { ...answer, totalRows: 5 })).toBe(false);
    // An answer carrying every row label (rowsFrom 0) is read at the window's offset.
    expect(rowsMatch(grid, { ...answer, rows: grid.rows, rowsFrom: 0 })).toBe(true);
  });
});
