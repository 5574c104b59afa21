// The demo API server over plain HTTP, without controllers: routing, Status errors, pagination,
// watch semantics, owner-reference GC, RBAC, and that garbage never takes it down.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject } from '../../electron/demo/store.js';
import { createClock } from '../../electron/demo/clock.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { createApiServer } from '../../electron/demo/api/server.js';
import type { ApiServer } from '../../electron/demo/api/server.js';

const tokens = { admin: 'admin-token', viewer: 'viewer-token' };
const clock = createClock(1);
const store = new ObjectStore({ nowIso: () => clock.iso() });
store.setDefaulter(applyDefaults);
let server: ApiServer;
let base: string;

function pod(name: string, labels: Record<string, string> = {}, owner?: KubeObject): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels,
      ownerReferences: owner ? [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true }] : undefined,
    },
    spec: { containers: [{ name: 'c', image: 'img:1' }] },
  };
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = tokens.admin) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as Record<string, any>, text }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Reads watch lines until `count` events arrived or the stream ended. */
async function watchEvents(path: string, count: number, during?: () => void) {
  const ctrl = new AbortController();
  const res = await fetch(base + path, { headers: { Authorization: `Bearer ${tokens.admin}` }, signal: ctrl.signal });
  const reader = res.body!.getReader();
  const events: { type: string; object: Record<string, any> }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let buf = '';
  setTimeout(() => during?.(), 20);
  const timer = setTimeout(() => ctrl.abort(), 5000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    }
  } catch {
    // aborted
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return events;
}

beforeAll(async () => {
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (let i = 0; i < 12; i++) store.create('pods', pod(`p${String(i).padStart(2, '0')}`, { app: i % 2 ? 'odd' : 'even' }));
  server = createApiServer({ store, clock, tokens, sim: {} });
  base = await server.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await server.dispose();
  clock.stop();
});

describe('authentication and discovery', () => {
  it('401 without a token, 200 with one', async () => {
    expect((await call('GET', '/api/v1/pods', undefined, {}, 'wrong')).status).toBe(401);
    expect((await call('GET', '/version')).json.gitVersion).toMatch(/^v1\.32\./);
  });

  it('lists subresources and the Scale group in discovery', async () => {
    const core = (await call('GET', '/api/v1')).json;
    expect(core.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/log', 'pods/exec', 'pods/status']));
    const apps = (await call('GET', '/apis/apps/v1', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' })).json;
    expect(apps.kind).toBe('APIResourceList');
    expect(apps.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(apps.resources.find((r: { name: string }) => r.name === 'deployments')).toMatchObject({ shortNames: ['deploy'], categories: ['all'] });
    expect((await call('GET', '/apis/nope.example/v1')).status).toBe(404);
  });
});

describe('reads', () => {
  it('pages with limit/continue and answers 410 to a compacted continue', async () => {
    const first = (await call('GET', '/api/v1/namespaces/default/pods?limit=5&labelSelector=app%3Deven')).json;
    expect(first.items.map((p: KubeObject) => p.metadata.name)).toEqual(['p00', 'p02', 'p04', 'p06', 'p08']);
    const second = (await call('GET', `/api/v1/namespaces/default/pods?limit=5&labelSelector=app%3Deven&continue=${first.metadata.continue}`)).json;
    expect(second.items.map((p: KubeObject) => p.metadata.name)).toEqual(['p10']);
    expect(second.metadata.continue).toBeUndefined();
    const tokenBefore = (await call('GET', '/api/v1/pods?limit=2')).json.metadata.continue;
    store.compact('pods');
    const stale = await call('GET', `/api/v1/pods?limit=2&continue=${tokenBefore}`);
    expect(stale.status).toBe(410);
    expect(stale.json.reason).toBe('Expired');
  });

  it('serves the Table form with the pod columns and includeObject', async () => {
    const accept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const table = (await call('GET', '/api/v1/namespaces/default/pods?limit=2', undefined, accept)).json;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
    const full = (await call('GET', '/api/v1/namespaces/default/pods/p00?includeObject=Object', undefined, accept)).json;
    expect(full.rows[0].object.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED, DELETED from a version, and DELETED when a selector stops matching', async () => {
    const rv = store.currentResourceVersion();
    const events = await watchEvents(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}&labelSelector=app%3Dwatched`, 3, () => {
      store.create('pods', pod('w1', { app: 'watched' }));
      store.mutate('pods', 'default', 'w1', (p) => (p.metadata.annotations = { a: '1' }));
      store.mutate('pods', 'default', 'w1', (p) => (p.metadata.labels = { app: 'other' }));
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('sends a 410 Expired ERROR event for a compacted version, then closes', async () => {
    store.compact('pods');
    const events = await watchEvents('/api/v1/pods?watch=true&resourceVersion=1', 2);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('replays current objects for resourceVersion 0 and ends at timeoutSeconds', async () => {
    const start = Date.now();
    const events = await watchEvents('/api/v1/namespaces/default/pods?watch=1&resourceVersion=0&timeoutSeconds=1&labelSelector=app%3Dodd', 100);
    expect(events.length).toBe(6);
    expect(events.every((e) => e.type === 'ADDED')).toBe(true);
    expect(Date.now() - start).toBeLessThan(4000);
  });
});

describe('writes and errors', () => {
  it('creates with generateName, 409s on duplicates and stale updates, 422s on bad names', async () => {
    const made = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' }, data: { a: '1' } });
    expect(made.status).toBe(201);
    expect(made.json.metadata.name).toMatch(/^cfg-[a-z0-9]{5}$/);
    const dup = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: made.json.metadata.name } });
    expect(dup.json).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    const stale = { ...made.json, metadata: { ...made.json.metadata, resourceVersion: '1' } };
    const conflict = await call('PUT', `/api/v1/namespaces/default/configmaps/${made.json.metadata.name}`, stale);
    expect(conflict.json).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(conflict.json.message).toMatch(/the object has been modified/);
    const bad = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
    expect(bad.json).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(bad.json.details.causes[0].field).toBe('metadata.name');
  });

  it('answers garbage with Status errors and keeps serving', async () => {
    expect((await call('POST', '/api/v1/namespaces/default/pods', '{not json')).status).toBe(400);
    expect((await call('POST', '/api/v1/namespaces/default/pods', '[1,2]')).status).toBe(400);
    expect((await call('PATCH', '/api/v1/namespaces/default/pods/p00', '{}', { 'Content-Type': 'text/csv' })).status).toBe(415);
    expect((await call('PATCH', '/api/v1/namespaces/default/pods/p00', 'nope', { 'Content-Type': 'application/merge-patch+json' })).json.message).toMatch(/error decoding patch/);
    expect((await call('GET', '/api/v1/pods?labelSelector=a%20b')).status).toBe(400);
    expect((await call('GET', '/api/v1/pods?limit=ten')).status).toBe(400);
    expect((await call('GET', '/api/v1/frobs')).json).toMatchObject({ code: 404, reason: 'NotFound' });
    expect((await call('GET', '/api/v1/namespaces/%E0%A4%A/pods')).status).toBe(400);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/deployments/x')).json.message).toBe('deployments.apps "x" not found');
    expect((await call('DELETE', '/api/v1/namespaces/default/pods/p00', '{"propagationPolicy":"Sideways"}')).status).toBe(422);
    const raw = await new Promise<string>((resolve) => {
      let got = '';
      const sock = net.connect(Number(new URL(base).port), '127.0.0.1', () => sock.end('GARBAGE \x00\x01\x02 HTTP/9\r\n\r\n'));
      sock.on('data', (d) => (got += String(d)));
      sock.on('end', () => {
        resolve(got);
        sock.destroy();
      });
      sock.on('error', () => resolve(got));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await call('GET', '/api/v1/namespaces/default/pods/p01')).status).toBe(200);
  });

  it('scale subresource: GET, merge PATCH, PUT with a stale version is a 409', async () => {
    const d = await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'w', image: 'w:1' }] } } },
    });
    expect(d.json.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const scale = (await call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale')).json;
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { selector: 'app=web' } });
    const patched = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.json.spec.replicas).toBe(4);
    expect(store.peekOne('deployments.apps', 'default', 'web')!.metadata.generation).toBe(2);
    expect((await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', scale)).status).toBe(409);
  });

  it('garbage-collects dependents on Background delete and keeps them on Orphan', async () => {
    const owner = store.create('replicasets.apps', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs1', namespace: 'default' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    store.create('pods', pod('rs1-a', {}, owner));
    const gone = await call('DELETE', '/apis/apps/v1/namespaces/default/replicasets/rs1', { propagationPolicy: 'Background' });
    expect(gone.json).toMatchObject({ kind: 'Status', status: 'Success' });
    await new Promise((r) => setTimeout(r, 50));
    expect(store.peekOne('pods', 'default', 'rs1-a')).toBeUndefined();

    const owner2 = store.create('replicasets.apps', { ...owner, metadata: { name: 'rs2', namespace: 'default' } });
    store.create('pods', pod('rs2-a', {}, owner2));
    await call('DELETE', '/apis/apps/v1/namespaces/default/replicasets/rs2', { propagationPolicy: 'Orphan' });
    await new Promise((r) => setTimeout(r, 50));
    expect(store.peekOne('pods', 'default', 'rs2-a')?.metadata.ownerReferences).toBeUndefined();
  });
});

describe('RBAC', () => {
  it('the viewer reads, is forbidden to write, and SelfSubjectAccessReview says so', async () => {
    expect((await call('GET', '/api/v1/pods', undefined, {}, tokens.viewer)).status).toBe(200);
    const denied = await call('DELETE', '/api/v1/namespaces/default/pods/p01', undefined, {}, tokens.viewer);
    expect(denied.json).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(denied.json.message).toBe('pods "p01" is forbidden: User "system:serviceaccount:flightdeck-demo:demo-viewer" cannot delete resource "pods" in API group "" in the namespace "default"');
    const review = (verb: string, token: string) =>
      call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { verb, resource: 'deployments', group: 'apps', namespace: 'default' } } }, {}, token);
    expect((await review('patch', tokens.viewer)).json.status.allowed).toBe(false);
    expect((await review('watch', tokens.viewer)).json.status.allowed).toBe(true);
    expect((await review('patch', tokens.admin)).json.status.allowed).toBe(true);
  });
});
