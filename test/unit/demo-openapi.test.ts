// The demo fleet's OpenAPI v3 documents: generated schemas up to date with client-node, every
// reference resolvable, the patch metadata kubectl apply relies on, and HTTP caching.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../electron/demo/api/registry.js';
import { openapiV3Doc, openapiV3Index, serveOpenApi } from '../../electron/demo/api/openapi/serve.js';
import { strictDecodingMessage, unknownFields } from '../../electron/demo/api/openapi/validate.js';
import { createClock } from '../../electron/demo/clock.js';
import { ObjectStore } from '../../electron/demo/store.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { seedFleet } from '../../electron/demo/seed.js';

type Doc = { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, Record<string, unknown>> } };
const doc = (gv: string) => openapiV3Doc(gv) as unknown as Doc;
const prop = (d: Doc, schema: string, field: string) => (d.components.schemas[schema].properties as Record<string, Record<string, unknown>>)[field];

describe('generated schemas', () => {
  it('are what scripts/gen-openapi.mjs produces from the installed client-node', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, ['scripts/gen-openapi.mjs', '--check'], (err, _out, stderr) => resolve({ code: err ? 1 : 0, stderr })),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('openapi v3 documents', () => {
  it('index one document per served group-version, addressed by content hash', () => {
    const index = openapiV3Index();
    expect(Object.keys(index.paths).sort()).toEqual(['api/v1', 'apis/apiextensions.k8s.io/v1', 'apis/apps/v1', 'apis/argoproj.io/v1alpha1', 'apis/authentication.k8s.io/v1', 'apis/authorization.k8s.io/v1', 'apis/batch/v1', 'apis/certificates.k8s.io/v1', 'apis/networking.k8s.io/v1', 'apis/policy/v1', 'apis/storage.k8s.io/v1']);
    for (const [gv, { serverRelativeURL }] of Object.entries(index.paths)) expect(serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{128}$`));
  });

  it('give every served kind a schema carrying its group-version-kind, and resolve every $ref', () => {
    for (const r of RESOURCES) {
      const gv = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
      const d = doc(gv);
      const match = Object.values(d.components.schemas).filter((s) =>
        (s['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined)?.some((g) => g.group === r.group && g.version === r.version && g.kind === r.kind),
      );
      expect(match, `${r.kind} in ${gv}`).toHaveLength(1);
      const refs = [...JSON.stringify(d).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      for (const ref of refs) expect(d.components.schemas[ref], `${ref} in ${gv}`).toBeDefined();
    }
  });

  it('carry the list patch metadata client-side apply computes strategic-merge patches from', () => {
    const core = doc('api/v1');
    expect(prop(core, 'io.k8s.api.core.v1.PodSpec', 'containers')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map' });
    expect(prop(core, 'io.k8s.api.core.v1.PodSpec', 'volumes')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
    expect(prop(core, 'io.k8s.api.core.v1.PodSpec', 'tolerations')).toMatchObject({ 'x-kubernetes-list-type': 'atomic' });
    expect(prop(core, 'io.k8s.api.core.v1.PodSpec', 'tolerations')['x-kubernetes-patch-merge-key']).toBeUndefined();
    expect(prop(core, 'io.k8s.api.core.v1.Container', 'ports')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] });
    expect(prop(core, 'io.k8s.api.core.v1.Container', 'env')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name' });
    expect(prop(core, 'io.k8s.api.core.v1.EphemeralContainer', 'volumeMounts')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'mountPath' });
    expect(prop(core, 'io.k8s.api.core.v1.ServiceSpec', 'ports')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'port' });
    expect(prop(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers')).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' });
    expect(prop(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'ownerReferences')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'uid' });
    expect(prop(doc('apis/apps/v1'), 'io.k8s.api.apps.v1.DeploymentSpec', 'strategy')).toMatchObject({ 'x-kubernetes-patch-strategy': 'retainKeys' });
    expect(core.components.schemas['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
  });

  it('offer strategic merge patch for built-in kinds only (custom resources take JSON merge patches)', () => {
    const patchTypes = (d: Doc, path: string) => Object.keys((((d.paths[path].patch as Record<string, unknown>).requestBody as Record<string, unknown>).content as Record<string, unknown>));
    expect(patchTypes(doc('apis/apps/v1'), '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')).toContain('application/strategic-merge-patch+json');
    const ro = patchTypes(doc('apis/argoproj.io/v1alpha1'), '/apis/argoproj.io/v1alpha1/namespaces/{namespace}/rollouts/{name}');
    expect(ro).toContain('application/merge-patch+json');
    expect(ro).not.toContain('application/strategic-merge-patch+json');
    const rollout = doc('apis/argoproj.io/v1alpha1');
    expect(prop(rollout, 'io.argoproj.rollouts.v1alpha1.Rollout', 'spec')).toBeDefined();
    expect(rollout.components.schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
  });
});

describe('unknown fields (fieldValidation=Strict)', () => {
  it('finds none in any object the seeded fleet holds: the schemas cover what the demo writes', () => {
    const clock = createClock(1);
    const store = new ObjectStore({ nowIso: () => clock.iso() });
    store.setDefaulter(applyDefaults);
    seedFleet(store, { clock, nodes: 4, pods: 60 });
    let checked = 0;
    for (const r of RESOURCES) {
      for (const obj of store.peek(r.group ? `${r.plural}.${r.group}` : r.plural)) {
        const apiVersion = String(obj.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version));
        expect(unknownFields(apiVersion, r.kind, obj), `${r.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('names misspelt fields by path, and leaves maps and open parts alone', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { anything: 'goes' } },
      spec: { replicas: 1, selector: {}, template: { spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', imagee: 'i', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } }, replica: 2 },
    };
    expect(unknownFields('apps/v1', 'Deployment', deploy)).toEqual(['spec.template.spec.containers[1].imagee', 'spec.replica']);
    expect(unknownFields('v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dataa: {} })).toEqual(['dataa']);
    const ro = { spec: { rollbackWindow: { revisions: 2 }, strategy: { canary: { steps: [{ setWeight: 5 }], pingPong: {}, trafficRouting: { nginx: { stableIngress: 'x' } } } }, template: { spec: { containers: [{ name: 'a', imagePullPolicyy: 'x' }] } } } };
    expect(unknownFields('argoproj.io/v1alpha1', 'Rollout', ro)).toEqual(['spec.template.spec.containers[0].imagePullPolicyy']);
    expect(unknownFields('example.com/v1', 'Widget', {})).toBeUndefined();
    expect(strictDecodingMessage('Deployment', 'apps/v1', ['spec.replica'])).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"');
  });
});

describe('serving', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (!serveOpenApi(req, res, new URL(req.url ?? '/', 'http://x'))) {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http.get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });

  it('gzips, tags, answers 304 to a matching ETag and redirects a stale hash', async () => {
    const url = openapiV3Index().paths['api/v1'].serverRelativeURL;
    const plain = await get(url);
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toMatch(/immutable/);
    const zipped = await get(url, { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    const again = await get(url, { 'If-None-Match': String(plain.headers.etag) });
    expect(again.status).toBe(304);
    const stale = await get('/openapi/v3/api/v1?hash=0BAD');
    expect(stale.status).toBe(301);
    expect(stale.headers.location).toBe(url);
    expect((await get('/openapi/v3/apis/nope/v1')).status).toBe(404);
    const v2 = await get('/openapi/v2', { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(v2.headers['content-type']).toMatch(/protobuf/);
  });
});
