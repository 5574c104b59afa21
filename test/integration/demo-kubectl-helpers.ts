// Shared by the demo-fleet integration tests: start a fleet with its kubeconfig on disk, run the
// machine's real kubectl (any version) against it with an isolated HOME / discovery cache.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDemoFleet } from '../../electron/demo/index.js';
import type { DemoFleet, DemoFleetOptions } from '../../electron/demo/index.js';

export interface TestFleet {
  fleet: DemoFleet;
  dir: string;
  kubeconfigPath: string;
  cleanup(): Promise<void>;
}

function kubectlDir(): string {
  const onPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'kubectl')).find((p) => existsSync(p));
  if (!onPath) throw new Error('kubectl is not on PATH: the demo-fleet integration tests need the machine image kubectl');
  let real = onPath;
  try {
    real = realpathSync(onPath);
  } catch {
    real = readlinkSync(onPath);
  }
  return dirname(real);
}

/** Path of kubectl (`undefined` = the one on PATH, else e.g. "1.27" from the Cloud SDK bin folder). */
export function kubectlPath(version?: string): string {
  if (!version) return 'kubectl';
  return join(kubectlDir(), `kubectl.${version}`);
}

export async function startTestFleet(opts: DemoFleetOptions = {}): Promise<TestFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-demo-it-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const fleet = await startDemoFleet({ speed: 10, nodes: 4, pods: 40, ...opts, kubeconfigOut: kubeconfigPath });
  ensureNodes(fleet);
  return {
    fleet,
    dir,
    kubeconfigPath,
    async cleanup() {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Nodes come from the fleet's seed; a bare fleet gets two so pods can schedule. */
function ensureNodes(fleet: DemoFleet): void {
  if (fleet.store.count('nodes') > 0) return;
  for (const [i, name] of ['it-gpu-0', 'it-gpu-1'].entries()) {
    const res = { cpu: '96', memory: '1056Gi', pods: '110', 'nvidia.com/gpu': '8' };
    fleet.store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } },
      spec: {},
      status: {
        capacity: res,
        allocatable: res,
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: `10.0.0.${i + 10}` }, { type: 'Hostname', address: name }],
        nodeInfo: { kubeletVersion: 'v1.32.3', osImage: 'Ubuntu 22.04.4 LTS', kernelVersion: '5.15.0', containerRuntimeVersion: 'containerd://1.7.13', architecture: 'amd64', operatingSystem: 'linux' },
      },
    });
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  version?: string;
  context?: string;
  input?: string;
  timeoutMs?: number;
}

export function kubectlRunner(t: TestFleet) {
  const home = join(t.dir, 'home');
  const env = { ...process.env, HOME: home, KUBECACHEDIR: join(home, 'cache'), KUBECONFIG: t.kubeconfigPath, KUBECTL_KUBERC: 'false' };
  const run = (args: string[], o: KubectlOptions = {}): Promise<RunResult> =>
    new Promise((resolve) => {
      const full = [...(o.context ? ['--context', o.context] : []), ...args];
      const child = execFile(kubectlPath(o.version), full, { env, timeout: o.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
      if (o.input !== undefined) {
        child.stdin?.end(o.input);
      }
    });
  /** Runs kubectl and fails with its stderr unless it exits 0. */
  const ok = async (args: string[], o: KubectlOptions = {}): Promise<string> => {
    const r = await run(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const spawnKubectl = (args: string[], o: KubectlOptions = {}): ChildProcess =>
    spawn(kubectlPath(o.version), [...(o.context ? ['--context', o.context] : []), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const writeManifest = (name: string, text: string): string => {
    const p = join(t.dir, name);
    writeFileSync(p, text);
    return p;
  };
  return { run, ok, spawn: spawnKubectl, writeManifest, env };
}

/** Polls until fn returns true or the deadline passes. */
export async function waitFor(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const WORKLOAD_MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: it
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: it
  labels: {app: web, tier: front}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
        ports: [{containerPort: 8080}]
        env: [{name: MODE, value: demo}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: it}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: it}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret, namespace: it}
stringData: {token: abc}
---
apiVersion: batch/v1
kind: Job
metadata: {name: train-once, namespace: it}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: train, image: registry.example/train:2.0}]
`;

interface PodLike {
  metadata: { name: string; namespace?: string };
  spec?: { containers?: { name: string; resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }[] };
  status?: { phase?: string };
}

/** A running pod of the seeded fleet whose first container holds GPUs (nvidia-smi shows them). */
export function runningGpuPod(fleet: DemoFleet): { namespace: string; name: string; container: string } {
  for (const p of fleet.store.peek('pods') as Iterable<PodLike>) {
    if (p.status?.phase !== 'Running') continue;
    const c = p.spec?.containers?.find((x) => Number(x.resources?.limits?.['nvidia.com/gpu'] ?? x.resources?.requests?.['nvidia.com/gpu'] ?? 0) > 0);
    if (c) return { namespace: p.metadata.namespace ?? '', name: p.metadata.name, container: c.name };
  }
  throw new Error('the seeded fleet has no running GPU pod');
}

/** Waits until the fleet's kubelet has a GPU pod running, then returns it. */
export async function waitForRunningGpuPod(fleet: DemoFleet): Promise<{ namespace: string; name: string; container: string }> {
  await waitFor('a running GPU pod', () => {
    try {
      runningGpuPod(fleet);
      return true;
    } catch {
      return false;
    }
  });
  return runningGpuPod(fleet);
}
