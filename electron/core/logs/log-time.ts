// The kubelet's `timestamps=true` prefix (RFC 3339 with up to nine fractional digits) parsed into
// a comparable time: epoch milliseconds plus the nanoseconds within the millisecond. Times must be
// compared exactly (a re-attach drops what was delivered up to the last line's nanosecond), and
// epoch nanoseconds do not fit a double.

export interface LogTime {
  ms: number;
  /** Nanoseconds within the millisecond (0-999,999). */
  sub: number;
}

export interface TimedLine {
  time: LogTime | undefined;
  text: string;
}

const PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;

export const compareTimes = (a: LogTime, b: LogTime): number => a.ms - b.ms || a.sub - b.sub;

/** Parses lines of one stream; remembers the last whole second, which most lines share. */
export class TimestampParser {
  private lastBase = '';
  private lastBaseMs = 0;

  parse(line: string): TimedLine {
    const m = PREFIX.exec(line);
    if (!m) return { time: undefined, text: line };
    const base = m[1] + m[3];
    if (base !== this.lastBase) {
      this.lastBase = base;
      this.lastBaseMs = Date.parse(base);
    }
    const frac = (m[2] ?? '').padEnd(9, '0');
    const ms = this.lastBaseMs + Number(frac.slice(0, 3));
    return { time: { ms, sub: Number(frac.slice(3)) }, text: line.slice(m[0].length) };
  }
}

/** `sinceTime` for a re-attach: the API takes whole seconds, so the boundary second comes again. */
export const sinceTimeOf = (time: LogTime): string => new Date(Math.floor(time.ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
