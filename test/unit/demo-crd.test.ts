// The CRD machinery of the demo API without kubectl: JSONPath for printer columns, structural
// pruning and schema validation, the served kinds a store's CRDs add, and the API's answers.
import { afterEach, describe, expect, it } from 'vitest';
import { evalJsonPath, setAtPath } from '../../electron/demo/api/crd/jsonpath.js';
import { applySchemaDefaults, schemaCauses, undeclaredFields } from '../../electron/demo/api/crd/schema.js';
import { CRD_KEY, findServed, servedResources } from '../../electron/demo/api/crd/served.js';
import { crdCauses } from '../../electron/demo/api/crd/definition.js';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject } from '../../electron/demo/store.js';
import { createApiServer } from '../../electron/demo/api/server.js';
import type { ApiServer } from '../../electron/demo/api/server.js';
import { createClock } from '../../electron/demo/clock.js';
import { generateTokens } from '../../electron/demo/api/auth.js';

const crd = (over: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gadgets', kind: 'Gadget' },
    versions: [{
      name: 'v1', served: true, storage: true,
      subresources: { status: {}, scale: { specReplicasPath: '.spec.count', statusReplicasPath: '.status.count' } },
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { count: { type: 'integer', minimum: 0 } } } } } },
    }],
    ...over,
  },
});

describe('CRD JSONPath', () => {
  const obj = { spec: { a: [{ n: 1 }, { n: 2 }] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] } };
  it('selects fields, indexes, wildcards and filters', () => {
    expect(evalJsonPath(obj, '.spec.a[1].n')).toEqual([2]);
    expect(evalJsonPath(obj, '.spec.a[*].n')).toEqual([1, 2]);
    expect(evalJsonPath(obj, '{.status.conditions[?(@.type=="Synced")].status}')).toEqual(['False']);
    expect(evalJsonPath(obj, '.spec.missing')).toEqual([]);
  });
  it('refuses syntax it does not know, and sets plain paths', () => {
    expect(() => evalJsonPath(obj, 'spec.a')).toThrow(/must start with "\."/);
    const o: Record<string, unknown> = {};
    setAtPath(o, '.spec.count', 4);
    expect(o).toEqual({ spec: { count: 4 } });
  });
});

describe('structural schema', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: { type: 'object', required: ['size'], properties: { size: { type: 'string', enum: ['s', 'l'] }, n: { type: 'integer', maximum: 3 }, open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, m: { type: 'object', additionalProperties: { type: 'string' } } } },
    },
  };
  it('prunes undeclared fields but keeps preserved and map ones, and top-level metadata', () => {
    const obj = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { size: 's', bogus: 1, open: { any: 1 }, m: { k: 'v' } }, junk: true };
    expect(undeclaredFields(schema, obj, true)).toEqual(['spec.bogus', 'junk']);
    expect(obj).toEqual({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { size: 's', open: { any: 1 }, m: { k: 'v' } } });
  });
  it('fills in defaults of absent fields, in present objects and list items', () => {
    const s = { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'integer', default: 1 }, b: { type: 'object', properties: { c: { type: 'string', default: 'x' } } }, l: { type: 'array', items: { type: 'object', properties: { d: { type: 'boolean', default: true } } } } } } } };
    const obj = { spec: { a: 5, l: [{}, { d: false }] } };
    applySchemaDefaults(s, obj);
    expect(obj).toEqual({ spec: { a: 5, l: [{ d: true }, { d: false }] } });
  });
  it('reports type, enum, bound and required failures with the apiserver wording', () => {
    const causes = schemaCauses(schema, { spec: { size: 'x', n: 7, m: { k: 1 } } }).map((c) => `${c.field}: ${c.message}`);
    expect(causes).toContain('spec.size: Unsupported value: "x": supported values: "s", "l"');
    expect(causes).toContain('spec.n: Invalid value: 7: spec.n in body should be less than or equal to 3');
    expect(causes).toContain('spec.m.k: Invalid value: 1: spec.m.k in body must be of type string: "integer"');
    expect(schemaCauses(schema, { spec: {} }).map((c) => c.field)).toEqual(['spec.size']);
  });
});

describe('CRD definitions', () => {
  it('refuses a name that is not plural.group and a missing schema', () => {
    const bad = crd({ versions: [{ name: 'v1', served: true, storage: true }] });
    bad.metadata.name = 'gadget.example.com';
    const fields = crdCauses(bad).map((c) => c.field);
    expect(fields).toEqual(['metadata.name', 'spec.versions[0].schema.openAPIV3Schema']);
  });
  it('serves a kind per served version while the CRD exists', () => {
    const store = new ObjectStore();
    expect(findServed(store, 'example.com', 'v1', 'gadgets')).toBeUndefined();
    store.create(CRD_KEY, crd());
    const r = findServed(store, 'example.com', 'v1', 'gadgets');
    expect(r).toMatchObject({ kind: 'Gadget', singular: 'gadget', namespaced: true });
    expect(r?.subresources.map((s) => s.name)).toEqual(['status', 'scale']);
    expect(r?.custom?.columns.map((c) => c.name)).toEqual(['Age']);
    expect(servedResources(store)).toContain(r);
    store.delete(CRD_KEY, undefined, 'gadgets.example.com');
    expect(findServed(store, 'example.com', 'v1', 'gadgets')).toBeUndefined();
  });
});

describe('custom resources through the API', () => {
  let api: ApiServer | undefined;
  afterEach(async () => {
    await api?.dispose();
    api = undefined;
  });

  async function start(): Promise<{ store: ObjectStore; url: string }> {
    const store = new ObjectStore();
    const clock = createClock(1);
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    api = createApiServer({ store, clock, tokens: generateTokens(), sim: {} as never });
    return { store, url: await api.listen(0, '127.0.0.1') };
  }

  it('marks a created CRD Established, scales via its paths, and serves the OpenAPI document', async () => {
    const { store, url } = await start();
    const created = await fetch(`${url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, { method: 'POST', body: JSON.stringify(crd()) });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    const status = store.peekOne(CRD_KEY, undefined, 'gadgets.example.com')?.status as { conditions: { type: string; status: string }[]; acceptedNames: { listKind: string } };
    expect(status.conditions.find((c) => c.type === 'Established')?.status).toBe('True');
    expect(status.acceptedNames.listKind).toBe('GadgetList');
    const base = `${url}/apis/example.com/v1/namespaces/default/gadgets`;
    expect((await fetch(base, { method: 'POST', body: JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { count: 1 } }) })).status).toBe(201);
    const scaled = await fetch(`${base}/g/scale`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"spec":{"replicas":4}}' });
    expect(((await scaled.json()) as { spec: { replicas: number } }).spec.replicas).toBe(4);
    expect((store.peekOne('gadgets.example.com', 'default', 'g')?.spec as { count: number }).count).toBe(4);
    const index = (await (await fetch(`${url}/openapi/v3`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(index.paths)).toContain('apis/example.com/v1');
    const doc = (await (await fetch(`${url}/openapi/v3/apis/example.com/v1`)).json()) as { components: { schemas: Record<string, unknown> } };
    expect(doc.components.schemas['com.example.v1.Gadget']).toMatchObject({ 'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Gadget' }] });
    // Aggregated discovery (what kubectl asks for first) lists the custom kind with its subresources.
    const agg = await fetch(`${url}/apis`, { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
    expect(agg.headers.get('content-type')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const groups = ((await agg.json()) as { items: { metadata: { name: string }; versions: { version: string; resources: { resource: string; scope: string; subresources?: { subresource: string }[] }[] }[] }[] }).items;
    const example = groups.find((g) => g.metadata.name === 'example.com')?.versions[0].resources[0];
    expect(example).toMatchObject({ resource: 'gadgets', scope: 'Namespaced', subresources: [{ subresource: 'status' }, { subresource: 'scale' }] });
    const legacy = await fetch(`${url}/apis`, { headers: { Accept: 'application/json' } });
    expect(((await legacy.json()) as { kind: string }).kind).toBe('APIGroupList');
    // A second served version reads the same objects with its own apiVersion (conversion None).
    const crdNow = store.get(CRD_KEY, undefined, 'gadgets.example.com')!;
    const spec = crdNow.spec as { versions: Record<string, unknown>[] };
    spec.versions.push({ ...spec.versions[0], name: 'v2', storage: false });
    store.update(CRD_KEY, crdNow);
    const v2 = (await (await fetch(`${url}/apis/example.com/v2/namespaces/default/gadgets/g`)).json()) as { apiVersion: string; spec: unknown };
    expect(v2).toMatchObject({ apiVersion: 'example.com/v2', spec: { count: 4 } });
    const v2list = (await (await fetch(`${url}/apis/example.com/v2/namespaces/default/gadgets`)).json()) as { items: { apiVersion: string }[] };
    expect(v2list.items.map((i) => i.apiVersion)).toEqual(['example.com/v2']);
    const ac = new AbortController();
    const watch = await fetch(`${url}/apis/example.com/v2/namespaces/default/gadgets?watch=true&resourceVersion=0`, { signal: ac.signal });
    const first = await watch.body!.getReader().read();
    ac.abort();
    expect(JSON.parse(Buffer.from(first.value!).toString('utf8').split('\n')[0])).toMatchObject({ type: 'ADDED', object: { apiVersion: 'example.com/v2' } });
    const invalid = await fetch(base, { method: 'POST', body: JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'h' }, spec: { count: -1 } }) });
    expect(invalid.status).toBe(422);
  });
});
