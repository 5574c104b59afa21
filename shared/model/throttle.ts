// Coalescing for live streams: many changes in, at most one flush per interval out. The first
// change after a quiet spell flushes at once (low latency); changes during a busy spell wait for
// the interval to end and go out together (bounded rate: ≤ 1000/interval batches per second).

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttle {
  /** Something changed: a flush will follow within the interval. */
  poke(): void;
  setInterval(ms: number): void;
  cancel(): void;
}

export function createThrottle(flush: () => void, intervalMs: number, timers: Timers = realTimers): Throttle {
  let interval = intervalMs;
  let last = -Infinity;
  let pending: unknown;
  const run = () => {
    pending = undefined;
    last = timers.now();
    flush();
  };
  return {
    poke() {
      if (pending !== undefined) return;
      const wait = Math.max(0, last + interval - timers.now());
      pending = timers.setTimeout(run, wait);
    },
    setInterval(ms) {
      interval = ms;
    },
    cancel() {
      if (pending !== undefined) timers.clearTimeout(pending);
      pending = undefined;
    },
  };
}
