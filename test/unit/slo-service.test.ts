// SLO evaluation against a Prometheus (a fake answering by query here; the coverage query itself runs
// in promtool's PromQL engine): budgets from the data's coverage of the period, and a latency
// threshold that is not a bucket bound reported with the bounds that exist (issue #18).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PrometheusClient } from '../../electron/core/metrics/prometheus-client.js';
import { evaluateSlos, slosFor } from '../../electron/core/metrics/slo-service.js';
import { inTempDir, promtool } from './slo-promtool.js';
import { firstSampleQuery, sloFileSchema, slosFromFile } from '../../shared/model/slo.js';

const NOW = 1_800_000_000;

/** A Prometheus that knows service "chat" with the given `le` bounds and answers ratios by window. */
function fakePrometheus(opts: { bounds: string[]; firstSample: number | null; ratio: (query: string) => number | null }) {
  const asked: string[] = [];
  const vector = (rows: Array<{ metric: Record<string, string>; value: number }>) => ({
    data: { resultType: 'vector' as const, result: rows.map((r) => ({ metric: r.metric, value: [NOW, String(r.value)] as [number, string] })) },
    warnings: [],
  });
  const client = {
    async query(q: string) {
      asked.push(q);
      if (q.startsWith('group by (service)')) return vector([{ metric: { service: 'chat' }, value: 1 }]);
      if (q.startsWith('group by (le)')) return vector(opts.bounds.map((le) => ({ metric: { le }, value: 1 })));
      if (q.startsWith('min(min_over_time(timestamp(')) return vector(opts.firstSample === null ? [] : [{ metric: {}, value: opts.firstSample }]);
      const v = opts.ratio(q);
      return vector(v === null ? [] : [{ metric: {}, value: v }]);
    },
  } as unknown as PrometheusClient;
  return { client, asked };
}

// A 2 s threshold, as on main's default: not one of the default buckets.
const loaded = { slos: slosFromFile(sloFileSchema.parse({ service: 'chat', latency: { thresholdSeconds: 2 } }), 'chat.yaml'), problems: [] };

describe('SLO evaluation against Prometheus', () => {
  it('reports a latency threshold that is not a bucket bound instead of "No traffic"', async () => {
    const { client, asked } = fakePrometheus({ bounds: ['0.5', '1', '2.5', '5', '+Inf'], firstSample: NOW - 86_400, ratio: () => 0 });
    const [, latency] = await evaluateSlos(client, await slosFor(client, loaded), NOW);
    expect(latency.state).toBe('invalid');
    expect(latency.problem).toBe(
      'The latency threshold 2 s is not a bucket bound of inference_request_duration_seconds_bucket{service="chat"}; its bounds are 0.5, 1, 2.5, 5, +Inf s. Set latency.thresholdSeconds to one of them.',
    );
    // Nothing is queried for it: no estimated count between bounds.
    expect(asked.filter((q) => q.includes('inference_request_duration_seconds_bucket{service="chat",le='))).toEqual([]);
  });

  it('evaluates a latency SLO whose threshold is a bound ("2.0" counts as 2)', async () => {
    const { client } = fakePrometheus({ bounds: ['0.5', '1', '2.0', '5', '+Inf'], firstSample: NOW - 2 * 86_400, ratio: () => 0.01 });
    const [, latency] = await evaluateSlos(client, await slosFor(client, loaded), NOW);
    expect(latency.state).toBe('ok');
    expect(latency.budget.consumed).toBeCloseTo((0.01 / 0.05) * (2 / 30), 9);
  });

  it('bases the budget on the data’s coverage of the period', async () => {
    // Ten minutes of data, 6.13 % errors: main printed "−6030 %" budget left and "Within budget".
    const period = (q: string) => (q.includes('[30d]') ? 0.0613 : 0);
    const fresh = fakePrometheus({ bounds: ['2', '+Inf'], firstSample: NOW - 600, ratio: period });
    const [availability] = await evaluateSlos(fresh.client, await slosFor(fresh.client, loaded), NOW);
    expect(availability.budget).toEqual({ coverageSeconds: 600, periodSeconds: 2_592_000, enoughData: false, consumed: null, remaining: null });
    expect(availability.state).toBe('not-enough-data');
    expect(fresh.asked).toContain(firstSampleQuery(loaded.slos[0]));

    const day = fakePrometheus({ bounds: ['2', '+Inf'], firstSample: NOW - 86_400, ratio: period });
    const [spent] = await evaluateSlos(day.client, await slosFor(day.client, loaded), NOW);
    expect(spent.state).toBe('exhausted');
    expect(spent.budget.consumed).toBeCloseTo(61.3 / 30, 6);
  });

  it('finds the first sample of the period with real PromQL (promtool)', () => {
    const firstSampleAt = (values: string, evalTime: string, first: number) => ({
      interval: '1m',
      input_series: [{ series: 'inference_requests_total{service="chat",code="200"}', values }],
      promql_expr_test: [{ expr: firstSampleQuery(loaded.slos[0]), eval_time: evalTime, exp_samples: [{ labels: '{}', value: first }] }],
    });
    const test = {
      evaluation_interval: '1m',
      tests: [
        // No samples for the first 10 minutes, then a counter: the first sample is at 600 s.
        firstSampleAt('_x10 0+60x100', '100m', 600),
        // Data younger than the last 5-minute grid point (100m): found on the 10-second grid.
        firstSampleAt('_x101 0+60x5', '103m', 6060),
      ],
    };
    inTempDir((dir) => {
      writeFileSync(join(dir, 'first.yml'), stringify(test));
      expect(promtool(['test', 'rules', join(dir, 'first.yml')])).toMatch(/SUCCESS/);
    });
  });
});
