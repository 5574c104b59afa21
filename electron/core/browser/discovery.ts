// Which kinds a context serves: aggregated discovery (apidiscovery.k8s.io/v2, two requests for the
// whole API, custom resources included). Only kinds that can be listed and watched are browsable;
// subresources and virtual kinds (reviews, tokens) are not collections.
import type { KubeConfig } from '@kubernetes/client-node';
import { getJson } from '../kube/index.js';
import type { BrowserKind } from '../../../shared/contract/browser.js';

const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface DiscoveryResource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface DiscoveryList {
  kind?: string;
  items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version: string; resources?: DiscoveryResource[] }> }>;
}

/** The kinds of one APIGroupDiscoveryList: each group's first (preferred) version, list+watch only. */
export function kindsOfDiscovery(list: DiscoveryList): BrowserKind[] {
  const kinds: BrowserKind[] = [];
  for (const group of list.items ?? []) {
    const preferred = group.versions?.[0];
    if (!preferred) continue;
    for (const r of preferred.resources ?? []) {
      const verbs = r.verbs ?? [];
      if (!verbs.includes('list') || !verbs.includes('watch') || !r.responseKind?.kind) continue;
      kinds.push({
        group: group.metadata?.name ?? '',
        version: preferred.version,
        kind: r.responseKind.kind,
        plural: r.resource,
        namespaced: r.scope === 'Namespaced',
        verbs,
        shortNames: r.shortNames ?? [],
        categories: r.categories ?? [],
      });
    }
  }
  return kinds;
}

/** Every browsable kind, core first, then groups by name, kinds by name within a group. */
export async function discoverKinds(kc: KubeConfig, signal?: AbortSignal): Promise<BrowserKind[]> {
  const lists = await Promise.all(['/api', '/apis'].map((path) => getJson<DiscoveryList>(kc, path, { signal, headers: { Accept: AGGREGATED_ACCEPT } })));
  for (const list of lists) {
    if (list.kind !== 'APIGroupDiscoveryList') {
      throw new Error('The API server does not answer aggregated discovery (Kubernetes 1.27 or later does); the resource browser needs it.');
    }
  }
  return lists
    .flatMap(kindsOfDiscovery)
    .sort((a, b) => (a.group === b.group ? a.kind.localeCompare(b.kind) : a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}
