// The objects controllers create (ReplicaSets for Deployments, Pods for every workload kind), built
// by pure functions so the seed produces exactly what the controllers would have produced.
import type { KubeObject, OwnerReference } from '../store.js';
import { POD_TEMPLATE_HASH, withPodSpecDefaults, type PodTemplate } from './template.js';
import { qosClass } from './pod-status.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** Deployment annotations the controller does not copy onto its ReplicaSets (sync.go skipCopyAnnotation). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
]);

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function matchesSelector(labels: Record<string, string> | undefined, selector: LabelSelector | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** `app=web,tier in (a,b)`: the selector string Scale and Rollout statuses carry. */
export function selectorString(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

export function ownerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** An int-or-percent against a total: percentages round up for surge, down for unavailable. */
export function resolveIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplate;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export function deploymentSpec(d: KubeObject): DeploymentSpec {
  return d.spec as DeploymentSpec;
}

/** maxSurge and maxUnavailable as numbers (rolling.go: both zero means maxUnavailable 1). */
export function surgeAndUnavailable(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const spec = deploymentSpec(d);
  const replicas = spec.replicas ?? 1;
  if (spec.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const ru = spec.strategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

export function copiedAnnotations(d: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}

export function replicaSetFor(d: KubeObject, hash: string, revision: number, replicas: number): KubeObject {
  const spec = deploymentSpec(d);
  const template = spec.template;
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const { maxSurge } = surgeAndUnavailable(d);
  const rsSpec: Record<string, unknown> = {
    replicas,
    selector: {
      ...spec.selector,
      matchLabels: { ...(spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
    },
    template: { ...template, metadata: { ...(template.metadata ?? {}), labels }, spec: withPodSpecDefaults(template.spec) },
  };
  if (spec.minReadySeconds) rsSpec.minReadySeconds = spec.minReadySeconds;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: {
        ...copiedAnnotations(d),
        [DESIRED_REPLICAS]: String(spec.replicas ?? 1),
        [MAX_REPLICAS]: String((spec.replicas ?? 1) + maxSurge),
        [REVISION]: String(revision),
      },
      ownerReferences: [ownerReference(d)],
    },
    spec: rsSpec,
    status: { replicas: 0 },
  };
}

/** Default tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export interface PodOptions {
  name: string;
  generateName?: string;
  extraLabels?: Record<string, string>;
  extraAnnotations?: Record<string, string>;
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  restartPolicy?: string;
  extraTolerations?: Record<string, unknown>[];
  /** The template is already defaulted (read from a stored object): skip re-defaulting. */
  defaulted?: boolean;
}

/** A pod from a template as the workload controllers create it (pkg/controller/controller_utils.go). */
export function podFromTemplate(owner: KubeObject, template: PodTemplate, opts: PodOptions): KubeObject {
  const spec = (opts.defaulted ? { ...template.spec } : withPodSpecDefaults(template.spec, opts.restartPolicy ?? 'Always')) as Record<string, unknown>;
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  const tolerations = [...((spec.tolerations as Record<string, unknown>[]) ?? []), ...(opts.extraTolerations ?? [])];
  for (const t of DEFAULT_TOLERATIONS) if (!tolerations.some((x) => x.key === t.key)) tolerations.push(t);
  spec.tolerations = tolerations;
  if (opts.nodeName) spec.nodeName = opts.nodeName;
  if (opts.hostname) spec.hostname = opts.hostname;
  if (opts.subdomain) spec.subdomain = opts.subdomain;
  const annotations = { ...(template.metadata?.annotations ?? {}), ...(opts.extraAnnotations ?? {}) };
  const metadata: KubeObject['metadata'] = {
    name: opts.name,
    namespace: owner.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}), ...(opts.extraLabels ?? {}) },
    ownerReferences: [ownerReference(owner)],
  };
  if (opts.generateName) metadata.generateName = opts.generateName;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec };
  pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  return pod;
}
