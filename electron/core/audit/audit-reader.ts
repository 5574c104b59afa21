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

/** Lines of `files` (newest first) from the last to the first; empty lines are skipped. */
export function readBackward(files: string[], chunkBytes = READ_CHUNK_BYTES): BackwardReader {
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
      // Bytes of the line that started before the chunk just read (complete once its start is read).
      let carry = Buffer.alloc(0);
      while (position > 0) {
        const length = Math.min(chunkBytes, position);
        position -= length;
        const chunk = Buffer.alloc(length);
        readSync(fd, chunk, 0, length, position);
        reader.bytesRead += length;
        const buffer = carry.length ? Buffer.concat([chunk, carry]) : chunk;
        let end = buffer.length;
        for (let i = buffer.length - 1; i >= 0; i--) {
          if (buffer[i] !== NEWLINE) continue;
          reader.bytesConsumed += end - i;
          if (end > i + 1) yield buffer.toString('utf8', i + 1, end);
          end = i;
        }
        carry = buffer.subarray(0, end);
      }
      reader.bytesConsumed += carry.length;
      if (carry.length) yield carry.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
  return reader;
}
