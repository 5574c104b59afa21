// Concurrent asks for the same rollouts list share one computation; a later ask computes anew, and
// a failure is not kept.
import { describe, expect, it } from 'vitest';
import { sharedFlight } from '../../electron/core/rollouts/shared-flight.js';

describe('sharedFlight', () => {
  it('joins callers while an answer is on its way, and only then', async () => {
    const flight = sharedFlight<number>();
    let computed = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = () => gate.then(() => ++computed);
    const first = flight('ctx', slow);
    const second = flight('ctx', slow);
    const other = flight('other', async () => 100);
    release();
    expect(await Promise.all([first, second, other])).toEqual([1, 1, 100]);
    expect(computed).toBe(1);
    expect(await flight('ctx', async () => ++computed)).toBe(2);
  });

  it('forgets a failed computation', async () => {
    const flight = sharedFlight<string>();
    await expect(flight('ctx', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await flight('ctx', async () => 'up')).toBe('up');
  });
});
