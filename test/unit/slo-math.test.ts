import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GOOGLE_PAIRS, burnFactor, burnRate, durationSeconds, errorRatioQuery, evaluateSlo, sloFileSchema, slosFromFile, windowsNeeded } from '../../shared/model/slo.js';
import { sloRules } from '../../electron/core/metrics/slo-rules.js';
import { loadSloFiles } from '../../electron/core/metrics/slo-files.js';
import { bundledSloDir } from '../../electron/core/metrics/index.js';

interface SlothWindow { errorBudgetPercent: number; shortWindow: string; longWindow: string }
const fixture = parse(readFileSync(new URL('../fixtures/slo/sloth-google-30d-windows.yaml', import.meta.url), 'utf8')) as {
  spec: { sloPeriod: string; page: Record<'quick' | 'slow', SlothWindow>; ticket: Record<'quick' | 'slow', SlothWindow> };
};

const [availability, latency] = slosFromFile(sloFileSchema.parse({ service: 'chat' }), 'chat.yaml');

describe('burn-rate math', () => {
  it('uses the windows of Sloth’s Google 30-day fixture', () => {
    const fromFixture = (['page', 'ticket'] as const).flatMap((severity) =>
      (['quick', 'slow'] as const).map((speed) => {
        const w = fixture.spec[severity][speed];
        return { severity, long: w.longWindow, short: w.shortWindow, budgetPercent: w.errorBudgetPercent };
      }),
    );
    expect(GOOGLE_PAIRS).toEqual(fromFixture);
    expect(GOOGLE_PAIRS.map((p) => burnFactor(p, fixture.spec.sloPeriod))).toEqual([14.4, 6, 3, 1]);
  });

  it('computes burn rate as error ratio over the budget', () => {
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 9);
    expect(burnRate(null, 0.999)).toBeNull();
    expect(durationSeconds('3d')).toBe(259_200);
    expect(() => durationSeconds('soon')).toThrow(/duration/);
  });

  it('fires a page only when both windows of a pair exceed the factor', () => {
    const quiet = { '5m': 0.02, '1h': 0.0001, '30m': 0, '6h': 0, '2h': 0, '1d': 0, '3d': 0, '30d': 0.0005 };
    const r = evaluateSlo(availability, quiet);
    expect(r.windows[0]).toMatchObject({ long: '1h', short: '5m', factor: 14.4, firing: false });
    expect(r.windows[0].shortBurn).toBeCloseTo(20, 6);
    expect(r.state).toBe('ok');
    expect(r.sli).toBeCloseTo(0.9995, 9);
    expect(r.budgetRemaining).toBeCloseTo(0.5, 9);

    const burning = evaluateSlo(availability, { ...quiet, '1h': 0.015, '5m': 0.02 });
    expect(burning.windows[0].firing).toBe(true);
    expect(burning.state).toBe('page');

    const slow = evaluateSlo(availability, { ...quiet, '1d': 0.0035, '2h': 0.004 });
    expect(slow.state).toBe('ticket');
    expect(slow.windows.filter((w) => w.firing).map((w) => w.long)).toEqual(['1d']);

    expect(evaluateSlo(availability, {}).state).toBe('no-data');
    const overspent = evaluateSlo(availability, { ...quiet, '30d': 0.003 });
    expect(overspent.budgetRemaining).toBeCloseTo(-2, 9);
  });

  it('writes the PromQL for each SLO', () => {
    expect(errorRatioQuery(availability, '1h')).toBe(
      '(sum(rate(inference_requests_total{service="chat",code=~"5.."}[1h])) or vector(0)) / sum(rate(inference_requests_total{service="chat"}[1h]))',
    );
    expect(errorRatioQuery(latency, '5m')).toBe(
      '1 - (sum(rate(inference_request_duration_seconds_bucket{service="chat",le=~"2(\\\\.0+)?"}[5m])) / sum(rate(inference_request_duration_seconds_bucket{service="chat",le="+Inf"}[5m])))',
    );
    expect(latency.objective).toBe(0.95);
    // 2 s between the 1 and 2.5 bounds: a third of the way from 1 to 2.5 ... (2-1)/(2.5-1) = 0.666666667
    const interpolated = errorRatioQuery({ ...latency, latencyBuckets: [0.5, 1, 2.5, 5, Infinity] }, '1h');
    expect(interpolated).toContain('le=~"1(\\\\.0+)?"');
    expect(interpolated).toContain('le="2.5"');
    expect(interpolated).toContain('* 0.666666667');
    expect(errorRatioQuery({ ...latency, latencyBuckets: [1, 2, 4] }, '1h')).toBe(errorRatioQuery(latency, '1h'));
    expect(windowsNeeded(availability)).toEqual(['1h', '5m', '6h', '30m', '1d', '2h', '3d', '30d']);
  });
});

describe('SLO files and exported rules', () => {
  it('loads the bundled SLO files and reports broken ones', () => {
    const bundled = loadSloFiles([bundledSloDir()]);
    expect(bundled.problems).toEqual([]);
    expect(bundled.slos.length).toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'service: a\navailability: { objectivePercent: 101 }\n');
      writeFileSync(join(dir, 'b.yaml'), 'service: b\n');
      const loaded = loadSloFiles([dir]);
      expect(loaded.slos.map((s) => s.id)).toEqual(['b-availability', 'b-latency']);
      expect(loaded.problems[0]).toMatch(/a\.yaml is not valid: field "availability.objectivePercent"/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('exports rules that promtool check rules accepts', () => {
    const { slos } = loadSloFiles([bundledSloDir()]);
    const rules = sloRules(slos);
    expect(rules.groups).toBe(slos.length);
    const dir = mkdtempSync(join(tmpdir(), 'slo-rules-'));
    try {
      const file = join(dir, 'rules.yml');
      writeFileSync(file, rules.yaml);
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(out).toMatch(new RegExp(`SUCCESS: ${rules.rules} rules found`));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
