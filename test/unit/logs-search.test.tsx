// The Logs search (the worker's pure part): plain and regex, case toggle, an invalid regex as a
// message, one hit per line, line numbers true across chunk and slab boundaries and after the
// ring buffer dropped lines, empty-match regexes that cannot loop, highlight ranges.
import { describe, expect, it } from 'vitest';
import { LineStore } from '../../renderer/stores/logs-lines';
import { compileQuery, LineList, matchRanges, searchAll } from '../../renderer/workers/log-search';

const reOf = (text: string, regex = false, caseSensitive = false) => {
  const c = compileQuery({ text, regex, caseSensitive });
  if (!('re' in c)) throw new Error(JSON.stringify(c));
  return c.re;
};

function storeOf(lines: string[], cap?: number): LineStore {
  const store = new LineStore(cap);
  for (let i = 0; i < lines.length; i += 997) store.append(lines.slice(i, i + 997).map((text, k) => ({ src: 0, t: i + k, text })));
  return store;
}

const lines = Array.from({ length: 200_000 }, (_, i) => (i % 1000 === 7 ? `ERROR request ${i} failed: timeout after 30s` : i % 10 === 3 ? `warn: slow request ${i}` : `INFO request ${i} ok`));

describe('log search', () => {
  it('plain search is case-insensitive by default and finds each matching line once', () => {
    const store = storeOf(lines);
    const hits = searchAll(store.segments(), reOf('error')).toArray();
    expect(hits.length).toBe(200);
    expect(hits[0]).toBe(7);
    expect(hits[199]).toBe(199_007);
    expect(searchAll(store.segments(), reOf('error', false, true)).length).toBe(0);
    // "request" is on every line, several times would still count once.
    expect(searchAll(store.segments(), reOf('e')).length).toBe(200_000);
  });

  it('plain text with regex characters is literal', () => {
    const store = storeOf(['a.b', 'axb', '(x)', 'x']);
    expect([...searchAll(store.segments(), reOf('a.b')).toArray()]).toEqual([0]);
    expect([...searchAll(store.segments(), reOf('(x)')).toArray()]).toEqual([2]);
  });

  it('regex search, anchors per line, and an invalid regex as a message', () => {
    const store = storeOf(lines);
    expect(searchAll(store.segments(), reOf('request \\d+ failed: timeout after \\d+s$', true)).length).toBe(200);
    expect(searchAll(store.segments(), reOf('^warn', true)).length).toBe(20_000);
    const bad = compileQuery({ text: 'a(b', regex: true, caseSensitive: false });
    expect(bad).toMatchObject({ error: expect.stringMatching(/^Invalid regular expression: .*(Unterminated group|missing \))/i) });
    expect(compileQuery({ text: '', regex: true, caseSensitive: false })).toEqual({ empty: true });
  });

  it('empty-match regexes end, and count each line once', () => {
    const store = storeOf(['', 'a', 'bb', '']);
    expect(searchAll(store.segments(), reOf('^', true)).length).toBe(4);
    expect(searchAll(store.segments(), reOf('x*', true)).length).toBe(4);
    expect(searchAll(store.segments(), reOf('$', true)).length).toBe(4);
  });

  it('keeps true line numbers after the ring buffer dropped lines', () => {
    const store = storeOf(lines, 50_000);
    expect(store.base).toBe(150_000);
    const hits = searchAll(store.segments(), reOf('ERROR', false, true)).toArray();
    expect(hits.length).toBe(50);
    expect(hits[0]).toBe(150_007);
    for (const h of hits) expect(store.line(h)).toMatch(/^ERROR/);
  });

  it('LineList drops entries below the ring buffer base and finds positions', () => {
    const list = new LineList();
    for (let i = 0; i < 5000; i++) list.push(i * 2);
    list.dropBelow(100);
    expect(list.at(0)).toBe(100);
    expect(list.length).toBe(4950);
    expect(list.lowerBound(101)).toBe(1);
  });

  it('gives highlight ranges, skipping empty matches', () => {
    expect(matchRanges('a timeout, another TIMEOUT', reOf('timeout'))).toEqual([
      [2, 9],
      [19, 26],
    ]);
    expect(matchRanges('abc', reOf('x*', true))).toEqual([]);
  });
});
