import { describe, expect, it } from 'vitest';
import { decodeMatrixFast } from '../../electron/core/metrics/matrix-decoder.js';
import { parseMatrix } from '../../electron/core/metrics/prometheus-response.js';

const answer = (result: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ status: 'success', data: { resultType: 'matrix', result }, ...extra });

describe('fast matrix decoder', () => {
  it('decodes what JSON.parse decodes, NaN and Inf included, tricky label values too', () => {
    const result = [
      { metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', Hostname: 'n}1', pod: 'a"b\\c{' }, values: [[1700000000, '1'], [1700000015.5, 'NaN'], [1700000030, '+Inf'], [1700000045, '9223372036854775794']] },
      { metric: {}, values: [] },
      { metric: { x: 'y' }, values: [[1, '-Inf']] },
    ];
    const fast = decodeMatrixFast(answer(result, { warnings: ['w1'], infos: ['i1'] }));
    const slow = parseMatrix({ resultType: 'matrix', result }, 'x');
    expect(fast?.warnings).toEqual(['w1', 'i1']);
    expect(fast?.series.map((s) => s.labels)).toEqual(slow.map((s) => s.labels));
    fast?.series.forEach((s, k) => {
      expect(Array.from(s.times)).toEqual(slow[k].values.map((p) => p[0]));
      expect(Array.from(s.samples)).toEqual(slow[k].values.map((p) => Number(p[1])));
    });
    expect(decodeMatrixFast(answer([]))).toEqual({ series: [], warnings: [] });
  });

  it('reads integers in place exactly as Number() does, and leaves every other spelling to Number()', () => {
    const raw = ['-3', '-0', '0', '007', '123456789012345', '1234567890123456', '99999999999999999999', '1e3', '2.5', '-', '', '0x10', 'Infinity'];
    const times = [1700000000, 1700000000.25, 1e15 - 1, 2 ** 53, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    const result = [{ metric: { gpu: '0' }, values: raw.map((v, k) => [times[k], v]) }];
    const fast = decodeMatrixFast(answer(result));
    expect(Array.from(fast?.series[0].samples ?? [])).toEqual(raw.map(Number));
    expect(Array.from(fast?.series[0].times ?? [])).toEqual(times);
    expect(Object.is(fast?.series[0].samples[1], -0)).toBe(true);
    // A long series grows the shared buffer without mixing samples between series.
    const long = Array.from({ length: 10_000 }, (_, k) => [1700000000 + k * 15, String(k % 101)]);
    const two = decodeMatrixFast(answer([{ metric: { a: '1' }, values: long }, { metric: { a: '2' }, values: [[1, '42']] }]));
    expect(Array.from(two?.series[0].samples ?? [])).toEqual(long.map((p) => Number(p[1])));
    expect(Array.from(two?.series[1].samples ?? [])).toEqual([42]);
    expect(Array.from(two?.series[1].times ?? [])).toEqual([1]);
  });

  it('leaves anything unusual to the validated path', () => {
    expect(decodeMatrixFast('{"status":"error","errorType":"bad_data","error":"x"}')).toBeNull();
    expect(decodeMatrixFast(answer([{ metric: {}, values: [[1, 2]] }]))).toBeNull();
    expect(decodeMatrixFast(answer([{ values: [[1, '2']], metric: {} }]))).toBeNull();
    expect(decodeMatrixFast(answer([{ metric: {}, values: [[1, '2']] }]).slice(0, -5))).toBeNull();
    expect(decodeMatrixFast('{"status":"success","data":{"resultType":"vector","result":[]}}')).toBeNull();
  });
});
