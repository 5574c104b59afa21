// Bytes of a log stream -> whole lines. Each chunk is decoded once with a StringDecoder, which
// keeps a multi-byte character cut between two chunks for the next one and turns invalid UTF-8
// into replacement characters (no exception, no lost line); lines are then cut from the string.
// (Decoding line by line cost a Buffer view and a decoder call per line, the most of a follow.)
// A line longer than LOG_LINE_MAX_CHARS is cut and ends with the truncation marker (the viewer and
// the 16 MB send buffer are not the place for a 1 MB line); what is past the cap is counted, not kept.
// What is left after the last newline is held as the partial line: the owner decides whether it
// is discarded (a dropped stream: re-attach delivers it whole) or flushed (a clean end).
import { StringDecoder } from 'node:string_decoder';
import { LOG_LINE_MAX_CHARS, logTruncationMarker } from '../../../shared/contract/logs.js';

export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  /** The current line's text so far (at most LOG_LINE_MAX_CHARS). */
  private partial = '';
  /** Whether the current line has any text yet (an empty partial may still be a started line). */
  private started = false;
  /** Bytes of the current line past the cap (dropped). */
  private droppedBytes = 0;

  /** Feeds one chunk; calls `onLine` for each complete line (without "\n" or a trailing "\r"). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    this.split(this.decoder.write(chunk), onLine);
  }

  /** Whether text after the last newline is waiting. */
  get hasPartial(): boolean {
    return this.started;
  }

  /** The partial line as a line (a stream that ended cleanly without a final newline). */
  flush(): string | undefined {
    const rest = this.decoder.end();
    if (rest) this.keep(rest);
    if (!this.started) return undefined;
    return this.finish('');
  }

  /** Forgets the partial line (the stream dropped mid-line; the re-attach sends it again whole). */
  discard(): void {
    this.decoder = new StringDecoder('utf8');
    this.reset();
  }

  private split(text: string, onLine: (line: string) => void): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (!this.started && nl - start <= LOG_LINE_MAX_CHARS) {
        // The common case: a whole line inside the chunk.
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        onLine(text.slice(start, end));
      } else {
        onLine(this.finish(text.slice(start, nl)));
      }
      start = nl + 1;
    }
    if (start < text.length) this.keep(text.slice(start));
  }

  private keep(piece: string): void {
    this.started = true;
    const room = LOG_LINE_MAX_CHARS + 1 - this.partial.length;
    if (piece.length <= room) {
      this.partial += piece;
      return;
    }
    // One character past the cap is kept, so a line of exactly the cap is told from a longer one.
    this.partial += piece.slice(0, Math.max(0, room));
    this.droppedBytes += Buffer.byteLength(room > 0 ? piece.slice(room) : piece);
  }

  private finish(tail: string): string {
    this.keep(tail);
    let line = this.partial;
    let dropped = this.droppedBytes;
    this.reset();
    if (dropped === 0 && line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length <= LOG_LINE_MAX_CHARS && dropped === 0) return line;
    const kept = line.slice(0, LOG_LINE_MAX_CHARS);
    dropped += Buffer.byteLength(line.slice(LOG_LINE_MAX_CHARS));
    return kept + logTruncationMarker(Buffer.byteLength(kept) + dropped);
  }

  private reset(): void {
    this.partial = '';
    this.started = false;
    this.droppedBytes = 0;
  }
}
