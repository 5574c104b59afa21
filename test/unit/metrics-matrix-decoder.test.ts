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

  it('leaves anything unusual to the validated path', () => {
    expect(decodeMatrixFast('{"status":"error","errorType":"bad_data","error":"x"}')).toBeNull();
    expect(decodeMatrixFast(answer([{ metric: {}, values: [[1, 2]] }]))).toBeNull();
    expect(decodeMatrixFast(answer([{ values: [[1, '2']], metric: {} }]))).toBeNull();
    expect(decodeMatrixFast(answer([{ metric: {}, values: [[1, '2']] }]).slice(0, -5))).toBeNull();
    expect(decodeMatrixFast('{"status":"success","data":{"resultType":"vector","result":[]}}')).toBeNull();
  });
});
