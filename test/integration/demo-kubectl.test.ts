// The machine's real kubectl (1.32 on PATH, plus 1.27 and 1.33) against the demo fleet's API,
// over HTTPS with the generated CA and the two bearer-token contexts of the written kubeconfig.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { WORKLOAD_MANIFEST, kubectlRunner, startTestFleet, waitFor, waitForRunningGpuPod } from './demo-kubectl-helpers.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;

beforeAll(async () => {
  t = await startTestFleet();
  k = kubectlRunner(t);
  await k.ok(['apply', '-f', k.writeManifest('workload.yaml', WORKLOAD_MANIFEST)]);
  await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s']);
});

afterAll(async () => {
  await t?.cleanup();
});

const header = (out: string) => out.split('\n')[0].split(/\s{2,}/).map((s) => s.trim());

describe('kubectl get', () => {
  it('lists every served kind, in table form', async () => {
    const kinds = ['namespaces', 'nodes', 'pods', 'services', 'endpoints', 'events', 'configmaps', 'secrets', 'serviceaccounts', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'rollouts.argoproj.io'];
    for (const kind of kinds) {
      const r = await k.run(['get', kind, '-A']);
      expect(r.code, `${kind}: ${r.stderr}`).toBe(0);
    }
    expect(header(await k.ok(['get', 'pods', '-n', 'it']))).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(header(await k.ok(['get', 'deploy', '-n', 'it']))).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(header(await k.ok(['get', 'nodes']))).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(header(await k.ok(['get', 'svc', '-n', 'it']))).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(await k.ok(['get', 'deploy', 'web', '-n', 'it'])).toMatch(/^web\s+2\/2\s+2\s+2\s+/m);
    expect(await k.ok(['get', 'jobs', '-n', 'it'])).toMatch(/STATUS\s+COMPLETIONS/);
  });

  it('-o wide adds the priority columns with real values', async () => {
    const out = await k.ok(['get', 'pods', '-n', 'it', '-o', 'wide']);
    expect(header(out)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const nodes = (await k.ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').map((n) => n.replace('node/', ''));
    const firstRow = out.split('\n')[1];
    expect(nodes.some((n) => firstRow.includes(n))).toBe(true);
    expect(await k.ok(['get', 'deploy', '-n', 'it', '-o', 'wide'])).toMatch(/web\s+2\/2.*registry\.example\/web:1\.0\s+app=web/);
  });

  it('-o json and -o yaml return the objects with server defaults', async () => {
    const list = JSON.parse(await k.ok(['get', 'deploy', '-n', 'it', '-o', 'json']));
    expect(list.kind).toBe('List');
    const web = list.items.find((d: { metadata: { name: string } }) => d.metadata.name === 'web');
    expect(web.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
    expect(web.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    const yaml = await k.ok(['get', 'svc', 'web', '-n', 'it', '-o', 'yaml']);
    expect(yaml).toMatch(/kind: Service/);
    expect(yaml).toMatch(/targetPort: 8080/);
    const secret = JSON.parse(await k.ok(['get', 'secret', 'web-secret', '-n', 'it', '-o', 'json']));
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('abc');
  });

  it('-l, -A and --sort-by', async () => {
    const labelled = await k.ok(['get', 'pods', '-A', '-l', 'app=web,tier in (front)', '-o', 'name']);
    expect(labelled.trim().split('\n')).toHaveLength(2);
    expect(await k.ok(['get', 'pods', '-A', '-l', 'app!=web,!nope', '-o', 'name'])).not.toMatch(/web-/);
    const allNs = await k.ok(['get', 'deploy', '-A']);
    expect(header(allNs)[0]).toBe('NAMESPACE');
    const sorted = await k.ok(['get', 'pods', '-A', '--sort-by=.metadata.name', '--no-headers', '-o', 'custom-columns=N:.metadata.name']);
    const names = sorted.trim().split('\n');
    expect(names).toEqual([...names].sort());
    const byIp = await k.ok(['get', 'pods', '-n', 'it', '--sort-by=.status.podIP']);
    expect(header(byIp)[0]).toBe('NAME');
  });

  it('get -w streams changes in table form', async () => {
    const child = k.spawn(['get', 'deploy', '-n', 'it', '-w']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the initial watch table', () => out.includes('web'));
    await k.ok(['scale', '-n', 'it', 'deploy/web', '--replicas=3']);
    await waitFor('the scaled deployment in the watch', () => /web\s+\d\/3/.test(out), 15_000);
    child.kill();
    expect(out.split('\n')[0]).toMatch(/NAME\s+READY\s+UP-TO-DATE/);
    await k.ok(['scale', '-n', 'it', 'deploy/web', '--replicas=2']);
  });

  it('get events lists what the controllers recorded', async () => {
    const out = await k.ok(['get', 'events', '-n', 'it']);
    expect(header(out)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(out).toMatch(/ScalingReplicaSet|Scheduled|SuccessfulCreate/);
  });
});

describe('kubectl describe', () => {
  it('describes a pod, a deployment and a node', async () => {
    // The watch test scaled web 3 -> 2: wait until the extra pod has gone.
    await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s']);
    const webPods = () => [...t.fleet.store.peek('pods')].filter((p) => p.metadata.namespace === 'it' && p.metadata.labels?.app === 'web');
    await waitFor('exactly two running web pods', () => {
      const pods = webPods();
      return pods.length === 2 && pods.every((p) => !p.metadata.deletionTimestamp && (p as { status?: { phase?: string } }).status?.phase === 'Running');
    });
    // The controllers keep working while we look: if the picked pod was replaced between the pick
    // and kubectl's GET (NotFound), pick again from the store, at most three times.
    let dp = '';
    for (let attempt = 0; attempt < 3 && !dp; attempt++) {
      const r = await k.run(['describe', '-n', 'it', `pod/${webPods()[0].metadata.name}`]);
      if (r.code === 0) dp = r.stdout;
      else if (!/NotFound/.test(r.stderr) || attempt === 2) throw new Error(`kubectl describe pod failed: ${r.stderr}`);
    }
    expect(dp).toMatch(/Status:\s+Running/);
    expect(dp).toMatch(/Controlled By:\s+ReplicaSet\/web-/);
    const dd = await k.ok(['describe', '-n', 'it', 'deploy/web']);
    expect(dd).toMatch(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available/);
    expect(dd).toMatch(/NewReplicaSet:\s+web-\w+ \(2\/2 replicas created\)/);
    const node = (await k.ok(['get', 'nodes', '-l', 'nvidia.com/gpu.product', '-o', 'name'])).trim().split('\n')[0];
    const dn = await k.ok(['describe', node]);
    expect(dn).toMatch(/nvidia\.com\/gpu/);
    expect(dn).toMatch(/Allocated resources:/);
  });
});

describe('kubectl writes', () => {
  it('apply creates, re-apply is unchanged, edit applies, delete removes', async () => {
    const manifest = (replicas: number) => `apiVersion: v1
kind: ConfigMap
metadata: {name: applied, namespace: it}
data: {replicas: "${replicas}"}
`;
    expect(await k.ok(['apply', '-f', k.writeManifest('cm1.yaml', manifest(1))])).toMatch(/configmap\/applied created/);
    expect(await k.ok(['apply', '-f', k.writeManifest('cm1.yaml', manifest(1))])).toMatch(/configmap\/applied unchanged/);
    expect(await k.ok(['apply', '-f', k.writeManifest('cm2.yaml', manifest(2))])).toMatch(/configmap\/applied configured/);
    expect(JSON.parse(await k.ok(['get', 'cm', 'applied', '-n', 'it', '-o', 'json'])).data.replicas).toBe('2');
    expect(await k.ok(['apply', '--server-side', '-f', k.writeManifest('cm3.yaml', manifest(3))])).toMatch(/serverside-applied/);
    expect(await k.ok(['delete', '-f', k.writeManifest('cm3.yaml', manifest(3))])).toMatch(/configmap "applied" deleted/);
    const gone = await k.run(['get', 'cm', 'applied', '-n', 'it']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/configmaps "applied" not found/);
  });

  it('kubectl create generators (sent as protobuf) create what they say', async () => {
    await k.ok(['create', 'namespace', 'gen']);
    await k.ok(['create', 'configmap', 'c1', '--from-literal=a=b', '-n', 'gen']);
    await k.ok(['create', 'secret', 'generic', 's1', '--from-literal=token=xyz', '-n', 'gen']);
    await k.ok(['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080', '-n', 'gen']);
    await k.ok(['create', 'deployment', 'd1', '--image=registry.example/d1:2.0', '--replicas=2', '--port=80', '-n', 'gen']);
    await k.ok(['create', 'job', 'j1', '--image=registry.example/j:1', '-n', 'gen', '--', 'echo', 'hi']);
    expect(JSON.parse(await k.ok(['get', 'cm', 'c1', '-n', 'gen', '-o', 'json'])).data).toEqual({ a: 'b' });
    expect(Buffer.from(JSON.parse(await k.ok(['get', 'secret', 's1', '-n', 'gen', '-o', 'json'])).data.token, 'base64').toString()).toBe('xyz');
    const svc = JSON.parse(await k.ok(['get', 'svc', 'svc1', '-n', 'gen', '-o', 'json']));
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, protocol: 'TCP' });
    expect(svc.spec.clusterIP).toMatch(/^10\.96\./);
    const d = JSON.parse(await k.ok(['get', 'deploy', 'd1', '-n', 'gen', '-o', 'json']));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector.matchLabels).toEqual({ app: 'd1' });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'd1', image: 'registry.example/d1:2.0', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    const job = JSON.parse(await k.ok(['get', 'job', 'j1', '-n', 'gen', '-o', 'json']));
    expect(job.spec.template.spec.containers[0].command).toEqual(['echo', 'hi']);
    await k.ok(['rollout', 'status', '-n', 'gen', 'deploy/d1', '--timeout=30s']);
  });

  it('scale and set image roll the deployment, rollout status/history/undo reuse the old ReplicaSet', async () => {
    await k.ok(['scale', '-n', 'it', 'deploy/web', '--replicas=3']);
    await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s']);
    const before = JSON.parse(await k.ok(['get', 'rs', '-n', 'it', '-l', 'app=web', '-o', 'json'])).items.map((r: { metadata: { name: string } }) => r.metadata.name);
    expect(await k.ok(['set', 'image', '-n', 'it', 'deploy/web', 'web=registry.example/web:1.1'])).toMatch(/image updated/);
    expect(await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s'])).toMatch(/successfully rolled out/);
    const history = await k.ok(['rollout', 'history', '-n', 'it', 'deploy/web']);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);
    await k.ok(['rollout', 'undo', '-n', 'it', 'deploy/web']);
    await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s']);
    const after = JSON.parse(await k.ok(['get', 'rs', '-n', 'it', '-l', 'app=web', '-o', 'json'])).items;
    const active = after.filter((r: { spec: { replicas: number } }) => r.spec.replicas > 0);
    expect(active).toHaveLength(1);
    expect(before).toContain(active[0].metadata.name);
    expect(active[0].spec.template.spec.containers[0].image).toBe('registry.example/web:1.0');
  });

  it('rollout pause, resume and restart', async () => {
    await k.ok(['rollout', 'pause', '-n', 'it', 'deploy/web']);
    expect(JSON.parse(await k.ok(['get', 'deploy', 'web', '-n', 'it', '-o', 'json'])).spec.paused).toBe(true);
    const paused = await k.run(['rollout', 'restart', '-n', 'it', 'deploy/web']);
    expect(paused.code).not.toBe(0);
    expect(paused.stderr).toMatch(/paused/);
    await k.ok(['rollout', 'resume', '-n', 'it', 'deploy/web']);
    expect(JSON.parse(await k.ok(['get', 'deploy', 'web', '-n', 'it', '-o', 'json'])).spec.paused).toBeUndefined();
    await k.ok(['rollout', 'restart', '-n', 'it', 'deploy/web']);
    await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s']);
    const d = JSON.parse(await k.ok(['get', 'deploy', 'web', '-n', 'it', '-o', 'json']));
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(d.status.observedGeneration).toBe(d.metadata.generation);
  });
});

describe('kubectl auth', () => {
  it('can-i answers from the two roles', async () => {
    expect((await k.run(['auth', 'can-i', 'delete', 'pods', '-n', 'it'], { context: 'demo-admin' })).stdout.trim()).toBe('yes');
    const viewerDelete = await k.run(['auth', 'can-i', 'delete', 'pods', '-n', 'it'], { context: 'demo-viewer' });
    expect(viewerDelete.stdout.trim()).toMatch(/^no/);
    expect(viewerDelete.code).toBe(1);
    expect((await k.run(['auth', 'can-i', 'list', 'deployments.apps', '-n', 'it'], { context: 'demo-viewer' })).stdout.trim()).toBe('yes');
  });

  it('the viewer can read but not write', async () => {
    await k.ok(['get', 'pods', '-n', 'it'], { context: 'demo-viewer' });
    const r = await k.run(['scale', '-n', 'it', 'deploy/web', '--replicas=1'], { context: 'demo-viewer' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/is forbidden: User "system:serviceaccount:flightdeck-demo:demo-viewer" cannot patch resource "deployments\/scale" in API group "apps" in the namespace "it"/);
  });
});

describe('kubectl errors', () => {
  it('unknown kinds, bad selectors and missing objects get the right errors', async () => {
    expect((await k.run(['get', 'frobnicators'])).stderr).toMatch(/doesn't have a resource type "frobnicators"/);
    expect((await k.run(['get', 'pods', '-l', 'a b c'])).stderr).toMatch(/unable to parse requirement/);
    expect((await k.run(['get', 'deploy', 'nope', '-n', 'it'])).stderr).toMatch(/deployments.apps "nope" not found/);
    expect((await k.run(['get', 'pods', '--field-selector', 'spec.bogus=1'])).stderr).toMatch(/field label not supported: spec.bogus/);
  });
});

describe('kubectl logs and exec (workload simulation)', () => {
  it('logs --tail and logs -f', async () => {
    await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s']);
    const running = () =>
      [...t.fleet.store.peek('pods')].find(
        (p) => p.metadata.namespace === 'it' && p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp && (p as { status?: { phase?: string } }).status?.phase === 'Running',
      );
    await waitFor('a running web pod', () => running() !== undefined);
    const pod = `pod/${running()!.metadata.name}`;
    // Timestamps make every line unique, so "which lines did --tail pick" has one answer. Wait for
    // more lines than the tail keeps: on a shorter log --tail=3 could not be told from no --tail.
    const lines = async (...extra: string[]) => (await k.ok(['logs', '-n', 'it', pod, '--timestamps', ...extra])).split('\n').filter(Boolean);
    let before: string[] = [];
    await waitFor('at least four log lines', async () => (before = await lines()).length >= 4, 30_000);
    const tail = await lines('--tail=3');
    expect(tail).toHaveLength(3);
    const after = await lines();
    const at = after.indexOf(tail[0]);
    // The last three lines: contiguous in the full log, none older than the fourth-last line seen before.
    expect(after.slice(at, at + 3)).toEqual(tail);
    expect(at).toBeGreaterThanOrEqual(before.length - 3);
    expect(at).toBeGreaterThan(0);
    const child = k.spawn(['logs', '-f', '-n', 'it', pod, '--tail=1']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('followed log lines', () => out.split('\n').filter(Boolean).length >= 2, 20_000);
    child.kill();
  });

  it('exec -- nvidia-smi in a GPU pod, and a non-zero exit code', async () => {
    const gpu = await waitForRunningGpuPod(t.fleet);
    const smi = await k.ok(['exec', '-n', gpu.namespace, gpu.name, '-c', gpu.container, '--', 'nvidia-smi']);
    expect(smi).toMatch(/NVIDIA-SMI \d+/);
    expect(smi).toMatch(/NVIDIA (A100|H100)/);
    const failed = await k.run(['exec', '-n', gpu.namespace, gpu.name, '-c', gpu.container, '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    const missing = await k.run(['exec', '-n', 'it', 'nope', '--', 'ls']);
    expect(missing.stderr).toMatch(/pods "nope" not found/);
  });
});

describe.each(['1.27', '1.33'])('kubectl %s', (version) => {
  it('gets, describes, scales and checks access', async () => {
    expect(header(await k.ok(['get', 'pods', '-n', 'it', '-o', 'wide'], { version }))).toContain('NODE');
    expect(await k.ok(['describe', 'deploy', 'web', '-n', 'it'], { version })).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
    await k.ok(['scale', '-n', 'it', 'deploy/web', '--replicas=2'], { version });
    await k.ok(['rollout', 'status', '-n', 'it', 'deploy/web', '--timeout=30s'], { version });
    expect((await k.run(['auth', 'can-i', 'delete', 'pods'], { version, context: 'demo-viewer' })).stdout.trim()).toMatch(/^no/);
    expect((await k.run(['auth', 'can-i', 'get', 'pods'], { version, context: 'demo-viewer' })).stdout.trim()).toBe('yes');
  });
});

describe('kubectl node maintenance', () => {
  it('cordon and drain evict the pods of a GPU node, uncordon makes it schedulable', async () => {
    const node = (await k.ok(['get', 'nodes', '-l', 'nvidia.com/gpu.product', '-o', 'name'])).trim().split('\n')[0];
    const out = await k.ok(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=60s']);
    expect(out).toMatch(/drained/);
    expect(await k.ok(['get', node])).toMatch(/SchedulingDisabled/);
    const left = JSON.parse(await k.ok(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node.replace('node/', '')}`, '-o', 'json'])).items;
    expect(left.every((p: { metadata: { ownerReferences?: { kind: string }[] } }) => p.metadata.ownerReferences?.[0]?.kind === 'DaemonSet')).toBe(true);
    await k.ok(['uncordon', node]);
    expect(await k.ok(['get', node])).not.toMatch(/SchedulingDisabled/);
  });
});
