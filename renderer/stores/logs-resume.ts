// When browser mode's socket reconnects, the API client subscribes to logs.follow again and the main
// process sends each pod's tail once more: without this the viewer held those lines twice. A
// source attached again for a pod/container whose lines are already held is "resuming": its lines
// older than the last held time are dropped, and at that time only the texts already held (the
// same number of times) are; the first newer line ends the resume. The main process re-attaches a
// dropped kubelet stream the same way (electron/core/logs), so both ends agree on what a repeat is.
import type { LineInput } from './logs-lines';

interface Last {
  t: number;
  /** Texts held at time `t`, in arrival order (several lines share a millisecond at high rates). */
  texts: string[];
}

export class ResumeFilter {
  private readonly last = new Map<string, Last>();
  /** key -> texts at the last held time still expected once more (text -> count). */
  private readonly resuming = new Map<string, Map<string, number>>();

  /** A source was attached (again): if its lines are held, what follows may repeat them. */
  attached(key: string): void {
    const last = this.last.get(key);
    if (!last) return;
    const counts = new Map<string, number>();
    for (const text of last.texts) counts.set(text, (counts.get(text) ?? 0) + 1);
    this.resuming.set(key, counts);
  }

  /** The lines of `batch` not already held; `keyOf` names a line's pod/container (undefined: not tracked). */
  filter(batch: readonly LineInput[], keyOf: (src: number) => string | undefined): LineInput[] {
    const kept: LineInput[] = [];
    for (const line of batch) {
      const key = keyOf(line.src);
      if (key === undefined) {
        kept.push(line);
        continue;
      }
      const last = this.last.get(key);
      const expected = this.resuming.get(key);
      if (expected && last) {
        if (line.t < last.t) continue;
        if (line.t === last.t) {
          const n = expected.get(line.text) ?? 0;
          if (n > 0) {
            expected.set(line.text, n - 1);
            continue;
          }
        } else this.resuming.delete(key);
      }
      kept.push(line);
      if (last && last.t === line.t) last.texts.push(line.text);
      else if (last && line.t > last.t) {
        last.t = line.t;
        last.texts = [line.text];
      } else if (!last) this.last.set(key, { t: line.t, texts: [line.text] });
    }
    return kept;
  }

  clear(): void {
    this.last.clear();
    this.resuming.clear();
  }
}
