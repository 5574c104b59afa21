// The demo API over HTTP: fieldValidation (400 / Warning header / silent drop) on create, update
// and patch, and server-side apply's HTTP surface (managedFields, 409 causes, PatchOptions checks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import { createClock } from '../../electron/demo/clock.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { createApiServer } from '../../electron/demo/api/server.js';
import type { ApiServer } from '../../electron/demo/api/server.js';

const clock = createClock(1);
const store = new ObjectStore({ nowIso: () => clock.iso() });
store.setDefaulter(applyDefaults);
let server: ApiServer;
let base: string;

async function call(method: string, path: string, body: unknown, contentType = 'application/json', userAgent = 'probe/1.0') {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: 'Bearer t', 'Content-Type': contentType, 'User-Agent': userAgent },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, warning: res.headers.get('warning'), json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' }, ...extra });
const CMS = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  server = createApiServer({ store, clock, tokens: { admin: 't', viewer: 'v' }, sim: {} });
  base = await server.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await server.dispose();
  clock.stop();
});

describe('fieldValidation over HTTP', () => {
  it('create: Strict 400, Warn 201 with a Warning header and the field dropped, absent keeps the request as sent', async () => {
    const strict = await call('POST', `${CMS}?fieldValidation=Strict`, cm('s', { dataa: 1 }));
    expect(strict.status).toBe(400);
    expect(strict.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"' });
    const warn = await call('POST', `${CMS}?fieldValidation=Warn`, cm('w', { dataa: 1 }));
    expect(warn.status).toBe(201);
    expect(warn.warning).toBe('299 - "unknown field \\"dataa\\""');
    expect(warn.json.dataa).toBeUndefined();
    const ignore = await call('POST', `${CMS}?fieldValidation=Ignore`, cm('i', { dataa: 1 }));
    expect([ignore.status, ignore.warning, ignore.json.dataa]).toEqual([201, null, undefined]);
  });

  it('update and every patch type validate the result', async () => {
    await call('POST', CMS, cm('u'));
    const put = await call('PUT', `${CMS}/u?fieldValidation=Strict`, cm('u', { dataa: 1 }));
    expect(put.status).toBe(400);
    for (const [ct, body] of [
      ['application/merge-patch+json', { dataa: 1 }],
      ['application/strategic-merge-patch+json', { dataa: 1 }],
      ['application/json-patch+json', [{ op: 'add', path: '/dataa', value: 1 }]],
    ] as const) {
      const r = await call('PATCH', `${CMS}/u?fieldValidation=Strict`, body, ct);
      expect(r.status, ct).toBe(400);
      expect(r.json.message).toBe('strict decoding error: unknown field "dataa"');
      const w = await call('PATCH', `${CMS}/u?fieldValidation=Warn`, body, ct);
      expect([w.status, w.warning], ct).toEqual([200, '299 - "unknown field \\"dataa\\""']);
    }
    expect((await call('PATCH', `${CMS}/u?fieldValidation=Bogus`, { data: { b: '2' } }, 'application/merge-patch+json')).status).toBe(400);
  });
});

describe('server-side apply over HTTP', () => {
  const APPLY = 'application/apply-patch+yaml';
  it('records managers from fieldManager or the User-Agent, and answers conflicts with FieldManagerConflict causes', async () => {
    const created = await call('PATCH', `${CMS}/ssa?fieldManager=team-a`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1", b: "2"}\n', APPLY);
    expect(created.status).toBe(201);
    expect(created.json.metadata.managedFields).toEqual([
      { manager: 'team-a', operation: 'Apply', apiVersion: 'v1', time: expect.any(String), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } } },
    ]);
    const edited = await call('PATCH', `${CMS}/ssa`, { data: { a: 'edited' } }, 'application/merge-patch+json', 'kubectl-edit/v1.32.3 (linux/amd64)');
    expect(edited.json.metadata.managedFields.map((e: { manager: string; fieldsV1: unknown }) => [e.manager, e.fieldsV1])).toEqual([
      ['team-a', { 'f:data': { 'f:b': {} } }],
      ['kubectl-edit', { 'f:data': { 'f:a': {} } }],
    ]);
    const refused = await call('PATCH', `${CMS}/ssa?fieldManager=team-a`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1", b: "2"}\n', APPLY);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.a' }] },
    });
    // Dropping b from the applied configuration removes it: nobody else owns it.
    const forced = await call('PATCH', `${CMS}/ssa?fieldManager=team-a&force=true`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1"}\n', APPLY);
    expect(forced.status).toBe(200);
    expect(forced.json.data).toEqual({ a: '1' });
    expect(forced.json.metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(['team-a']);
  });

  it('checks PatchOptions as the apiserver does', async () => {
    const noManager = await call('PATCH', `${CMS}/ssa`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\n', APPLY);
    expect(noManager.status).toBe(422);
    expect(noManager.json.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const force = await call('PATCH', `${CMS}/ssa?force=true`, { data: { c: '3' } }, 'application/merge-patch+json');
    expect(force.status).toBe(422);
  });
});
