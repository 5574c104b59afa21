// SLO files: validation of periods and their burn-rate windows (issue #18: a 7-day period got the
// 30-day factors 3.36/1.4/0.7/0.233, a 1-day period a 3-day window), the unused errorRate field, and
// the bundled files.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burnFactor, sloFileSchema, slosFromFile } from '../../shared/model/slo.js';
import { describeIssues } from '../../shared/contract-kit.js';
import { loadSloFiles } from '../../electron/core/metrics/slo-files.js';
import { bundledSloDir } from '../../electron/core/metrics/index.js';

const problem = (file: unknown): string => {
  const parsed = sloFileSchema.safeParse(file);
  if (parsed.success) throw new Error('expected the file to be refused');
  return describeIssues(parsed.error);
};

const windows = (page: [string, string, string, string], ticket: [string, string, string, string]) => ({
  page: { quick: { errorBudgetPercent: 2, shortWindow: page[0], longWindow: page[1] }, slow: { errorBudgetPercent: 5, shortWindow: page[2], longWindow: page[3] } },
  ticket: { quick: { errorBudgetPercent: 10, shortWindow: ticket[0], longWindow: ticket[1] }, slow: { errorBudgetPercent: 10, shortWindow: ticket[2], longWindow: ticket[3] } },
});

describe('SLO periods and burn-rate windows', () => {
  it('gives 28- and 30-day periods the standard windows', () => {
    const factors = (period: string) => {
      const [slo] = slosFromFile(sloFileSchema.parse({ service: 'chat', period }), 'chat.yaml');
      return slo.pairs.map((p) => burnFactor(p, period));
    };
    expect(factors('30d')).toEqual([14.4, 6, 3, 1]);
    expect(factors('28d')).toEqual([13.44, 5.6, 2.8, 0.933]);
    expect(factors('4w')).toEqual([13.44, 5.6, 2.8, 0.933]);
  });

  it('refuses other periods without explicit window pairs, as Sloth does', () => {
    expect(problem({ service: 'chat', period: '7d' })).toBe(
      'field "windows": a 7d period has no standard burn-rate windows (only 28d and 30d do): list windows.page/ticket.quick/slow with errorBudgetPercent, shortWindow and longWindow, as in Sloth\'s AlertWindows',
    );
    expect(problem({ service: 'chat', period: '1d' })).toMatch(/^field "windows": a 1d period has no standard burn-rate windows/);
  });

  it('takes explicit windows for other periods, and refuses a window longer than the period', () => {
    const week = sloFileSchema.parse({ service: 'chat', period: '7d', windows: windows(['5m', '1h', '30m', '6h'], ['2h', '1d', '6h', '3d']) });
    const [slo] = slosFromFile(week, 'chat.yaml');
    expect(slo.pairs.map((p) => [p.long, p.short, burnFactor(p, '7d')])).toEqual([
      ['1h', '5m', 3.36],
      ['6h', '30m', 1.4],
      ['1d', '2h', 0.7],
      ['3d', '6h', 0.233],
    ]);
    expect(problem({ service: 'chat', period: '1d', windows: windows(['5m', '1h', '30m', '6h'], ['2h', '1d', '6h', '3d']) })).toBe(
      'field "windows.ticket.slow.longWindow": 3d is longer than the 1d period',
    );
    expect(problem({ service: 'chat', period: '1d', windows: windows(['5m', '1h', '1h', '30m'], ['2h', '12h', '6h', '1d']) })).toBe(
      'field "windows.page.slow.shortWindow": 1h must be shorter than longWindow 30m',
    );
  });
});

describe('SLO file fields', () => {
  it('refuses the unused errorRate.maxPercent with the reason', () => {
    expect(problem({ service: 'chat', errorRate: { maxPercent: 0.1 } })).toBe(
      'field "errorRate": is not used: the error budget is 100 − availability.objectivePercent (0.1 %); remove errorRate',
    );
  });

  it('refuses a latency threshold that is not one of the listed buckets', () => {
    expect(problem({ service: 'chat', latency: { thresholdSeconds: 2, buckets: [0.5, 1, 2.5, 5] } })).toBe(
      'field "latency.thresholdSeconds": 2 is not one of the listed buckets (0.5, 1, 2.5, 5)',
    );
    expect(sloFileSchema.parse({ service: 'chat', latency: { thresholdSeconds: 2.5, buckets: [0.5, 1, 2.5, 5] } }).latency.thresholdSeconds).toBe(2.5);
  });

  it('loads the bundled SLO files and reports broken ones', () => {
    const bundled = loadSloFiles([bundledSloDir()]);
    expect(bundled.problems).toEqual([]);
    expect(bundled.slos.length).toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'service: a\navailability: { objectivePercent: 101 }\n');
      writeFileSync(join(dir, 'b.yaml'), 'service: b\n');
      writeFileSync(join(dir, 'c.yaml'), 'service: c\nperiod: 7d\n');
      const loaded = loadSloFiles([dir]);
      expect(loaded.slos.map((s) => s.id)).toEqual(['b-availability', 'b-latency']);
      expect(loaded.problems[0]).toMatch(/a\.yaml is not valid: field "availability.objectivePercent"/);
      expect(loaded.problems[1]).toMatch(/c\.yaml is not valid: field "windows": a 7d period has no standard burn-rate windows/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
