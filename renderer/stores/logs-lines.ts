// The compact line store behind the Logs view: a million lines without one JS string per line.
// Lines live in chunks of CHUNK_LINES; a full chunk is one string (its lines joined by '\n') plus a
// Uint32Array of line starts, and, on the UI side, Float64Array times, Uint16Array source ids and
// Uint8Array levels. The chunk still filling holds its appended batches as "slabs" (one string per
// batch, not per line) and is joined once when it fills. The same TextChunks class (text only) is
// the search worker's mirror: both sides apply the same appends and drops, so line numbers agree.
//
// Line numbers are absolute (0 = the first line ever appended); the ring buffer drops from the
// front (`base` = the oldest line still held) and frees a chunk once all its lines are dropped.

export const CHUNK_LINES = 65_536;
/** Default cap: lines held before the oldest are dropped. */
export const DEFAULT_CAP = 1_000_000;

export const Level = { None: 0, Debug: 1, Info: 2, Warn: 3, Error: 4 } as const;
export type Level = (typeof Level)[keyof typeof Level];

interface Chunk {
  /** Absolute number of the chunk's first line. */
  first: number;
  count: number;
  /** Sealed: every line joined by '\n'. Open: '' (the text is in `slabs`). */
  text: string;
  sealed: boolean;
  /** Line i starts at starts[i] of the (virtually) joined text; starts[count] = joined length + 1. */
  starts: Uint32Array;
  slabs: string[];
  /** First line (within the chunk) and first char of each slab. */
  slabLine: number[];
  slabChar: number[];
  times?: Float64Array;
  src?: Uint16Array;
  levels?: Uint8Array;
}

/** A run of whole lines in one contiguous string: what search and download walk over. */
export interface Segment {
  text: string;
  /** Absolute number of the segment's first line. */
  first: number;
  count: number;
  /** Line j starts at starts[startAt + j] - charBase in `text`. */
  starts: Uint32Array;
  startAt: number;
  charBase: number;
}

/** Lines never contain '\n' in the store: a stray one (a backend that did not split) becomes '␤'. */
const clean = (line: string) => (line.includes('\n') ? line.replace(/\n/g, '␤') : line);

/** Joins lines into one slab and gives each line's length (what is appended and sent to the worker). */
export function toSlab(lines: readonly string[]): { slab: string; lengths: Uint32Array } {
  const lengths = new Uint32Array(lines.length);
  let cleaned: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes('\n')) {
      cleaned ??= lines.slice();
      cleaned[i] = clean(lines[i]);
    }
    lengths[i] = (cleaned ?? lines)[i].length;
  }
  return { slab: (cleaned ?? lines).join('\n'), lengths };
}

export class TextChunks {
  protected chunks: Chunk[] = [];
  /** Absolute number of the next line to be appended. */
  total = 0;
  /** Absolute number of the oldest line still held. */
  base = 0;

  constructor(private readonly withMeta = false) {}

  get held(): number {
    return this.total - this.base;
  }

  /** Appends `lengths.length` lines joined by '\n' in `slab`; returns the absolute number of the first. */
  appendSlab(slab: string, lengths: ArrayLike<number>): number {
    const firstAbs = this.total;
    let i = 0;
    let char = 0;
    while (i < lengths.length) {
      const chunk = this.openChunk();
      const room = CHUNK_LINES - chunk.count;
      const take = Math.min(room, lengths.length - i);
      let end = char;
      for (let k = 0; k < take; k++) end += lengths[i + k] + 1;
      // A slab that fills the chunk is cut at a line boundary; the rest goes to the next chunk.
      const piece = i === 0 && take === lengths.length ? slab : slab.slice(char, end - 1);
      const slabStart = chunk.count === 0 ? 0 : chunk.starts[chunk.count];
      chunk.slabs.push(piece);
      chunk.slabLine.push(chunk.count);
      chunk.slabChar.push(slabStart);
      let at = slabStart;
      for (let k = 0; k < take; k++) {
        chunk.starts[chunk.count + k] = at;
        at += lengths[i + k] + 1;
      }
      chunk.count += take;
      chunk.starts[chunk.count] = at;
      this.total += take;
      if (chunk.count === CHUNK_LINES) this.seal(chunk);
      i += take;
      char = end;
    }
    return firstAbs;
  }

  /** Drops every line before `base` (absolute); chunks wholly before it are freed. */
  dropTo(base: number): void {
    if (base <= this.base) return;
    this.base = Math.min(base, this.total);
    while (this.chunks.length > 0 && this.chunks[0].first + this.chunks[0].count <= this.base && this.chunks[0].sealed) this.chunks.shift();
    if (this.chunks.length === 1 && this.chunks[0].first + this.chunks[0].count <= this.base) this.chunks.shift();
  }

  clear(): void {
    this.chunks = [];
    this.base = this.total;
  }

  /** The text of line `abs`, or undefined when it is not held. */
  line(abs: number): string | undefined {
    const chunk = this.chunkOf(abs);
    if (!chunk) return undefined;
    const i = abs - chunk.first;
    const start = chunk.starts[i];
    const end = chunk.starts[i + 1] - 1;
    if (chunk.sealed) return chunk.text.slice(start, end);
    const s = slabIndex(chunk.slabLine, i);
    const c0 = chunk.slabChar[s];
    return chunk.slabs[s].slice(start - c0, end - c0);
  }

  /** Contiguous runs of held lines from `fromAbs` on, oldest first. */
  *segments(fromAbs = this.base): Generator<Segment> {
    const from = Math.max(fromAbs, this.base);
    for (const chunk of this.chunks) {
      if (chunk.first + chunk.count <= from) continue;
      if (chunk.sealed) {
        const skip = Math.max(0, from - chunk.first);
        yield { text: chunk.text, first: chunk.first + skip, count: chunk.count - skip, starts: chunk.starts, startAt: skip, charBase: 0 };
        continue;
      }
      for (let s = 0; s < chunk.slabs.length; s++) {
        const l0 = chunk.slabLine[s];
        const l1 = s + 1 < chunk.slabs.length ? chunk.slabLine[s + 1] : chunk.count;
        if (chunk.first + l1 <= from) continue;
        const skip = Math.max(0, from - chunk.first - l0);
        yield { text: chunk.slabs[s], first: chunk.first + l0 + skip, count: l1 - l0 - skip, starts: chunk.starts, startAt: l0 + skip, charBase: chunk.slabChar[s] };
      }
    }
  }

  protected chunkOf(abs: number): Chunk | undefined {
    if (abs < this.base || abs >= this.total || this.chunks.length === 0) return undefined;
    // Chunks are CHUNK_LINES long except the open one, so the index is arithmetic from the first.
    const chunk = this.chunks[Math.floor((abs - this.chunks[0].first) / CHUNK_LINES)];
    return chunk && abs >= chunk.first && abs < chunk.first + chunk.count ? chunk : undefined;
  }

  protected metaOf(abs: number): { chunk: Chunk; i: number } | undefined {
    const chunk = this.chunkOf(abs);
    return chunk ? { chunk, i: abs - chunk.first } : undefined;
  }

  private openChunk(): Chunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last && !last.sealed) return last;
    const chunk: Chunk = {
      first: this.total,
      count: 0,
      text: '',
      sealed: false,
      starts: new Uint32Array(CHUNK_LINES + 1),
      slabs: [],
      slabLine: [],
      slabChar: [],
    };
    if (this.withMeta) {
      chunk.times = new Float64Array(CHUNK_LINES);
      chunk.src = new Uint16Array(CHUNK_LINES);
      chunk.levels = new Uint8Array(CHUNK_LINES);
    }
    this.chunks.push(chunk);
    return chunk;
  }

  /** A full chunk becomes one string: joined once, ~64K lines, never again per line. */
  private seal(chunk: Chunk): void {
    chunk.text = chunk.slabs.length === 1 ? chunk.slabs[0] : chunk.slabs.join('\n');
    chunk.slabs = [];
    chunk.slabLine = [];
    chunk.slabChar = [];
    chunk.sealed = true;
  }
}

function slabIndex(slabLine: number[], line: number): number {
  let lo = 0;
  let hi = slabLine.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (slabLine[mid] <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface LineInput {
  src: number;
  /** Epoch ms. */
  t: number;
  text: string;
}

/** The UI side: text plus each line's time, source and level; a cap with a dropped-lines count. */
export class LineStore extends TextChunks {
  constructor(public cap = DEFAULT_CAP) {
    super(true);
  }

  /** Lines dropped from the front to stay under the cap (the view says so). */
  get dropped(): number {
    return this.base;
  }

  /**
   * Appends a batch; returns the slab (for the search worker) and the new base when the cap
   * dropped old lines.
   */
  append(lines: readonly LineInput[]): { slab: string; lengths: Uint32Array; first: number; base: number } {
    const texts = new Array<string>(lines.length);
    for (let k = 0; k < lines.length; k++) texts[k] = lines[k].text;
    const { slab, lengths } = toSlab(texts);
    const first = this.appendSlab(slab, lengths);
    // One chunk lookup per run of lines (a batch spans at most two chunks).
    for (let k = 0; k < lines.length; ) {
      const chunk = this.chunkOf(first + k)!;
      const i0 = first + k - chunk.first;
      const n = Math.min(lines.length - k, chunk.count - i0);
      const { times, src, levels } = chunk as Required<Chunk>;
      for (let j = 0; j < n; j++) {
        const line = lines[k + j];
        times[i0 + j] = line.t;
        src[i0 + j] = line.src;
        levels[i0 + j] = detectLevel(line.text);
      }
      k += n;
    }
    if (this.held > this.cap) this.dropTo(this.total - this.cap);
    return { slab, lengths, first, base: this.base };
  }

  time(abs: number): number {
    const at = this.metaOf(abs);
    return at ? at.chunk.times![at.i] : NaN;
  }

  source(abs: number): number {
    const at = this.metaOf(abs);
    return at ? at.chunk.src![at.i] : 0;
  }

  level(abs: number): Level {
    const at = this.metaOf(abs);
    return at ? (at.chunk.levels![at.i] as Level) : Level.None;
  }

  /** The first held line at or after `t` (epoch ms), or the last line when none is; -1 when empty. */
  indexAtTime(t: number): number {
    if (this.held === 0) return -1;
    // Lines from several pods interleave, so times are only roughly ordered: scan (1M lines ~ms).
    for (const chunk of this.chunks) {
      const from = Math.max(0, this.base - chunk.first);
      for (let i = from; i < chunk.count; i++) if (chunk.times![i] >= t) return chunk.first + i;
    }
    return this.total - 1;
  }
}

const KLOG = /^[IWEF]\d{4} /;
const WORD = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|PANIC)\b/;
const FIELD = /["']?(?:level|lvl|severity)["']?\s*[:=]\s*["']?([A-Za-z]+)/i;

function levelWord(word: string): Level {
  switch (word.toLowerCase()) {
    case 'trace':
    case 'debug':
      return Level.Debug;
    case 'info':
    case 'notice':
      return Level.Info;
    case 'warn':
    case 'warning':
      return Level.Warn;
    case 'error':
    case 'err':
    case 'fatal':
    case 'critical':
    case 'crit':
    case 'panic':
      return Level.Error;
    default:
      return Level.None;
  }
}

/**
 * A line's level from its head: a JSON or logfmt level field, klog's I/W/E/F prefix, or an
 * upper-case level word (lower-case "error" in prose is not a level).
 */
export function detectLevel(text: string): Level {
  const head = text.length > 240 ? text.slice(0, 240) : text;
  const field = FIELD.exec(head);
  if (field) {
    const level = levelWord(field[1]);
    if (level !== Level.None) return level;
  }
  if (KLOG.test(head)) return levelWord({ I: 'info', W: 'warn', E: 'error', F: 'fatal' }[head[0]] ?? '');
  const word = WORD.exec(head);
  return word ? levelWord(word[1]) : Level.None;
}
