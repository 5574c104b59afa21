// PodDisruptionBudgets: the disruption controller's status (currentHealthy, desiredHealthy,
// expectedPods, disruptionsAllowed, the DisruptionAllowed condition) and the Eviction API's check
// against it (pkg/registry/core/pod/storage/eviction.go): an eviction that would take a budget
// below its desired healthy pods is refused with 429 "Cannot evict pod as it would violate the
// pod's disruption budget.", which `kubectl drain` reports and retries.
import type { KubeObject, ObjectStore } from '../../store.js';
import { ApiError, statusBody } from '../status.js';
import { compileFilter, formatLabelSelector } from '../selectors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are untyped JSON
type Loose = any;

const PDB_KEY = 'poddisruptionbudgets.policy';

const ready = (pod: Loose) => !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: Loose) => c.type === 'Ready' && c.status === 'True');

/** An int-or-percent against a total (percent rounds up, as GetScaledValueFromIntOrPercent with roundUp). */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? ''));
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v) || 0;
}

/** Pods of the budget's namespace its selector matches (an empty selector matches none in policy/v1? all). */
function podsOf(store: ObjectStore, pdb: Loose): KubeObject[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  const matches = compileFilter({ namespace: pdb.metadata.namespace, labelSelector: formatLabelSelector(sel), resourceKey: 'pods' });
  return [...store.peek('pods')].filter((p) => matches(p) && (p as Loose).status?.phase !== 'Succeeded' && (p as Loose).status?.phase !== 'Failed');
}

/** The status the disruption controller computes for a budget now. */
export function budgetStatus(store: ObjectStore, pdb: Loose, nowIso: string): Loose {
  const pods = podsOf(store, pdb);
  const expected = pods.length;
  const healthy = pods.filter(ready).length;
  const desired = pdb.spec?.minAvailable !== undefined ? scaled(pdb.spec.minAvailable, expected) : Math.max(0, expected - scaled(pdb.spec?.maxUnavailable, expected));
  const allowed = Math.max(0, healthy - desired);
  const was = (pdb.status?.conditions ?? []).find((c: Loose) => c.type === 'DisruptionAllowed');
  const status = allowed > 0 ? 'True' : 'False';
  return {
    observedGeneration: pdb.metadata.generation ?? 1,
    ...(pdb.status?.disruptedPods && Object.keys(pdb.status.disruptedPods).length ? { disruptedPods: pdb.status.disruptedPods } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: [{
      type: 'DisruptionAllowed',
      status,
      reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: pdb.metadata.generation ?? 1,
      lastTransitionTime: was && was.status === status ? was.lastTransitionTime : nowIso,
    }],
  };
}

/**
 * The eviction check: throws the apiserver's 429 when a budget covering the pod allows no
 * disruption, its 500 when several budgets cover it; otherwise records the disruption in the
 * budget's status (disruptionsAllowed − 1, disruptedPods) so a second eviction in the same
 * moment is counted against it. An unready pod may go while its budget is satisfied.
 */
export function admitEviction(store: ObjectStore, pod: KubeObject, nowIso: string, dryRun: boolean): void {
  const ns = pod.metadata.namespace;
  const budgets = [...store.peek(PDB_KEY)].filter((b) => b.metadata.namespace === ns && podsOf(store, b).some((p) => p.metadata.name === pod.metadata.name));
  if (!budgets.length || (pod as Loose).status?.phase === 'Succeeded' || (pod as Loose).status?.phase === 'Failed' || (pod as Loose).status?.phase === 'Pending') return;
  if (budgets.length > 1) {
    throw new ApiError(statusBody(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'));
  }
  const pdb = budgets[0] as Loose;
  // As the apiserver: the budget's stored status decides (it carries earlier evictions), unless the
  // controller has not looked at its current spec yet.
  const stored = pdb.status;
  const status = stored && typeof stored.disruptionsAllowed === 'number' && stored.observedGeneration === (pdb.metadata.generation ?? 1) ? stored : budgetStatus(store, pdb, nowIso);
  if (!ready(pod) && status.currentHealthy >= status.desiredHealthy) return;
  if (status.disruptionsAllowed <= 0) {
    throw new ApiError(statusBody(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
      causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently` }],
    }));
  }
  if (dryRun) return;
  store.mutate(PDB_KEY, ns, pdb.metadata.name, (b) => {
    (b as Loose).status = { ...status, disruptionsAllowed: status.disruptionsAllowed - 1, disruptedPods: { ...(status.disruptedPods ?? {}), [pod.metadata.name]: nowIso } };
  }, { subresource: 'status' });
}

/** Keeps every budget's status current: recomputed a tick after a pod or budget changes in its namespace. */
export function startDisruptionController(store: ObjectStore, nowIso: () => string): () => void {
  const dirty = new Set<string>();
  let timer: NodeJS.Immediate | undefined;
  const flush = () => {
    timer = undefined;
    const namespaces = new Set(dirty);
    dirty.clear();
    for (const pdb of [...store.peek(PDB_KEY)]) {
      if (!namespaces.has(pdb.metadata.namespace ?? '')) continue;
      const live = pdb as Loose;
      // Disruptions recorded by an eviction stand until their pod is gone.
      const disrupted = Object.fromEntries(Object.entries(live.status?.disruptedPods ?? {}).filter(([name]) => store.peekOne('pods', pdb.metadata.namespace, name) && !store.peekOne('pods', pdb.metadata.namespace, name)?.metadata.deletionTimestamp));
      const status = budgetStatus(store, { ...live, status: { ...(live.status ?? {}), disruptedPods: disrupted } }, nowIso());
      if (Object.keys(disrupted).length) status.disruptionsAllowed = Math.max(0, status.disruptionsAllowed - Object.keys(disrupted).length);
      store.mutate(PDB_KEY, pdb.metadata.namespace, pdb.metadata.name, (b) => {
        (b as Loose).status = status;
      }, { subresource: 'status', ifChanged: true });
    }
  };
  const unsubscribe = store.subscribe((e) => {
    if (e.resource !== 'pods' && e.resource !== PDB_KEY) return;
    if (e.resource === PDB_KEY && e.type === 'MODIFIED' && JSON.stringify((e.old as Loose)?.spec) === JSON.stringify((e.object as Loose).spec)) return;
    if (!store.count(PDB_KEY)) return;
    dirty.add(e.object.metadata.namespace ?? '');
    timer ??= setImmediate(flush);
  });
  for (const b of store.peek(PDB_KEY)) dirty.add(b.metadata.namespace ?? '');
  if (dirty.size) timer = setImmediate(flush);
  return () => {
    unsubscribe();
    if (timer) clearImmediate(timer);
  };
}
