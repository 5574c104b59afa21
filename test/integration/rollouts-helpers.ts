// Shared set-up for the rollouts integration tests: the demo fleet with one Ready node, the console
// core behind the real HTTP transport, and small kubectl / contract-over-HTTP helpers.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createApp, type App } from '../../electron/core/app.js';
import { startHttpTransport, type HttpTransport } from '../../electron/transport/http.js';

const run = promisify(execFile);

export interface RolloutsRig {
  fleet: DemoFleet;
  app: App;
  http: HttpTransport;
  kubeconfigPath: string;
  dir: string;
  kubectl(args: string[], input?: string): Promise<string>;
  /** POST /api/v1/call/<method>; resolves with {status, body}. */
  call(method: string, request: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

const NODE = (name: string) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: {kubernetes.io/hostname: ${name}}
`;

export async function startRig(options: { speed?: number } = {}): Promise<RolloutsRig> {
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-rollouts-'));
  const kubeconfigPath = join(dir, 'kubeconfig.yaml');
  const fleet = await startDemoFleet({ speed: options.speed ?? 10, kubeconfigOut: kubeconfigPath });
  const kubectl = async (args: string[], input?: string) => {
    const child = run('kubectl', ['--context', 'demo-admin', ...args], { env: { ...process.env, KUBECONFIG: kubeconfigPath, HOME: dir }, timeout: 90_000 });
    if (input !== undefined) {
      child.child.stdin?.write(input);
      child.child.stdin?.end();
    }
    return (await child).stdout;
  };
  // The fleet may start without nodes; the twin needs one Ready node with room for every pod.
  if (!(await kubectl(['get', 'nodes', '-o', 'name'])).trim()) {
    await kubectl(['apply', '-f', '-'], NODE('twin-node-1'));
    const status = { capacity: { cpu: '256', memory: '1Ti', pods: '500' }, allocatable: { cpu: '256', memory: '1Ti', pods: '500' }, conditions: [{ type: 'Ready', status: 'True' }] };
    await kubectl(['patch', 'node', 'twin-node-1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
  }
  const app = await createApp({ mode: 'browser', dataDir: dir, kubeconfig: { explicitPath: kubeconfigPath }, demo: false, version: 'test', log: () => undefined });
  const http = await startHttpTransport({ server: app.server, port: 0 });
  const call = async (method: string, request: unknown, token = http.consoleToken) => {
    const res = await fetch(`${http.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(request) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    fleet,
    app,
    http,
    kubeconfigPath,
    dir,
    kubectl,
    call,
    async stop() {
      await http.close();
      await app.stop();
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** prepare + execute through the road over HTTP; throws with the contract error's message. */
export async function act(rig: RolloutsRig, context: string, target: { kind: string; namespace: string; name: string }, action: string, params: Record<string, unknown> = {}) {
  const plan = await rig.call('actions.prepare', { context, target, action, params });
  if (plan.status !== 200) throw new Error(`prepare ${action}: ${JSON.stringify(plan.body)}`);
  const token = plan.body.token as string;
  const result = await rig.call('actions.execute', { token });
  if (result.status !== 200) throw new Error(`execute ${action}: ${JSON.stringify(result.body)}`);
  return { plan: plan.body, result: result.body };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function writeTemp(rig: RolloutsRig, name: string, text: string): string {
  const path = join(rig.dir, name);
  writeFileSync(path, text);
  return path;
}
