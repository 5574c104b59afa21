// promql steps: every sample must meet the expectation; a failing sample or no sample at all fails
// the step (an expectation nothing answered does not hold); no Prometheus says so.
import { describe, expect, it } from 'vitest';
import { runPromqlStep } from '../../electron/core/runbooks/step-runners.js';
import { parseRunbook } from '../../shared/model/runbook.js';

const step = parseRunbook('```promql {"expect":"< 0.05"}\nerrors\n```\n', 'p.md').steps[0];
const answering = (result: Array<{ metric: Record<string, string>; value: [number, string] }>) => ({ query: async () => ({ data: { resultType: 'vector', result } }) });

describe('promql steps', () => {
  it('passes when every sample meets the expectation', async () => {
    const r = await runPromqlStep(step, answering([{ metric: { service: 'a' }, value: [1, '0.01'] }]));
    expect(r).toEqual({ exitCode: 0, output: 'ok   {service="a"} 0.01\n1/1 samples meet < 0.05\n' });
  });
  it('fails on one sample over, listing it', async () => {
    const r = await runPromqlStep(step, answering([{ metric: { service: 'a' }, value: [1, '0.01'] }, { metric: { service: 'b' }, value: [1, '0.4'] }]));
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('FAIL {service="b"} 0.4');
  });
  it('fails when nothing answers', async () => {
    const r = await runPromqlStep(step, answering([]));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/No samples.*cannot be checked/);
  });
  it('says when the context has no Prometheus', async () => {
    expect((await runPromqlStep(step, undefined)).output).toMatch(/No Prometheus for this context/);
  });
});
