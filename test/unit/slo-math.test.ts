import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  GOOGLE_PAIRS,
  budgetText,
  burnFactor,
  burnRate,
  coverageText,
  durationSeconds,
  errorBudget,
  errorRatioQuery,
  evaluateSlo,
  latencyThresholdProblem,
  sloFileSchema,
  slosFromFile,
  windowsNeeded,
} from '../../shared/model/slo.js';

interface SlothWindow { errorBudgetPercent: number; shortWindow: string; longWindow: string }
const fixture = parse(readFileSync(new URL('../fixtures/slo/sloth-google-30d-windows.yaml', import.meta.url), 'utf8')) as {
  spec: { sloPeriod: string; page: Record<'quick' | 'slow', SlothWindow>; ticket: Record<'quick' | 'slow', SlothWindow> };
};

const [availability, latency] = slosFromFile(sloFileSchema.parse({ service: 'chat' }), 'chat.yaml');
const DAY = 86_400;
const quiet = { '5m': 0.02, '1h': 0.0001, '30m': 0, '6h': 0, '2h': 0, '1d': 0, '3d': 0, '30d': 0.0005 };

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
    const r = evaluateSlo(availability, quiet, 30 * DAY);
    expect(r.windows[0]).toMatchObject({ long: '1h', short: '5m', factor: 14.4, firing: false });
    expect(r.windows[0].shortBurn).toBeCloseTo(20, 6);
    expect(r.state).toBe('ok');
    expect(r.sli).toBeCloseTo(0.9995, 9);
    expect(r.budget.remaining).toBeCloseTo(0.5, 9);
    expect(budgetText(r.budget)).toBe('50.0 % left');

    const burning = evaluateSlo(availability, { ...quiet, '1h': 0.015, '5m': 0.02 }, 30 * DAY);
    expect(burning.windows[0].firing).toBe(true);
    expect(burning.state).toBe('page');

    const slow = evaluateSlo(availability, { ...quiet, '1d': 0.0035, '2h': 0.004 }, 30 * DAY);
    expect(slow.state).toBe('ticket');
    expect(slow.windows.filter((w) => w.firing).map((w) => w.long)).toEqual(['1d']);

    expect(evaluateSlo(availability, {}).state).toBe('no-data');
  });

  it('writes the PromQL for each SLO', () => {
    expect(errorRatioQuery(availability, '1h')).toBe(
      '(sum(rate(inference_requests_total{service="chat",code=~"5.."}[1h])) or vector(0)) / sum(rate(inference_requests_total{service="chat"}[1h]))',
    );
    expect(errorRatioQuery(latency, '5m')).toBe(
      '1 - (sum(rate(inference_request_duration_seconds_bucket{service="chat",le="2.5"}[5m])) / sum(rate(inference_request_duration_seconds_bucket{service="chat",le="+Inf"}[5m])))',
    );
    // A whole-number bound is written "2" or "2.0" by client libraries: both match.
    expect(errorRatioQuery({ ...latency, thresholdSeconds: 2 }, '5m')).toContain('le=~"2(\\\\.0+)?"');
    expect(latency.objective).toBe(0.95);
    expect(windowsNeeded(availability)).toEqual(['1h', '5m', '6h', '30m', '1d', '2h', '3d', '30d']);
  });
});

describe('error budget from the data there is (issue #18)', () => {
  // On main, 10 minutes of 6.13 % errors printed 1 − 0.0613 / 0.001 = "−6030 %" budget left.
  it('gives no budget figure from minutes of data, and says how much data it has', () => {
    const r = evaluateSlo(availability, { ...quiet, '30d': 0.0613 }, 600);
    expect(r.budget).toMatchObject({ coverageSeconds: 600, periodSeconds: 30 * DAY, enoughData: false, consumed: null, remaining: null });
    expect(r.state).toBe('not-enough-data');
    expect(budgetText(r.budget)).toBe('not enough data');
    expect(coverageText(r.budget)).toBe('10 min of 30 d');
  });

  it('counts the budget consumed so far as a share of the whole period', () => {
    // One day of 0.05 % errors at 99.9 %: half the budget's rate, for 1/30 of the period.
    const day = evaluateSlo(availability, quiet, DAY);
    expect(day.budget.consumed).toBeCloseTo(0.5 / 30, 9);
    expect(budgetText(day.budget)).toBe('1.7 % consumed so far');
    expect(coverageText(day.budget)).toBe('1 of 30 d');
    expect(coverageText(errorBudget(availability, 0.0005, 5.5 * 3600))).toBe('5.5 h of 30 d');
    expect(coverageText(errorBudget(availability, null, null))).toBe('no data');
    expect(coverageText(errorBudget(availability, 0.0005, 6))).toBe('< 1 min of 30 d');
    // More data than the period (a longer retention) counts as the period.
    expect(errorBudget(availability, 0.0005, 90 * DAY)).toMatchObject({ coverageSeconds: 30 * DAY, consumed: 0.5 });
    // The first sample is looked up on a 5-minute grid: data from the period's first grid point on is the whole period.
    const month = errorBudget(availability, 0.0005, 30 * DAY - 240);
    expect(month).toMatchObject({ coverageSeconds: 30 * DAY, consumed: 0.5 });
    expect(budgetText(month)).toBe('50.0 % left');
  });

  it('shows an overspend as "overspent ×N", never a percentage below −100', () => {
    // One day at 6.13 % errors spends 61.3 / 30 = 2.04 months' budgets.
    const day = evaluateSlo(availability, { ...quiet, '30d': 0.0613 }, DAY);
    expect(day.budget.consumed).toBeCloseTo(61.3 / 30, 6);
    expect(day.budget.remaining).toBe(0);
    expect(budgetText(day.budget)).toBe('overspent ×2.0');
    const month = evaluateSlo(availability, { ...quiet, '30d': 0.0613 }, 30 * DAY);
    expect(budgetText(month.budget)).toBe('overspent ×61');
  });

  // On main a 30-day ratio of 0.003 at 99.9 % gave −200 % and the badge "Within budget".
  it('says "exhausted" when the budget is spent and no page fires', () => {
    const r = evaluateSlo(availability, { ...quiet, '30d': 0.003 }, 30 * DAY);
    expect(r.windows.some((w) => w.firing)).toBe(false);
    expect(r.state).toBe('exhausted');
    expect(r.budget.consumed).toBeCloseTo(3, 9);
    expect(budgetText(r.budget)).toBe('overspent ×3.0');
    // A page still outranks it: someone must act now.
    expect(evaluateSlo(availability, { ...quiet, '30d': 0.003, '1h': 0.02 }, 30 * DAY).state).toBe('page');
    // Exactly spent is exhausted too.
    expect(evaluateSlo(availability, { ...quiet, '30d': 0.001 }, 30 * DAY).state).toBe('exhausted');
  });
});

describe('latency threshold and bucket bounds (issue #18)', () => {
  it('says when the threshold is not a bucket bound, and which bounds exist', () => {
    const slo = { ...latency, thresholdSeconds: 2, latencyBuckets: [0.5, 1, 2.5, 5, Infinity] };
    expect(latencyThresholdProblem(slo)).toBe(
      'The latency threshold 2 s is not a bucket bound of inference_request_duration_seconds_bucket{service="chat"}; its bounds are 0.5, 1, 2.5, 5, +Inf s. Set latency.thresholdSeconds to one of them.',
    );
    expect(latencyThresholdProblem({ ...slo, latencyBuckets: [1, 2, 4] })).toBeNull();
    expect(latencyThresholdProblem({ ...slo, latencyBuckets: [1, 2.0000000001, 4] })).toBeNull();
    // The default threshold, 2.5 s, is one of the client libraries' default buckets.
    expect(latencyThresholdProblem({ ...latency, latencyBuckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity] })).toBeNull();
    expect(latencyThresholdProblem(latency)).toBeNull();
    expect(latencyThresholdProblem({ ...availability, latencyBuckets: [1] })).toBeNull();
  });
});
