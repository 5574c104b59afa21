// Lines leave in batches: one `lines` event per flush interval, or sooner when a batch is big.
// Tens of thousands of lines a second as one event each would cost a schema check, a redaction
// walk and a WebSocket frame apiece; a batch costs those once.
import type { LogEvent, LogLine } from '../../../shared/contract/logs.js';

export interface LineBatcherOptions {
  emit(event: LogEvent): void;
  intervalMs?: number;
  maxLines?: number;
  /** Characters of text per batch before it is sent at once. */
  maxChars?: number;
}

export class LineBatcher {
  private lines: LogLine[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly maxLines: number;
  private readonly maxChars: number;

  constructor(private readonly options: LineBatcherOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    this.maxLines = options.maxLines ?? 5_000;
    this.maxChars = options.maxChars ?? 1 << 20;
  }

  add(line: LogLine): void {
    this.lines.push(line);
    this.chars += line.text.length;
    if (this.lines.length >= this.maxLines || this.chars >= this.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is held now (before a source or end event, so order is kept). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.chars = 0;
    this.options.emit({ type: 'lines', lines });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lines = [];
  }
}
