// Re-attaching a dropped stream with `sinceTime` (whole seconds) sends the boundary second again.
// This drops exactly what was already delivered: every line before the last delivered time, and at
// that very time the lines whose text was delivered (counted, since a program may print the same
// line twice in one nanosecond). The first line after it ends the replay.
import { compareTimes, type LogTime } from './log-time.js';

export class ReattachDedupe {
  private last: LogTime | undefined;
  /** Texts delivered at `last`, with how often. */
  private atLast = new Map<string, number>();
  /** While replaying: what of `atLast` is still to be matched. */
  private pending: Map<string, number> | undefined;

  /** The time of the last delivered line (where a re-attach starts). */
  get lastTime(): LogTime | undefined {
    return this.last;
  }

  /** Lines from here on are a replay from the start of the last delivered line's second. */
  startReplay(): void {
    this.pending = this.last ? new Map(this.atLast) : undefined;
  }

  /** Whether the line is new; new lines are recorded as delivered. */
  accept(time: LogTime | undefined, text: string): boolean {
    // Without a timestamp nothing can be compared: deliver (the kubelet always sends one).
    if (!time) return true;
    if (this.pending && this.last) {
      const order = compareTimes(time, this.last);
      if (order < 0) return false;
      if (order === 0) {
        const left = this.pending.get(text) ?? 0;
        if (left > 0) {
          this.pending.set(text, left - 1);
          return false;
        }
      } else {
        this.pending = undefined;
      }
    }
    if (!this.last || compareTimes(time, this.last) !== 0) {
      this.last = time;
      this.atLast.clear();
    }
    this.atLast.set(text, (this.atLast.get(text) ?? 0) + 1);
    return true;
  }
}
