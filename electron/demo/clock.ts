// Simulated time for the demo fleet. `--speed X` makes every controller, probe and metric move X
// times faster than the wall clock, so tests can watch a rollout finish in seconds.

export interface DemoClock {
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Simulated time as an RFC 3339 string with seconds precision, as the API server writes it. */
  iso(): string;
  readonly speed: number;
  /** Runs fn after `simMs` simulated milliseconds; returns a cancel function. */
  after(simMs: number, fn: () => void): () => void;
  /** Runs fn every `simMs` simulated milliseconds; returns a cancel function. */
  every(simMs: number, fn: () => void): () => void;
  /** Cancels every timer this clock started. */
  stop(): void;
}

export function createClock(speed = 1, start = Date.now()): DemoClock {
  if (!(speed > 0)) throw new Error(`speed must be > 0, got ${speed}`);
  const wallStart = Date.now();
  const timers = new Set<NodeJS.Timeout>();
  const now = () => start + (Date.now() - wallStart) * speed;
  // Controllers ask for the time string on every write and Event: format it once per second.
  let isoSecond = NaN;
  let isoText = '';
  return {
    speed,
    now,
    iso: () => {
      const second = Math.floor(now() / 1000);
      if (second !== isoSecond) {
        isoSecond = second;
        isoText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
      }
      return isoText;
    },
    after(simMs, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, Math.max(0, simMs / speed));
      t.unref?.();
      timers.add(t);
      return () => {
        clearTimeout(t);
        timers.delete(t);
      };
    },
    every(simMs, fn) {
      const t = setInterval(fn, Math.max(1, simMs / speed));
      t.unref?.();
      timers.add(t);
      return () => {
        clearInterval(t);
        timers.delete(t);
      };
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
