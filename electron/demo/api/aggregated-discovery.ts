// Aggregated discovery (apidiscovery.k8s.io/v2, KEP 3352): `/api` and `/apis` answered as one
// APIGroupDiscoveryList each when the client asks for it (kubectl ≥ 1.26 does, first), so a
// kubectl run needs two discovery requests instead of one per group-version. Built from the kinds
// served at that moment, custom resources included, and cached until they change.
import type { ResourceDef } from './registry.js';
import { groups, resourcesOf } from './registry.js';

/** The discovery version the Accept header asks for (`v2` or `v2beta1`), or undefined: legacy lists. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of String(accept ?? '').split(',')) {
    const params = part.split(';').map((p) => p.trim());
    if (!params.includes('g=apidiscovery.k8s.io') || !params.includes('as=APIGroupDiscoveryList')) {
      // The first acceptable plain type wins over any later aggregated one, as in content negotiation.
      if (params[0] === 'application/json' || params[0] === '*/*') return undefined;
      continue;
    }
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}

export const aggregatedContentType = (v: 'v2' | 'v2beta1') => `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

function resourceEntry(r: ResourceDef): Record<string, unknown> {
  const e: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames) e.shortNames = r.shortNames;
  if (r.categories) e.categories = r.categories;
  if (r.subresources.length) {
    e.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return e;
}

/** The APIGroupDiscoveryList of `/api` (core) or `/apis` (every named group). */
export function aggregatedDiscovery(path: '/api' | '/apis', served: readonly ResourceDef[], version: 'v2' | 'v2beta1'): unknown {
  const groupItem = (name: string, versions: string[]) => ({
    metadata: { name, creationTimestamp: null },
    versions: versions.map((v) => ({ version: v, resources: resourcesOf(name, v, served).map(resourceEntry), freshness: 'Current' })),
  });
  const items = path === '/api' ? [groupItem('', ['v1'])] : groups(served).map((g) => groupItem(g.name, g.versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
