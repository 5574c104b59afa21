// Child process of runbooks-crash.test.ts: the console core on the demo fleet runs a runbook up to
// its long third step (the second, a scale, goes through the action road), prints the run id and
// waits to be killed mid-step.
import { createApp } from '../../electron/core/app.js';

const [dataDir, kubeconfigPath, folder] = process.argv.slice(2);
const session = { kind: 'console', readOnly: false } as const;
const app = await createApp({ mode: 'browser', dataDir, kubeconfig: { explicitPath: kubeconfigPath }, demo: false, version: 'test', log: () => undefined });
const call = <T>(method: string, request: unknown) => app.server.call(method, request, session) as Promise<T>;
await call('runbooks.addFolder', { path: folder });
const { runbooks } = await call<{ runbooks: Array<{ id: string }> }>('runbooks.list', { query: 'crash' });
const run = await call<{ runId: string }>('runbooks.start', { id: runbooks[0].id, context: 'demo-admin', inputs: {} });
await call('runbooks.runStep', { runId: run.runId, stepId: 'read' });
await app.server.call('runbooks.run', { runId: run.runId }, session);
for (let i = 0; i < 100; i++) {
  const state = await call<{ steps: Array<{ status: string }> }>('runbooks.run', { runId: run.runId });
  if (state.steps[0].status !== 'running') break;
  await new Promise((r) => setTimeout(r, 100));
}
const plan = await call<{ token: string }>('runbooks.prepareAction', { runId: run.runId, stepId: 'scale' });
await call('runbooks.executeAction', { runId: run.runId, stepId: 'scale', token: plan.token });
await call('runbooks.runStep', { runId: run.runId, stepId: 'long', confirmChange: true });
process.stdout.write(`RUNNING ${run.runId}\n`);
setInterval(() => undefined, 1000);
