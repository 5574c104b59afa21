// Bytes of a log stream -> whole lines. Splits on the byte 0x0A before decoding, so a multi-byte
// character cut between two chunks is never mangled; each line is decoded on its own with
// replacement characters for invalid UTF-8 (no exception, no lost line). A line longer than
// LOG_LINE_MAX_CHARS is cut and ends with the truncation marker (the viewer and the 16 MB send
// buffer are not the place for a 1 MB line); bytes past the cap are counted, not kept.
// What is left after the last newline is held as the partial line: the owner decides whether it
// is discarded (a dropped stream: re-attach delivers it whole) or flushed (a clean end).
import { LOG_LINE_MAX_CHARS, logTruncationMarker } from '../../../shared/contract/logs.js';

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: false });
/** Bytes kept of an over-long line: enough for LOG_LINE_MAX_CHARS characters of any width. */
const MAX_KEPT_BYTES = LOG_LINE_MAX_CHARS * 4;

export class LineSplitter {
  private parts: Buffer[] = [];
  private keptBytes = 0;
  /** Bytes of the current partial line, including those not kept. */
  private totalBytes = 0;

  /** Feeds one chunk; calls `onLine` for each complete line (without "\n" or a trailing "\r"). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      onLine(this.finish(chunk.subarray(start, nl)));
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Whether bytes after the last newline are waiting. */
  get hasPartial(): boolean {
    return this.totalBytes > 0;
  }

  /** The partial line as a line (a stream that ended cleanly without a final newline). */
  flush(): string | undefined {
    if (!this.hasPartial) return undefined;
    return this.finish(Buffer.alloc(0));
  }

  /** Forgets the partial line (the stream dropped mid-line; the re-attach sends it again whole). */
  discard(): void {
    this.parts = [];
    this.keptBytes = 0;
    this.totalBytes = 0;
  }

  private keep(bytes: Buffer): void {
    this.totalBytes += bytes.length;
    const room = MAX_KEPT_BYTES - this.keptBytes;
    if (room <= 0) return;
    // Copy: the chunk's memory is the socket's, and a partial line may wait for the next chunks.
    const part = Buffer.from(bytes.subarray(0, room));
    this.parts.push(part);
    this.keptBytes += part.length;
  }

  private finish(tail: Buffer): string {
    let bytes: Buffer;
    let total: number;
    if (this.totalBytes === 0) {
      bytes = tail.length <= MAX_KEPT_BYTES ? tail : tail.subarray(0, MAX_KEPT_BYTES);
      total = tail.length;
    } else {
      this.keep(tail);
      bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
      total = this.totalBytes;
      this.discard();
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    const text = decoder.decode(bytes);
    if (total <= MAX_KEPT_BYTES && text.length <= LOG_LINE_MAX_CHARS) return text;
    return text.slice(0, LOG_LINE_MAX_CHARS) + logTruncationMarker(total);
  }
}
