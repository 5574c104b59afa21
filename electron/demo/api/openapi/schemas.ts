// The OpenAPI component schemas of the built-in kinds, generated at build time from
// @kubernetes/client-node's API models by scripts/gen-openapi.mjs into
// resources/openapi/k8s-schemas.json (the packaged app ships no .d.ts files to read them from).
// Loaded once, on the first OpenAPI request. schemaIndex() adds the Argo schemas and finds each
// kind's schema, for the documents (documents.ts) and the field checks (validate.ts) alike.
import { readFileSync } from 'node:fs';
import { resourcePath } from '../../../core/resources.js';
import { argoSchemas } from './argo.js';

/** An OpenAPI v3 schema object: a JSON tree whose shape the generator and argo.ts decide. */
export type Schema = { [key: string]: unknown };

export interface SchemaSet {
  /** What the schemas were generated from, e.g. "@kubernetes/client-node 1.4.0". */
  source: string;
  schemas: Record<string, Schema>;
}

let loaded: SchemaSet | undefined;

export function builtinSchemas(): SchemaSet {
  if (loaded) return loaded;
  const file = resourcePath('openapi', 'k8s-schemas.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`The demo fleet's OpenAPI schemas could not be read from ${file} (${(e as Error).message}); run \`node scripts/gen-openapi.mjs\` to generate them.`);
  }
  const set = parsed as Partial<SchemaSet>;
  if (typeof set.source !== 'string' || typeof set.schemas !== 'object' || set.schemas === null) {
    throw new Error(`${file} is not a schema set (expected {source, schemas}); regenerate it with \`node scripts/gen-openapi.mjs\`.`);
  }
  loaded = set as SchemaSet;
  return loaded;
}

let index: { schemas: Record<string, Schema>; byKind: Map<string, string> } | undefined;

/** The key of a kind in schemaIndex().byKind: `v1/Pod`, `apps/v1/Deployment`. */
export const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

/**
 * Every schema the demo serves (built-in and Argo) and, per kindKey, the name of the schema
 * declaring that x-kubernetes-group-version-kind. Built once.
 */
export function schemaIndex(): { schemas: Record<string, Schema>; byKind: Map<string, string> } {
  if (index) return index;
  const schemas = { ...builtinSchemas().schemas, ...argoSchemas() };
  const byKind = new Map<string, string>();
  for (const [name, s] of Object.entries(schemas)) {
    const gvks = s['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks as { group: string; version: string; kind: string }[]) byKind.set(kindKey(g.group ? `${g.group}/${g.version}` : g.version, g.kind), name);
  }
  index = { schemas, byKind };
  return index;
}

const REF_PREFIX = '#/components/schemas/';

/** Names of every schema reachable from `roots` through `$ref`s, roots included. */
export function closure(schemas: Record<string, Schema>, roots: string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) stack.push(v.slice(REF_PREFIX.length));
        else visit(v);
      }
    }
  };
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const s = schemas[name];
    if (!s) throw new Error(`OpenAPI schema ${name} is referenced but not defined; regenerate resources/openapi/k8s-schemas.json`);
    seen.add(name);
    visit(s);
  }
  return [...seen].sort();
}
