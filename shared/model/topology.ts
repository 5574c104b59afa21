// The topology projection: Kubernetes objects in, graph elements out (Service -> workload ->
// ReplicaSet -> Pod -> Node -> GPU). Incremental: `apply` recomputes only the elements an event can
// change (a pod event: that pod, and the GPUs of its old and new node), and records their ids so a
// caller can ship just those. `buildTopology` is the same projection from scratch; tests hold the
// two equal for random event sequences.
import type { ElementKind, TopoElement } from '../contract/topology.js';
import type { KubeObject, WatchEventType, WatchedKind } from './kube.js';
import {
  daemonSetHealth,
  deploymentHealth,
  jobHealth,
  nodeHealth,
  podHealth,
  replicaSetHealth,
  rolloutHealth,
  statefulSetHealth,
  type HealthVerdict,
} from './health.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';
/** Demo fleet (and device-plugin-aware tooling) annotation: the node's GPU indices a pod holds, "0,1". */
export const GPU_DEVICES_ANNOTATION = 'flightdeck.dev/gpu-devices';
/** The topology groups GPU nodes by accelerator model (not by cloud node pool): these name it. */
const GPU_MODEL_POOL_LABELS = ['nvidia.com/gpu.product', 'cloud.google.com/gke-accelerator', 'node.kubernetes.io/instance-type'];

/** Kinds that feed the projection (events and namespaces do not draw elements). */
export const PROJECTED_KINDS = ['nodes', 'pods', 'services', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'rollouts'] as const;
export type ProjectedKind = (typeof PROJECTED_KINDS)[number];

const WORKLOADS: Record<string, ElementKind> = { deployments: 'deploy', statefulsets: 'sts', daemonsets: 'ds', jobs: 'job', rollouts: 'ro' };
const OWNER_KIND: Record<string, ElementKind> = {
  ReplicaSet: 'rs', Deployment: 'deploy', StatefulSet: 'sts', DaemonSet: 'ds', Job: 'job', Rollout: 'ro',
};

export const elementId = (k: ElementKind, namespace: string | undefined, name: string): string => `${k}/${namespace ?? ''}/${name}`;
export const gpuId = (node: string, index: number): string => `gpu//${node}/${index}`;
export function parseElementId(id: string): { k: ElementKind; namespace?: string; name: string } {
  const [k, namespace, ...rest] = id.split('/');
  return { k: k as ElementKind, namespace: namespace || undefined, name: rest.join('/') };
}

export const isProjectedKind = (kind: WatchedKind): kind is ProjectedKind => (PROJECTED_KINDS as readonly string[]).includes(kind);

const key = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

interface Container {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export function podGpuRequest(pod: KubeObject): number {
  const containers = ((pod.spec as { containers?: Container[] })?.containers ?? []) as Container[];
  let total = 0;
  for (const c of containers) {
    const value = c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE];
    total += Number(value ?? 0) || 0;
  }
  return total;
}

export function nodeGpuCapacity(node: KubeObject): number {
  const status = (node.status ?? {}) as { capacity?: Record<string, string>; allocatable?: Record<string, string> };
  return Number(status.capacity?.[GPU_RESOURCE] ?? status.allocatable?.[GPU_RESOURCE] ?? 0) || 0;
}

export function nodePool(node: KubeObject): string {
  const labels = node.metadata.labels ?? {};
  for (const label of GPU_MODEL_POOL_LABELS) if (labels[label]) return labels[label];
  return nodeGpuCapacity(node) > 0 ? 'gpu' : 'cpu';
}

const podNode = (pod: KubeObject): string | undefined => (pod.spec as { nodeName?: string })?.nodeName || undefined;
const podHoldsGpus = (pod: KubeObject): boolean => {
  const phase = (pod.status as { phase?: string })?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && podGpuRequest(pod) > 0;
};

function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}

const templateLabels = (workload: KubeObject): Record<string, string> | undefined =>
  (workload.spec as { template?: { metadata?: { labels?: Record<string, string> } } })?.template?.metadata?.labels;

/** Labels controllers add to pods but never to templates (Argo points Services at one ReplicaSet with them). */
const CONTROLLER_HASH_LABELS = new Set(['rollouts-pod-template-hash', 'pod-template-hash', 'controller-revision-hash']);

/** A Service's selector as matched against pod templates: without the controllers' hash labels. */
const templateSelector = (selector: Record<string, string> | undefined): Record<string, string> | undefined =>
  selector && Object.fromEntries(Object.entries(selector).filter(([k]) => !CONTROLLER_HASH_LABELS.has(k)));

const withHealth = (base: TopoElement, verdict: HealthVerdict): TopoElement => (verdict.r ? { ...base, h: verdict.h, r: verdict.r } : { ...base, h: verdict.h });

function ownerOf(obj: KubeObject): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((o) => o.controller) ?? obj.metadata.ownerReferences?.[0];
  const k = ref && OWNER_KIND[ref.kind];
  return k ? elementId(k, obj.metadata.namespace, ref.name) : undefined;
}

export class TopologyProjection {
  private readonly objects = new Map<ProjectedKind, Map<string, KubeObject>>(PROJECTED_KINDS.map((k) => [k, new Map()]));
  private readonly elements = new Map<string, TopoElement>();
  /** node name -> keys of pods bound to it, so a node's GPU elements can be recomputed alone. */
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly changed = new Set<string>();
  /** pod key -> GPU indices it holds; node name -> pods holding its GPUs (to clear on change). */
  private readonly podGpus = new Map<string, number[]>();
  private readonly gpuHolders = new Map<string, Set<string>>();
  /** Failing verdicts decided outside the objects (a canary's error rate), by element id; a ReplicaSet's covers its pods. */
  private readonly external = new Map<string, HealthVerdict>();
  /**
   * Namespaces whose workloads changed since their Services were last projected. Done on the next
   * read, once per namespace: per workload event it made a list of W workloads cost W x Services x W.
   */
  private readonly staleServices = new Set<string>();

  apply(kind: ProjectedKind, type: WatchEventType, obj: KubeObject): void {
    const store = this.objects.get(kind)!;
    const k = key(obj);
    const old = store.get(k);
    if (type === 'DELETED') store.delete(k);
    else store.set(k, obj);
    const current = type === 'DELETED' ? undefined : obj;
    switch (kind) {
      case 'pods': {
        const before = old && podNode(old);
        const after = current && podNode(current);
        if (before) this.podsByNode.get(before)?.delete(k);
        if (after) {
          let set = this.podsByNode.get(after);
          if (!set) this.podsByNode.set(after, (set = new Set()));
          set.add(k);
        }
        // Only pods that hold (or held) GPUs change a node's GPU allocation.
        if ((old && podHoldsGpus(old)) || (current && podHoldsGpus(current))) {
          if (before && before !== after) this.projectGpus(before);
          if (after) this.projectGpus(after);
        }
        this.put(elementId('pod', obj.metadata.namespace, obj.metadata.name), current && this.projectPod(current));
        break;
      }
      case 'nodes':
        this.put(elementId('node', undefined, obj.metadata.name), current && this.projectNode(current));
        this.projectGpus(obj.metadata.name);
        for (const podKey of this.podsByNode.get(obj.metadata.name) ?? []) {
          const pod = this.objects.get('pods')!.get(podKey);
          if (pod) this.put(elementId('pod', pod.metadata.namespace, pod.metadata.name), this.projectPod(pod));
        }
        break;
      case 'services':
        this.put(elementId('svc', obj.metadata.namespace, obj.metadata.name), current && this.projectService(current));
        break;
      case 'replicasets':
        this.put(elementId('rs', obj.metadata.namespace, obj.metadata.name), current && this.projectReplicaSet(current));
        break;
      default: {
        const ek = WORKLOADS[kind];
        this.put(elementId(ek, obj.metadata.namespace, obj.metadata.name), current && this.projectWorkload(kind, current));
        // A workload's template labels decide which Services point at it (projected on the next read).
        this.staleServices.add(obj.metadata.namespace ?? '');
      }
    }
  }

  private projectStaleServices(): void {
    if (!this.staleServices.size) return;
    for (const svc of this.objects.get('services')!.values()) {
      if (this.staleServices.has(svc.metadata.namespace ?? '')) this.put(elementId('svc', svc.metadata.namespace, svc.metadata.name), this.projectService(svc));
    }
    this.staleServices.clear();
  }

  /** Marks an element (and, for a ReplicaSet, its pods) failing for a reason the objects do not carry; undefined clears it. */
  setExternalVerdict(id: string, verdict: HealthVerdict | undefined): void {
    if (verdict) this.external.set(id, verdict);
    else this.external.delete(id);
    this.reproject(id);
    if (parseElementId(id).k !== 'rs') return;
    for (const pod of this.objects.get('pods')!.values()) if (ownerOf(pod) === id) this.reproject(elementId('pod', pod.metadata.namespace, pod.metadata.name));
  }

  private reproject(id: string): void {
    const { k, namespace, name } = parseElementId(id);
    const kind = k === 'pod' ? 'pods' : k === 'rs' ? 'replicasets' : (Object.keys(WORKLOADS) as ProjectedKind[]).find((w) => WORKLOADS[w] === k);
    const obj = kind && this.objects.get(kind)?.get(`${namespace ?? ''}/${name}`);
    if (!kind || !obj) return;
    this.put(id, kind === 'pods' ? this.projectPod(obj) : kind === 'replicasets' ? this.projectReplicaSet(obj) : this.projectWorkload(kind, obj));
  }

  /** Ids upserted or removed since the last call, with the elements to send. */
  takeChanges(): { upserts: TopoElement[]; removals: string[] } {
    this.projectStaleServices();
    const upserts: TopoElement[] = [];
    const removals: string[] = [];
    for (const id of this.changed) {
      const element = this.elements.get(id);
      if (element) upserts.push(element);
      else removals.push(id);
    }
    this.changed.clear();
    return { upserts, removals };
  }

  all(): TopoElement[] {
    this.projectStaleServices();
    return [...this.elements.values()];
  }

  get(id: string): TopoElement | undefined {
    this.projectStaleServices();
    return this.elements.get(id);
  }

  size(): number {
    return this.elements.size;
  }

  private put(id: string, projected: TopoElement | undefined): void {
    const before = this.elements.get(id);
    const external = projected && this.external.size > 0 ? (this.external.get(id) ?? (projected.k === 'pod' && projected.o ? this.external.get(projected.o) : undefined)) : undefined;
    const element = projected && external && projected.h !== 'failing' ? withHealth(projected, external) : projected;
    if (!element) {
      if (before) {
        this.elements.delete(id);
        this.changed.add(id);
      }
      return;
    }
    if (before && sameElement(before, element)) return;
    this.elements.set(id, element);
    this.changed.add(id);
  }

  private projectPod(pod: KubeObject): TopoElement {
    const status = (pod.status ?? {}) as { phase?: string; containerStatuses?: { ready?: boolean; restartCount?: number }[] };
    const nodeName = podNode(pod);
    const node = nodeName ? this.objects.get('nodes')!.get(`/${nodeName}`) : undefined;
    const cs = status.containerStatuses ?? [];
    const restarts = cs.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
    const g = podGpuRequest(pod);
    const el: TopoElement = { id: elementId('pod', pod.metadata.namespace, pod.metadata.name), k: 'pod', n: pod.metadata.name, ns: pod.metadata.namespace, h: 'unknown' };
    const owner = ownerOf(pod);
    if (owner) el.o = owner;
    if (nodeName) el.on = elementId('node', undefined, nodeName);
    if (status.phase) el.ph = status.phase;
    if (node) el.pool = nodePool(node);
    if (cs.length) el.rdy = `${cs.filter((c) => c.ready).length}/${cs.length}`;
    if (restarts) el.rs = restarts;
    if (g) el.g = g;
    const gi = this.podGpus.get(key(pod));
    if (gi) el.gi = gi;
    return withHealth(el, podHealth(pod));
  }

  private projectNode(node: KubeObject): TopoElement {
    const ready = (node.status as { conditions?: { type: string; status: string }[] })?.conditions?.find((c) => c.type === 'Ready');
    const el: TopoElement = { id: elementId('node', undefined, node.metadata.name), k: 'node', n: node.metadata.name, h: 'unknown', pool: nodePool(node) };
    const g = nodeGpuCapacity(node);
    if (g) el.g = g;
    el.ph = ready?.status === 'True' ? 'Ready' : 'NotReady';
    return withHealth(el, nodeHealth(node));
  }

  private projectService(svc: KubeObject): TopoElement {
    const selector = (svc.spec as { selector?: Record<string, string> })?.selector;
    const own = templateSelector(selector);
    const to: string[] = [];
    for (const [kind, ek] of Object.entries(WORKLOADS)) {
      for (const w of this.objects.get(kind as ProjectedKind)!.values()) {
        if (w.metadata.namespace === svc.metadata.namespace && selectorMatches(own, templateLabels(w))) to.push(elementId(ek, w.metadata.namespace, w.metadata.name));
      }
    }
    to.sort();
    const el: TopoElement = { id: elementId('svc', svc.metadata.namespace, svc.metadata.name), k: 'svc', n: svc.metadata.name, ns: svc.metadata.namespace, h: 'ok' };
    if (to.length) el.to = to;
    else if (selector && Object.keys(selector).length) return { ...el, h: 'warning', r: 'selects no workload' };
    return el;
  }

  private projectReplicaSet(rs: KubeObject): TopoElement {
    const spec = (rs.spec ?? {}) as { replicas?: number };
    const status = (rs.status ?? {}) as { readyReplicas?: number };
    const el: TopoElement = { id: elementId('rs', rs.metadata.namespace, rs.metadata.name), k: 'rs', n: rs.metadata.name, ns: rs.metadata.namespace, h: 'unknown' };
    const owner = ownerOf(rs);
    if (owner) el.o = owner;
    el.rdy = `${status.readyReplicas ?? 0}/${spec.replicas ?? 1}`;
    return withHealth(el, replicaSetHealth(rs));
  }

  private projectWorkload(kind: ProjectedKind, w: KubeObject): TopoElement {
    const ek = WORKLOADS[kind];
    const el: TopoElement = { id: elementId(ek, w.metadata.namespace, w.metadata.name), k: ek, n: w.metadata.name, ns: w.metadata.namespace, h: 'unknown' };
    const spec = (w.spec ?? {}) as { replicas?: number; parallelism?: number };
    const status = (w.status ?? {}) as { readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number; active?: number; succeeded?: number };
    const verdict =
      kind === 'deployments' ? deploymentHealth(w)
      : kind === 'statefulsets' ? statefulSetHealth(w)
      : kind === 'daemonsets' ? daemonSetHealth(w)
      : kind === 'jobs' ? jobHealth(w)
      : rolloutHealth(w);
    el.rdy =
      kind === 'daemonsets' ? `${status.numberReady ?? 0}/${status.desiredNumberScheduled ?? 0}`
      : kind === 'jobs' ? `${status.succeeded ?? 0} done, ${status.active ?? 0} active`
      : `${status.readyReplicas ?? 0}/${spec.replicas ?? 1}`;
    return withHealth(el, verdict);
  }

  /** One element per GPU of the node; each says which pod holds it. */
  private projectGpus(nodeName: string): void {
    const node = this.objects.get('nodes')!.get(`/${nodeName}`);
    const capacity = node ? nodeGpuCapacity(node) : 0;
    const holders = new Map<number, string>();
    const pods = [...(this.podsByNode.get(nodeName) ?? [])]
      .map((k) => this.objects.get('pods')!.get(k)!)
      .filter((p) => p && podHoldsGpus(p))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1)); // code-unit order: localeCompare is 50x slower
    const unassigned: KubeObject[] = [];
    for (const pod of pods) {
      const devices = pod.metadata.annotations?.[GPU_DEVICES_ANNOTATION];
      if (devices) for (const d of devices.split(',').map(Number)) holders.set(d, key(pod));
      else unassigned.push(pod);
    }
    // Without device annotations (real clusters without the plugin's pod-resources API), hand out
    // free indices in a stable order: it shows how many GPUs are taken, not which physical ones.
    let next = 0;
    for (const pod of unassigned) {
      for (let i = 0; i < podGpuRequest(pod); i++) {
        while (holders.has(next)) next++;
        holders.set(next, key(pod));
      }
    }
    const verdict = node ? nodeHealth(node) : { h: 'unknown' as const };
    const pool = node ? nodePool(node) : undefined;
    const nodeId = elementId('node', undefined, nodeName);
    const maxIndex = Math.max(capacity, ...[...holders.keys()].map((i) => i + 1));
    for (let i = 0; i < maxIndex; i++) {
      const holder = holders.get(i);
      const el: TopoElement = { id: gpuId(nodeName, i), k: 'gpu', n: `${nodeName}/gpu${i}`, on: nodeId, h: 'unknown' };
      if (pool) el.pool = pool;
      if (holder) el.by = elementId('pod', holder.split('/')[0], holder.split('/').slice(1).join('/'));
      const h = verdict.h === 'ok' ? (i >= capacity ? { h: 'warning' as const, r: 'allocated beyond capacity' } : { h: 'ok' as const }) : verdict;
      this.put(el.id, node || holder ? withHealth(el, h) : undefined);
    }
    // GPUs beyond the current count (capacity shrank, node deleted) disappear.
    for (let i = maxIndex; this.elements.has(gpuId(nodeName, i)); i++) this.put(gpuId(nodeName, i), undefined);
    // Pods learn their GPU indices from the same pass.
    const byPod = new Map<string, number[]>();
    for (const [index, holder] of holders) byPod.set(holder, [...(byPod.get(holder) ?? []), index].sort((a, b) => a - b));
    // Only pods whose GPU indices changed need a new element.
    const touched = new Set<string>();
    for (const podKey of this.gpuHolders.get(nodeName) ?? []) {
      if (!sameIndices(this.podGpus.get(podKey), byPod.get(podKey))) touched.add(podKey);
      this.podGpus.delete(podKey);
    }
    for (const [podKey, gi] of byPod) {
      if (!sameIndices(this.podGpus.get(podKey), gi)) touched.add(podKey);
      this.podGpus.set(podKey, gi);
    }
    if (byPod.size) this.gpuHolders.set(nodeName, new Set(byPod.keys()));
    else this.gpuHolders.delete(nodeName);
    for (const podKey of touched) {
      const pod = this.objects.get('pods')!.get(podKey);
      if (pod) this.put(elementId('pod', pod.metadata.namespace, pod.metadata.name), this.projectPod(pod));
    }
  }
}

/** Field-by-field equality (elements are flat apart from two short arrays); far cheaper than JSON. */
function sameElement(a: TopoElement, b: TopoElement): boolean {
  const ka = Object.keys(a) as (keyof TopoElement)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

const sameIndices = (a: number[] | undefined, b: number[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]));

/** The projection from scratch: what `apply` must always agree with. */
export function buildTopology(objects: Partial<Record<ProjectedKind, KubeObject[]>>): TopologyProjection {
  const projection = new TopologyProjection();
  // Nodes first so pods find their pool; workloads before services so selectors resolve.
  const order: ProjectedKind[] = ['nodes', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'rollouts', 'replicasets', 'services', 'pods'];
  for (const kind of order) for (const obj of objects[kind] ?? []) projection.apply(kind, 'ADDED', obj);
  projection.takeChanges();
  return projection;
}
