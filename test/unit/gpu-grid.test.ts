import { describe, expect, it } from 'vitest';
import { packGrid, columnsFor, poolFromName, type MatrixSeries } from '../../shared/model/gpu-grid.js';
import { gpuIdentity, sampleValue } from '../../shared/model/gpu-labels.js';

const series = (labels: Record<string, string>, points: Array<[number, string]>): MatrixSeries => ({ labels, values: points });
const dcgm = (host: string, gpu: string, extra: Record<string, string> = {}) => ({
  __name__: 'DCGM_FI_DEV_GPU_UTIL',
  gpu,
  UUID: `GPU-${host}-${gpu}`,
  device: `nvidia${gpu}`,
  modelName: 'NVIDIA A100-SXM4-80GB',
  Hostname: host,
  ...extra,
});
const opts = { start: 100, step: 10, columns: 3, groupBy: 'node' as const, sort: 'name' as const };

describe('gpu identity', () => {
  it('accepts Hostname and hostname, and exported_pod over pod', () => {
    expect(gpuIdentity({ hostname: 'n1', gpu: '2', UUID: 'u' })?.node).toBe('n1');
    expect(gpuIdentity({ Hostname: 'n2', gpu: '0', UUID: 'u' })?.node).toBe('n2');
    const scraped = gpuIdentity({ Hostname: 'n', gpu: '0', pod: 'dcgm-exporter-abc', namespace: 'gpu-operator', exported_pod: 'train-0', exported_namespace: 'ml' });
    expect(scraped).toMatchObject({ pod: 'train-0', namespace: 'ml' });
    expect(gpuIdentity({ Hostname: 'n', gpu: '0', pod: 'infer-1', namespace: 'serving', container: 'vllm' })).toMatchObject({ pod: 'infer-1', namespace: 'serving', container: 'vllm' });
    expect(gpuIdentity({ Hostname: 'n', device: 'nvidia3' })?.gpu).toBe('3');
    expect(gpuIdentity({ gpu: '0' })).toBeNull();
  });

  it('treats DCGM blank placeholders, NaN and garbage as missing', () => {
    expect(sampleValue('9223372036854775794')).toBeNaN();
    expect(sampleValue("9223372036854775792")).toBeNaN();
    expect(sampleValue("9223372036854774784")).toBe(9223372036854774784);
    expect(sampleValue('NaN')).toBeNaN();
    expect(sampleValue('x')).toBeNaN();
    expect(sampleValue('42.5')).toBe(42.5);
    expect(sampleValue('+Inf')).toBeNaN();
  });
});

describe('packGrid', () => {
  it('packs one row per GPU with NaN for missing columns and blank values', () => {
    const grid = packGrid(
      [
        series(dcgm('node-b', '0'), [[100, '10'], [110, '20'], [120, '9223372036854775794']]),
        series(dcgm('node-a', '1'), [[110, '55']]),
        series(dcgm('node-a', '0'), [[100, '1'], [110, '+Inf'], [120, '3']]),
      ],
      opts,
    );
    expect(grid.rows.map((r) => `${r.node}/${r.gpu}`)).toEqual(['node-a/0', 'node-a/1', 'node-b/0']);
    expect(Array.from(grid.values.slice(0, 3))).toEqual([1, NaN, 3]);
    expect(Array.from(grid.values.slice(3, 6))).toEqual([NaN, 55, NaN]);
    expect(Array.from(grid.values.slice(6, 9))).toEqual([10, 20, NaN]);
    expect(grid.groups).toEqual([
      { name: 'node-a', firstRow: 0, count: 2 },
      { name: 'node-b', firstRow: 2, count: 1 },
    ]);
    expect(grid.rows[2]).toMatchObject({ mean: 15, max: 20, variance: 25 });
    expect(grid.observed).toEqual({ min: 1, max: 55 });
  });

  it('merges the series of one GPU across pods and shows the latest pod', () => {
    const grid = packGrid(
      [
        series(dcgm('n', '0', { exported_pod: 'old', exported_namespace: 'a' }), [[100, '5']]),
        series(dcgm('n', '0', { exported_pod: 'new', exported_namespace: 'b' }), [[110, '90'], [120, '91']]),
        series(dcgm('n', '0', { hostname: 'n' }), []),
      ],
      opts,
    );
    expect(grid.rows).toHaveLength(1);
    expect(grid.rows[0]).toMatchObject({ pod: 'new', namespace: 'b' });
    expect(Array.from(grid.values)).toEqual([5, 90, 91]);
  });

  it('counts series without a node label instead of drawing them', () => {
    const grid = packGrid([series({ gpu: '0' }, [[100, '1']])], opts);
    expect(grid.rows).toHaveLength(0);
    expect(grid.unlabelled).toBe(1);
  });

  it('sorts groups and rows by a statistic, highest first', () => {
    const grid = packGrid(
      [
        series(dcgm('calm', '0'), [[100, '10'], [110, '10']]),
        series(dcgm('busy', '0'), [[100, '50'], [110, '50']]),
        series(dcgm('busy', '1'), [[100, '99'], [110, '97']]),
      ],
      { ...opts, sort: 'mean' },
    );
    expect(grid.rows.map((r) => r.key)).toEqual(['busy/GPU-busy-1', 'busy/GPU-busy-0', 'calm/GPU-calm-0']);
    const byVariance = packGrid(
      [series(dcgm('a', '0'), [[100, '0'], [110, '100']]), series(dcgm('b', '0'), [[100, '50'], [110, '50']])],
      { ...opts, sort: 'variance', groupBy: 'model' },
    );
    expect(byVariance.rows.map((r) => r.node)).toEqual(['a', 'b']);
    expect(byVariance.groups).toEqual([{ name: 'NVIDIA A100-SXM4-80GB', firstRow: 0, count: 2 }]);
  });

  it('groups by pool (labels first, then the node name) and by namespace', () => {
    const s = [series(dcgm('gpu-a100-1', '0', { pod: 'p', namespace: 'ml' }), [[100, '1']]), series(dcgm('gpu-a100-2', '0'), [[100, '1']])];
    expect(packGrid(s, { ...opts, groupBy: 'pool' }).groups.map((g) => g.name)).toEqual(['gpu-a100']);
    expect(packGrid(s, { ...opts, groupBy: 'pool', pools: { 'gpu-a100-1': 'training' } }).groups.map((g) => g.name)).toEqual(['gpu-a100', 'training']);
    expect(packGrid(s, { ...opts, groupBy: 'namespace' }).groups.map((g) => g.name)).toEqual(['(unallocated)', 'ml']);
    expect(poolFromName('h100-node-07')).toBe('h100-node');
  });

  it('computes columns for an aligned range', () => {
    expect(columnsFor(0, 3600, 15)).toBe(241);
    expect(columnsFor(0, 0, 15)).toBe(1);
  });
});
