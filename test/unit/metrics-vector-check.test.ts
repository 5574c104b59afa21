// Instant vectors are checked by a loop instead of zod (8,000 samples per fleet-wide answer); anything
// not exactly a vector of string labels and [number, string] samples goes back to the zod path.
import { describe, expect, it } from 'vitest';
import { checkVector, instantDataSchema } from '../../electron/core/metrics/prometheus-response.js';

describe('checkVector', () => {
  it('accepts what the zod schema accepts for vectors', () => {
    const data = { resultType: 'vector', result: [{ metric: { Hostname: 'n', gpu: '0' }, value: [1_700_000_000.5, '42'] }, { metric: {}, value: [1, 'NaN'] }] };
    expect(checkVector(data)).toBe(data);
    expect(instantDataSchema.safeParse(data).success).toBe(true);
    expect(checkVector({ resultType: 'vector', result: [] })).toEqual({ resultType: 'vector', result: [] });
  });

  it('leaves anything else to the zod path', () => {
    for (const bad of [
      null,
      { resultType: 'scalar', result: [1, '2'] },
      { resultType: 'vector', result: {} },
      { resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '2'] }] },
      { resultType: 'vector', result: [{ metric: [], value: [1, '2'] }] },
      { resultType: 'vector', result: [{ metric: {}, value: ['1', '2'] }] },
      { resultType: 'vector', result: [{ metric: {}, value: [1, 2] }] },
      { resultType: 'vector', result: [{ metric: {}, value: [1, '2', 3] }] },
      { resultType: 'vector', result: [{ metric: {} }] },
    ]) {
      expect(checkVector(bad)).toBeNull();
    }
  });
});
