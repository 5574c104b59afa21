// Node capacity bookkeeping and the choice of a node for a pod: the scheduler's filter and score
// steps, shared by the live scheduler and the seed (so seeded pods sit where the scheduler would
// have put them). GPU devices are handed out by index so nvidia-smi and the DCGM exporter can say
// which GPU a pod holds.
import type { KubeObject } from '../store.js';
import { bytes, milliCpu, parseQuantity } from '../sim/quantity.js';
import type { ContainerSpec } from './template.js';

export const GPU = 'nvidia.com/gpu';
/** Pod annotation: indices of the node's GPUs given to the pod, e.g. "0,1". */
export const GPU_DEVICES_ANNOTATION = 'flightdeck.dev/gpu-devices';

export interface PodRequests {
  cpu: number; // millicores
  memory: number; // bytes
  gpu: number;
}

export function podRequests(pod: KubeObject): PodRequests {
  const containers = ((pod.spec as { containers?: ContainerSpec[] })?.containers ?? []) as ContainerSpec[];
  const out: PodRequests = { cpu: 0, memory: 0, gpu: 0 };
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    out.cpu += milliCpu(req.cpu ?? lim.cpu);
    out.memory += bytes(req.memory ?? lim.memory);
    out.gpu += parseQuantity(lim[GPU] ?? req[GPU]) || 0;
  }
  return out;
}

interface NodeState {
  name: string;
  labels: Record<string, string>;
  schedulable: boolean;
  taints: { key: string; value?: string; effect: string }[];
  cpu: number;
  memory: number;
  gpu: number;
  pods: number;
  usedCpu: number;
  usedMemory: number;
  usedPods: number;
  gpuSlots: boolean[];
  usedGpus: number;
}

export interface FitFailure {
  /** Counts per reason, in the words of the scheduler's FailedScheduling message. */
  reasons: Map<string, number>;
  nodes: number;
}

/** The controller owner's uid: replicas of one owner are spread across nodes. */
export function spreadKey(pod: KubeObject): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller && r.kind !== 'DaemonSet')?.uid;
}

export function nodeIsReady(node: KubeObject): boolean {
  const conditions = ((node.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []);
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export class Placement {
  private readonly nodes = new Map<string, NodeState>();
  /** pod key -> what it holds, so release is exact even if the pod object changed meanwhile */
  private readonly held = new Map<string, { node: string; req: PodRequests; slots: number[]; owner?: string }>();
  /** owner uid -> node -> pods of that owner on that node, for spreading replicas. */
  private readonly siblings = new Map<string, Map<string, number>>();
  private list: NodeState[] | undefined;
  private cursor = 0;

  upsertNode(node: KubeObject): void {
    const status = node.status as { allocatable?: Record<string, string> } | undefined;
    const alloc = status?.allocatable ?? {};
    const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: NodeState['taints'] };
    const prev = this.nodes.get(node.metadata.name);
    const gpu = parseQuantity(alloc[GPU]) || 0;
    const slots = prev?.gpuSlots ?? [];
    while (slots.length < gpu) slots.push(false);
    this.nodes.set(node.metadata.name, {
      name: node.metadata.name,
      labels: node.metadata.labels ?? {},
      schedulable: !spec.unschedulable && nodeIsReady(node),
      taints: (spec.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
      cpu: milliCpu(alloc.cpu),
      memory: bytes(alloc.memory),
      gpu,
      pods: parseQuantity(alloc.pods) || 110,
      usedCpu: prev?.usedCpu ?? 0,
      usedMemory: prev?.usedMemory ?? 0,
      usedPods: prev?.usedPods ?? 0,
      gpuSlots: slots,
      usedGpus: slots.slice(0, gpu).filter(Boolean).length,
    });
    this.list = undefined;
  }

  removeNode(name: string): void {
    this.nodes.delete(name);
    this.list = undefined;
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  freeGpus(node: string): number {
    const n = this.nodes.get(node);
    return n ? Math.max(0, n.gpu - n.usedGpus) : 0;
  }

  /** Records that a bound pod uses its node's resources; returns the GPU indices it holds. */
  reserve(podKey: string, node: string, req: PodRequests, wantedSlots?: number[], owner?: string): number[] {
    this.release(podKey);
    if (owner) {
      let perNode = this.siblings.get(owner);
      if (!perNode) this.siblings.set(owner, (perNode = new Map()));
      perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
    const n = this.nodes.get(node);
    if (!n) return [];
    n.usedCpu += req.cpu;
    n.usedMemory += req.memory;
    n.usedPods += 1;
    const slots: number[] = [];
    for (const i of wantedSlots ?? []) {
      if (slots.length < req.gpu && i < n.gpuSlots.length && !n.gpuSlots[i]) slots.push(i);
    }
    for (let i = 0; i < n.gpuSlots.length && slots.length < req.gpu; i++) {
      if (!n.gpuSlots[i] && !slots.includes(i)) slots.push(i);
    }
    for (const i of slots) n.gpuSlots[i] = true;
    n.usedGpus += slots.length;
    this.held.set(podKey, { node, req, slots, owner });
    return slots.sort((a, b) => a - b);
  }

  release(podKey: string): void {
    const h = this.held.get(podKey);
    if (!h) return;
    this.held.delete(podKey);
    const perNode = h.owner ? this.siblings.get(h.owner) : undefined;
    if (perNode && h.owner) {
      const left = (perNode.get(h.node) ?? 1) - 1;
      if (left > 0) perNode.set(h.node, left);
      else perNode.delete(h.node);
      if (perNode.size === 0) this.siblings.delete(h.owner);
    }
    const n = this.nodes.get(h.node);
    if (!n) return;
    n.usedCpu -= h.req.cpu;
    n.usedMemory -= h.req.memory;
    n.usedPods -= 1;
    for (const i of h.slots) n.gpuSlots[i] = false;
    n.usedGpus -= h.slots.length;
  }

  isHeld(podKey: string): boolean {
    return this.held.has(podKey);
  }

  /**
   * Filter then score, as the default scheduler: GPU pods pack tightly, others spread. Like
   * kube-scheduler's percentageOfNodesToScore, a large cluster stops filtering once it has enough
   * feasible nodes, starting where the previous pod's search left off.
   */
  choose(pod: KubeObject, req: PodRequests, owner?: string): { node: string } | { failure: FitFailure } {
    const spec = (pod.spec ?? {}) as { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
    const selector = Object.entries(spec.nodeSelector ?? {});
    const tolerations = spec.tolerations ?? [];
    const list = this.nodeList();
    const total = list.length;
    const enough = total < 100 ? total : Math.max(100, Math.floor((total * Math.max(5, 50 - total / 125)) / 100));
    const reasons = new Map<string, number>();
    let best: NodeState | undefined;
    let bestScore = -Infinity;
    let feasible = 0;
    let i = 0;
    const siblings = owner ? this.siblings.get(owner) : undefined;
    for (; i < total && feasible < enough; i++) {
      const n = list[(this.cursor + i) % total];
      const why = this.misfit(n, selector, tolerations, req);
      if (why) {
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        continue;
      }
      feasible++;
      // Like the default PodTopologySpread: replicas of one owner prefer nodes without siblings.
      const spread = siblings ? (siblings.get(n.name) ?? 0) * 100 : 0;
      const score = -spread + (req.gpu > 0
        ? 1000 - (this.freeGpus(n.name) - req.gpu) * 10 - n.usedCpu / Math.max(1, n.cpu)
        : 1 - (n.usedCpu + req.cpu) / Math.max(1, n.cpu) - n.usedPods / Math.max(1, n.pods) - (n.gpu > 0 ? 0.5 : 0));
      if (score > bestScore) {
        bestScore = score;
        best = n;
      }
    }
    this.cursor = total ? (this.cursor + i) % total : 0;
    return best ? { node: best.name } : { failure: { reasons, nodes: total } };
  }

  private nodeList(): NodeState[] {
    if (!this.list) this.list = [...this.nodes.values()];
    return this.list;
  }

  private misfit(n: NodeState, selector: [string, string][], tolerations: Toleration[], req: PodRequests): string | undefined {
    if (!n.schedulable) return "node(s) were unschedulable";
    for (const [k, v] of selector) {
      if (n.labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
    }
    for (const t of n.taints) {
      if (!tolerations.some((tol) => tolerates(tol, t))) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
    }
    if (n.usedPods + 1 > n.pods) return 'Too many pods';
    if (req.gpu > 0 && n.gpu - n.usedGpus < req.gpu) return `Insufficient ${GPU}`;
    if (n.usedCpu + req.cpu > n.cpu) return 'Insufficient cpu';
    if (n.usedMemory + req.memory > n.memory) return 'Insufficient memory';
    return undefined;
  }
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

function tolerates(tol: Toleration, taint: { key: string; value?: string; effect: string }): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (!tol.key) return tol.operator === 'Exists';
  if (tol.key !== taint.key) return false;
  return tol.operator === 'Exists' || (tol.value ?? '') === (taint.value ?? '');
}

/** The scheduler's message: `0/15 nodes are available: 3 Insufficient nvidia.com/gpu, 12 ...`. */
export function failedSchedulingMessage(failure: FitFailure): string {
  const parts = [...failure.reasons.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${count} ${reason}`);
  const head = `0/${failure.nodes} nodes are available`;
  if (parts.length === 0) return `${head}: no nodes available to schedule pods.`;
  return `${head}: ${parts.join(', ')}. preemption: ${head}: ${failure.nodes} Preemption is not helpful for scheduling.`;
}
