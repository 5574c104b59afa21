// Reads the audit history from its end: the newest records are what `audit.list` shows, and the
// history may be tens of megabytes. Lines come back newest first, file by file, a chunk at a time.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

const NEWLINE = 0x0a;
export const READ_CHUNK_BYTES = 64 * 1024;

export interface BackwardReader {
  /** Bytes read so far, over every file. */
  bytesRead: number;
  /** Bytes of the lines handed out so far (newlines included): the part of the history looked at. */
  bytesConsumed: number;
  lines(): Generator<string>;
}

/** Size of a file, 0 when it does not exist (a rotated file deleted meanwhile). */
export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Lines of `files` (newest first) from the last to the first; empty lines are skipped.
 * `chunkCanMatch` sees the complete lines of each chunk as one string: when it says no, none of
 * them is handed out (a filter that matches rarely then costs one search per 64 KB, not per line).
 */
export function readBackward(files: string[], chunkCanMatch?: (lines: string) => boolean, chunkBytes = READ_CHUNK_BYTES): BackwardReader {
  const reader: BackwardReader = {
    bytesRead: 0,
    bytesConsumed: 0,
    *lines() {
      for (const file of files) yield* linesOf(file);
    },
  };
  function* linesOf(path: string): Generator<string> {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return; // rotated away or deleted between listing and reading
    }
    try {
      let position = fstatSync(fd).size;
      // One buffer for the whole file: [chunk just read][carry], where the carry is the start of
      // the line that began before the previous chunk (complete once its beginning is read).
      let work = Buffer.allocUnsafe(Math.min(chunkBytes, position) + 1_024);
      let carryLength = 0;
      while (position > 0) {
        const length = Math.min(chunkBytes, position);
        position -= length;
        if (work.length < length + carryLength) {
          const bigger = Buffer.allocUnsafe(2 * (length + carryLength));
          work.copy(bigger, length, 0, carryLength);
          work = bigger;
        } else {
          work.copyWithin(length, 0, carryLength);
        }
        readSync(fd, work, 0, length, position);
        reader.bytesRead += length;
        const buffer = work.subarray(0, length + carryLength);
        const firstNewline = position > 0 ? buffer.indexOf(NEWLINE) : -1;
        if (chunkCanMatch && firstNewline >= 0 && !chunkCanMatch(buffer.toString('utf8', firstNewline + 1))) {
          reader.bytesConsumed += buffer.length - firstNewline;
          carryLength = firstNewline;
          continue;
        }
        let end = buffer.length;
        for (let i = buffer.lastIndexOf(NEWLINE, end - 1); i >= 0; i = i > 0 ? buffer.lastIndexOf(NEWLINE, i - 1) : -1) {
          reader.bytesConsumed += end - i;
          if (end > i + 1) yield buffer.toString('utf8', i + 1, end);
          end = i;
        }
        carryLength = end;
      }
      reader.bytesConsumed += carryLength;
      if (carryLength) yield work.toString('utf8', 0, carryLength);
    } finally {
      closeSync(fd);
    }
  }
  return reader;
}
