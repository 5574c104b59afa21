// Every bundled runbook runs end to end on the demo fleet with its real Prometheus, with its
// default params: shell, kubectl and promql steps run to the end, action steps are planned and
// executed through the action road, manual steps are ticked. A failing step fails the test with
// its output.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createApp, type App } from '../../electron/core/app.js';
import type { RunState } from '../../shared/contract/runbooks.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

const session = { kind: 'console', readOnly: false } as const;
const BUNDLED = readdirSync(join(__dirname, '../../resources/runbooks')).filter((f) => f.endsWith('.md'));
let dir: string;
let fleet: DemoFleet;
let app: App;
const call = <T>(method: string, request: unknown) => app.server.call(method, request, session) as Promise<T>;

async function settle(runId: string): Promise<RunState> {
  for (let i = 0; i < 1800; i++) {
    const state = await call<RunState>('runbooks.run', { runId });
    if (state.status !== 'running' && !state.runningToEnd) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not settle`);
}

describe('bundled runbooks on the demo fleet', () => {
  beforeAll(async () => {
    requireTool('prometheus', INSTALL_HINTS.prometheus);
    dir = mkdtempSync(join(tmpdir(), 'fd-runbooks-bundled-'));
    fleet = await startDemoFleet({ prometheus: true, speed: 10, log: () => undefined });
    app = await createApp({ mode: 'browser', dataDir: dir, kubeconfig: { demoKubeconfig: fleet.kubeconfig }, demo: true, demoPrometheusUrl: fleet.prometheusUrl, version: 'test', log: () => undefined });
    // The recording rules' first evaluation: wait until a recorded series answers.
    for (let i = 0; i < 120; i++) {
      const res = await fetch(`${fleet.prometheusUrl}/api/v1/query?query=${encodeURIComponent('count(service:inference_errors:ratio_rate5m) and count(service_version:inference_errors:ratio_rate1m)')}`);
      if (((await res.json()) as { data: { result: unknown[] } }).data.result.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(BUNDLED)('%s runs to the end', async (file) => {
    const id = `bundled/${file}`;
    const started = await call<RunState>('runbooks.start', { id, context: 'demo-admin', inputs: {} });
    const runId = started.runId;
    for (let guard = 0; guard < 40; guard++) {
      await call('runbooks.runToEnd', { runId });
      const state = await settle(runId);
      if (state.status === 'succeeded') break;
      const next = state.steps.find((s) => s.status !== 'succeeded' && s.status !== 'skipped')!;
      expect(next.status, `${file} step ${next.stepId}: ${JSON.stringify(next)}`).toBe('pending');
      const step = state.runbook.steps.find((s) => s.id === next.stepId)!;
      if (step.kind === 'action') {
        const plan = await call<{ token: string }>('runbooks.prepareAction', { runId, stepId: step.id });
        await call('runbooks.executeAction', { runId, stepId: step.id, token: plan.token });
      } else {
        // Manual steps are ticked; shell and kubectl steps that may change the cluster are confirmed.
        await call('runbooks.runStep', { runId, stepId: step.id, confirmChange: true });
      }
      await settle(runId);
    }
    const final = await call<RunState>('runbooks.run', { runId });
    expect(final.status, JSON.stringify(final.steps.map((s) => [s.stepId, s.status, s.output.slice(0, 300)]))).toBe('succeeded');
    expect(final.steps.filter((s) => s.status === 'skipped')).toEqual([]);
  }, 120_000);
});
