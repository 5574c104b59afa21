// The contract server redacts at the boundary: every response, every stream event and every error
// message, whatever the domain returned; secrets.reveal alone answers with the literal, and only to
// sessions that may act. Also what the generic walk costs on the biggest payloads (10k-pod delta,
// an 8,000-GPU grid).
import { describe, expect, it, vi } from 'vitest';
import { ContractError } from '../../shared/contract-kit.js';
import { createContractServer, type MethodHandlers, type StreamHandlers } from '../../electron/core/contract-server.js';
import { redactPayload } from '../../electron/core/secrets/redactor.js';
import type { TopoElement } from '../../shared/contract/topology.js';

const consoleSession = { kind: 'console', readOnly: false } as const;
const readonlySession = { kind: 'readonly', readOnly: true } as const;

const template = { spec: { containers: [{ name: 'api', image: 'api:1', env: [{ name: 'DB_PASSWORD', value: 'hunter2-literal' }], args: ['--db=postgres://u:urlpw-literal@db/x'] }] } };
const auditRecord = { id: '1', time: 't', phase: 'execute', outcome: 'succeeded', session: 'console', requests: [{ method: 'PATCH', path: '/x', body: [{ op: 'replace', path: '/spec/template', value: template }] }] };

function server(handlers: Partial<MethodHandlers>, streams: Partial<StreamHandlers> = {}, onRefused = vi.fn()) {
  return createContractServer({ handlers: handlers as MethodHandlers, streams: streams as StreamHandlers, onRefused });
}

describe('redaction at the contract boundary', () => {
  it('redacts a response whatever the domain put in it, and never touches the object the domain kept', async () => {
    const kept = structuredClone(auditRecord);
    const s = server({ 'audit.list': async () => ({ records: [kept], total: 1 }) as never });
    const answer = JSON.stringify(await s.call('audit.list', {}, readonlySession));
    expect(answer).not.toContain('hunter2-literal');
    expect(answer).not.toContain('urlpw-literal');
    expect(answer).toContain('<redacted: 15 chars #');
    expect(JSON.stringify(kept)).toContain('hunter2-literal'); // the server-side plan keeps the real values
  });

  it('redacts every stream event', () => {
    const events: unknown[] = [];
    const s = server({}, {
      'rollouts.watch': (_p, emit) => {
        emit({ workloads: [], at: 'now', problems: ['deployments: dial postgres://admin:urlpw-literal@db failed'] });
        return () => undefined;
      },
    });
    s.subscribe('rollouts.watch', { context: 'c' }, consoleSession, (e) => events.push(e));
    expect(JSON.stringify(events)).not.toContain('urlpw-literal');
    expect(JSON.stringify(events)).toContain('postgres://admin:<redacted: 13 chars #');
  });

  it('redacts error messages (a Kubernetes error quoting a flag)', async () => {
    const s = server({ 'rollouts.history': async () => { throw new ContractError('upstream_error', 'invalid arg --api-key=key-literal-9'); } });
    const error = await s.call('rollouts.history', { context: 'c', target: { kind: 'Deployment', namespace: 'd', name: 'n' } }, consoleSession).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream_error' });
    expect((error as Error).message).not.toContain('key-literal-9');
  });

  it('redacts the error of a stream that cannot start', () => {
    const s = server({}, { 'rollouts.watch': () => { throw new ContractError('upstream_unavailable', 'cannot reach https://admin:urlpw-literal@cluster.example:6443'); } });
    expect(() => s.subscribe('rollouts.watch', { context: 'c' }, consoleSession, () => undefined)).toThrow(/https:\/\/admin:<redacted: 13 chars #[0-9a-f]{6}>@cluster\.example:6443/);
  });

  it('secrets.reveal answers the literal to a console session and is refused (and reported) to a read-only one', async () => {
    const onRefused = vi.fn();
    const reveal = vi.fn(async () => ({ value: 'postgres://u:urlpw-literal@db/x', auditId: 'a1' }));
    const s = server({ 'secrets.reveal': reveal }, {}, onRefused);
    const request = { context: 'c', kind: 'Deployment', namespace: 'd', name: 'n', path: '/spec/template/spec/containers/0/env/0/value' };
    await expect(s.call('secrets.reveal', request, consoleSession)).resolves.toEqual({ value: 'postgres://u:urlpw-literal@db/x', auditId: 'a1' });
    await expect(s.call('secrets.reveal', request, readonlySession)).rejects.toMatchObject({ code: 'read_only' });
    expect(onRefused).toHaveBeenCalledWith('secrets.reveal', readonlySession, request);
    expect(reveal).toHaveBeenCalledTimes(1);
  });
});

describe('what the generic walk costs', () => {
  const median = (run: () => void, times = 15): number => {
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      run();
      samples.push(performance.now() - t);
    }
    return samples.sort((a, b) => a - b)[Math.floor(times / 2)];
  };

  it('a 10,000-pod topology delta: a few milliseconds, and the same object back (nothing copied)', () => {
    const upserts: TopoElement[] = [];
    for (let i = 0; i < 10_000; i++) {
      upserts.push({ id: `pod/ml-serving/llm-gateway-7d9f8c-${i}`, k: 'pod', n: `llm-gateway-7d9f8c-${i}`, ns: 'ml-serving', h: i % 50 ? 'ok' : 'warning', r: i % 50 ? undefined : 'CrashLoopBackOff: back-off 5m0s restarting failed container', o: 'rs/ml-serving/llm-gateway-7d9f8c', on: `node//gpu-node-${i % 500}`, g: 1, gi: [i % 8], ph: 'Running', pool: 'NVIDIA-H100-80GB-HBM3', rdy: '1/1', rs: i % 3 });
    }
    const delta = { full: true, upserts, removals: [], synced: true, sentAt: Date.now() };
    expect(redactPayload(delta)).toBe(delta);
    const ms = median(() => redactPayload(delta));
    console.log(`redaction of a 10,000-pod topology delta: median ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(50);
  });

  it('an 8,000-GPU × 360-sample grid (base64 Float32) and a 100-series × 1,440-point range: skipped quickly', () => {
    const grid = { values: Buffer.from(new Float32Array(8_000 * 360).buffer).toString('base64'), rows: Array.from({ length: 8_000 }, (_, i) => ({ id: `gpu-node-${i >> 3}/${i & 7}`, node: `gpu-node-${i >> 3}`, index: i & 7 })) };
    const range = { series: Array.from({ length: 100 }, (_, i) => ({ service: `svc-${i}`, values: Array.from({ length: 1_440 }, (_, j) => (j % 97 ? j * 0.5 : null)) })) };
    expect(redactPayload(grid)).toBe(grid);
    const gridMs = median(() => redactPayload(grid), 7);
    const rangeMs = median(() => redactPayload(range), 7);
    console.log(`redaction of an 8,000-GPU grid (${(grid.values.length / 1e6).toFixed(1)} MB base64): median ${gridMs.toFixed(2)} ms; 144,000-point range: ${rangeMs.toFixed(2)} ms`);
    expect(gridMs).toBeLessThan(50);
    expect(rangeMs).toBeLessThan(50);
  });
});
