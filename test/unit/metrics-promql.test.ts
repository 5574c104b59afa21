import { describe, expect, it } from 'vitest';
import { splitRange, MAX_POINTS } from '../../electron/core/metrics/prometheus-client.js';
import { decodeAnswer, parseMatrix } from '../../electron/core/metrics/prometheus-response.js';
import { createFreshnessKeeper } from '../../electron/core/metrics/freshness.js';
import { autoStep } from '../../electron/core/metrics/gpu-heatmap.js';
import { servicePanelDefs, toColumns } from '../../electron/core/metrics/service-panels.js';
import { gpuMetricQuery, promString, GPU_METRICS } from '../../shared/model/gpu-queries.js';
import { sloMetricNamesSchema } from '../../shared/model/slo.js';
import { ContractError } from '../../shared/contract-kit.js';

const answer = (status: number, body: string, contentType = 'application/json') => ({ status, body, contentType });

describe('PromQL builders', () => {
  it('builds the heatmap queries, dropping DCGM blanks, with both host label forms for a node', () => {
    expect(gpuMetricQuery('util')).toBe('DCGM_FI_DEV_GPU_UTIL');
    expect(gpuMetricQuery('memUsedPct')).toBe(
      '100 * (DCGM_FI_DEV_FB_USED < 9.2e18) / ((DCGM_FI_DEV_FB_USED < 9.2e18) + (DCGM_FI_DEV_FB_FREE < 9.2e18))',
    );
    expect(gpuMetricQuery('temp', 'gpu-"7"')).toBe(
      '(DCGM_FI_DEV_GPU_TEMP{Hostname="gpu-\\"7\\""}) or (DCGM_FI_DEV_GPU_TEMP{hostname="gpu-\\"7\\""})',
    );
    expect(Object.keys(GPU_METRICS)).toEqual(['util', 'memUsedPct', 'temp', 'power', 'engineActive']);
    expect(promString('a\\b\n')).toBe('"a\\\\b\\n"');
  });

  it('builds the service panels from the configured metric names', () => {
    const defs = servicePanelDefs(sloMetricNamesSchema.parse({}), 15, 2.5);
    const byId = Object.fromEntries(defs.map((d) => [d.id, d.query]));
    expect(byId.p95).toBe('histogram_quantile(0.95, sum by (service, le) (rate(inference_request_duration_seconds_bucket[60s])))');
    expect(byId.requestRate).toBe('sum by (service) (rate(inference_requests_total[60s]))');
    expect(byId.costPer1k).toMatch(/^2\.5 \* sum by \(service\) \(count by \(pod\)/);
    expect(servicePanelDefs(sloMetricNamesSchema.parse({}), 300, 1)[0].query).toContain('[600s]');
  });

  it('aligns panel series on columns, NaN and Inf becoming gaps', () => {
    const cols = toColumns([{ labels: { service: 's' }, values: [[10, '1'], [30, 'NaN'], [40, '+Inf']] }], 10, 10, 4, 'service');
    expect(cols).toEqual([{ service: 's', values: [1, null, null, null] }]);
  });

  it('chooses about 300 columns on round steps', () => {
    expect(autoStep(0, 3600)).toBe(15);
    expect(autoStep(0, 86_400)).toBe(300);
  });
});

describe('query_range splitting', () => {
  it('keeps every chunk within 11,000 points, without gaps or overlaps', () => {
    const step = 15;
    const start = 1_700_000_000;
    const end = start + 30 * 86_400;
    const chunks = splitRange(start, end, step);
    expect(chunks.length).toBe(Math.ceil(((end - start) / step + 1) / MAX_POINTS));
    expect(chunks[0][0]).toBe(start);
    expect(chunks.at(-1)?.[1]).toBe(end);
    for (const [a, b] of chunks) expect((b - a) / step + 1).toBeLessThanOrEqual(MAX_POINTS);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i][0]).toBe(chunks[i - 1][1] + step);
    expect(splitRange(0, 100, 10)).toEqual([[0, 100]]);
  });
});

describe('Prometheus answers', () => {
  const where = 'http://prom:9090';
  it('turns API errors, auth refusals and garbage into messages for people', () => {
    const bad = () => decodeAnswer(answer(400, '{"status":"error","errorType":"bad_data","error":"parse error at char 5"}'), where);
    expect(bad).toThrow(/rejected the query \(bad_data\): parse error at char 5/);
    expect(() => decodeAnswer(answer(200, '<html>login</html>', 'text/html'), where)).toThrow(/not Prometheus JSON \(text\/html: "<html>login<\/html>"\)/);
    expect(() => decodeAnswer(answer(401, '{"status":"error","error":"no"}'), where)).toThrow(/bearer token or basic auth/);
    expect(() => decodeAnswer(answer(200, '{"status":"fine"}'), where)).toThrow(/unexpected shape/);
    try {
      decodeAnswer(answer(503, '{"status":"error","errorType":"timeout","error":"query timed out"}'), where);
    } catch (error) {
      expect((error as ContractError).code).toBe('timeout');
    }
    expect(decodeAnswer(answer(200, '{"status":"success","data":[],"warnings":["w"]}'), where)).toEqual({ data: [], warnings: ['w'] });
  });

  it('validates matrix samples', () => {
    expect(parseMatrix({ resultType: 'matrix', result: [{ metric: { a: 'b' }, values: [[1, '2']] }] }, where)).toEqual([{ labels: { a: 'b' }, values: [[1, '2']] }]);
    expect(() => parseMatrix({ resultType: 'matrix', result: [{ metric: {}, values: [[1, 2]] }] }, where)).toThrow(/unexpected shape \(a sample of \{\} is \[1,2\]\)/);
    expect(() => parseMatrix({ resultType: 'vector', result: [] }, where)).toThrow(/unexpected shape/);
  });
});

describe('freshness keeper', () => {
  it('keeps the last good value marked stale since the first failure, then recovers', async () => {
    let t = 1_000_000;
    const keeper = createFreshnessKeeper({ now: () => t });
    const down = new ContractError('upstream_unavailable', 'Prometheus is down');
    await expect(keeper.run('k', () => Promise.reject(down))).rejects.toThrow('Prometheus is down');
    expect((await keeper.run('k', async () => 1)).freshness.stale).toBe(false);
    t += 5_000;
    const first = await keeper.run('k', () => Promise.reject(down));
    expect(first).toMatchObject({ value: 1, freshness: { stale: true, since: new Date(t).toISOString(), error: { code: 'upstream_unavailable' } } });
    t += 5_000;
    const second = await keeper.run('k', () => Promise.reject(down));
    expect(second.freshness.since).toBe(first.freshness.since);
    const back = await keeper.run('k', async () => 2);
    expect(back).toMatchObject({ value: 2, freshness: { stale: false } });
    await expect(keeper.run('k', () => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });
});
