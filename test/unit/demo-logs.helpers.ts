// Reading the demo fleet's generated pod logs in tests (demo-sim and demo-logs share these).
import type { LogOptions } from '../../electron/demo/sim/logs.js';

/** The first `max` lines of a log stream. */
export async function collect(it: AsyncIterable<string>, max = Infinity): Promise<string[]> {
  const out: string[] = [];
  for await (const line of it) {
    out.push(line);
    if (out.length >= max) break;
  }
  return out;
}

/** Log options with kubectl's defaults (no follow, no timestamps, the current instance). */
export const opts = (o: Partial<LogOptions> & { container: string }): LogOptions => ({ follow: false, timestamps: false, previous: false, ...o });
