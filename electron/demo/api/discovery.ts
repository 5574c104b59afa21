// Discovery and OpenAPI documents. kubectl asks for aggregated discovery first; we answer the
// legacy lists in plain JSON, which it accepts as a fallback. OpenAPI is served only as far as
// `kubectl apply/create` need it: a v3 index and per group-version documents whose PATCH
// operations declare the `fieldValidation` parameter (so kubectl validates on the server), and a
// minimal protobuf v2 document for clients that insist on v2.
import type { ResourceDef } from './registry.js';
import { RESOURCES, apiVersionOf, groups, resourcesOf } from './registry.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.3',
  gitCommit: '32cc146f75aad04beaaa245a7157eb35063a9f99',
  gitTreeState: 'clean',
  buildDate: '2025-03-11T19:52:21Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map((g) => groupEntry(g.name, g.versions)) };
}

export function apiGroup(name: string): unknown | undefined {
  const g = groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.name, g.versions) } : undefined;
}

function resourceEntries(r: ResourceDef): Record<string, unknown>[] {
  const main: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
  if (r.shortNames) main.shortNames = r.shortNames;
  if (r.categories) main.categories = r.categories;
  const subs = r.subresources.map((s) => {
    const e: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
    if (s.group !== undefined) {
      e.group = s.group;
      e.version = s.version;
    }
    return e;
  });
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const rs = resourcesOf(group, version);
  if (!rs.length) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: rs.flatMap(resourceEntries) };
}

/** Paths of /openapi/v3: one entry per group-version. */
export function openapiV3Index(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const gvs = new Set(RESOURCES.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)));
  for (const gv of gvs) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${SERVER_VERSION.gitCommit.slice(0, 16)}` };
  return { paths };
}

const queryParam = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

/** One OpenAPI v3 document for a group-version: operations only, schemas left open. */
export function openapiV3Doc(gvPath: string): unknown | undefined {
  const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(gvPath);
  if (!m) return undefined;
  const group = m[1] ? '' : m[2];
  const version = m[1] ?? m[3];
  const rs = resourcesOf(group, version);
  if (!rs.length) return undefined;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const r of rs) {
    const gvk = [{ group, version, kind: r.kind }];
    const schemaName = `${group ? group.split('.').reverse().join('.') : 'io.k8s.api.core'}.${version}.${r.kind}`;
    // No x-kubernetes-group-version-kind on the schema: kubectl would then compute apply patches
    // from it, and these schemas are open. Without it kubectl uses its built-in patch metadata.
    schemas[schemaName] = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const ref = { $ref: `#/components/schemas/${schemaName}` };
    const body = { content: { 'application/json': { schema: ref } } };
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
    const item = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const coll = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const ext = { 'x-kubernetes-group-version-kind': gvk[0] };
    paths[coll] = {
      post: { operationId: `create${r.kind}`, parameters: [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')], requestBody: body, responses: ok, 'x-kubernetes-action': 'post', ...ext },
    };
    if (r.virtual) continue;
    paths[item] = {
      get: { operationId: `read${r.kind}`, responses: ok, 'x-kubernetes-action': 'get', ...ext },
      put: { operationId: `replace${r.kind}`, parameters: [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')], requestBody: body, responses: ok, 'x-kubernetes-action': 'put', ...ext },
      patch: {
        operationId: `patch${r.kind}`,
        parameters: [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean' } }],
        requestBody: { content: { 'application/json-patch+json': { schema: { type: 'object' } }, 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/strategic-merge-patch+json': { schema: { type: 'object' } }, 'application/apply-patch+yaml': { schema: { type: 'object' } } } },
        responses: ok,
        'x-kubernetes-action': 'patch',
        ...ext,
      },
      delete: { operationId: `delete${r.kind}`, responses: ok, 'x-kubernetes-action': 'delete', ...ext },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths, components: { schemas } };
}

/** A minimal gnostic OpenAPIv2 `Document` in protobuf: swagger "2.0" and info{title, version}. */
export function openapiV2Protobuf(): Buffer {
  const str = (field: number, s: string) => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
  };
  const info = Buffer.concat([str(1, 'Kubernetes'), str(2, SERVER_VERSION.gitVersion)]);
  return Buffer.concat([str(1, '2.0'), Buffer.from([(2 << 3) | 2, info.length]), info]);
}

export function openapiV2Json(): unknown {
  return { swagger: '2.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths: {}, definitions: {} };
}
