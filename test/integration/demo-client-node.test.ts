// @kubernetes/client-node 1.4 against the demo fleet: informers stay equal to the server's store
// through a server restart and a forced 410 (compacted history), Log follows, Exec returns the
// command's exit code.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { WORKLOAD_MANIFEST, kubectlRunner, runningGpuPod, startTestFleet, waitFor } from './demo-kubectl-helpers.js';

let t: TestFleet;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  t = await startTestFleet();
  await kubectlRunner(t).ok(['apply', '-f', kubectlRunner(t).writeManifest('workload.yaml', WORKLOAD_MANIFEST)]);
  kc = new k8s.KubeConfig();
  kc.loadFromString(t.fleet.kubeconfig);
  kc.setCurrentContext('demo-admin');
});

afterAll(async () => {
  await t?.cleanup();
});

/** name -> resourceVersion of every pod the store holds. */
function storePods(): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of t.fleet.store.peek('pods')) out.set(`${p.metadata.namespace}/${p.metadata.name}`, p.metadata.resourceVersion ?? '');
  return out;
}

function informerPods(informer: k8s.Informer<k8s.V1Pod> & k8s.ObjectCache<k8s.V1Pod>): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of informer.list()) out.set(`${p.metadata?.namespace}/${p.metadata?.name}`, p.metadata?.resourceVersion ?? '');
  return out;
}

const same = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

describe('client-node informer', () => {
  it('stays equal to the store through a restart and a forced 410', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    let lists = 0;
    const informer = k8s.makeInformer(kc, '/api/v1/pods', () => {
      lists++;
      return core.listPodForAllNamespaces();
    });
    const webPods = () => informer.list().filter((p) => p.metadata?.labels?.app === 'web' && !p.metadata?.deletionTimestamp).length;
    let stopped = false;
    // The informer stops on any error; a real consumer restarts it, as the console's watch cache does.
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void (stopped ? undefined : informer.start().catch(() => undefined)), 200);
    });
    await informer.start();
    try {
      await waitFor('informer equal to the store', () => same(informerPods(informer), storePods()));
      const apps = kc.makeApiClient(k8s.AppsV1Api);
      await apps.patchNamespacedDeploymentScale(
        { namespace: 'it', name: 'web', body: { spec: { replicas: 4 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await waitFor('4 web pods seen by the informer', () => informer.list().filter((p) => p.metadata?.labels?.app === 'web').length === 4);

      await t.fleet.restart();
      await apps.patchNamespacedDeploymentScale({ namespace: 'it', name: 'web', body: { spec: { replicas: 3 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await waitFor('informer equal after restart', () => webPods() === 3 && same(informerPods(informer), storePods()), 20_000);
      const listsBefore410 = lists;

      // Forced 410: history is compacted while the informer is disconnected, so its resume fails.
      t.fleet.store.compact();
      await t.fleet.restart();
      await apps.patchNamespacedDeploymentScale({ namespace: 'it', name: 'web', body: { spec: { replicas: 2 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await waitFor('informer relisted and equal after the 410', () => lists > listsBefore410 && webPods() === 2 && same(informerPods(informer), storePods()), 20_000);
      await waitFor('pods terminated', () => informer.list().filter((p) => p.metadata?.labels?.app === 'web').length === 2 && same(informerPods(informer), storePods()), 20_000);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });

  it('json-patch is the default patch type and a stale update is a 409', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await apps.patchNamespacedDeployment({ namespace: 'it', name: 'web', body: [{ op: 'add', path: '/metadata/labels/patched', value: 'yes' }] });
    const d = await apps.readNamespacedDeployment({ namespace: 'it', name: 'web' });
    expect(d.metadata?.labels?.patched).toBe('yes');
    await apps.replaceNamespacedDeployment({ namespace: 'it', name: 'web', body: d });
    await expect(apps.replaceNamespacedDeployment({ namespace: 'it', name: 'web', body: d })).rejects.toMatchObject({ code: 409 });
  });
});

describe('client-node Log and Exec', () => {
  it('Log follows a pod', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    let pod: k8s.V1Pod | undefined;
    await waitFor('a running web pod', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'it', labelSelector: 'app=web' });
      pod = pods.items.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
      return pod !== undefined;
    });
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    const abort = await new k8s.Log(kc).log('it', pod!.metadata!.name!, 'web', stream, { follow: true, tailLines: 2 });
    await waitFor('followed lines', () => text.split('\n').filter(Boolean).length >= 3, 20_000);
    abort.abort();
  });

  it('Exec runs nvidia-smi and reports the exit code', async () => {
    const gpu = runningGpuPod(t.fleet);
    const run = (command: string[]) =>
      new Promise<{ out: string; status: k8s.V1Status }>((resolve, reject) => {
        const stdout = new PassThrough();
        let out = '';
        stdout.on('data', (d: Buffer) => (out += d.toString()));
        new k8s.Exec(kc)
          .exec(gpu.namespace, gpu.name, gpu.container, command, stdout, stdout, null, false, (status) => resolve({ out, status }))
          .catch(reject);
      });
    const smi = await run(['nvidia-smi']);
    expect(smi.status.status).toBe('Success');
    expect(smi.out).toMatch(/NVIDIA-SMI \d+/);
    const failed = await run(['sh', '-c', 'exit 3']);
    expect(failed.status.status).toBe('Failure');
    expect(failed.status.reason).toBe('NonZeroExitCode');
    expect(failed.status.details?.causes?.[0]).toMatchObject({ reason: 'ExitCode', message: '3' });
  });
});
