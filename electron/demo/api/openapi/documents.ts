// The /openapi/v3 documents: an index of group-versions, and one document per group-version with
// its operations and the component schemas of its kinds (and everything they reference), as
// kube-apiserver publishes them. kubectl reads them for `explain`, for server-side field validation
// (the fieldValidation parameter of each operation) and for client-side apply, which computes a
// strategic-merge patch from the schema's patch metadata when the PATCH operation accepts
// application/strategic-merge-patch+json, and a JSON merge patch otherwise (custom resources).
import type { ResourceDef } from '../registry.js';
import { RESOURCES, resourcesOf } from '../registry.js';
import { SERVER_VERSION } from '../discovery.js';
import type { Schema } from './schemas.js';
import { closure, kindKey, schemaIndex } from './schemas.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CUSTOM_GROUPS = new Set(['argoproj.io']);

/** Paths of the group-versions the demo serves, as the index names them: `api/v1`, `apis/apps/v1`. */
export function groupVersionPaths(): string[] {
  return [...new Set(RESOURCES.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)))];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const queryParam = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [
  queryParam('dryRun', 'When present, the change is validated but not persisted. The only valid value is All.'),
  queryParam('fieldManager', 'Name of the actor making the change, recorded in managedFields.'),
  queryParam('fieldValidation', 'What to do with unknown or duplicate fields: Ignore, Warn or Strict.'),
];
const json = (schema: unknown) => ({ 'application/json': { schema }, 'application/yaml': { schema } });

function operations(r: ResourceDef, kindSchema: string, listSchema: string | undefined): Record<string, unknown> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const scope = r.namespaced ? '/namespaces/{namespace}' : '';
  const coll = `${prefix}${scope}/${r.plural}`;
  const item = `${coll}/{name}`;
  const pathParams = [
    ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: { type: 'string', uniqueItems: true } }] : []),
  ];
  const ok = (schema: unknown, code = '200') => ({ [code]: { description: code === '201' ? 'Created' : 'OK', content: json(schema) }, '401': { description: 'Unauthorized' } });
  const op = (verb: string, action: string, extra: Record<string, unknown>) => ({
    operationId: `${verb}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
    tags: [r.group ? `${r.group.split('.')[0]}_${r.version}` : `core_${r.version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const kind = ref(kindSchema);
  const paths: Record<string, unknown> = {};
  paths[coll] = {
    parameters: pathParams,
    post: op('create', 'post', { parameters: WRITE_PARAMS, requestBody: { required: true, content: json(kind) }, responses: { ...ok(kind), ...ok(kind, '201') } }),
    ...(listSchema ? { get: op('list', 'list', { responses: ok(ref(listSchema)) }) } : {}),
  };
  if (r.virtual) return paths;
  const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', ...(CUSTOM_GROUPS.has(r.group) || r.custom ? [] : ['application/strategic-merge-patch+json']), 'application/apply-patch+yaml'];
  paths[item] = {
    parameters: [{ name: 'name', in: 'path', required: true, description: `name of the ${r.kind}`, schema: { type: 'string', uniqueItems: true } }, ...pathParams],
    get: op('read', 'get', { responses: ok(kind) }),
    put: op('replace', 'put', { parameters: WRITE_PARAMS, requestBody: { required: true, content: json(kind) }, responses: ok(kind) }),
    patch: op('patch', 'patch', {
      parameters: [...WRITE_PARAMS, { name: 'force', in: 'query', description: 'Force an apply request to take over conflicting fields.', schema: { type: 'boolean', uniqueItems: true } }],
      requestBody: { required: true, content: Object.fromEntries(patchTypes.map((t) => [t, { schema: ref(`${META}.Patch`) }])) },
      responses: ok(kind),
    }),
    delete: op('delete', 'delete', { requestBody: { content: json(ref(`${META}.DeleteOptions`)) }, responses: ok(ref(`${META}.Status`)) }),
  };
  return paths;
}

/** The OpenAPI v3 document of one group-version path (`api/v1`, `apis/apps/v1`), or undefined. */
export function buildGroupVersionDoc(gvPath: string): Record<string, unknown> | undefined {
  const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(gvPath);
  if (!m) return undefined;
  const group = m[1] ? '' : m[2];
  const version = m[1] ?? m[3];
  const rs = resourcesOf(group, version);
  if (!rs.length) return undefined;
  const { schemas, byKind } = schemaIndex();
  return assembleDoc(rs, schemas, byKind);
}

/**
 * The document of one group-version's kinds `rs`, each kind's schema found in `byKind` (kindKey ->
 * schema name) among `schemas`, which must also hold the meta/v1 schemas they reference.
 */
export function assembleDoc(rs: ResourceDef[], schemas: Record<string, Schema>, byKind: Map<string, string>): Record<string, unknown> {
  const { group, version } = rs[0];
  const apiVersion = group ? `${group}/${version}` : version;
  const paths: Record<string, unknown> = {};
  const roots = [`${META}.Status`, `${META}.DeleteOptions`];
  for (const r of rs) {
    const kindSchema = byKind.get(kindKey(apiVersion, r.kind));
    if (!kindSchema) throw new Error(`No OpenAPI schema for ${r.kind} (${group || 'core'}/${version}): add it to scripts/gen-openapi.mjs ROOTS or openapi/argo.ts`);
    const listSchema = byKind.get(kindKey(apiVersion, `${r.kind}List`));
    roots.push(kindSchema, ...(listSchema ? [listSchema] : []));
    Object.assign(paths, operations(r, kindSchema, listSchema));
  }
  // Patch bodies are free-form; kube-apiserver names the type meta/v1 Patch.
  const patchSchema: Schema = { type: 'object', description: 'A patch document: its type is given by the Content-Type of the request.' };
  const names = closure({ ...schemas, [`${META}.Patch`]: patchSchema }, [...roots, `${META}.Patch`]);
  const docSchemas: Record<string, Schema> = {};
  for (const n of names) docSchemas[n] = n === `${META}.Patch` ? patchSchema : schemas[n];
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: {
      schemas: docSchemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}
