import { describe, expect, it } from 'vitest';
import { createThrottle, type Timers } from '../../shared/model/throttle.js';

function fakeTimers() {
  let now = 0;
  const queue: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++nextId;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = queue.findIndex((q) => q.id === id);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue[0];
      if (!next || next.at > end) break;
      queue.shift();
      now = next.at;
      next.fn();
    }
    now = end;
  };
  return { timers, advance };
}

describe('delta coalescing', () => {
  it('sends at most ~10 batches per second however many changes arrive, and loses none', () => {
    const { timers, advance } = fakeTimers();
    const batches: number[][] = [];
    let pending: number[] = [];
    const throttle = createThrottle(() => {
      batches.push(pending);
      pending = [];
    }, 100, timers);
    for (let i = 0; i < 1000; i++) {
      pending.push(i);
      throttle.poke();
      advance(1);
    }
    advance(200);
    expect(batches.length).toBeLessThanOrEqual(11);
    expect(batches.length).toBeGreaterThanOrEqual(9);
    expect(batches.flat()).toEqual([...Array(1000).keys()]);
  });

  it('flushes the first change after a quiet spell at once', () => {
    const { timers, advance } = fakeTimers();
    let flushed = 0;
    const throttle = createThrottle(() => flushed++, 100, timers);
    advance(5_000);
    throttle.poke();
    advance(0);
    expect(flushed).toBe(1);
  });
});
