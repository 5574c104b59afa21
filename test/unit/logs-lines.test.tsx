// The Logs view's compact line store: lines read back exactly across slab and chunk boundaries,
// metadata stays with its line, the ring buffer drops the oldest lines at the cap, and levels are
// read from JSON/logfmt fields, klog prefixes and upper-case words.
import { describe, expect, it } from 'vitest';
import { CHUNK_LINES, Level, LineStore, TextChunks, detectLevel, toSlab } from '../../renderer/stores/logs-lines';

const lineText = (i: number) => `line ${i} ${'x'.repeat(i % 7)}`;
const batch = (from: number, n: number) => Array.from({ length: n }, (_, k) => ({ src: (from + k) % 3, t: 1_000 + from + k, text: lineText(from + k) }));

describe('LineStore', () => {
  it('reads every line back across slabs and a chunk boundary, with its time, source and level', () => {
    const store = new LineStore(10 * CHUNK_LINES);
    let n = 0;
    // Batches of uneven sizes so one straddles the chunk boundary.
    for (const size of [1, 999, 30_000, 40_000, 7, 12_345]) {
      store.append(batch(n, size));
      n += size;
    }
    expect(store.total).toBe(n);
    expect(store.held).toBe(n);
    for (const i of [0, 1, 999, 1000, 31_000, CHUNK_LINES - 1, CHUNK_LINES, CHUNK_LINES + 1, n - 1]) {
      expect(store.line(i)).toBe(lineText(i));
      expect(store.time(i)).toBe(1_000 + i);
      expect(store.source(i)).toBe(i % 3);
    }
    expect(store.line(n)).toBeUndefined();
    // Segments cover every line exactly once, in order.
    let next = 0;
    for (const seg of store.segments()) {
      expect(seg.first).toBe(next);
      const lines = seg.text.split('\n');
      expect(lines.length).toBe(seg.count);
      expect(lines[0]).toBe(lineText(seg.first));
      next += seg.count;
    }
    expect(next).toBe(n);
  });

  it('drops the oldest lines at the cap, counts them, and frees whole chunks only', () => {
    const store = new LineStore(100_000);
    let n = 0;
    while (n < 250_000) {
      store.append(batch(n, 5_000));
      n += 5_000;
    }
    expect(store.held).toBe(100_000);
    expect(store.dropped).toBe(150_000);
    expect(store.line(149_999)).toBeUndefined();
    expect(store.line(150_000)).toBe(lineText(150_000));
    expect(store.line(n - 1)).toBe(lineText(n - 1));
    const segs = [...store.segments()];
    expect(segs[0].first).toBe(150_000);
    expect(segs.reduce((s, x) => s + x.count, 0)).toBe(100_000);
    expect(segs[0].text.split('\n')[segs[0].startAt]).toBe(lineText(150_000));
  });

  it('replaces a stray newline inside a line so line numbers stay true', () => {
    const { slab, lengths } = toSlab(['a\nb', 'c']);
    expect(slab).toBe('a␤b\nc');
    expect([...lengths]).toEqual([3, 1]);
    const store = new LineStore();
    store.append([{ src: 0, t: 0, text: 'one\ntwo' }, { src: 0, t: 0, text: 'three' }]);
    expect(store.line(0)).toBe('one␤two');
    expect(store.line(1)).toBe('three');
  });

  it('finds the first line at or after a time', () => {
    const store = new LineStore();
    store.append(batch(0, 100));
    expect(store.indexAtTime(1_050)).toBe(50);
    expect(store.indexAtTime(0)).toBe(0);
    expect(store.indexAtTime(99_999)).toBe(99);
  });

  it('holds a million lines in a handful of strings', () => {
    const text = new TextChunks();
    const lines = Array.from({ length: 10_000 }, (_, i) => lineText(i));
    const { slab, lengths } = toSlab(lines);
    for (let k = 0; k < 100; k++) text.appendSlab(slab, lengths);
    expect(text.held).toBe(1_000_000);
    const segments = [...text.segments()];
    // 15 sealed chunks of 65,536 lines + the open chunk's slabs.
    expect(segments.length).toBeLessThan(100);
    expect(text.line(999_999)).toBe(lineText(9_999));
  });
});

describe('detectLevel', () => {
  it.each([
    ['{"ts":"2026-12-02T10:00:00Z","level":"error","msg":"upstream timeout"}', Level.Error],
    ['{"level":"warn","msg":"slow"}', Level.Warn],
    ['time=2026-12-02 level=info msg="ready"', Level.Info],
    ['E1202 10:00:01.123 controller.go:42] sync failed', Level.Error],
    ['W1202 10:00:01.123 reflector.go:1] watch ended', Level.Warn],
    ['INFO 12-02 10:00:00 engine.py:267] Avg prompt throughput', Level.Info],
    ['2026-12-02 10:00:00 DEBUG scheduler tick', Level.Debug],
    ['[ERROR] plugin/errors: 2 example.org. A', Level.Error],
    ['no error occurred while loading', Level.None],
    ['GET /healthz 200', Level.None],
  ])('%s', (line, level) => {
    expect(detectLevel(line)).toBe(level);
  });
});
