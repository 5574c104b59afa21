// Search over the compact line store, pure so it is tested without a worker: one global,
// multi-line regex run over each chunk's joined text (one scan of a 64K-line string is far cheaper
// than a million per-line calls), each match mapped to its line by walking the line starts, and the
// scan resumed at the next line so a line is counted once. Plain text is an escaped regex.
import type { Segment } from '../stores/logs-lines';

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

export type Compiled = { re: RegExp } | { error: string } | { empty: true };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The query as a global, multi-line RegExp; an invalid regex gives the engine's message. */
export function compileQuery(query: SearchQuery): Compiled {
  if (query.text === '') return { empty: true };
  const flags = `gm${query.caseSensitive ? '' : 'i'}`;
  if (!query.regex) return { re: new RegExp(escape(query.text), flags) };
  try {
    return { re: new RegExp(query.text, flags) };
  } catch (error) {
    return { error: `Invalid regular expression: ${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error)}` };
  }
}

/** A growable list of absolute line numbers (Float64: absolute numbers outgrow 32 bits in a long follow). */
export class LineList {
  data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  pushAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.push(values[i]);
  }

  /** Removes the entries below `base` (lines the ring buffer dropped). */
  dropBelow(base: number): void {
    let k = 0;
    while (k < this.length && this.data[k] < base) k++;
    if (k === 0) return;
    this.data.copyWithin(0, k, this.length);
    this.length -= k;
  }

  at(i: number): number {
    return this.data[i];
  }

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  /** Index of the first entry >= value (entries are ascending). */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.data[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Adds the absolute numbers of the segment's lines that match `re` (a 'gm' regex) to `out`. */
export function searchSegment(segment: Segment, re: RegExp, out: LineList): void {
  const { text, first, count, starts, startAt, charBase } = segment;
  if (count === 0) return;
  const startOf = (j: number) => starts[startAt + j] - charBase;
  let line = 0;
  re.lastIndex = startOf(0);
  for (;;) {
    const m = re.exec(text);
    if (m === null) return;
    const at = m.index;
    while (line + 1 < count && startOf(line + 1) <= at) line++;
    out.push(first + line);
    line++;
    if (line >= count) return;
    // Resume at the next line: each line counts once, and an empty match cannot loop.
    re.lastIndex = startOf(line);
  }
}

/** Every matching line in the given segments. */
export function searchAll(segments: Iterable<Segment>, re: RegExp): LineList {
  const out = new LineList();
  for (const segment of segments) searchSegment(segment, re, out);
  return out;
}

/** Where `re` matches in one line, for highlighting (non-empty matches, at most `limit`). */
export function matchRanges(line: string, re: RegExp, limit = 64): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  re.lastIndex = 0;
  while (out.length < limit) {
    const m = re.exec(line);
    if (m === null) break;
    if (m[0].length === 0) {
      re.lastIndex = m.index + 1;
      if (re.lastIndex > line.length) break;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}
