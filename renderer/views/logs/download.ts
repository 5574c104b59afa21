// Download what is held, as text: one line per held line, with its source prefix when several
// sources are mixed and its time when timestamps are shown. Built a chunk at a time into a Blob.
import { lines, type LogSource } from '../../stores/logs-store';
import { timeText } from './log-format';

export function heldLinesBlob(sources: Record<number, LogSource>, withPrefix: boolean, withTime: boolean): Blob {
  const parts: string[] = [];
  if (!withPrefix && !withTime) {
    // The held text is already one string per chunk: write it as is.
    for (const segment of lines.segments()) {
      const from = segment.starts[segment.startAt] - segment.charBase;
      parts.push(from === 0 ? segment.text : segment.text.slice(from), '\n');
    }
    return new Blob(parts, { type: 'text/plain' });
  }
  let batch: string[] = [];
  for (let abs = lines.base; abs < lines.total; abs++) {
    const prefix = withPrefix ? `${sources[lines.source(abs)]?.label ?? '?'} ` : '';
    batch.push(`${withTime ? `${timeText(lines.time(abs))} ` : ''}${prefix}${lines.line(abs) ?? ''}`);
    if (batch.length === 65_536) {
      parts.push(batch.join('\n'), '\n');
      batch = [];
    }
  }
  if (batch.length) parts.push(batch.join('\n'), '\n');
  return new Blob(parts, { type: 'text/plain' });
}

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
