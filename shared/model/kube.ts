// The slice of Kubernetes object shapes the console reads. Field meanings follow the API reference
// (https://kubernetes.io/docs/reference/kubernetes-api/); everything we do not read stays `unknown`.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Every kind the console keeps a watch cache for (plurals of electron/core/kube's kinds table).
 * Secrets are deliberately absent: never watched. */
export const WATCHED_KINDS = [
  'namespaces',
  'nodes',
  'pods',
  'services',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'events',
  'rollouts',
] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];

export const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** Read side of one context's watch caches; what other domains (rollouts, GPUs) build on. */
export interface ResourceCaches {
  list(kind: WatchedKind): KubeObject[];
  get(kind: WatchedKind, namespace: string | undefined, name: string): KubeObject | undefined;
  onChange(kind: WatchedKind, listener: (event: CacheEvent) => void): () => void;
  synced(kind: WatchedKind): boolean;
}

/** `250m` -> 0.25, `2` -> 2, `1Gi` -> 1073741824: enough of resource.Quantity for counts. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return 0;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return 0;
  const n = Number(match[1]);
  const suffix: Record<string, number> = {
    '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
  };
  return n * (suffix[match[2]] ?? 1);
}
