// Where the rollouts domain reads workloads from. Lists come from the context's watch caches when
// the clusters domain provides them, else straight from the API server; plans always read the live
// object (as kubectl does right before patching), never a cache that may be a second behind.
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError } from '../../../shared/contract-kit.js';
import type { WorkloadKind } from '../../../shared/contract/rollouts.js';
import type { KubeObject, ResourceCaches } from '../../../shared/model/kube.js';
import { collectionPath, kubeRequest, KubeError, KINDS, type KindInfo } from '../kube/index.js';
import { objectPath } from './plan-kit.js';

export type ListedKind = 'deployments' | 'statefulsets' | 'rollouts' | 'replicasets';

const LISTED: Record<ListedKind | 'controllerrevisions', KindInfo> = {
  deployments: KINDS.Deployment,
  statefulsets: KINDS.StatefulSet,
  rollouts: KINDS.Rollout,
  replicasets: KINDS.ReplicaSet,
  controllerrevisions: KINDS.ControllerRevision,
};

export interface WorkloadReader {
  /** Every object of a kind in the context; `null` when the kind is not installed (Argo Rollouts CRD missing). */
  list(context: string, kind: ListedKind | 'controllerrevisions', namespace?: string): Promise<KubeObject[] | null>;
  /** The live object, fresh from the API server. Throws not_found when it is gone. */
  get(context: string, kind: WorkloadKind, namespace: string, name: string): Promise<KubeObject>;
}

export interface ReaderDeps {
  configFor(context: string): KubeConfig;
  /** The clusters domain's watch caches, when present: lists are then free. */
  caches?: (context: string) => ResourceCaches;
  /** How long a list waits for a syncing cache before asking the API server itself. */
  syncWaitMs?: number;
}

async function waitSynced(caches: ResourceCaches, kind: ListedKind, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!caches.synced(kind)) {
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

export function createWorkloadReader(deps: ReaderDeps): WorkloadReader {
  return {
    async list(context, kind, namespace) {
      if (deps.caches && kind !== 'controllerrevisions') {
        const caches = deps.caches(context);
        // A cache that is still syncing soon answers for free; listing beside it would do the work twice.
        if (await waitSynced(caches, kind, deps.syncWaitMs ?? 5000)) {
          const all = caches.list(kind);
          return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
        }
      }
      const info = LISTED[kind];
      try {
        const items: KubeObject[] = [];
        let next: string | undefined;
        do {
          const query = `?limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
          const page = await kubeRequest<{ items?: KubeObject[]; metadata?: { continue?: string } }>(deps.configFor(context), { method: 'GET', path: collectionPath(info, namespace) + query });
          for (const item of page.items ?? []) items.push({ ...item, kind: item.kind ?? info.kind });
          next = page.metadata?.continue || undefined;
        } while (next);
        return items;
      } catch (error) {
        if (error instanceof KubeError && error.status === 404 && kind === 'rollouts') return null;
        throw error;
      }
    },

    async get(context, kind, namespace, name) {
      try {
        const live = await kubeRequest<KubeObject>(deps.configFor(context), { method: 'GET', path: objectPath(kind, namespace, name) });
        return { ...live, kind: live.kind ?? kind };
      } catch (error) {
        throw toContractError(error, `${kind} ${namespace}/${name}`);
      }
    },
  };
}

/** A Kubernetes failure as a sentence for the person who pressed the button. */
export function toContractError(error: unknown, what: string, applied: string[] = []): ContractError {
  if (error instanceof ContractError) return error;
  const before = applied.length ? ` (already applied before the failure: ${applied.join('; ')})` : ' Nothing was changed.';
  if (!(error instanceof KubeError)) return new ContractError('internal', `${what}: ${error instanceof Error ? error.message : String(error)}.${before}`);
  const text = error.detail;
  if (error.status === 0) return new ContractError('upstream_unavailable', `${what}: the API server could not be reached (${text}).${before} Check the connection, then prepare again.`);
  if (error.status === 404) return new ContractError('not_found', `${what} no longer exists: it was deleted or renamed after the plan was made (${text}).${before} Refresh the list; prepare again if it comes back.`);
  if (error.status === 409) return new ContractError('conflict', `${what} changed since the plan was made (${text}).${before} Prepare the action again to get a fresh plan.`);
  if (/admission webhook|denied the request/i.test(text)) return new ContractError('conflict', `An admission webhook rejected the change to ${what}: ${text}.${before} Fix what it names, then prepare a fresh plan.`);
  if (error.status === 403) return new ContractError('forbidden', `${what}: the API server refused: ${text}.${before}`);
  if (error.status === 422 || error.status === 400) return new ContractError('invalid_request', `The API server rejected the change to ${what}: ${text}.${before} Prepare a fresh plan after fixing it.`);
  return new ContractError('upstream_error', `${what}: the API server answered HTTP ${error.status}: ${text}.${before}`);
}
