// Revisions of a workload as kubectl (deployment/statefulset history) and the argo plugin read them:
// ReplicaSets controlled by the owner, numbered by their revision annotation; ControllerRevisions
// for StatefulSets. Also picks the revision `undo --to-revision N` means (0 = the previous one).
import { ContractError } from '../../../shared/contract-kit.js';
import type { WorkloadKind } from '../../../shared/contract/rollouts.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import {
  DEPLOYMENT_HASH_LABEL,
  DEPLOYMENT_REVISION_ANNOTATION,
  ownedReplicaSets,
  ROLLOUT_HASH_LABEL,
  ROLLOUT_REVISION_ANNOTATION,
} from '../../../shared/model/rollout.js';

export interface RevisionSource {
  revision: number;
  object: KubeObject;
  /** Pod template with the controller's hash label stripped (what undo patches back). */
  template: Record<string, unknown>;
}

const hashLabel = (kind: WorkloadKind) => (kind === 'Rollout' ? ROLLOUT_HASH_LABEL : DEPLOYMENT_HASH_LABEL);

export function stripHash(template: unknown, kind: WorkloadKind): Record<string, unknown> {
  const copy = structuredClone((template ?? {}) as Record<string, unknown>);
  const meta = (copy.metadata ?? {}) as { labels?: Record<string, string> };
  if (meta.labels) {
    delete meta.labels[hashLabel(kind)];
    if (Object.keys(meta.labels).length === 0) delete meta.labels;
  }
  return copy;
}

/** Revisions from ReplicaSets (Deployment, Rollout) or ControllerRevisions (StatefulSet), newest first. */
export function revisionsOf(kind: WorkloadKind, owner: KubeObject, children: KubeObject[]): RevisionSource[] {
  if (kind === 'StatefulSet') {
    return ownedReplicaSets(owner, children)
      .map((cr) => {
        const data = (cr.data ?? {}) as { spec?: { template?: unknown } };
        return { revision: Number(cr.revision ?? 0), object: cr, template: stripHash(data.spec?.template, kind) };
      })
      .sort((a, b) => b.revision - a.revision);
  }
  const annotation = kind === 'Rollout' ? ROLLOUT_REVISION_ANNOTATION : DEPLOYMENT_REVISION_ANNOTATION;
  return ownedReplicaSets(owner, children)
    .map((rs) => ({
      revision: Number(rs.metadata.annotations?.[annotation] ?? 0),
      object: rs,
      template: stripHash((rs.spec as { template?: unknown } | undefined)?.template, kind),
    }))
    .filter((r) => Number.isFinite(r.revision) && r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

/** `undo --to-revision N`: N > 0 exactly that revision, 0 the one before the newest. */
export function pickRevision(kind: WorkloadKind, owner: KubeObject, revisions: RevisionSource[], toRevision: number): RevisionSource {
  const what = `${kind.toLowerCase()} "${owner.metadata.name}"`;
  if (toRevision > 0) {
    const found = revisions.find((r) => r.revision === toRevision);
    if (!found) {
      throw new ContractError('invalid_request', `Revision ${toRevision} is not in the history of ${what} (known: ${revisions.map((r) => r.revision).join(', ') || 'none'}). Pick one from the history list.`);
    }
    return found;
  }
  if (revisions.length < 2) throw new ContractError('invalid_request', `No rollout history to go back to for ${what}: it has a single revision.`);
  return revisions[1];
}

/** Template equality the way kubectl's undo checks it: hash labels ignored. */
export function sameTemplate(kind: WorkloadKind, a: unknown, b: unknown): boolean {
  return canonical(stripHash(a, kind)) === canonical(stripHash(b, kind));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined && !(k === 'creationTimestamp' && (value as Record<string, unknown>)[k] === null))
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
