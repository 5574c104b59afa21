// Kinds every real cluster serves, on the demo fleet, driven by the machine's kubectl: storage
// (PVC, PV, StorageClass, so `apply --prune` with its default allow-list works), ResourceQuota and
// LimitRange with their admission, PodDisruptionBudget status and the Eviction API honouring it
// (`kubectl drain`), and CertificateSigningRequest approval (`kubectl certificate approve/deny`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet, waitFor } from './demo-kubectl-helpers.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;

beforeAll(async () => {
  t = await startTestFleet({ nodes: 1, pods: 2 });
  k = kubectlRunner(t);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

const pod = (name: string, ns: string, labels = '{app: web}', resources = '{requests: {cpu: 500m, memory: 128Mi}, limits: {cpu: "1", memory: 256Mi}}') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${labels}}
spec:
  containers: [{name: web, image: nginx:1.27, resources: ${resources}}]
`;

describe('storage kinds', () => {
  it('apply --prune (default allow-list) prunes a PVC dropped from the manifests', async () => {
    await k.ok(['create', 'namespace', 'prune']);
    const sc = k.writeManifest('sc.yaml', `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
`);
    await k.ok(['apply', '-f', sc]);
    expect(await k.ok(['get', 'sc'])).toMatch(/^fast \(default\)\s+kubernetes\.io\/no-provisioner\s+Delete\s+WaitForFirstConsumer\s+false/m);
    const claim = (name: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: prune, labels: {set: demo}}
spec: {accessModes: [ReadWriteOnce], storageClassName: fast, resources: {requests: {storage: 1Gi}}}
`;
    const cm = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: prune, labels: {set: demo}}
data: {a: "1"}
`;
    await k.ok(['apply', '-f', k.writeManifest('both.yaml', `${claim('data')}---\n${cm}`)]);
    expect(await k.ok(['get', 'pvc', '-n', 'prune'])).toMatch(/^data\s+Pending\s+fast\s/m);
    const out = await k.ok(['apply', '--prune', '-l', 'set=demo', '-n', 'prune', '-f', k.writeManifest('cm.yaml', cm)]);
    expect(out).toContain('persistentvolumeclaim/data pruned');
    expect((await k.run(['get', 'pvc', 'data', '-n', 'prune'])).code).not.toBe(0);
  });

  it('serves PersistentVolumes with their columns, and binds claims (default class, provisioning)', async () => {
    await k.ok(['apply', '-f', k.writeManifest('pv.yaml', `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec: {capacity: {storage: 10Gi}, accessModes: [ReadWriteOnce, ReadOnlyMany], storageClassName: manual, hostPath: {path: /data}}
`)]);
    await waitFor('pv1 Available', async () => /^pv1\s+10Gi\s+RWO,ROX\s+Retain\s+Available\s+manual\s/m.test(await k.ok(['get', 'pv'])));
    await k.ok(['apply', '-f', k.writeManifest('bind.yaml', `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: disk}
provisioner: pd.csi.storage.gke.io
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: static, namespace: default}
spec: {accessModes: [ReadWriteOnce], storageClassName: manual, resources: {requests: {storage: 5Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: dynamic, namespace: default}
spec: {accessModes: [ReadWriteOnce], storageClassName: disk, resources: {requests: {storage: 2Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: defaulted, namespace: default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`)]);
    await waitFor('claims bound', async () => {
      const out = await k.ok(['get', 'pvc', '-n', 'default']);
      return /^static\s+Bound\s+pv1\s+10Gi\s+RWO,ROX\s+manual\s/m.test(out) && /^dynamic\s+Bound\s+pvc-[0-9a-f-]+\s+2Gi\s+RWO\s+disk\s/m.test(out);
    });
    // The default class (fast, WaitForFirstConsumer) is filled in; with no pod using it the claim waits.
    expect(await k.ok(['get', 'pvc', 'defaulted', '-n', 'default', '-o', 'jsonpath={.spec.storageClassName} {.status.phase}'])).toBe('fast Pending');
    expect(await k.ok(['get', 'pv', 'pv1', '-o', 'jsonpath={.spec.claimRef.name} {.status.phase}'])).toBe('static Bound');
    // Deleting the claims: the provisioned volume goes (Delete), the static one is Released (Retain).
    const provisioned = await k.ok(['get', 'pvc', 'dynamic', '-n', 'default', '-o', 'jsonpath={.spec.volumeName}']);
    await k.ok(['delete', 'pvc', 'static', 'dynamic', '-n', 'default']);
    await waitFor('reclaim', async () => /^pv1\s.*\sReleased\s/m.test(await k.ok(['get', 'pv'])) && (await k.run(['get', 'pv', provisioned])).code !== 0);
  });
});

describe('ResourceQuota and LimitRange admission', () => {
  it('refuses a pod over the quota with the real 403, and keeps status.used', async () => {
    await k.ok(['create', 'namespace', 'quota']);
    await k.ok(['create', 'quota', 'compute', '-n', 'quota', '--hard=pods=2,requests.cpu=1,limits.cpu=2']);
    await k.ok(['apply', '-f', k.writeManifest('p1.yaml', pod('p1', 'quota'))]);
    await k.ok(['apply', '-f', k.writeManifest('p2.yaml', pod('p2', 'quota'))]);
    const refused = await k.run(['apply', '-f', k.writeManifest('p3.yaml', pod('p3', 'quota'))]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('pods "p3" is forbidden: exceeded quota: compute, requested: limits.cpu=1,pods=1,requests.cpu=500m, used: limits.cpu=2,pods=2,requests.cpu=1, limited: limits.cpu=2,pods=2,requests.cpu=1');
    await waitFor('status.used', async () => /pods: 2\/2, requests\.cpu: 1\/1/.test(await k.ok(['get', 'quota', '-n', 'quota'])));
    const quota = JSON.parse(await k.ok(['get', 'quota', 'compute', '-n', 'quota', '-o', 'json']));
    expect(quota.status.used).toEqual({ pods: '2', 'requests.cpu': '1', 'limits.cpu': '2' });
    const unspecified = await k.run(['apply', '-f', k.writeManifest('p4.yaml', pod('p4', 'quota', '{app: x}', '{}'))]);
    expect(unspecified.stderr).toContain('pods "p4" is forbidden: failed quota: compute: must specify limits.cpu for: web; requests.cpu for: web');
  });

  it('defaults container resources from a LimitRange and refuses one over its max', async () => {
    await k.ok(['create', 'namespace', 'limits']);
    await k.ok(['apply', '-f', k.writeManifest('lr.yaml', `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: limits}
spec:
  limits:
  - {type: Container, default: {cpu: 500m}, defaultRequest: {cpu: 250m}, max: {cpu: "1"}}
`)]);
    await k.ok(['apply', '-f', k.writeManifest('l1.yaml', pod('l1', 'limits', '{app: l}', '{}'))]);
    const res = JSON.parse(await k.ok(['get', 'pod', 'l1', '-n', 'limits', '-o', 'jsonpath={.spec.containers[0].resources}']));
    expect(res).toEqual({ limits: { cpu: '500m' }, requests: { cpu: '250m' } });
    const big = await k.run(['apply', '-f', k.writeManifest('l2.yaml', pod('l2', 'limits', '{app: l}', '{limits: {cpu: "4"}}'))]);
    expect(big.stderr).toContain('pods "l2" is forbidden: [maximum cpu usage per Container is 1, but limit is 4]');
  });
});

describe('PodDisruptionBudget and eviction', () => {
  it('keeps the budget status and refuses an eviction that would violate it (kubectl drain)', async () => {
    await k.ok(['create', 'namespace', 'pdb']);
    await k.ok(['apply', '-f', k.writeManifest('e1.yaml', `${pod('e1', 'pdb', '{app: guarded}', '{}')}---\n${pod('e2', 'pdb', '{app: guarded}', '{}')}`)]);
    await k.ok(['wait', '--for=condition=Ready', '-n', 'pdb', 'pod/e1', 'pod/e2', '--timeout=30s']);
    await k.ok(['create', 'pdb', 'guard', '-n', 'pdb', '--selector=app=guarded', '--min-available=2']);
    await waitFor('pdb status', async () => {
      const s = JSON.parse(await k.ok(['get', 'pdb', 'guard', '-n', 'pdb', '-o', 'json'])).status ?? {};
      return s.currentHealthy === 2 && s.desiredHealthy === 2 && s.expectedPods === 2 && s.disruptionsAllowed === 0;
    });
    expect(await k.ok(['get', 'pdb', '-n', 'pdb'])).toMatch(/^guard\s+2\s+N\/A\s+0\s/m);
    const node = await k.ok(['get', 'pod', 'e1', '-n', 'pdb', '-o', 'jsonpath={.spec.nodeName}']);
    const drain = await k.run(['drain', node, '--pod-selector=app=guarded', '--ignore-daemonsets', '--force', '--timeout=3s'], { timeoutMs: 30_000 });
    expect(drain.code).not.toBe(0);
    expect(drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(await k.ok(['get', 'pods', '-n', 'pdb', '-o', 'name'])).toMatch(/pod\/e1\npod\/e2/);
    // With room in the budget the eviction goes through.
    await k.ok(['patch', 'pdb', 'guard', '-n', 'pdb', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    await waitFor('disruption allowed', async () => (await k.ok(['get', 'pdb', 'guard', '-n', 'pdb', '-o', 'jsonpath={.status.disruptionsAllowed}'])) === '1');
    await k.ok(['uncordon', node]);
  });
});

describe('CertificateSigningRequest', () => {
  const csr = (name: string) => `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}}
spec:
  request: ${Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBFake\n-----END CERTIFICATE REQUEST-----\n').toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages: [client auth]
`;
  it('approves and denies through the approval subresource, with conditions', async () => {
    await k.ok(['apply', '-f', k.writeManifest('csr.yaml', `${csr('alice')}---\n${csr('mallory')}`)]);
    expect(await k.ok(['get', 'csr', 'alice'])).toMatch(/^alice\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+\S+\s+24h\s+Pending$/m);
    expect(await k.ok(['certificate', 'approve', 'alice'])).toContain('certificatesigningrequest.certificates.k8s.io/alice approved');
    expect(await k.ok(['certificate', 'deny', 'mallory'])).toContain('certificatesigningrequest.certificates.k8s.io/mallory denied');
    const approved = JSON.parse(await k.ok(['get', 'csr', 'alice', '-o', 'json']));
    expect(approved.status.conditions).toEqual([expect.objectContaining({ type: 'Approved', status: 'True', reason: 'KubectlApprove' })]);
    const out = await k.ok(['get', 'csr']);
    expect(out).toMatch(/^alice\s.*\sApproved$/m);
    expect(out).toMatch(/^mallory\s.*\sDenied$/m);
  });
});
