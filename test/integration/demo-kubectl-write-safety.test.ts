// Real kubectl (1.32 on PATH; 1.27 for the apply migration) against the demo fleet: writes must
// never destroy what a real API server keeps (issue #20). Server dry runs change nothing and emit
// no watch event; moving from client-side to server-side apply keeps every field and ownership;
// a Service's cluster IPs are immutable and kept across a replace; a volume without a source
// becomes an emptyDir; a container needs a name; pods no kubelet runs go at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreEvent } from '../../electron/demo/store.js';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet, waitFor } from './demo-kubectl-helpers.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;
const events: StoreEvent[] = [];

beforeAll(async () => {
  t = await startTestFleet({ pods: 0 });
  k = kubectlRunner(t);
  t.fleet.store.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await t?.cleanup();
});

/** Store events (= watch events) about one object since `from`. */
const eventsOf = (from: number, resource: string, name: string) =>
  events.slice(from).filter((e) => e.resource === resource && e.object.metadata.name === name).map((e) => `${e.type}${e.object.metadata.deletionTimestamp ? ' (deleting)' : ''}`);

const node = () => t.fleet.store.peek('nodes')[Symbol.iterator]().next().value!.metadata.name;

const configMap = (name: string, data = '{a: "1", b: "2"}') => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
data: ${data}
`;

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
  labels: {app: ${name}, tier: x}
spec:${extra}
  containers:
  - name: c
    image: nginx:1.27
`;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: nginx:1.27}]
`;

describe('server dry run (dryRun=All) changes nothing, on every write verb', () => {
  it('delete, deletecollection, create, replace, patch, apply (client- and server-side), scale and eviction', async () => {
    await k.ok(['apply', '-f', k.writeManifest('dry-cm.yaml', configMap('one'))]);
    await k.ok(['apply', '-f', k.writeManifest('dry-deploy.yaml', deployment('dry-web'))]);
    const bound = pod('dry-pod', `\n  nodeName: ${node()}`);
    await k.ok(['apply', '-f', k.writeManifest('dry-pod.yaml', bound)]);
    await waitFor('dry-pod running', () => (t.fleet.store.peekOne('pods', 'default', 'dry-pod')?.status as { phase?: string } | undefined)?.phase === 'Running');
    await waitFor('dry-web has its replica', () => [...t.fleet.store.peek('pods')].some((p) => p.metadata.labels?.app === 'dry-web'));
    await new Promise((r) => setTimeout(r, 500));
    const cmBefore = t.fleet.store.peekOne('configmaps', 'default', 'one');
    const podBefore = t.fleet.store.peekOne('pods', 'default', 'dry-pod');
    const deployBefore = t.fleet.store.peekOne('deployments.apps', 'default', 'dry-web');
    const from = events.length;

    expect(await k.ok(['delete', 'configmap', 'one', '--dry-run=server'])).toContain('configmap "one" deleted (server dry run)');
    expect(await k.ok(['delete', 'pod', 'dry-pod', '--dry-run=server'])).toContain('pod "dry-pod" deleted (server dry run)');
    // What the real server answers: the pod as it would be, marked for graceful deletion.
    const answered = JSON.parse(await k.ok(['delete', '--raw', '/api/v1/namespaces/default/pods/dry-pod?dryRun=All']));
    expect(answered.metadata.name).toBe('dry-pod');
    expect(answered.metadata.deletionTimestamp).toBeTruthy();
    expect(answered.metadata.deletionGracePeriodSeconds).toBe(30);
    const listed = JSON.parse(await k.ok(['delete', '--raw', '/api/v1/namespaces/default/configmaps?dryRun=All&labelSelector=app%3Done']));
    expect(listed.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['one']);
    expect(await k.ok(['create', '--dry-run=server', '-f', k.writeManifest('dry-cm2.yaml', configMap('two'))])).toContain('configmap/two created (server dry run)');
    expect(await k.ok(['replace', '--dry-run=server', '-f', k.writeManifest('dry-cm3.yaml', configMap('one', '{a: "9"}'))])).toContain('configmap/one replaced (server dry run)');
    // kubectl patch prints no dry-run suffix; the store checks below prove nothing changed.
    expect(await k.ok(['patch', 'configmap', 'one', '--dry-run=server', '-p', '{"data":{"a":"7"}}'])).toContain('configmap/one patched');
    expect(await k.ok(['apply', '--dry-run=server', '-f', k.writeManifest('dry-cm4.yaml', configMap('one', '{a: "5"}'))])).toContain('configmap/one configured (server dry run)');
    expect(await k.ok(['apply', '--server-side', '--dry-run=server', '-f', k.writeManifest('dry-cm5.yaml', configMap('one', '{a: "6"}'))])).toContain('configmap/one serverside-applied (server dry run)');
    expect(await k.ok(['scale', 'deploy/dry-web', '--replicas=4', '--dry-run=server'])).toContain('deployment.apps/dry-web scaled (server dry run)');
    const drained = await k.run(['drain', node(), '--dry-run=server', '--pod-selector=app=dry-pod', '--force', '--ignore-daemonsets']);
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toContain('evicting pod default/dry-pod (server dry run)');
    expect(drained.stdout).toContain('drained (server dry run)');

    expect(t.fleet.store.peekOne('configmaps', 'default', 'one')).toBe(cmBefore);
    expect(t.fleet.store.peekOne('configmaps', 'default', 'two')).toBeUndefined();
    expect(t.fleet.store.peekOne('pods', 'default', 'dry-pod')).toBe(podBefore);
    expect(t.fleet.store.peekOne('deployments.apps', 'default', 'dry-web')).toBe(deployBefore);
    expect(t.fleet.store.peekOne('nodes', undefined, node())?.spec).not.toHaveProperty('unschedulable');
    expect(eventsOf(from, 'configmaps', 'one')).toEqual([]);
    expect(eventsOf(from, 'configmaps', 'two')).toEqual([]);
    expect(eventsOf(from, 'pods', 'dry-pod')).toEqual([]);
    expect(eventsOf(from, 'deployments.apps', 'dry-web')).toEqual([]);
    expect(eventsOf(from, 'nodes', node())).toEqual([]);
  });
});

describe.each([{ version: undefined, label: '1.32' }, { version: '1.27', label: '1.27' }])('kubectl $label: client-side apply, then apply --server-side', ({ version, label }) => {
  const v = label.replace('.', '');
  it('keeps the labels of a pod and the data of a ConfigMap', async () => {
    const podFile = k.writeManifest(`mig-pod-${v}.yaml`, pod(`mig-pod-${v}`));
    const cmFile = k.writeManifest(`mig-cm-${v}.yaml`, configMap(`mig-cm-${v}`));
    for (const f of [podFile, cmFile]) await k.ok(['apply', '-f', f], { version });
    for (const f of [podFile, cmFile]) await k.ok(['apply', '--server-side', '-f', f], { version });
    const p = JSON.parse(await k.ok(['get', 'pod', `mig-pod-${v}`, '-o', 'json', '--show-managed-fields'], { version }));
    expect(p.metadata.labels).toEqual({ app: `mig-pod-${v}`, tier: 'x' });
    const cm = JSON.parse(await k.ok(['get', 'cm', `mig-cm-${v}`, '-o', 'json', '--show-managed-fields'], { version }));
    expect(cm.data).toEqual({ a: '1', b: '2' });
    expect(cm.metadata.labels).toEqual({ app: `mig-cm-${v}` });
    // kubectl migrated the client-side apply ownership to its server-side manager.
    const managers = (o: { metadata: { managedFields: { manager: string; operation: string }[] } }) => o.metadata.managedFields.map((e) => `${e.manager}/${e.operation}`).sort();
    expect(managers(cm)).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply']);
    expect(JSON.stringify(cm.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl').fieldsV1)).toContain('"f:a":{}');

    // Another manager changing a field kubectl owns now conflicts.
    const r = await k.run(['apply', '--server-side', '--field-manager=other', '-f', k.writeManifest(`mig-cm-${v}-b.yaml`, configMap(`mig-cm-${v}`, '{a: "3", b: "2"}'))], { version });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.a');
    expect(JSON.parse(await k.ok(['get', 'cm', `mig-cm-${v}`, '-o', 'json'], { version })).data).toEqual({ a: '1', b: '2' });
  });
});

describe('fields a client-side apply owns', () => {
  it('conflict for another server-side field manager (only kubectl itself takes them over)', async () => {
    await k.ok(['apply', '-f', k.writeManifest('csa-own.yaml', configMap('csa-own'))]);
    const r = await k.run(['apply', '--server-side', '--field-manager=other', '-f', k.writeManifest('csa-own-b.yaml', configMap('csa-own', '{a: "3", b: "2"}'))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a');
    expect(JSON.parse(await k.ok(['get', 'cm', 'csa-own', '-o', 'json'])).data).toEqual({ a: '1', b: '2' });
  });
});

const service = (name: string, clusterIP?: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec:${clusterIP ? `\n  clusterIP: ${clusterIP}` : ''}
  selector: {app: ${name}}
  ports: [{port: 80}]
`;

describe('validation and defaulting a real server does', () => {
  it("a Service's cluster IP may not change once set, and a replace without it keeps it", async () => {
    await k.ok(['apply', '-f', k.writeManifest('svc-h.yaml', service('svc-h', 'None'))]);
    let r = await k.run(['patch', 'svc', 'svc-h', '-p', '{"spec":{"clusterIP":"10.96.0.12"}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Service "svc-h" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.12"}: may not change once set');
    expect(await k.ok(['get', 'svc', 'svc-h', '-o', 'jsonpath={.spec.clusterIP} {.spec.clusterIPs}'])).toBe('None ["None"]');

    await k.ok(['create', '-f', k.writeManifest('svc-a.yaml', service('svc-a'))]);
    const ip = await k.ok(['get', 'svc', 'svc-a', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(ip).toMatch(/^10\.96\./);
    r = await k.run(['patch', 'svc', 'svc-a', '-p', '{"spec":{"clusterIP":"None"}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set`);
    await k.ok(['replace', '-f', k.writeManifest('svc-a2.yaml', service('svc-a'))]);
    expect(await k.ok(['get', 'svc', 'svc-a', '-o', 'jsonpath={.spec.clusterIP} {.spec.clusterIPs}'])).toBe(`${ip} ["${ip}"]`);
  });

  it("a pod's spec beyond its images, a workload's selector and an immutable ConfigMap's data may not change", async () => {
    await k.ok(['apply', '-f', k.writeManifest('fixed.yaml', pod('fixed'))]);
    const r = await k.run(['patch', 'pod', 'fixed', '-p', '{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Pod "fixed" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`');
    await k.ok(['set', 'image', 'pod/fixed', 'c=nginx:1.28']);
    expect(await k.ok(['get', 'pod', 'fixed', '-o', 'jsonpath={.spec.containers[0].image}'])).toBe('nginx:1.28');
    // Re-applying the manifest (client-side, then server-side with kubectl's migration) changes no fixed field.
    await k.ok(['apply', '-f', k.writeManifest('fixed.yaml', pod('fixed'))]);
    await k.ok(['apply', '--server-side', '-f', k.writeManifest('fixed.yaml', pod('fixed'))]);

    await k.ok(['apply', '-f', k.writeManifest('sel.yaml', deployment('sel'))]);
    const moved = await k.run(['apply', '-f', k.writeManifest('sel2.yaml', deployment('sel').replaceAll('app: sel}', 'app: sel2}'))]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"sel2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');

    await k.ok(['apply', '-f', k.writeManifest('frozen.yaml', `${configMap('frozen')}immutable: true\n`)]);
    const thawed = await k.run(['patch', 'cm', 'frozen', '-p', '{"data":{"a":"9"}}']);
    expect(thawed.code).toBe(1);
    expect(thawed.stderr).toContain('The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    await k.ok(['label', 'cm', 'frozen', 'still=editable']);
  });

  it('a volume without a source becomes an emptyDir; a container without a name is invalid', async () => {
    await k.ok(['apply', '-f', k.writeManifest('vol.yaml', pod('vol').replace('  containers:', '  volumes: [{name: scratch}]\n  containers:'))]);
    expect(JSON.parse(await k.ok(['get', 'pod', 'vol', '-o', 'jsonpath={.spec.volumes[0]}']))).toEqual({ name: 'scratch', emptyDir: {} });

    const noName = k.writeManifest('noname.yaml', pod('noname').replace('  - name: c\n    image', '  - image'));
    for (const verb of [['apply'], ['create']]) {
      const r = await k.run([...verb, '--dry-run=server', '-f', noName]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('The Pod "noname" is invalid: spec.containers[0].name: Required value');
    }
    const d = await k.run(['create', '-f', k.writeManifest('noname-d.yaml', deployment('noname-d').replace('{name: c, image: nginx:1.27}', '{image: nginx:1.27}'))]);
    expect(d.stderr).toContain('The Deployment "noname-d" is invalid: spec.template.spec.containers[0].name: Required value');
  });
});

describe('deleting a pod no kubelet runs', () => {
  it('an unscheduled pod and a completed pod go at once, without a terminating phase', async () => {
    await k.ok(['apply', '-f', k.writeManifest('pending.yaml', pod('pending', '\n  nodeSelector: {nowhere: "true"}'))]);
    const done = pod('done', '\n  restartPolicy: Never').replace('  labels:', '  annotations: {flightdeck.dev/sim-duration-seconds: "1"}\n  labels:');
    await k.ok(['apply', '-f', k.writeManifest('done.yaml', done)]);
    await waitFor('the pod to complete', () => (t.fleet.store.peekOne('pods', 'default', 'done')?.status as { phase?: string } | undefined)?.phase === 'Succeeded');
    for (const name of ['pending', 'done']) {
      const from = events.length;
      const started = Date.now();
      expect(await k.ok(['delete', 'pod', name])).toContain(`pod "${name}" deleted`);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(t.fleet.store.peekOne('pods', 'default', name)).toBeUndefined();
      expect(eventsOf(from, 'pods', name)).toEqual(['DELETED']);
    }
  });
});
