// ReplicaSets owned by a Rollout: find, create (`<rollout>-<hash>`, revision annotation, owner
// reference, hash label on selector and template) and scale. The ReplicaSet controller of the demo
// fleet turns them into pods, exactly as the real Argo controller relies on kube-controller-manager.
import type { ObjectStore } from '../store.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  HASH_LABEL,
  REVISION_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type ReplicaSet,
  type Rollout,
} from './types.js';

const RS = 'replicasets.apps';

export const hashOf = (rs: ReplicaSet): string => rs.metadata.labels?.[HASH_LABEL] ?? '';
export const revisionOf = (obj: { metadata: { annotations?: Record<string, string> } }): number =>
  Number(obj.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
export const available = (rs: ReplicaSet | undefined): number => rs?.status?.availableReplicas ?? 0;
export const desired = (rs: ReplicaSet | undefined): number => rs?.spec.replicas ?? 0;

export function ownedReplicaSets(store: ObjectStore, rollout: Rollout): ReplicaSet[] {
  const out: ReplicaSet[] = [];
  for (const obj of store.peek(RS)) {
    if (obj.metadata.namespace !== rollout.metadata.namespace) continue;
    const owner = obj.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Rollout');
    if (owner && (owner.uid === rollout.metadata.uid || (!owner.uid && owner.name === rollout.metadata.name))) {
      out.push(obj as ReplicaSet);
    }
  }
  return out.sort((a, b) => revisionOf(a) - revisionOf(b));
}

/** Creates the ReplicaSet for the rollout's current template, or bumps an old one's revision (undo). */
export function ensureNewReplicaSet(store: ObjectStore, rollout: Rollout, hash: string, owned: ReplicaSet[], initialReplicas: number): ReplicaSet {
  const ns = rollout.metadata.namespace;
  const maxRevision = owned.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
  const existing = owned.find((rs) => hashOf(rs) === hash);
  if (existing) {
    if (revisionOf(existing) < maxRevision) {
      return store.mutate(RS, ns, existing.metadata.name, (rs) => {
        rs.metadata.annotations = { ...rs.metadata.annotations, [REVISION_ANNOTATION]: String(maxRevision + 1) };
      }) as ReplicaSet;
    }
    return existing;
  }
  const labels = { ...(rollout.spec.template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${rollout.metadata.name}-${hash}`,
      namespace: ns,
      labels,
      annotations: {
        [REVISION_ANNOTATION]: String(maxRevision + 1),
        [DESIRED_REPLICAS_ANNOTATION]: String(rollout.spec.replicas ?? 1),
      },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rollout.metadata.name, uid: rollout.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      replicas: initialReplicas,
      selector: { matchLabels: { ...(rollout.spec.selector?.matchLabels ?? {}), [HASH_LABEL]: hash } },
      template: { ...rollout.spec.template, metadata: { ...(rollout.spec.template.metadata ?? {}), labels } },
    },
  };
  return store.create(RS, rs) as ReplicaSet;
}

/** Scales a ReplicaSet; writes only when something changes, so reconciles stay quiet. */
export function scale(store: ObjectStore, target: ReplicaSet, replicas: number, rolloutReplicas: number, deadline?: string | null): void {
  // Compare with the stored object, not the caller's snapshot: one reconcile may scale twice.
  const rs = store.get(RS, target.metadata.namespace, target.metadata.name) as ReplicaSet | undefined;
  if (!rs) return;
  const ann = rs.metadata.annotations ?? {};
  const deadlineNow = ann[SCALE_DOWN_DEADLINE_ANNOTATION];
  const wantDeadline = deadline === undefined ? deadlineNow : deadline ?? undefined;
  if (desired(rs) === replicas && ann[DESIRED_REPLICAS_ANNOTATION] === String(rolloutReplicas) && deadlineNow === wantDeadline) return;
  store.mutate(RS, rs.metadata.namespace, rs.metadata.name, (obj) => {
    (obj as ReplicaSet).spec.replicas = replicas;
    const annotations: Record<string, string> = { ...obj.metadata.annotations, [DESIRED_REPLICAS_ANNOTATION]: String(rolloutReplicas) };
    if (wantDeadline) annotations[SCALE_DOWN_DEADLINE_ANNOTATION] = wantDeadline;
    else delete annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
    obj.metadata.annotations = annotations;
  });
}

/** Points a Service's selector at one pod template hash (blue-green active/preview switch). */
export function pointService(store: ObjectStore, namespace: string | undefined, name: string | undefined, hash: string): void {
  if (!name) return;
  const svc = store.get('services', namespace, name) as { spec?: { selector?: Record<string, string> } } | undefined;
  if (!svc || svc.spec?.selector?.[HASH_LABEL] === hash) return;
  store.mutate('services', namespace, name, (obj) => {
    const spec = ((obj as { spec?: { selector?: Record<string, string> } }).spec ??= {});
    spec.selector = { ...(spec.selector ?? {}), [HASH_LABEL]: hash };
  });
}
