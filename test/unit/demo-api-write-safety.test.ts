// The demo API without controllers (it cascades and finishes pod deletions itself): dry runs change
// nothing there either, pods no kubelet runs go at once, an Eviction's own deleteOptions (JSON or
// protobuf) are honoured, validation messages read as the apiserver's, and the pieces behind the
// kubectl integration test (cluster IP rules, client-side to server-side apply) hold on their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject, StoreEvent } from '../../electron/demo/store.js';
import { createClock } from '../../electron/demo/clock.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { createApiServer } from '../../electron/demo/api/server.js';
import type { ApiServer } from '../../electron/demo/api/server.js';
import { keepAllocatedValues, serviceCauses } from '../../electron/demo/api/services.js';
import { recordUpdate, serverSideApply } from '../../electron/demo/api/field-manager.js';

// Fast: the API's own pod termination (2 simulated seconds) takes 100 ms.
const clock = createClock(20);
const store = new ObjectStore({ nowIso: () => clock.iso() });
store.setDefaulter(applyDefaults);
const events: StoreEvent[] = [];
let server: ApiServer;
let base: string;

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: 'Bearer t', 'Content-Type': contentType },
    body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const PODS = '/api/v1/namespaces/default/pods';
const podOf = (name: string, spec: Record<string, unknown> = {}, status: Record<string, unknown> = { phase: 'Running' }): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec }, status,
});
const since = (from: number, name: string) => events.slice(from).filter((e) => e.object.metadata.name === name).map((e) => e.type);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  store.subscribe((e) => events.push(e));
  server = createApiServer({ store, clock, tokens: { admin: 't', viewer: 'v' }, sim: {} });
  base = await server.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await server.dispose();
  clock.stop();
});

describe('dry runs without the controllers', () => {
  it('a Foreground delete cascades nothing and a bound pod is not terminated later', async () => {
    const deploy = store.create('deployments.apps', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } } });
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.metadata.uid ?? '', controller: true };
    store.create('pods', { ...podOf('web-1', { nodeName: 'n1' }), metadata: { name: 'web-1', namespace: 'default', ownerReferences: [owner] } });
    const from = events.length;
    const del = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/web?dryRun=All', { propagationPolicy: 'Foreground' });
    expect(del.status).toBe(200);
    const pod = await call('DELETE', `${PODS}/web-1`, { dryRun: ['All'] });
    expect(pod.json.metadata.deletionTimestamp).toBeTruthy();
    await sleep(300);
    expect(events.length).toBe(from);
    expect(store.peekOne('deployments.apps', 'default', 'web')).toBe(deploy);
    expect(store.peekOne('pods', 'default', 'web-1')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('refuses any dry-run value but All instead of writing for real', async () => {
    store.create('pods', podOf('kept', { nodeName: 'n1' }));
    const from = events.length;
    const del = await call('DELETE', `${PODS}/kept?dryRun=true`);
    expect([del.status, del.json.message]).toEqual([422, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"true"}: supported values: "All"']);
    expect((await call('DELETE', `${PODS}/kept`, { dryRun: ['Yes'] })).status).toBe(422);
    const created = await call('POST', `${PODS}?dryRun=1`, podOf('never'));
    expect([created.status, created.json.details.kind]).toEqual([422, 'CreateOptions']);
    const patched = await call('PATCH', `${PODS}/kept?dryRun=All&dryRun=x`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json');
    expect(patched.json.message).toContain('PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "x"}');
    expect(since(from, 'kept')).toEqual([]);
    expect(store.peekOne('pods', 'default', 'never')).toBeUndefined();
  });

  it('a dry-run create answers with a generated name and a uid, and stores nothing', async () => {
    const from = events.length;
    const r = await call('POST', `${PODS}?dryRun=All`, { ...podOf(''), metadata: { generateName: 'gen-', namespace: 'default' } });
    expect(r.status).toBe(201);
    expect(r.json.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(r.json.metadata.uid).toBeTruthy();
    expect(store.peekOne('pods', 'default', r.json.metadata.name)).toBeUndefined();
    expect(events.length).toBe(from);
  });
});

/** policy/v1 Eviction as kubectl drain sends it: the k8s protobuf envelope around the message. */
function evictionProto(name: string, dryRun: boolean): Uint8Array {
  const field = (no: number, bytes: Buffer) => Buffer.concat([Buffer.from([(no << 3) | 2, bytes.length]), bytes]);
  const text = (no: number, s: string) => field(no, Buffer.from(s));
  const meta = Buffer.concat([text(1, name), text(3, 'default')]);
  const options = dryRun ? text(5, 'All') : Buffer.alloc(0);
  const eviction = Buffer.concat([field(1, meta), field(2, options)]);
  const typeMeta = Buffer.concat([text(1, 'policy/v1'), text(2, 'Eviction')]);
  return new Uint8Array(Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, typeMeta), field(2, eviction)]));
}

describe('eviction', () => {
  it("honours the Eviction's deleteOptions.dryRun, in JSON and in protobuf, and evicts without it", async () => {
    store.create('pods', podOf('ev', { nodeName: 'n1' }));
    const from = events.length;
    const json = await call('POST', `${PODS}/ev/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ev', namespace: 'default' }, deleteOptions: { dryRun: ['All'] } });
    expect(json.status).toBe(201);
    const proto = await call('POST', `${PODS}/ev/eviction`, evictionProto('ev', true), 'application/vnd.kubernetes.protobuf');
    expect(proto.status).toBe(201);
    expect(since(from, 'ev')).toEqual([]);
    expect((await call('POST', `${PODS}/ev/eviction`, evictionProto('ev', false), 'application/vnd.kubernetes.protobuf')).status).toBe(201);
    expect(store.peekOne('pods', 'default', 'ev')?.metadata.deletionTimestamp).toBeTruthy();
  });
});

describe('pods no kubelet runs', () => {
  it('an unbound pod and a finished one are deleted at once, a running one terminates first', async () => {
    store.create('pods', podOf('unbound', {}, { phase: 'Pending' }));
    store.create('pods', podOf('finished', { nodeName: 'n1' }, { phase: 'Succeeded' }));
    store.create('pods', podOf('failed', { nodeName: 'n1' }, { phase: 'Failed' }));
    store.create('pods', podOf('running', { nodeName: 'n1' }));
    const from = events.length;
    for (const name of ['unbound', 'finished', 'failed']) {
      const r = await call('DELETE', `${PODS}/${name}`, { propagationPolicy: 'Background' });
      expect([r.status, r.json.metadata.name]).toEqual([200, name]);
      expect(store.peekOne('pods', 'default', name)).toBeUndefined();
      expect(since(from, name)).toEqual(['DELETED']);
    }
    const running = await call('DELETE', `${PODS}/running`, {});
    expect(running.json.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(since(from, 'running')).toEqual(['MODIFIED']);
  });
});

describe('validation messages', () => {
  it('several causes read as one bracketed list, as field.ErrorList aggregates them', async () => {
    const r = await call('POST', PODS, { ...podOf('two-errors'), spec: { containers: [{ name: 'Bad_Name' }, {}] } });
    expect(r.status).toBe(422);
    expect(r.json.message).toBe(
      'Pod "two-errors" is invalid: [spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\'), ' +
        'spec.containers[0].image: Required value, spec.containers[1].name: Required value, spec.containers[1].image: Required value]',
    );
    expect(r.json.details.causes.map((c: { field: string }) => c.field)).toEqual(['spec.containers[0].name', 'spec.containers[0].image', 'spec.containers[1].name', 'spec.containers[1].image']);
    const dup = await call('POST', PODS, { ...podOf('dup'), spec: { initContainers: [{ name: 'c', image: 'x' }], containers: [{ name: 'c', image: 'x' }] } });
    expect(dup.json.message).toBe('Pod "dup" is invalid: spec.initContainers[0].name: Duplicate value: "c"');
  });
});

describe('Service cluster IPs', () => {
  const svc = (clusterIP?: string, clusterIPs?: string[], type?: string) => ({ spec: { ...(type ? { type } : {}), ...(clusterIP !== undefined ? { clusterIP } : {}), ...(clusterIPs ? { clusterIPs } : {}) } });

  it('an update that leaves them out keeps them; clusterIP alone carries over to clusterIPs', () => {
    const next = svc();
    keepAllocatedValues(svc('10.96.0.5', ['10.96.0.5']), next);
    expect(next.spec).toEqual({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] });
    const changed = svc('10.96.0.9', ['10.96.0.5']);
    keepAllocatedValues(svc('10.96.0.5', ['10.96.0.5']), changed);
    expect(changed.spec.clusterIPs).toEqual(['10.96.0.9']);
    const external = svc(undefined, undefined, 'ExternalName');
    keepAllocatedValues(svc('10.96.0.5', ['10.96.0.5']), external);
    expect(external.spec).toEqual({ type: 'ExternalName' });
  });

  it('may not change once set, except to or from ExternalName or between headless forms', () => {
    expect(serviceCauses(svc('10.96.0.9', ['10.96.0.9']), svc('10.96.0.5', ['10.96.0.5']))).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: 'Invalid value: []string{"10.96.0.9"}: may not change once set' },
    ]);
    expect(serviceCauses(svc('', []), svc('10.96.0.5', ['10.96.0.5']))[0].message).toBe('Invalid value: []string(nil): primary clusterIP can not be unset');
    expect(serviceCauses(svc('None', ['None']), svc('None', ['None']))).toEqual([]);
    expect(serviceCauses(svc(undefined, undefined, 'ExternalName'), svc('10.96.0.5', ['10.96.0.5']))).toEqual([]);
    expect(serviceCauses(svc('10.96.0.9', ['None']), undefined)[0]).toMatchObject({ field: 'spec.clusterIPs', message: 'Invalid value: []string{"None"}: first value must match `clusterIP`' });
  });
});

describe('client-side apply, then server-side apply (kubectl\'s migration)', () => {
  const T = '2026-12-02T06:00:00Z';
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', labels: { app: 'c' } }, data: { a: '1' } };
  const lastApplied = JSON.stringify({ ...config, metadata: { ...config.metadata, annotations: {} } });
  const live = () => {
    const obj = { ...structuredClone(config), metadata: { ...structuredClone(config.metadata), annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } } };
    const managedFields = recordUpdate({ live: undefined, next: obj, base: [], manager: 'kubectl-client-side-apply', apiVersion: 'v1', time: T });
    return { ...obj, metadata: { ...obj.metadata, managedFields } };
  };

  it('a manager that owns the labels and data maps as a whole (`.`) keeps them when it re-applies their fields', () => {
    const migrated = live();
    // What kubectl's migration patch leaves: the client-side apply entry, renamed to an Apply by "kubectl".
    migrated.metadata.managedFields = migrated.metadata.managedFields.map((e) => ({ ...e, manager: 'kubectl', operation: 'Apply' as const }));
    const r = serverSideApply({ live: migrated, applied: config, manager: 'kubectl', apiVersion: 'v1', time: T, force: false });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.metadata.labels).toEqual({ app: 'c' });
    expect(r.object.data).toEqual({ a: '1' });
  });

  it('only "kubectl" takes over fields the last-applied configuration still holds; it then rewrites that annotation', () => {
    const changed = { ...config, data: { a: '2' } };
    const other = serverSideApply({ live: live(), applied: changed, manager: 'other', apiVersion: 'v1', time: T, force: false });
    expect(other.ok).toBe(false);
    const kubectl = serverSideApply({ live: live(), applied: changed, manager: 'kubectl', apiVersion: 'v1', time: T, force: false });
    expect(kubectl.ok).toBe(true);
    if (!kubectl.ok) return;
    expect(kubectl.object.data).toEqual({ a: '2' });
    expect(kubectl.object.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe('{"apiVersion":"v1","data":{"a":"2"},"kind":"ConfigMap","metadata":{"labels":{"app":"c"},"name":"c","namespace":"default"}}');
    // A field whose live value no longer is the last-applied one was changed by someone else: a conflict.
    const edited = live();
    edited.data = { a: 'edited' };
    expect(serverSideApply({ live: edited, applied: changed, manager: 'kubectl', apiVersion: 'v1', time: T, force: false }).ok).toBe(false);
  });
});
