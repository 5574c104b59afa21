// Which GPUs exist and who holds them: GPU nodes come from the store (allocatable nvidia.com/gpu,
// model from the GPU feature-discovery label nvidia.com/gpu.product), pods bound to them with GPU
// limits hold device indices (the scheduler's flightdeck.dev/gpu-devices annotation when present,
// else the lowest free indices in pod-name order). Identity labels (UUID, PCI bus id) are derived
// from the seed, so a seed always names the same GPUs.
import type { KubeObject, ObjectStore } from '../store.js';
import { labelBlock } from './exposition.js';
import { hashString, mix } from './noise.js';

export type WorkloadKind = 'training' | 'inference' | 'batch';

export interface GpuHolder {
  namespace: string;
  pod: string;
  container: string;
  kind: WorkloadKind;
  /** Service name for inference pods (app.kubernetes.io/name or app label). */
  service: string;
  /** Bound but not running yet, or deliberately idle (a parked notebook): allocated, ~0% busy. */
  idle: boolean;
}

export interface GpuModelSpec {
  memoryMiB: number;
  maxPowerW: number;
  idlePowerW: number;
  smClockMax: number;
  memClock: number;
}

export interface Gpu {
  node: string;
  index: number;
  uuid: string;
  entity: number;
  modelName: string;
  spec: GpuModelSpec;
  holder?: GpuHolder;
  /** `{gpu=…,…}` rendered once per inventory build. */
  labels: string;
}

export interface GpuNode {
  name: string;
  ready: boolean;
  gpus: Gpu[];
}

export const DRIVER_VERSION = '535.161.08';
const GPU_RESOURCE = 'nvidia.com/gpu';
const DEVICES_ANNOTATION = 'flightdeck.dev/gpu-devices';
// PCI buses of the eight GPUs in a DGX/HGX A100 or H100 chassis.
const PCI_BUSES = ['07', '0F', '47', '4E', '87', '90', 'B7', 'BD'];

export function modelSpec(product: string): GpuModelSpec {
  const p = product.toUpperCase();
  if (p.includes('H100') || p.includes('H200')) return { memoryMiB: 81559, maxPowerW: 700, idlePowerW: 72, smClockMax: 1980, memClock: 2619 };
  if (p.includes('A100') && p.includes('40GB')) return { memoryMiB: 40960, maxPowerW: 400, idlePowerW: 55, smClockMax: 1410, memClock: 1215 };
  if (p.includes('A100')) return { memoryMiB: 81920, maxPowerW: 400, idlePowerW: 60, smClockMax: 1410, memClock: 1593 };
  if (p.includes('L4')) return { memoryMiB: 23034, maxPowerW: 72, idlePowerW: 16, smClockMax: 2040, memClock: 6251 };
  return { memoryMiB: 15360, maxPowerW: 70, idlePowerW: 14, smClockMax: 1590, memClock: 5000 };
}

/** "NVIDIA-A100-SXM4-80GB" (the GFD label) → "NVIDIA A100-SXM4-80GB" (what NVML reports). */
export function modelNameFromProduct(product: string): string {
  return product.replace(/^NVIDIA-/, 'NVIDIA ').replace(/-PCIe$/i, ' PCIe');
}

const uuids = new Map<string, string>();

/** The GPU's UUID, derived from the seed: memoized, since inventories are re-derived often. */
function uuidFor(seed: number, node: string, index: number): string {
  const k = `${seed}|${node}|${index}`;
  let uuid = uuids.get(k);
  if (uuid === undefined) {
    uuid = deriveUuid(seed, node, index);
    if (uuids.size > 200_000) uuids.clear();
    uuids.set(k, uuid);
  }
  return uuid;
}

function deriveUuid(seed: number, node: string, index: number): string {
  const h = (n: number) => mix(seed, hashString(`${node}#${index}#${n}`)).toString(16).padStart(8, '0');
  const a = h(1);
  const b = h(2);
  const c = h(3);
  const d = h(4);
  return `GPU-${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

function gpuCount(node: KubeObject): number {
  const status = node.status as { allocatable?: Record<string, string>; capacity?: Record<string, string> } | undefined;
  return Number(status?.allocatable?.[GPU_RESOURCE] ?? status?.capacity?.[GPU_RESOURCE] ?? 0) || 0;
}

export function isNodeReady(node: KubeObject): boolean {
  const conditions = (node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

interface PodGpuClaim {
  pod: KubeObject;
  container: string;
  count: number;
}

function gpuClaim(pod: KubeObject): PodGpuClaim | undefined {
  const containers = (pod.spec as { containers?: { name: string; resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }[] } | undefined)?.containers ?? [];
  let count = 0;
  let container = '';
  for (const c of containers) {
    const n = Number(c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE] ?? 0) || 0;
    if (n > 0 && !container) container = c.name;
    count += n;
  }
  return count > 0 ? { pod, container, count } : undefined;
}

export function workloadKind(pod: KubeObject): WorkloadKind {
  const labels = pod.metadata.labels ?? {};
  const declared = labels['flightdeck.dev/workload'] ?? labels['workload'] ?? labels['app.kubernetes.io/component'];
  if (declared === 'training' || declared === 'inference' || declared === 'batch') return declared;
  if (pod.metadata.ownerReferences?.some((o) => o.kind === 'Job') || labels['job-name'] || labels['batch.kubernetes.io/job-name']) return 'training';
  if ((pod.metadata.namespace ?? '').includes('train')) return 'training';
  return 'inference';
}

export function serviceOf(pod: KubeObject): string {
  const labels = pod.metadata.labels ?? {};
  return labels['app.kubernetes.io/name'] ?? labels['app'] ?? pod.metadata.ownerReferences?.[0]?.name ?? pod.metadata.name;
}

/** Every GPU node of the store, in name order, with its holders. */
export function buildInventory(store: ObjectStore, seed: number): GpuNode[] {
  const claims = new Map<string, KubeObject[]>();
  for (const pod of store.peek('pods')) {
    const nodeName = nodeOf(pod);
    if (!nodeName || !gpuClaim(pod)) continue;
    let list = claims.get(nodeName);
    if (!list) claims.set(nodeName, (list = []));
    list.push(pod);
  }
  const nodes: GpuNode[] = [];
  for (const node of store.peek('nodes')) {
    const entry = buildGpuNode(node, claims.get(node.metadata.name) ?? [], seed);
    if (entry) nodes.push(entry);
  }
  return nodes.sort(byName);
}

/** One node's GPUs and who holds them, from the node and the pods bound to it (any order, any pods). */
export function buildGpuNode(node: KubeObject, pods: Iterable<KubeObject>, seed: number): GpuNode | undefined {
  const count = gpuCount(node);
  if (count <= 0) return undefined;
  const name = node.metadata.name;
  const product = node.metadata.labels?.['nvidia.com/gpu.product'] ?? 'NVIDIA-A100-SXM4-80GB';
  const spec = modelSpec(product);
  const labelMiB = Number(node.metadata.labels?.['nvidia.com/gpu.memory']);
  if (labelMiB > 0) spec.memoryMiB = labelMiB;
  const gpus: Gpu[] = [];
  for (let i = 0; i < count; i++) {
    const uuid = uuidFor(seed, name, i);
    gpus.push({ node: name, index: i, uuid, entity: hashString(uuid), modelName: modelNameFromProduct(product), spec, labels: '' });
  }
  const entry: GpuNode = { name, ready: isNodeReady(node), gpus };

  const list: PodGpuClaim[] = [];
  for (const pod of pods) {
    if (nodeOf(pod) !== name) continue;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const claim = gpuClaim(pod);
    if (claim) list.push(claim);
  }
  list.sort((a, b) => (a.pod.metadata.name < b.pod.metadata.name ? -1 : 1));
  const taken = new Set<number>();
  const assign = (claim: PodGpuClaim, indices: number[]) => {
    const pod = claim.pod;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    const holder: GpuHolder = {
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name,
      container: claim.container,
      kind: workloadKind(pod),
      service: serviceOf(pod),
      idle: phase !== 'Running' || pod.metadata.labels?.['flightdeck.dev/gpu-idle'] === 'true',
    };
    for (const i of indices) {
      if (i < gpus.length && !taken.has(i)) {
        gpus[i].holder = holder;
        taken.add(i);
      }
    }
  };
  const unannotated: PodGpuClaim[] = [];
  for (const claim of list) {
    const ann = claim.pod.metadata.annotations?.[DEVICES_ANNOTATION];
    if (ann) assign(claim, ann.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n)));
    else unannotated.push(claim);
  }
  for (const claim of unannotated) {
    const free: number[] = [];
    for (let i = 0; i < gpus.length && free.length < claim.count; i++) if (!taken.has(i)) free.push(i);
    assign(claim, free);
  }
  for (const gpu of gpus) gpu.labels = gpuLabels(gpu);
  return entry;
}

/**
 * Whether two versions of a pod claim and hold GPUs alike: what buildGpuNode reads of a pod (node,
 * phase, containers' limits, labels, owners, the devices annotation). Unchanged parts of stored
 * objects are shared between versions, so these are mostly reference checks.
 */
function sameClaimInputs(a: KubeObject, b: KubeObject): boolean {
  const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
  const containers = (p: KubeObject) => (p.spec as { containers?: unknown } | undefined)?.containers;
  return (
    nodeOf(a) === nodeOf(b) &&
    phase(a) === phase(b) &&
    containers(a) === containers(b) &&
    a.metadata.labels === b.metadata.labels &&
    a.metadata.ownerReferences === b.metadata.ownerReferences &&
    a.metadata.annotations?.[DEVICES_ANNOTATION] === b.metadata.annotations?.[DEVICES_ANNOTATION]
  );
}

const nodeOf = (pod: KubeObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName;
const byName = (a: GpuNode, b: GpuNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Whether two builds of a node look alike to the exporter (identity labels, holders' kind and idleness). */
function sameGpuNode(x: GpuNode, y: GpuNode): boolean {
  if (x.name !== y.name || x.ready !== y.ready || x.gpus.length !== y.gpus.length) return false;
  for (let g = 0; g < x.gpus.length; g++) {
    const a = x.gpus[g];
    const b = y.gpus[g];
    if (a.labels !== b.labels || a.holder?.idle !== b.holder?.idle || a.holder?.kind !== b.holder?.kind) return false;
  }
  return true;
}

/**
 * The inventory kept up to date from store events: a pod change re-derives only the node(s) it is
 * or was bound to, a node change only that node. Rebuilding every node from 10k pods on each pod
 * change cost ~10% of the demo server at 1,000 pod changes/s. Stored objects are immutable, so
 * the pods are indexed by reference.
 */
export class GpuInventory {
  /** GPU-claiming pods by the node they are bound to, keyed `namespace/name`. */
  private readonly claims = new Map<string, Map<string, KubeObject>>();
  private readonly byNode = new Map<string, GpuNode>();
  private readonly dirtyNodes = new Set<string>();
  private sorted: GpuNode[] = [];
  private orderChanged = true;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly seed: number,
  ) {
    for (const pod of store.peek('pods')) this.index(pod, true);
    for (const node of store.peek('nodes')) this.dirtyNodes.add(node.metadata.name);
    this.unsubscribe = store.subscribe((e) => {
      if (e.resource === 'nodes') this.dirtyNodes.add(e.object.metadata.name);
      else if (e.resource === 'pods') {
        if (e.old && e.type === 'MODIFIED' && sameClaimInputs(e.old, e.object)) this.reindex(e.object);
        else {
          if (e.old) this.index(e.old, false);
          if (e.type !== 'DELETED') this.index(e.object, true);
        }
      }
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /**
   * GPU nodes in name order. `changed` says whether any node differs (sameGpuNode) from the previous
   * call's answer; unchanged nodes keep their objects, so the answer can be compared by reference.
   */
  take(): { nodes: readonly GpuNode[]; changed: boolean } {
    if (this.dirtyNodes.size === 0 && !this.orderChanged) return { nodes: this.sorted, changed: false };
    let changed = this.orderChanged;
    for (const name of this.dirtyNodes) {
      const node = this.store.peekOne('nodes', undefined, name);
      const built = node && buildGpuNode(node, this.claims.get(name)?.values() ?? [], this.seed);
      const before = this.byNode.get(name);
      if (!built) {
        if (before) {
          this.byNode.delete(name);
          changed = this.orderChanged = true;
        }
      } else if (!before) {
        this.byNode.set(name, built);
        changed = this.orderChanged = true;
      } else if (!sameGpuNode(before, built)) {
        this.byNode.set(name, built);
        changed = true;
      }
    }
    this.dirtyNodes.clear();
    if (this.orderChanged) {
      this.sorted = [...this.byNode.values()].sort(byName);
      this.orderChanged = false;
    } else if (changed) {
      this.sorted = this.sorted.map((n) => this.byNode.get(n.name) as GpuNode);
    }
    return { nodes: this.sorted, changed };
  }

  /** A new version of a pod whose GPU claim and holder are unchanged: keep it, rebuild nothing. */
  private reindex(pod: KubeObject): void {
    const nodeName = nodeOf(pod);
    const pods = nodeName ? this.claims.get(nodeName) : undefined;
    const k = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    if (pods?.has(k)) pods.set(k, pod);
  }

  private index(pod: KubeObject, add: boolean): void {
    const nodeName = nodeOf(pod);
    if (!nodeName || !gpuClaim(pod)) return;
    const k = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    let pods = this.claims.get(nodeName);
    if (add) {
      if (!pods) this.claims.set(nodeName, (pods = new Map()));
      pods.set(k, pod);
    } else if (pods?.get(k) === pod) {
      pods.delete(k);
      if (pods.size === 0) this.claims.delete(nodeName);
    }
    this.dirtyNodes.add(nodeName);
  }
}

function gpuLabels(gpu: Gpu): string {
  const pairs: [string, string][] = [
    ['gpu', String(gpu.index)],
    ['UUID', gpu.uuid],
    ['pci_bus_id', `00000000:${PCI_BUSES[gpu.index % PCI_BUSES.length]}:00.0`],
    ['device', `nvidia${gpu.index}`],
    ['modelName', gpu.modelName],
    ['Hostname', gpu.node],
    ['DCGM_FI_DRIVER_VERSION', DRIVER_VERSION],
  ];
  if (gpu.holder) pairs.push(['container', gpu.holder.container], ['namespace', gpu.holder.namespace], ['pod', gpu.holder.pod]);
  return labelBlock(pairs);
}
