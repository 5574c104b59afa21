// Hooks for scenarios: a node going NotReady (as the node lifecycle controller reports a kubelet
// that stopped posting status) and coming back. Pods are not evicted — they are marked not Ready by
// the kubelet simulation, which watches node readiness.
import type { ObjectStore } from '../store.js';
import { fleetClock } from '../sim/fleet-registry.js';

interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

interface Taint {
  key: string;
  effect: string;
  value?: string;
  timeAdded?: string;
}

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';

/**
 * Marks a node Ready or NotReady. `reason` (default `NodeStatusUnknown`, status Unknown, as for a lost
 * kubelet; `KubeletNotReady` gives status False) explains why; `at` stamps the transition (default: the
 * fleet's simulated time). Returns false when the node does not exist.
 */
export function setNodeReady(store: ObjectStore, name: string, ready: boolean, reason = 'NodeStatusUnknown', at?: string): boolean {
  const nowIso = at ?? fleetClock(store)?.iso() ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const updated = store.mutate('nodes', undefined, name, (node) => {
    const status = (node.status ??= {}) as { conditions?: NodeCondition[] };
    const conditions = (status.conditions ??= []);
    let ready_ = conditions.find((c) => c.type === 'Ready');
    if (!ready_) conditions.push((ready_ = { type: 'Ready', status: 'True' }));
    const value = ready ? 'True' : reason === 'NodeStatusUnknown' ? 'Unknown' : 'False';
    if (ready_.status !== value) ready_.lastTransitionTime = nowIso;
    ready_.status = value;
    ready_.lastHeartbeatTime = nowIso;
    ready_.reason = ready ? 'KubeletReady' : reason;
    ready_.message = ready
      ? 'kubelet is posting ready status'
      : reason === 'NodeStatusUnknown'
        ? 'Kubelet stopped posting node status.'
        : 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady';
    const spec = (node.spec ??= {}) as { taints?: Taint[] };
    const key = value === 'Unknown' ? UNREACHABLE : NOT_READY;
    const others = (spec.taints ?? []).filter((t) => t.key !== UNREACHABLE && t.key !== NOT_READY);
    spec.taints = ready ? others : [...others, { key, effect: 'NoSchedule', timeAdded: nowIso }, { key, effect: 'NoExecute', timeAdded: nowIso }];
    if (spec.taints.length === 0) delete spec.taints;
  });
  return !!updated;
}
