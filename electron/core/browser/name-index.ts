// A cheap name-only index of every kind for the command palette (issue #17): names per kind listed
// metadata-only (PartialObjectMetadataList) with a `limit`, kept briefly, so typing in the palette
// searches memory, not the API. Bounded: at most maxKinds kinds × maxNames names. A search waits a
// short budget for the listing; kinds that answer later are found by the next search.
import type { KubeConfig } from '@kubernetes/client-node';
import fuzzysort from 'fuzzysort';
import { getJson } from '../kube/index.js';
import type { BrowserKind, NamedObject } from '../../../shared/contract/browser.js';
import { collectionUrl } from './live-table.js';

const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Kinds not worth a palette entry: events churn, leases tick, and the rest are found elsewhere. */
const SKIPPED = new Set(['events', 'events.events.k8s.io', 'leases.coordination.k8s.io', 'endpointslices.discovery.k8s.io', 'endpoints', 'componentstatuses']);

export interface NameIndexOptions {
  maxKinds?: number;
  maxNames?: number;
  /** How long an index is reused (ms). */
  ttlMs?: number;
  /** How long a search waits for kinds still listing (ms). */
  budgetMs?: number;
  /** Kinds listed at once. */
  concurrency?: number;
}

export interface NameIndexSource {
  kinds(): Promise<BrowserKind[]>;
  /** Up to `limit` names of one kind across namespaces. */
  names(kind: BrowserKind, limit: number): Promise<Array<{ namespace?: string; name: string }>>;
}

interface Entry extends NamedObject {
  text: string;
}

interface Index {
  builtAt: number;
  entries: Entry[];
  done: Promise<void>;
  complete: boolean;
}

const skipped = (k: BrowserKind) => SKIPPED.has(k.group ? `${k.plural}.${k.group}` : k.plural);

export function createNameIndex(source: NameIndexSource, options: NameIndexOptions = {}) {
  const { maxKinds = 150, maxNames = 500, ttlMs = 30_000, budgetMs = 700, concurrency = 6 } = options;
  let current: Index | undefined;

  function build(): Index {
    const index: Index = { builtAt: Date.now(), entries: [], complete: false, done: Promise.resolve() };
    index.done = (async () => {
      const kinds = (await source.kinds()).filter((k) => !skipped(k)).slice(0, maxKinds);
      let next = 0;
      const worker = async () => {
        while (next < kinds.length) {
          const kind = kinds[next++];
          // A kind we may not list (RBAC) or that fails is simply not found; the others still are.
          const names = await source.names(kind, maxNames).catch(() => []);
          for (const { namespace, name } of names.slice(0, maxNames)) {
            index.entries.push({ group: kind.group, version: kind.version, plural: kind.plural, kind: kind.kind, ...(namespace ? { namespace } : {}), name, text: `${name} ${kind.kind} ${namespace ?? ''}` });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, kinds.length) }, worker));
      index.complete = true;
    })().catch(() => {
      index.complete = true;
    });
    return index;
  }

  return {
    async search(query: string, limit: number): Promise<{ objects: NamedObject[]; complete: boolean }> {
      if (!current || Date.now() - current.builtAt > ttlMs) current = build();
      const index = current;
      await Promise.race([index.done, new Promise((r) => setTimeout(r, budgetMs))]);
      const q = query.trim().replace(/^:\s*/, '');
      const found = q ? fuzzysort.go(q, index.entries, { key: 'text', limit, threshold: 0.3 }).map((r) => r.obj) : [];
      return { objects: found.map(({ text: _text, ...object }) => object), complete: index.complete };
    },
    /** Entries held (for tests and the bound). */
    size: () => current?.entries.length ?? 0,
  };
}

export type NameIndex = ReturnType<typeof createNameIndex>;

/** Names of one kind across namespaces, metadata only, at most `limit` (one request). */
export async function listNames(kc: KubeConfig, kind: BrowserKind, limit: number): Promise<Array<{ namespace?: string; name: string }>> {
  const list = await getJson<{ items?: Array<{ metadata?: { name?: string; namespace?: string } }> }>(
    kc,
    `${collectionUrl({ group: kind.group, version: kind.version, plural: kind.plural })}?limit=${limit}`,
    { headers: { Accept: METADATA_ACCEPT } },
  );
  return (list.items ?? []).flatMap((i) => (i.metadata?.name ? [{ name: i.metadata.name, ...(i.metadata.namespace ? { namespace: i.metadata.namespace } : {}) }] : []));
}
