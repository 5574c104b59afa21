// The read side of the rollouts view: the workload list, one workload's revision history, and the
// side-by-side diff of two revisions' pod templates.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { ContractError } from '../../../shared/contract-kit.js';
import type { ActionTarget } from '../../../shared/contract/actions.js';
import type { RevisionEntry, WorkloadKind, WorkloadSummary } from '../../../shared/contract/rollouts.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { CHANGE_CAUSE_ANNOTATION, DEPLOYMENT_REVISION_ANNOTATION, imagesOf, ROLLOUT_HASH_LABEL, summarizeWorkload } from '../../../shared/model/rollout.js';
import { revisionsOf } from './revisions.js';
import { sideBySide } from './plan-kit.js';
import type { WorkloadReader } from './workload-reader.js';
import { redactObject } from '../secrets/index.js';

export interface WorkloadList {
  workloads: WorkloadSummary[];
  at: string;
  problems: string[];
}

const KIND_ORDER: Record<WorkloadKind, number> = { Rollout: 0, Deployment: 1, StatefulSet: 2 };

export async function listWorkloads(reader: WorkloadReader, context: string, namespace?: string): Promise<WorkloadList> {
  const problems: string[] = [];
  const read = async (kind: 'deployments' | 'statefulsets' | 'rollouts' | 'replicasets') => {
    try {
      const items = await reader.list(context, kind, namespace);
      if (items === null) problems.push('rollouts: Argo Rollouts is not installed in this cluster (no argoproj.io/v1alpha1 rollouts).');
      return items ?? [];
    } catch (error) {
      problems.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  const [deployments, statefulSets, rollouts, replicaSets] = await Promise.all([read('deployments'), read('statefulsets'), read('rollouts'), read('replicasets')]);
  const workloads = [
    ...deployments.map((d) => summarizeWorkload('Deployment', d)),
    ...statefulSets.map((s) => summarizeWorkload('StatefulSet', s)),
    ...rollouts.map((r) => summarizeWorkload('Rollout', r, replicaSets)),
  ].sort((a, b) => a.namespace.localeCompare(b.namespace) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name));
  return { workloads, at: new Date().toISOString(), problems };
}

function kindOf(target: ActionTarget): WorkloadKind {
  if (target.kind === 'Deployment' || target.kind === 'StatefulSet' || target.kind === 'Rollout') return target.kind;
  throw new ContractError('invalid_request', `History exists for Deployments, StatefulSets and Rollouts, not for a ${target.kind}.`);
}

// Redacted before it becomes text: the diffs are built from this YAML, and a fingerprint still shows a secret changed.
const templateYaml = (template: unknown) => stringify(redactObject(template ?? {}), { sortMapEntries: true, lineWidth: 0 });

export async function workloadHistory(reader: WorkloadReader, context: string, target: ActionTarget): Promise<RevisionEntry[]> {
  const kind = kindOf(target);
  const namespace = target.namespace ?? 'default';
  const live = await reader.get(context, kind, namespace, target.name);
  const children = (await reader.list(context, kind === 'StatefulSet' ? 'controllerrevisions' : 'replicasets', namespace)) ?? [];
  const status = (live.status ?? {}) as { updateRevision?: string; currentPodHash?: string };
  const liveRevision = live.metadata.annotations?.[DEPLOYMENT_REVISION_ANNOTATION];
  const isCurrent = (o: KubeObject, revision: number): boolean => {
    if (kind === 'StatefulSet') return o.metadata.name === status.updateRevision;
    if (kind === 'Rollout') return o.metadata.labels?.[ROLLOUT_HASH_LABEL] === status.currentPodHash;
    return String(revision) === liveRevision;
  };
  return revisionsOf(kind, live, children).map((r) => ({
    revision: r.revision,
    source: r.object.metadata.name,
    changeCause: r.object.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
    images: imagesOf(r.template),
    createdAt: r.object.metadata.creationTimestamp,
    current: isCurrent(r.object, r.revision),
    replicas: Number((r.object.status as { replicas?: number } | undefined)?.replicas ?? 0),
    template: templateYaml(r.template),
  }));
}

export async function revisionDiff(reader: WorkloadReader, context: string, target: ActionTarget, from: number, to: number) {
  const revisions = await workloadHistory(reader, context, target);
  const pick = (n: number) => {
    const found = revisions.find((r) => r.revision === n);
    if (!found) throw new ContractError('not_found', `Revision ${n} of ${target.kind} ${target.namespace}/${target.name} is not in its history (known: ${revisions.map((r) => r.revision).join(', ') || 'none'}).`);
    return found;
  };
  const a = pick(from);
  const b = pick(to);
  return {
    from: a,
    to: b,
    rows: sideBySide(a.template, b.template),
    unified: createTwoFilesPatch(`revision ${from}`, `revision ${to}`, a.template, b.template, undefined, undefined, { context: 3 }),
  };
}
