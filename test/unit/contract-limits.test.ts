// Size caps in the contract: Kubernetes' own bounds for names, a few KB for free text and params.
import { describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract.js';
import { LIMITS } from '../../shared/contract/limits.js';

const prepare = (overrides: Record<string, unknown> = {}) => ({
  context: 'prod',
  target: { kind: 'Deployment', namespace: 'inference', name: 'ranker' },
  action: 'scale',
  params: { replicas: 3 },
  ...overrides,
});
const accepts = (method: keyof typeof methods, payload: unknown) => methods[method].request.safeParse(payload).success;

describe('contract size caps', () => {
  it('accepts names up to Kubernetes limits and refuses longer ones (a 400 KB name was taken)', () => {
    expect(accepts('actions.prepare', prepare())).toBe(true);
    expect(accepts('actions.prepare', prepare({ target: { kind: 'Deployment', namespace: 'n'.repeat(63), name: 'x'.repeat(253) } }))).toBe(true);
    expect(accepts('actions.prepare', prepare({ target: { kind: 'Deployment', name: 'x'.repeat(400_000) } }))).toBe(false);
    expect(accepts('actions.prepare', prepare({ target: { kind: 'Deployment', name: 'x'.repeat(254) } }))).toBe(false);
    expect(accepts('actions.prepare', prepare({ target: { kind: 'Deployment', namespace: 'n'.repeat(64), name: 'x' } }))).toBe(false);
    expect(accepts('actions.prepare', prepare({ context: 'c'.repeat(LIMITS.context + 1) }))).toBe(false);
    expect(accepts('actions.prepare', prepare({ action: 'a'.repeat(LIMITS.identifier + 1) }))).toBe(false);
    expect(accepts('rollouts.history', { context: 'prod', target: { kind: 'Deployment', name: 'x'.repeat(254) } })).toBe(false);
    expect(accepts('topology.details', { context: 'prod', kind: 'Pod', name: 'x'.repeat(254) })).toBe(false);
    expect(accepts('gpu.heatmap', { context: 'prod', metric: 'util', range: { start: 0, end: 60 }, node: 'x'.repeat(254) })).toBe(false);
  });

  it('caps action params by their JSON size', () => {
    expect(accepts('actions.prepare', prepare({ params: { comment: 'c'.repeat(LIMITS.paramsBytes - 100) } }))).toBe(true);
    expect(accepts('actions.prepare', prepare({ params: { comment: 'c'.repeat(LIMITS.paramsBytes + 1) } }))).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(accepts('actions.prepare', prepare({ params: cyclic }))).toBe(false);
  });

  it('caps free text, settings and credentials', () => {
    expect(accepts('audit.list', { text: 't'.repeat(LIMITS.text) })).toBe(true);
    expect(accepts('audit.list', { text: 't'.repeat(LIMITS.text + 1) })).toBe(false);
    expect(accepts('actions.execute', { token: 't', confirmText: 'x'.repeat(254) })).toBe(false);
    expect(accepts('settings.set', { productionContextPattern: 'p'.repeat(LIMITS.text + 1) })).toBe(false);
    expect(accepts('settings.set', { prometheusUrls: { prod: `http://x/${'p'.repeat(LIMITS.url)}` } })).toBe(false);
    expect(accepts('metrics.setAuth', { context: 'prod', auth: { kind: 'bearer', token: 't'.repeat(LIMITS.secret + 1) } })).toBe(false);
    expect(accepts('metrics.setAuth', { context: 'prod', auth: { kind: 'bearer', token: 't'.repeat(4_000) } })).toBe(true);
  });

  it('still lists audit records written before the caps (long names stay valid in responses)', () => {
    const record = { id: 'a', time: 't', phase: 'prepare', outcome: 'planned', session: 'console', target: { kind: 'Deployment', name: 'x'.repeat(3_000) } };
    expect(methods['audit.list'].response.safeParse({ records: [record], total: 1 }).success).toBe(true);
  });
});
