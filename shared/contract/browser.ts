// Resource browser (issue #20): every kind discovery reports, built-in or custom, listed from the
// server's own Table representation (the columns `kubectl get` prints) and kept live by a watch.
// Changes go the action road: `resource.delete` and `resource.apply` on a target whose kind is the
// resource's fully qualified name (`widgets.v1.example.com`, `pods.v1`), see resourceKindName.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { contextName, identifier, kubeName, namespaceName } from './limits.js';

export const browserKindSchema = z.object({
  /** '' for the core group. */
  group: z.string(),
  version: z.string(),
  kind: z.string(),
  plural: z.string(),
  namespaced: z.boolean(),
  verbs: z.array(z.string()),
  shortNames: z.array(z.string()),
  categories: z.array(z.string()),
});
export type BrowserKind = z.infer<typeof browserKindSchema>;

/** Which collection: the resource's place in the API. */
export const resourceRefSchema = z
  .object({
    group: z.string().max(253),
    version: identifier(),
    plural: identifier(),
    namespace: namespaceName().optional(),
  })
  .strict();
export type ResourceRef = z.infer<typeof resourceRefSchema>;

export const tableColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  format: z.string().optional(),
  description: z.string().optional(),
  /** 0 for the columns `kubectl get` prints, higher for `-o wide`. */
  priority: z.number(),
});
export type TableColumn = z.infer<typeof tableColumnSchema>;

export const tableRowSchema = z.object({
  /** namespace/name (or name for cluster-wide kinds). */
  key: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  cells: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type TableRow = z.infer<typeof tableRowSchema>;

export const tableEventSchema = z.discriminatedUnion('type', [
  /** The first page (and after a relist): everything shown so far is replaced. */
  z.object({ type: z.literal('reset'), columns: z.array(tableColumnSchema), rows: z.array(tableRowSchema), complete: z.boolean() }),
  /** A further page of the initial list. */
  z.object({ type: z.literal('page'), rows: z.array(tableRowSchema), complete: z.boolean() }),
  /** Watch events coalesced: the last state of each changed row, and the keys deleted. */
  z.object({ type: z.literal('changes'), upserts: z.array(tableRowSchema), deletes: z.array(z.string()) }),
  z.object({ type: z.literal('problem'), message: z.string() }),
]);
export type TableEvent = z.infer<typeof tableEventSchema>;

export const conditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

export const objectEventSchema = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  lastSeen: z.string().optional(),
});

/** One object the name index found: enough to open it in the resource browser. */
export const namedObjectSchema = z.object({
  group: z.string(),
  version: z.string(),
  plural: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});
export type NamedObject = z.infer<typeof namedObjectSchema>;

export const browserContract = {
  'browser.search': defineMethod({
    request: z.object({ context: contextName(), query: z.string().max(253), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    response: z.object({
      objects: z.array(namedObjectSchema),
      /** False while some kinds are still being listed: ask again shortly for more. */
      complete: z.boolean(),
    }),
    mutates: false,
    summary: 'Objects of every kind, found by name (fuzzy) in a brief, bounded, metadata-only index of the context (the command palette).',
  }),
  'browser.kinds': defineMethod({
    request: z.object({ context: contextName() }).strict(),
    response: z.object({ kinds: z.array(browserKindSchema), at: z.string() }),
    mutates: false,
    summary: 'Every listable kind discovery reports (aggregated discovery), built-in and custom, sorted by group.',
  }),
  'browser.details': defineMethod({
    request: z.object({ context: contextName(), resource: resourceRefSchema, name: kubeName() }).strict(),
    response: z.object({
      /** The object as YAML, secrets redacted. */
      yaml: z.string(),
      /** What an edit starts from: the object without status and server-set metadata, redacted. */
      editableYaml: z.string(),
      conditions: z.array(conditionSchema),
      events: z.array(objectEventSchema),
    }),
    mutates: false,
    summary: 'One object: YAML (redacted), its status conditions and the events about it.',
  }),
} as const;

export const browserStreams = {
  'browser.table': defineStream({
    params: resourceRefSchema.extend({ context: contextName(), pageSize: z.number().int().min(10).max(5_000).default(500) }).strict(),
    event: tableEventSchema,
    summary: 'A collection as the server prints it (Table), paged in with limit/continue, then kept live by a Table watch; changes coalesced.',
  }),
} as const;

/** The action target kind for a resource: plural.version.group, kubectl's fully qualified form. */
export const resourceKindName = (ref: { plural: string; version: string; group: string }): string => [ref.plural, ref.version, ref.group].filter(Boolean).join('.');

/** The inverse of resourceKindName; undefined for a name that has no version part. */
export function parseResourceKindName(name: string): { plural: string; version: string; group: string } | undefined {
  const [plural, version, ...group] = name.split('.');
  if (!plural || !version || !/^v\d+((alpha|beta)\d+)?$/.test(version)) return undefined;
  return { plural, version, group: group.join('.') };
}
