// Discovery documents. kubectl asks for aggregated discovery first; we answer the legacy lists in
// plain JSON, which it accepts as a fallback. The OpenAPI documents live in ./openapi/.
import type { ResourceDef } from './registry.js';
import { apiVersionOf, groups, resourcesOf } from './registry.js';

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

// `served` is every kind the server serves now: the built-in ones and those of its CRDs.
export function apiGroupList(served?: readonly ResourceDef[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(served).map((g) => groupEntry(g.name, g.versions)) };
}

export function apiGroup(name: string, served?: readonly ResourceDef[]): unknown | undefined {
  const g = groups(served).find((x) => x.name === name);
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

export function apiResourceList(group: string, version: string, served?: readonly ResourceDef[]): unknown | undefined {
  const rs = resourcesOf(group, version, served);
  if (!rs.length) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: rs.flatMap(resourceEntries) };
}
