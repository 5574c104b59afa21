// The window hook e2e tests and test/bench/logs.ts read the Logs view through
// (window.__flightdeckLogs): counts, and a scan of the held lines for per-source sequence numbers,
// run in the page so a million lines are not shipped to the test.
import { lines, useLogsStore } from '../../stores/logs-store';

export interface SequenceScan {
  lines: number;
  /** Lines whose text had a sequence number. */
  numbered: number;
  sources: number;
  /** Numbers skipped inside a source's run (lost lines). */
  gaps: number;
  /** Numbers seen again or going backwards within a source (repeats). */
  repeats: number;
  /** Per source label: first and last number seen. */
  ranges: Record<string, [number, number]>;
}

export interface LogsHook {
  held(): number;
  total(): number;
  dropped(): number;
  /** Sequence numbers captured by `pattern`'s first group, checked per source (pod/container). */
  scanSequences(pattern: string): SequenceScan;
  line(abs: number): string | undefined;
}

declare global {
  interface Window {
    __flightdeckLogs?: LogsHook;
  }
}

export function installLogsHook(): void {
  window.__flightdeckLogs = {
    held: () => lines.held,
    total: () => lines.total,
    dropped: () => lines.dropped,
    line: (abs) => lines.line(abs),
    scanSequences(pattern) {
      const re = new RegExp(pattern);
      const sources = useLogsStore.getState().sources;
      const last = new Map<number, number>();
      const scan: SequenceScan = { lines: 0, numbered: 0, sources: 0, gaps: 0, repeats: 0, ranges: {} };
      for (let abs = lines.base; abs < lines.total; abs++) {
        scan.lines++;
        const m = re.exec(lines.line(abs) ?? '');
        if (!m) continue;
        scan.numbered++;
        const seq = Number(m[1]);
        const src = lines.source(abs);
        const prev = last.get(src);
        if (prev !== undefined) {
          if (seq > prev + 1) scan.gaps += seq - prev - 1;
          else if (seq <= prev) scan.repeats++;
        }
        last.set(src, prev === undefined ? seq : Math.max(prev, seq));
        const label = sources[src]?.label ?? String(src);
        const range = scan.ranges[label];
        scan.ranges[label] = range ? [Math.min(range[0], seq), Math.max(range[1], seq)] : [seq, seq];
      }
      scan.sources = last.size;
      return scan;
    },
  };
}
