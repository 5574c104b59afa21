import { describe, expect, it } from 'vitest';
import { LineSplitter, ReattachDedupe, TimestampParser, compareTimes, sinceTimeOf, redactLine } from '../../electron/core/logs/index.js';
import { LOG_LINE_MAX_CHARS } from '../../shared/contract/logs.js';

const split = (chunks: Buffer[]) => {
  const splitter = new LineSplitter();
  const out: string[] = [];
  for (const c of chunks) splitter.push(c, (l) => out.push(l));
  return { out, splitter };
};

describe('log line splitting', () => {
  it('splits on newlines across chunk boundaries, also inside a multi-byte character', () => {
    const bytes = Buffer.from('first\nsecönd – ünïcode ✓\r\nthird\n', 'utf8');
    // Cut inside "ö" (2 bytes) and inside "✓" (3 bytes).
    const cutA = bytes.indexOf(Buffer.from('ö')) + 1;
    const cutB = bytes.indexOf(Buffer.from('✓')) + 2;
    const { out, splitter } = split([bytes.subarray(0, cutA), bytes.subarray(cutA, cutB), bytes.subarray(cutB)]);
    expect(out).toEqual(['first', 'secönd – ünïcode ✓', 'third']);
    expect(splitter.hasPartial).toBe(false);
  });

  it('turns invalid UTF-8 into replacement characters without losing the line or its neighbours', () => {
    const { out } = split([Buffer.concat([Buffer.from('ok before\nbad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes\nok after\n')])]);
    expect(out).toEqual(['ok before', 'bad \uFFFD\uFFFD\uFFFD bytes', 'ok after']);
  });

  it('cuts a 1 MB single line to the cap and says how long it was', () => {
    const long = 'x'.repeat(1 << 20);
    const chunks = [];
    const bytes = Buffer.from(`short\n${long}\nnext\n`);
    for (let i = 0; i < bytes.length; i += 16_384) chunks.push(bytes.subarray(i, i + 16_384));
    const { out } = split(chunks);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe('short');
    expect(out[1].startsWith('x'.repeat(LOG_LINE_MAX_CHARS))).toBe(true);
    expect(out[1].slice(LOG_LINE_MAX_CHARS)).toBe(` … [line truncated by Flightdeck: ${1 << 20} bytes]`);
    expect(out[2]).toBe('next');
  });

  it('holds a partial line: discarded after a drop, flushed at a clean end', () => {
    const { out, splitter } = split([Buffer.from('whole\nhalf of a li')]);
    expect(out).toEqual(['whole']);
    expect(splitter.hasPartial).toBe(true);
    splitter.discard();
    expect(splitter.flush()).toBeUndefined();
    const again = split([Buffer.from('last words without newline')]);
    expect(again.splitter.flush()).toBe('last words without newline');
  });
});

describe('kubelet timestamps', () => {
  it('parses RFC 3339 with nine, some or no fractional digits, exactly', () => {
    const p = new TimestampParser();
    const a = p.parse('2026-12-02T10:00:05.123456789Z hello world');
    expect(a.text).toBe('hello world');
    expect(a.time).toEqual({ ms: Date.UTC(2026, 11, 2, 10, 0, 5, 123), sub: 456_789 });
    const b = p.parse('2026-12-02T10:00:05.1234Z next');
    expect(b.time).toEqual({ ms: Date.UTC(2026, 11, 2, 10, 0, 5, 123), sub: 400_000 });
    expect(compareTimes(a.time!, b.time!)).toBeGreaterThan(0);
    expect(p.parse('2026-12-02T10:00:06Z x').time).toEqual({ ms: Date.UTC(2026, 11, 2, 10, 0, 6), sub: 0 });
    expect(p.parse('no timestamp here')).toEqual({ time: undefined, text: 'no timestamp here' });
    expect(sinceTimeOf(a.time!)).toBe('2026-12-02T10:00:05Z');
  });
});

describe('re-attach dedupe', () => {
  const t = (ms: number, sub = 0) => ({ ms, sub });

  it('drops the replayed boundary second, keeps the new lines, counts identical lines at one time', () => {
    const d = new ReattachDedupe();
    const delivered: string[] = [];
    const feed = (lines: [number, number, string][]) => {
      for (const [ms, sub, text] of lines) if (d.accept(t(ms, sub), text)) delivered.push(text);
    };
    feed([
      [5_000, 1, 'a'],
      [5_100, 0, 'b'],
      [5_200, 7, 'dup'],
      [5_200, 7, 'dup'],
    ]);
    // The stream dropped; the re-attach (sinceTime = 5 s) sends the second again, with one more "dup"
    // at the same nanosecond that had not been delivered yet, then new lines.
    d.startReplay();
    feed([
      [5_000, 1, 'a'],
      [5_100, 0, 'b'],
      [5_200, 7, 'dup'],
      [5_200, 7, 'dup'],
      [5_200, 7, 'dup'],
      [5_200, 7, 'other'],
      [5_300, 0, 'c'],
      [5_300, 0, 'c'],
    ]);
    expect(delivered).toEqual(['a', 'b', 'dup', 'dup', 'dup', 'other', 'c', 'c']);
  });

  it('outside a replay nothing is dropped (a program may print a line twice)', () => {
    const d = new ReattachDedupe();
    expect(d.accept(t(1), 'x')).toBe(true);
    expect(d.accept(t(1), 'x')).toBe(true);
    expect(d.accept(undefined, 'no time')).toBe(true);
  });
});

describe('log line redaction', () => {
  it('masks bearer tokens, password= values, JSON secrets and URL passwords; leaves token counts alone', () => {
    const line = 'level=warn msg="retry" url=https://svc:hunter2@models.internal/v1 password=hunter2 api_key="abc def" Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig prompt_tokens=812 max_batch_tokens: 16384';
    const out = redactLine(line);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(out).not.toContain('abc def');
    expect(out).toContain('prompt_tokens=812');
    expect(out).toContain('max_batch_tokens: 16384');
    expect(out).toMatch(/password=<redacted: 7 chars #[0-9a-f]+>/);
    const json = redactLine('{"level":"info","db_password":"s3cr\\"et","tokens":12}');
    expect(json).not.toContain('s3cr');
    expect(json).toContain('"tokens":12');
    expect(redactLine(out)).toBe(out);
    const plain = 'time=2026-12-02T10:00:00Z level=info msg="request completed" status=200';
    expect(redactLine(plain)).toBe(plain);
  });
});
