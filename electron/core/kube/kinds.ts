// The one table from a kind to its place in the API (group, version, plural, scope), and the paths
// and RBAC attributes built from it. Every domain that names a kind in a URL reads it from here.
import { WATCHED_KINDS, type WatchedKind } from '../../../shared/model/kube.js';

export interface KindInfo {
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  /** The resource name in URLs and RBAC rules. */
  plural: string;
  namespaced: boolean;
  /** A CRD that may be missing: a 404 means "not installed", not an error. */
  optional?: boolean;
}

const kindTable = <T extends Record<string, Omit<KindInfo, 'kind'>>>(table: T): { [K in keyof T]: KindInfo & { kind: K } } =>
  Object.fromEntries(Object.entries(table).map(([kind, info]) => [kind, { kind, ...info }])) as { [K in keyof T]: KindInfo & { kind: K } };

export const KINDS = kindTable({
  Namespace: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  Node: { group: '', version: 'v1', plural: 'nodes', namespaced: false },
  Pod: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  Service: { group: '', version: 'v1', plural: 'services', namespaced: true },
  Event: { group: '', version: 'v1', plural: 'events', namespaced: true },
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  ReplicaSet: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  StatefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  DaemonSet: { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true },
  ControllerRevision: { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true },
  Job: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  Rollout: { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespaced: true, optional: true },
  SelfSubjectAccessReview: { group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectaccessreviews', namespaced: false },
});
export type KnownKind = keyof typeof KINDS;

const BY_PLURAL = new Map<string, KindInfo>(Object.values(KINDS).map((info) => [info.plural, info]));

/** The kind a plural names (`pods` -> Pod); undefined for a plural the table does not know. */
export const kindOfPlural = (plural: string): KindInfo | undefined => BY_PLURAL.get(plural);

/** A watched kind's entry; WATCHED_KINDS are plurals of the table, checked once at load. */
export const WATCHED_KIND_INFO: Record<WatchedKind, KindInfo> = Object.fromEntries(
  WATCHED_KINDS.map((plural) => {
    const info = BY_PLURAL.get(plural);
    if (!info) throw new Error(`watched kind "${plural}" is missing from the kinds table`);
    return [plural, info];
  }),
) as Record<WatchedKind, KindInfo>;

/** The kind named either way (`Deployment` or `deployments`). */
export const kindInfo = (kindOrPlural: string): KindInfo | undefined => (KINDS as Record<string, KindInfo>)[kindOrPlural] ?? BY_PLURAL.get(kindOrPlural);

export const apiVersionOf = (info: KindInfo): string => (info.group ? `${info.group}/${info.version}` : info.version);

const groupRoot = (info: KindInfo): string => (info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`);

/** The collection: across all namespaces, or in one namespace for a namespaced kind. */
export function collectionPath(info: KindInfo, namespace?: string): string {
  const scope = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupRoot(info)}${scope}/${info.plural}`;
}

export function objectPath(info: KindInfo, namespace: string | undefined, name: string, subresource?: string): string {
  return `${collectionPath(info, namespace)}/${encodeURIComponent(name)}${subresource ? '/' + subresource : ''}`;
}
