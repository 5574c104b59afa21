// kubectl-style ages for the tables (events, audit): each band's boundary and unreadable input.
import { describe, expect, it } from 'vitest';
import { absoluteTime, ageText } from '../../shared/model/age.js';

const now = Date.parse('2026-12-02T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('ageText', () => {
  it('prints ages as kubectl does', () => {
    expect(ageText(ago(0), now)).toBe('0s');
    expect(ageText(ago(119), now)).toBe('119s');
    expect(ageText(ago(125), now)).toBe('2m5s');
    expect(ageText(ago(600), now)).toBe('10m');
    expect(ageText(ago(179 * 60), now)).toBe('179m');
    expect(ageText(ago(3 * 3600 + 5 * 60), now)).toBe('3h5m');
    expect(ageText(ago(30 * 3600), now)).toBe('30h');
    expect(ageText(ago(4 * 86400), now)).toBe('4d');
    expect(ageText(ago(4 * 86400 + 3 * 3600), now)).toBe('4d3h');
    expect(ageText(ago(100 * 86400), now)).toBe('100d');
    expect(ageText(now - 5000, now)).toBe('5s');
  });

  it('never prints a negative age (clock skew) and is empty for a missing or bad time', () => {
    expect(ageText(ago(-30), now)).toBe('0s');
    expect(ageText(undefined, now)).toBe('');
    expect(ageText('', now)).toBe('');
    expect(ageText('yesterday', now)).toBe('');
    expect(absoluteTime('yesterday')).toBe('');
    expect(absoluteTime(ago(0))).toMatch(/2026/);
    // The kept formatter prints what toLocaleString prints.
    for (const seconds of [0, 59, 3600 * 13, 86400 * 400]) expect(absoluteTime(ago(seconds))).toBe(new Date(now - seconds * 1000).toLocaleString(undefined, { hour12: false }));
  });
});
