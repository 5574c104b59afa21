// Drain through the action road on the demo fleet, next to `kubectl drain` on a twin node: two
// nodes carry the same pods (one held by a PodDisruptionBudget that allows no disruption); the
// console drains one, kubectl the other, and both leave the same state: the node cordoned, the
// held pod still there with the 429 reason reported, every other pod gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/core/app.js';
import { startHttpTransport, type HttpTransport } from '../../electron/transport/http.js';
import { kubectlRunner, startTestFleet, waitFor, type TestFleet } from './demo-kubectl-helpers.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;
let app: App;
let http: HttpTransport;
let context: string;

const call = async (method: string, request: unknown) => {
  const res = await fetch(`${http.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${http.consoleToken}` }, body: JSON.stringify(request) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const pod = (name: string, ns: string, node: string, labels: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${labels}}
spec:
  nodeName: ${node}
  containers: [{name: c, image: nginx:1.27}]
`;

/** The same three pods on a node, in their own namespace; `held` is covered by a budget allowing no disruption. */
async function stage(ns: string, node: string): Promise<void> {
  await k.ok(['create', 'namespace', ns]);
  const manifest = [pod('free-a', ns, node, '{app: free}'), pod('free-b', ns, node, '{app: free}'), pod('held', ns, node, '{app: held}')].join('---\n');
  await k.ok(['apply', '-f', k.writeManifest(`${ns}.yaml`, manifest)]);
  await k.ok(['wait', '--for=condition=Ready', '-n', ns, 'pod/free-a', 'pod/free-b', 'pod/held', '--timeout=30s']);
  await k.ok(['create', 'pdb', 'hold', '-n', ns, '--selector=app=held', '--min-available=1']);
  await waitFor(`budget in ${ns}`, async () => (await k.ok(['get', 'pdb', 'hold', '-n', ns, '-o', 'jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}'])) === '1/0');
}

const podsLeft = async (ns: string) =>
  (JSON.parse(await k.ok(['get', 'pods', '-n', ns, '-o', 'json'])) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }).items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name)
    .sort();
const unschedulable = async (node: string) => k.ok(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']);

beforeAll(async () => {
  t = await startTestFleet({ nodes: 2, pods: 0 });
  k = kubectlRunner(t);
  context = (await k.ok(['config', 'current-context'])).trim();
  app = await createApp({ mode: 'browser', dataDir: t.dir, kubeconfig: { explicitPath: t.kubeconfigPath }, demo: false, version: 'test', log: () => undefined });
  http = await startHttpTransport({ server: app.server, port: 0 });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await app?.stop();
  await t?.cleanup();
});

describe('node.drain on the demo fleet', () => {
  it('evicts the others, reports the pod its budget holds with the 429 reason, as kubectl drain on a twin', async () => {
    const [ours, twin] = (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(/\s+/);
    expect(twin).toBeTruthy();
    await stage('ours', ours);
    await stage('twin', twin);

    const available = await call('actions.available', { context, target: { kind: 'Node', name: ours } });
    expect(available.body.actions).toEqual(expect.arrayContaining([{ action: 'node.drain', allowed: true }, { action: 'node.cordon', allowed: true }]));

    const plan = await call('actions.prepare', { context, target: { kind: 'Node', name: ours }, action: 'node.drain', params: {} });
    expect(plan.status).toBe(200);
    const requests = plan.body.requests as Array<{ method: string; path: string; body?: unknown }>;
    const writes = requests.filter((r) => r.method !== 'GET');
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: `/api/v1/nodes/${ours}`, body: { spec: { unschedulable: true } } });
    // Exactly one eviction per pod on the node, nothing else.
    const evictions = writes.slice(1).map((r) => r.path).filter((p) => p.includes('/namespaces/ours/'));
    expect(evictions.sort()).toEqual(['free-a', 'free-b', 'held'].map((n) => `/api/v1/namespaces/ours/pods/${n}/eviction`));
    expect(plan.body.warnings).toEqual(expect.arrayContaining([expect.stringContaining("ours/held cannot be evicted now (dry run): Cannot evict pod as it would violate the pod's disruption budget. (HTTP 429")]));
    // The dry run changed nothing.
    expect(await podsLeft('ours')).toEqual(['free-a', 'free-b', 'held']);
    expect(await unschedulable(ours)).toBe('');

    const result = await call('actions.execute', { token: plan.body.token });
    expect(result.status).toBe(409);
    const error = result.body.error as { code: string; message: string };
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/^Node \S+ cordoned; \d+ pods evicted/);
    expect(error.message).toContain("ours/held: Cannot evict pod as it would violate the pod's disruption budget. (HTTP 429 TooManyRequests)");

    const kubectlDrain = await k.run(['drain', twin, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=3s'], { timeoutMs: 30_000 });
    expect(kubectlDrain.code).not.toBe(0);
    expect(kubectlDrain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");

    // Same state on both: cordoned, only the held pod left.
    expect(await unschedulable(ours)).toBe('true');
    expect(await unschedulable(twin)).toBe('true');
    await waitFor('evicted pods gone', async () => (await podsLeft('ours')).length === 1 && (await podsLeft('twin')).length === 1);
    expect(await podsLeft('ours')).toEqual(await podsLeft('twin'));
    expect(await podsLeft('ours')).toEqual(['held']);

    // The attempt is in the audit log as a failed execute naming the held pod.
    const audit = await call('audit.list', { action: 'node.drain', limit: 5 });
    const records = audit.body.records as Array<{ phase: string; outcome: string; error?: string }>;
    expect(records[0]).toMatchObject({ phase: 'execute', outcome: 'failed' });
    expect(records[0].error).toContain('ours/held');

    // Uncordon through the road puts the node back, as kubectl uncordon.
    const un = await call('actions.prepare', { context, target: { kind: 'Node', name: ours }, action: 'node.uncordon', params: {} });
    expect((await call('actions.execute', { token: un.body.token })).status).toBe(200);
    await k.ok(['uncordon', twin]);
    expect(await unschedulable(ours)).toBe('');
    expect(await unschedulable(twin)).toBe('');
  }, 90_000);
});
