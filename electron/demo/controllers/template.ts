// Pod templates as the apiserver stores them, and the deployment controller's template hash.
// Templates must be compared after defaulting: a template read back from a ReplicaSet (kubectl undo)
// carries every default, the one a user sends does not, and a naive comparison makes undo create a
// new ReplicaSet instead of reusing the old one.
import type { KubeObject } from '../store.js';
import { NAME_ALPHABET, fnv32a } from '../random.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec: PodSpec;
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; [key: string]: unknown }[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  imagePullPolicy?: string;
  [key: string]: unknown;
}

export interface PodSpec {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  nodeSelector?: Record<string, string>;
  nodeName?: string;
  restartPolicy?: string;
  [key: string]: unknown;
}

export const POD_TEMPLATE_HASH = 'pod-template-hash';

function defaultContainer(c: ContainerSpec): ContainerSpec {
  const out: ContainerSpec = { ...c };
  if (out.imagePullPolicy === undefined) {
    const tag = /:([^/:@]+)$/.exec(out.image ?? '')?.[1];
    out.imagePullPolicy = !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (out.resources === undefined) out.resources = {};
  if (out.terminationMessagePath === undefined) out.terminationMessagePath = '/dev/termination-log';
  if (out.terminationMessagePolicy === undefined) out.terminationMessagePolicy = 'File';
  if (out.ports) out.ports = out.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
  return out;
}

/**
 * The pod-spec defaults a real apiserver fills in (pkg/apis/core/v1/defaults.go), idempotent, so
 * that seeded objects look exactly like objects that went through the API. `restartPolicy` is a
 * parameter because Jobs need Never/OnFailure.
 */
export function withPodSpecDefaults(spec: PodSpec, restartPolicy = 'Always'): PodSpec {
  const out: PodSpec = { ...spec };
  out.containers = (spec.containers ?? []).map(defaultContainer);
  if (spec.initContainers) out.initContainers = spec.initContainers.map(defaultContainer);
  if (out.restartPolicy === undefined) out.restartPolicy = restartPolicy;
  if (out.terminationGracePeriodSeconds === undefined) out.terminationGracePeriodSeconds = 30;
  if (out.dnsPolicy === undefined) out.dnsPolicy = 'ClusterFirst';
  if (out.securityContext === undefined) out.securityContext = {};
  if (out.schedulerName === undefined) out.schedulerName = 'default-scheduler';
  return out;
}

export function withPodTemplateDefaults(template: PodTemplate, restartPolicy = 'Always'): PodTemplate {
  const metadata = { ...(template.metadata ?? {}) };
  if (metadata.creationTimestamp === null) delete metadata.creationTimestamp;
  return { metadata, spec: withPodSpecDefaults(template.spec, restartPolicy) };
}

const canonicalCache = new WeakMap<object, string>();

/**
 * JSON with object keys sorted, so equal templates serialize equally whatever their key order.
 * Frozen values (stored objects and their parts, which never change) are serialized once.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const frozen = Object.isFrozen(value);
  let s = frozen ? canonicalCache.get(value) : undefined;
  if (s !== undefined) return s;
  if (Array.isArray(value)) s = `[${value.map(canonicalJson).join(',')}]`;
  else {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    s = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (frozen) canonicalCache.set(value, s);
  return s;
}

function withoutHashLabel(template: PodTemplate): PodTemplate {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  delete labels['rollouts-pod-template-hash'];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

/** Template identity as the deployment controller sees it: defaults applied, hash label ignored. */
export function templateKey(template: PodTemplate): string {
  return canonicalJson(withoutHashLabel(withPodTemplateDefaults(template)));
}

/**
 * `pod-template-hash`: FNV-32a over the template (plus the collision count when set), its decimal
 * digits mapped onto the apiserver's safe alphabet — the shape of controller.ComputeHash, though the
 * bytes hashed are our canonical JSON rather than Go's struct dump.
 */
export function computeTemplateHash(template: PodTemplate, collisionCount?: number): string {
  let h = fnv32a(templateKey(template));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32a(String(collisionCount), h);
  return safeEncode(String(h));
}

export function safeEncode(text: string): string {
  let out = '';
  for (const ch of text) out += NAME_ALPHABET[ch.charCodeAt(0) % NAME_ALPHABET.length];
  return out;
}

export function templateOf(obj: KubeObject): PodTemplate {
  return (obj.spec as { template: PodTemplate }).template;
}
