import { afterEach, describe, expect, it } from 'vitest';
import { createClock, type DemoClock } from '../../electron/demo/clock.js';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { podLogStream, rfc3339Nano } from '../../electron/demo/sim/logs.js';
import { openExecSession } from '../../electron/demo/sim/shell.js';
import { buildInventory } from '../../electron/demo/metrics/gpu-inventory.js';
import { setLogFaults } from '../../electron/demo/controllers/index.js';
import { collect, opts } from './demo-logs.helpers.js';

let clock: DemoClock;
afterEach(() => clock?.stop());

function fleet(speed = 1, seed = 1) {
  clock = createClock(speed);
  const store = new ObjectStore({ nowIso: () => clock.iso() });
  store.setDefaulter(applyDefaults);
  seedFleet(store, { clock, seed });
  return store;
}

const podOf = (store: ObjectStore, prefix: string, ns = 'inference') =>
  store.list('pods', ns).find((p) => p.metadata.name.startsWith(prefix) && (p.status as { phase: string }).phase === 'Running') as KubeObject;



function exec(store: ObjectStore, pod: KubeObject, container: string, command: string[], tty = false, stdin?: string[]) {
  return new Promise<{ out: string; err: string; code: number }>((resolve) => {
    const s = openExecSession(store, pod, container, command, { tty });
    let out = '';
    let err = '';
    s.onStdout((b) => (out += b.toString()));
    s.onStderr((b) => (err += b.toString()));
    s.onExit((code) => resolve({ out, err, code }));
    if (stdin) {
      setTimeout(() => {
        for (const chunk of stdin) s.writeStdin(Buffer.from(chunk));
        s.closeStdin();
      }, 5);
    }
  });
}

describe('pod logs', () => {
  it('serves inference access logs with method, path, status, latency and tokens; tail limits the count', async () => {
    const store = fleet();
    const pod = podOf(store, 'llm-gateway-');
    const lines = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', tailLines: 50 })));
    expect(lines).toHaveLength(50);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const access = lines.filter((l) => l.includes('method='));
    expect(access.length).toBeGreaterThan(20);
    expect(access[0]).toMatch(/method=(GET|POST) path=\/\S+ status=\d{3} latency_ms=\d+\.\d/);
    expect(lines.some((l) => /prompt_tokens=\d+ completion_tokens=\d+/.test(l))).toBe(true);
    const none = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', tailLines: 0 })));
    expect(none).toEqual([]);
  });

  it('prints training step/loss/throughput lines for a training pod', async () => {
    const store = fleet();
    const pod = podOf(store, '', 'training');
    const lines = await collect(podLogStream(store, clock, pod, opts({ container: 'trainer', tailLines: 20 })));
    expect(lines.some((l) => /step \d+ \| loss \d\.\d{4} \| lr .* \| tokens\/s \d+/.test(l))).toBe(true);
    const done = store.list('pods', 'training').find((p) => (p.status as { phase: string }).phase === 'Succeeded') as KubeObject;
    const last = await collect(podLogStream(store, clock, done, opts({ container: 'trainer', tailLines: 1 })));
    expect(last[0]).toMatch(/^\[rank0\]: training complete: \d+ steps in \d+\.\d h\n$/);
  });

  it('is deterministic per pod for a seed', async () => {
    const a = fleet(1, 5);
    const pa = podOf(a, 'embedder-');
    const first = await collect(podLogStream(a, clock, pa, opts({ container: 'tei', tailLines: 10, timestamps: true })));
    const again = await collect(podLogStream(a, clock, pa, opts({ container: 'tei', tailLines: 10, timestamps: true })));
    expect(again.slice(0, 5)).toEqual(first.slice(0, 5));
  });

  it('timestamps are RFC3339Nano and sinceSeconds keeps only recent lines', async () => {
    const store = fleet();
    const pod = podOf(store, 'llm-gateway-');
    const lines = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', sinceSeconds: 30, timestamps: true })));
    expect(lines.length).toBeGreaterThan(5);
    const now = clock.now();
    for (const l of lines) {
      const ts = l.slice(0, l.indexOf(' '));
      expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
      const t = Date.parse(ts);
      expect(t).toBeGreaterThanOrEqual(now - 30_000 - 1);
      expect(t).toBeLessThanOrEqual(now + 1);
    }
    expect(rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 120), 500_000)).toBe('2026-01-02T03:04:05.1205Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 0), 0)).toBe('2026-01-02T03:04:05Z');
  });

  it('previous: lines of the last terminated instance, or the kubelet error when there is none', async () => {
    const store = fleet();
    const pod = podOf(store, 'ranker-');
    expect(() => podLogStream(store, clock, pod, opts({ container: 'tei', previous: true }))).toThrow(
      `previous terminated container "tei" in pod "${pod.metadata.name}" not found`,
    );
    const restarted = store.list('pods').find((p) => ((p.status as { containerStatuses?: { restartCount: number }[] }).containerStatuses?.[0]?.restartCount ?? 0) > 0) as KubeObject;
    expect(restarted).toBeTruthy();
    const container = (restarted.spec as { containers: { name: string }[] }).containers[0].name;
    const last = (restarted.status as { containerStatuses: { lastState: { terminated: { startedAt: string; finishedAt: string } } }[] }).containerStatuses[0].lastState.terminated;
    const lines = await collect(podLogStream(store, clock, restarted, opts({ container, previous: true, timestamps: true, tailLines: 20 })));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(Date.parse(l.slice(0, l.indexOf(' ')))).toBeLessThanOrEqual(Date.parse(last.finishedAt) + 1000);
  });

  it('recent access lines follow a scenario fault on the pod\'s image (5xx at the fault\'s ratio)', async () => {
    const store = fleet();
    const pod = podOf(store, 'llm-gateway-');
    const count5xx = async () => {
      const lines = await collect(podLogStream(store, clock, pod, opts({ container: 'vllm', sinceSeconds: 50 })));
      const access = lines.filter((l) => l.includes(' status='));
      return access.filter((l) => / status=5\d\d /.test(l)).length / Math.max(1, access.length);
    };
    expect(await count5xx()).toBeLessThan(0.1);
    setLogFaults(store, { errorFault: (_ns, _svc, images) => (images.some((i) => i.includes('vllm-openai:v0.6.3')) ? { errorRatio: 0.5 } : undefined) });
    const ratio = await count5xx();
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(0.7);
  });

  it('follow keeps yielding new lines as simulated time passes, and return() stops it', async () => {
    const store = fleet(50);
    const pod = podOf(store, 'llm-gateway-');
    const stream = podLogStream(store, clock, pod, opts({ container: 'vllm', follow: true, tailLines: 1, timestamps: true }));
    const lines = await collect(stream, 6);
    expect(lines).toHaveLength(6);
    const times = lines.map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
    expect(times[5]).toBeGreaterThan(times[0]);
    const it2 = podLogStream(store, clock, pod, opts({ container: 'vllm', follow: true, tailLines: 0 }))[Symbol.asyncIterator]();
    const pending = it2.next();
    await it2.return?.();
    expect((await pending).done).toBe(true);
  });
});

describe('exec mini-shell', () => {
  it('nvidia-smi shows the pod\'s GPUs: model from the node label, UUIDs of the exporter, the real table width', async () => {
    const store = fleet();
    const pod = podOf(store, 'llm-gateway-');
    const node = store.get('nodes', undefined, (pod.spec as { nodeName: string }).nodeName) as KubeObject;
    expect(node.metadata.labels?.['nvidia.com/gpu.product']).toBe('NVIDIA-H100-80GB-HBM3');
    const r = await exec(store, pod, 'vllm', ['nvidia-smi']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[1]).toBe('+' + '-'.repeat(87) + '+');
    for (const l of lines.slice(1)) expect(l.length).toBe(89);
    expect(r.out).toContain('NVIDIA-SMI 535.161.08');
    expect(r.out.match(/NVIDIA H100 80GB HBM3/g)).toHaveLength(2);
    expect(r.out).toMatch(/\d+MiB \/ 81559MiB/);
    expect(r.out).toMatch(/\d+W \/ 700W/);
    const list = await exec(store, pod, 'vllm', ['nvidia-smi', '-L']);
    const held = pod.metadata.annotations?.['flightdeck.dev/gpu-devices']?.split(',').map(Number) ?? [];
    const inventory = buildInventory(store, 1).find((n) => n.name === node.metadata.name);
    const uuids = held.map((i) => inventory?.gpus[i].uuid);
    expect(list.out).toBe(uuids.map((u, i) => `GPU ${i}: NVIDIA H100 80GB HBM3 (UUID: ${u})\n`).join(''));
    const q = await exec(store, pod, 'vllm', ['nvidia-smi', '--query-gpu=name,memory.total', '--format=csv,noheader']);
    expect(q.out).toBe('NVIDIA H100 80GB HBM3, 81559 MiB\nNVIDIA H100 80GB HBM3, 81559 MiB\n');
  });

  it('returns exit codes: exit N, false, unknown commands 127 with sh\'s message', async () => {
    const store = fleet();
    const pod = podOf(store, 'embedder-');
    expect((await exec(store, pod, 'tei', ['sh', '-c', 'exit 3'])).code).toBe(3);
    expect((await exec(store, pod, 'tei', ['false'])).code).toBe(1);
    expect((await exec(store, pod, 'tei', ['true'])).code).toBe(0);
    const unknown = await exec(store, pod, 'tei', ['frobnicate']);
    expect(unknown).toMatchObject({ code: 127, err: 'sh: frobnicate: not found\n' });
    const chain = await exec(store, pod, 'tei', ['sh', '-c', 'false || echo fallback && echo $HOSTNAME; echo $?']);
    expect(chain.out).toBe(`fallback\n${pod.metadata.name}\n0\n`);
  });

  it('cat, ls, env, hostname and ps see the pod', async () => {
    const store = fleet();
    const pod = podOf(store, 'embedder-');
    expect((await exec(store, pod, 'tei', ['cat', '/etc/hostname'])).out).toBe(`${pod.metadata.name}\n`);
    expect((await exec(store, pod, 'tei', ['hostname'])).out).toBe(`${pod.metadata.name}\n`);
    expect((await exec(store, pod, 'tei', ['cat', '/etc/os-release'])).out).toContain('Ubuntu 22.04');
    const missing = await exec(store, pod, 'tei', ['cat', '/nope']);
    expect(missing).toMatchObject({ code: 1, err: 'cat: /nope: No such file or directory\n' });
    expect((await exec(store, pod, 'tei', ['ls', '/'])).out.split('\n')).toContain('etc');
    expect((await exec(store, pod, 'tei', ['env'])).out).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    const ps = await exec(store, pod, 'tei', ['ps', 'aux']);
    expect(ps.out.split('\n')[1]).toMatch(/^root +1 .*text-embeddings-router/);
  });

  it('an interactive tty shell prompts, echoes what is typed and exits with the last status', async () => {
    const store = fleet();
    const pod = podOf(store, 'embedder-');
    const r = await exec(store, pod, 'tei', ['sh'], true, ['echo hi\r', 'false\r', 'exit\r']);
    expect(r.out).toContain('# echo hi\r\nhi\r\n# ');
    expect(r.code).toBe(1);
    const piped = await exec(store, pod, 'tei', ['sh'], false, ['echo one\necho two\n']);
    expect(piped).toMatchObject({ out: 'one\ntwo\n', code: 0 });
  });
});
