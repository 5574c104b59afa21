// The demo fleet's starting state: GPU and CPU nodes, namespaces, inference services with rollout
// history, training Jobs holding whole nodes, monitoring, Argo Rollouts, and enough filler services
// to reach `--pods`. Everything is written exactly as the controllers would have left it (names,
// hashes, ownerReferences, revisions, placements, Running/Ready statuses) so the fleet is live at once.
import type { DemoClock } from './clock.js';
import type { KubeObject, ObjectStore } from './store.js';
import { createRandom, type Random } from './random.js';
import { CHANGE_CAUSE, REVISION, deploymentSpec, podFromTemplate, replicaSetFor } from './controllers/builders.js';
import { daemonSetHash, nodeWantsDaemon, podForDaemonSet } from './controllers/daemonset.js';
import { endpointsFor } from './controllers/endpoints.js';
import { completeJobSpec, podForJob } from './controllers/job.js';
import { SIM_DURATION_ANNOTATION } from './controllers/kubelet.js';
import { GPU_DEVICES_ANNOTATION, Placement, failedSchedulingMessage, podRequests, spreadKey, type PodRequests } from './controllers/placement.js';
import { containerId, podKey, runningStatus, setCondition, type PodStatus } from './controllers/pod-status.js';
import { podForStatefulSet, statefulSetRevision } from './controllers/statefulset.js';
import { computeTemplateHash, type PodTemplate } from './controllers/template.js';
import {
  alertmanagerTemplate,
  daemonSets,
  fillerDeployments,
  inferenceDeployments,
  platformDeployments,
  rollouts,
  trainingJobs,
  trainingTemplate,
  MODEL_NAME,
  MODEL_VERSION,
  type DaemonSetDef,
  type DeploymentDef,
} from './sim/fleet-catalog.js';
import { buildNamespace, buildNode, type Pool } from './sim/fleet-nodes.js';
import { registerFleet } from './sim/fleet-registry.js';

export interface SeedOptions {
  /** GPU nodes (default 12: half A100, half H100). */
  nodes?: number;
  /** Target total pod count; filler services make up the difference (default: no filler). */
  pods?: number;
  seed?: number;
  clock: DemoClock;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'inference', 'training', 'monitoring'];

export { fleetClock, fleetSeed } from './sim/fleet-registry.js';

const isoAt = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

class Seeder {
  readonly placement = new Placement();
  private readonly nodes = new Map<string, KubeObject>();
  private readonly pods: KubeObject[] = [];
  private readonly clusterIps = new Set<string>(['10.96.0.1', '10.96.0.10']);
  private readonly podIps = new Map<string, Set<string>>();
  readonly now: number;

  constructor(readonly store: ObjectStore, readonly rng: Random, clock: DemoClock) {
    this.now = clock.now();
  }

  get podCount(): number {
    return this.pods.length;
  }

  ago(minMs: number, maxMs: number): number {
    return this.now - this.rng.int(minMs, maxMs);
  }

  namespace(name: string, created: number): void {
    if (this.store.get('namespaces', undefined, name)) return;
    this.store.create('namespaces', buildNamespace(name, isoAt(created)));
  }

  node(pool: Pool, ordinal: number, index: number, created: number): void {
    const node = this.store.create('nodes', buildNode(pool, ordinal, index, this.rng, isoAt(created)), { handOver: true });
    this.nodes.set(node.metadata.name, node);
    this.placement.upsertNode(node);
  }

  /** Places, statuses and stores a pod; `started` is when its containers started. */
  pod(pod: KubeObject, created: number, started: number, opts: { nodeName?: string; restarts?: boolean | 'always'; req?: PodRequests } = {}): KubeObject {
    pod.metadata.creationTimestamp = isoAt(created);
    const req = opts.req ?? podRequests(pod);
    let nodeName = opts.nodeName;
    if (nodeName) {
      this.placement.reserve(podKey(pod), nodeName, req, undefined, spreadKey(pod));
    } else {
      const choice = this.placement.choose(pod, req, spreadKey(pod));
      if ('node' in choice) {
        nodeName = choice.node;
        const slots = this.placement.reserve(podKey(pod), nodeName, req, undefined, spreadKey(pod));
        if (slots.length) (pod.metadata.annotations ??= {})[GPU_DEVICES_ANNOTATION] = slots.join(',');
      } else {
        const status: PodStatus = { phase: 'Pending', qosClass: (pod.status as PodStatus).qosClass };
        setCondition(status, 'PodScheduled', 'False', isoAt(created), 'Unschedulable', failedSchedulingMessage(choice.failure));
        pod.status = status;
      }
    }
    if (nodeName) {
      (pod.spec as { nodeName?: string }).nodeName = nodeName;
      let taken = this.podIps.get(nodeName);
      if (!taken) this.podIps.set(nodeName, (taken = new Set()));
      const status = runningStatus(pod, this.nodes.get(nodeName) as KubeObject, isoAt(started), true, taken);
      if (opts.restarts === 'always' || (opts.restarts && this.rng.chance(0.04))) this.addRestarts(pod, status, started);
      pod.status = status;
    }
    // Handed over without a copy: pods of one template share nested, never-mutated parts (stored
    // objects are read-only by the store's contract), which keeps 10k pods well under a second.
    const stored = this.store.create('pods', pod, { handOver: true });
    this.pods.push(stored);
    return stored;
  }

  private addRestarts(pod: KubeObject, status: PodStatus, started: number): void {
    const cs = status.containerStatuses?.[0];
    if (!cs) return;
    const restarts = this.rng.int(1, 3);
    const lastStart = Math.min(started + this.rng.int(HOUR, 6 * HOUR), this.now - this.rng.int(5 * 60_000, HOUR));
    if (lastStart <= started) return;
    const oom = this.rng.chance(0.5);
    cs.restartCount = restarts;
    cs.lastState = {
      terminated: {
        exitCode: oom ? 137 : 1,
        reason: oom ? 'OOMKilled' : 'Error',
        startedAt: isoAt(started),
        finishedAt: isoAt(lastStart - 1000),
        containerID: containerId(`${pod.metadata.name}/${cs.name}/${restarts - 1}`),
      },
    };
    cs.state = { running: { startedAt: isoAt(lastStart) } };
    cs.containerID = containerId(`${pod.metadata.name}/${cs.name}/${restarts}`);
  }

  status(resource: string, obj: KubeObject, status: Record<string, unknown>): KubeObject {
    const copy = { ...obj, status, metadata: { ...obj.metadata, resourceVersion: undefined } };
    return this.store.update(resource, copy, { subresource: 'status' });
  }

  clusterIp(): string {
    for (;;) {
      const ip = `10.96.${this.rng.int(1, 254)}.${this.rng.int(1, 254)}`;
      if (!this.clusterIps.has(ip)) {
        this.clusterIps.add(ip);
        return ip;
      }
    }
  }

  service(namespace: string, name: string, selector: Record<string, string> | undefined, ports: { name: string; port: number; targetPort?: number | string; protocol?: string }[], opts: { headless?: boolean; created?: number; labels?: Record<string, string> } = {}): void {
    const ip = opts.headless ? 'None' : this.clusterIp();
    const spec: Record<string, unknown> = {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    };
    if (selector) spec.selector = selector;
    this.store.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels: opts.labels ?? { app: name }, creationTimestamp: isoAt(opts.created ?? this.now - 30 * DAY) },
      spec,
      status: { loadBalancer: {} },
    });
  }

  /** Endpoints for every service with a selector, from the pods seeded so far. */
  endpoints(): void {
    // Candidates by namespace and label pair, so each service looks only at pods that might match.
    const byLabel = new Map<string, KubeObject[]>();
    for (const p of this.pods) {
      for (const [k, v] of Object.entries(p.metadata.labels ?? {})) {
        const key = `${p.metadata.namespace ?? ''}\u0000${k}=${v}`;
        let list = byLabel.get(key);
        if (!list) byLabel.set(key, (list = []));
        list.push(p);
      }
    }
    for (const svc of [...this.store.peek('services')]) {
      if (this.store.peekOne('endpoints', svc.metadata.namespace, svc.metadata.name)) continue;
      const first = Object.entries((svc.spec as { selector?: Record<string, string> }).selector ?? {})[0];
      const candidates = first ? (byLabel.get(`${svc.metadata.namespace ?? ''}\u0000${first[0]}=${first[1]}`) ?? []) : [];
      const ep = endpointsFor(svc, candidates);
      if (ep) {
        ep.metadata.creationTimestamp = svc.metadata.creationTimestamp;
        this.store.create('endpoints', ep, { handOver: true });
      }
    }
  }

  deployment(def: DeploymentDef, created: number): void {
    const labels = def.template.metadata?.labels ?? {};
    const selector = labels.app ? { app: labels.app } : { ...labels };
    const revision = (def.history?.length ?? 0) + 1;
    const stored = this.store.create('deployments.apps', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: def.name,
        namespace: def.namespace,
        labels: { ...selector },
        annotations: { ...(def.annotations ?? {}), [CHANGE_CAUSE]: def.cause, [REVISION]: String(revision) },
        creationTimestamp: isoAt(created),
      },
      spec: {
        replicas: def.replicas,
        selector: { matchLabels: selector },
        template: def.template,
        strategy: def.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    });
    const span = Math.max(HOUR, this.now - created - 2 * HOUR);
    (def.history ?? []).forEach((h, i) => {
      const tpl = JSON.parse(JSON.stringify(deploymentSpec(stored).template)) as PodTemplate;
      (tpl.spec.containers[0] as { image: string }).image = h.image;
      if (h.modelVersion && tpl.metadata?.annotations?.[MODEL_VERSION]) tpl.metadata.annotations[MODEL_VERSION] = h.modelVersion;
      const then: KubeObject = {
        ...stored,
        metadata: { ...stored.metadata, annotations: { ...(stored.metadata.annotations ?? {}), [CHANGE_CAUSE]: h.cause } },
        spec: { ...(stored.spec as object), template: tpl },
      };
      const rs = replicaSetFor(then, computeTemplateHash(tpl), i + 1, 0);
      rs.metadata.creationTimestamp = isoAt(created + (span * i) / revision);
      const rsStored = this.store.create('replicasets.apps', rs);
      this.status('replicasets.apps', rsStored, { replicas: 0, observedGeneration: 1 });
    });
    const rsCreated = created + (span * (revision - 1)) / revision;
    const rs = replicaSetFor(stored, computeTemplateHash(deploymentSpec(stored).template), revision, def.replicas);
    rs.metadata.creationTimestamp = isoAt(rsCreated);
    const rsStored = this.store.create('replicasets.apps', rs);
    const template = (rsStored.spec as { template: PodTemplate }).template;
    let ready = 0;
    let req: PodRequests | undefined;
    for (let i = 0; i < def.replicas; i++) {
      const podName = this.freeName(def.namespace, `${rsStored.metadata.name}-`);
      const pod = podFromTemplate(rsStored, template, { name: podName, generateName: `${rsStored.metadata.name}-`, defaulted: true });
      req ??= podRequests(pod);
      const podCreated = rsCreated + this.rng.int(0, 20_000);
      const p = this.pod(pod, podCreated, podCreated + this.rng.int(3_000, 40_000), { restarts: i < (def.restartedPods ?? 0) ? 'always' : true, req });
      if ((p.spec as { nodeName?: string }).nodeName) ready++;
    }
    this.status('replicasets.apps', rsStored, {
      replicas: def.replicas,
      fullyLabeledReplicas: def.replicas,
      ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
      observedGeneration: 1,
    });
    const rsName = rsStored.metadata.name;
    const t = isoAt(rsCreated + 60_000);
    const maxUnavailable = Math.floor(def.replicas * 0.25);
    const available = ready >= def.replicas - maxUnavailable;
    this.status('deployments.apps', stored, {
      observedGeneration: 1,
      replicas: def.replicas,
      updatedReplicas: def.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(def.replicas - ready > 0 ? { unavailableReplicas: def.replicas - ready } : {}),
      conditions: [
        available
          ? { type: 'Available', status: 'True', lastUpdateTime: t, lastTransitionTime: t, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : { type: 'Available', status: 'False', lastUpdateTime: t, lastTransitionTime: t, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
        ready === def.replicas
          ? { type: 'Progressing', status: 'True', lastUpdateTime: t, lastTransitionTime: isoAt(created), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }
          : { type: 'Progressing', status: 'True', lastUpdateTime: t, lastTransitionTime: isoAt(created), reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` },
      ],
    });
    if (def.port) this.service(def.namespace, def.name, selector, [{ name: def.port === 53 ? 'dns' : 'http', port: def.port }], { created });
  }

  daemonSet(def: DaemonSetDef, created: number): void {
    const labels = def.template.metadata?.labels ?? {};
    const stored = this.store.create('daemonsets.apps', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: def.name, namespace: def.namespace, labels: { ...labels }, annotations: { 'deprecated.daemonset.template.generation': '1' }, creationTimestamp: isoAt(created) },
      spec: {
        selector: { matchLabels: { ...labels } },
        template: def.template,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
    });
    let count = 0;
    const hash = daemonSetHash(stored);
    let req: PodRequests | undefined;
    for (const node of this.nodes.values()) {
      if (!nodeWantsDaemon(stored, node)) continue;
      count++;
      const podCreated = Math.max(created, Date.parse(node.metadata.creationTimestamp ?? '') || created) + this.rng.int(1_000, 30_000);
      const pod = podForDaemonSet(stored, node.metadata.name, this.freeName(def.namespace, `${def.name}-`), hash);
      req ??= podRequests(pod);
      this.pod(pod, podCreated, podCreated + this.rng.int(2_000, 15_000), { nodeName: node.metadata.name, req });
    }
    this.status('daemonsets.apps', stored, {
      currentNumberScheduled: count,
      desiredNumberScheduled: count,
      numberAvailable: count,
      numberMisscheduled: 0,
      numberReady: count,
      observedGeneration: 1,
      updatedNumberScheduled: count,
    });
    if (def.port) this.service(def.namespace, def.name, { ...labels }, [{ name: 'metrics', port: def.port }], { created, labels: { ...labels } });
  }

  statefulSet(namespace: string, name: string, replicas: number, template: PodTemplate, port: number, created: number): void {
    const labels = template.metadata?.labels ?? {};
    this.service(namespace, `${name}-operated`, { app: labels.app ?? name }, [{ name: 'web', port }], { headless: true, created });
    this.service(namespace, name, { app: labels.app ?? name }, [{ name: 'web', port }], { created });
    const stored = this.store.create('statefulsets.apps', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace, labels: { app: labels.app ?? name }, creationTimestamp: isoAt(created) },
      spec: {
        replicas,
        serviceName: `${name}-operated`,
        selector: { matchLabels: { app: labels.app ?? name } },
        template,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
      },
    });
    for (let i = 0; i < replicas; i++) {
      const t = created + i * 30_000;
      this.pod(podForStatefulSet(stored, i), t, t + 5_000);
    }
    const revision = statefulSetRevision(stored);
    this.status('statefulsets.apps', stored, {
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: replicas,
    });
  }

  job(name: string, template: PodTemplate, model: string, started: number, remainingMs: number, completedAt?: number): void {
    const created = started - this.rng.int(2_000, 30_000);
    const stored = this.store.create('jobs.batch', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'training', labels: { 'training.flightdeck.dev/run': name }, annotations: { [MODEL_NAME]: model }, creationTimestamp: isoAt(created) },
      spec: { parallelism: 1, completions: 1, backoffLimit: 3, template },
    });
    const draft = JSON.parse(JSON.stringify(stored)) as KubeObject;
    completeJobSpec(draft);
    draft.metadata.resourceVersion = undefined;
    const job = this.store.update('jobs.batch', draft);
    const pod = podForJob(job, this.freeName('training', `${name}-`));
    const elapsed = (completedAt ?? this.now) - started;
    (pod.metadata.annotations ??= {})[SIM_DURATION_ANNOTATION] = String(Math.round((elapsed + remainingMs) / 1000));
    if (completedAt === undefined) {
      const p = this.pod(pod, created + 1_000, started);
      const running = !!(p.spec as { nodeName?: string }).nodeName;
      this.status('jobs.batch', job, { startTime: isoAt(created + 1_000), active: 1, terminating: 0, uncountedTerminatedPods: {}, ready: running ? 1 : 0 });
      return;
    }
    // A finished run: its pod Succeeded and holds nothing any more.
    const node = [...this.nodes.values()].find((n) => n.metadata.labels?.['flightdeck.dev/gpu-pool'] === 'a100') ?? [...this.nodes.values()][0];
    (pod.spec as { nodeName?: string }).nodeName = node.metadata.name;
    const status = runningStatus(pod, node, isoAt(started), false);
    const cs = status.containerStatuses?.[0];
    if (cs) {
      cs.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: isoAt(started), finishedAt: isoAt(completedAt), containerID: cs.containerID } };
      cs.started = false;
    }
    status.phase = 'Succeeded';
    for (const c of status.conditions ?? []) if (c.type === 'Ready' || c.type === 'ContainersReady') Object.assign(c, { status: 'False', reason: 'PodCompleted', lastTransitionTime: isoAt(completedAt) });
    pod.status = status;
    pod.metadata.creationTimestamp = isoAt(created + 1_000);
    this.pods.push(this.store.create('pods', pod));
    const done = isoAt(completedAt);
    this.status('jobs.batch', job, {
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: done, lastTransitionTime: done, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        { type: 'Complete', status: 'True', lastProbeTime: done, lastTransitionTime: done, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      ],
      startTime: isoAt(created + 1_000),
      completionTime: done,
      succeeded: 1,
      terminating: 0,
      uncountedTerminatedPods: {},
      ready: 0,
    });
  }

  freeName(namespace: string, prefix: string): string {
    for (;;) {
      const name = prefix + this.rng.suffix();
      if (!this.store.peekOne('pods', namespace, name)) return name;
    }
  }
}

/**
 * Seeds the demo fleet into an empty store. `nodes` GPU nodes (half A100, half H100, 8 GPUs each)
 * plus CPU nodes; workloads scale with the node count, and filler services bring the total pod
 * count up to `pods` when given.
 */
export function seedFleet(store: ObjectStore, opts: SeedOptions): void {
  const seed = opts.seed ?? 1;
  registerFleet(store, { seed, clock: opts.clock });
  const rng = createRandom(seed);
  const s = new Seeder(store, rng, opts.clock);
  const born = s.now - 42 * DAY;
  const gpuNodes = Math.max(0, Math.floor(opts.nodes ?? 12));
  const scale = Math.max(gpuNodes, 1) / 12;

  for (const ns of NAMESPACES) s.namespace(ns, born);
  const a100 = Math.ceil(gpuNodes / 2);
  const cpuNodes = Math.max(3, Math.ceil(gpuNodes / 40));
  let index = 0;
  for (let i = 1; i <= cpuNodes; i++) s.node('cpu', i, index++, born + i * 60_000);
  for (let i = 1; i <= a100; i++) s.node('a100', i, index++, born + HOUR + i * 60_000);
  for (let i = 1; i <= gpuNodes - a100; i++) s.node('h100', i, index++, born + 2 * HOUR + i * 60_000);

  s.service('default', 'kubernetes', undefined, [{ name: 'https', port: 443, targetPort: 6443 }], { created: born, labels: { component: 'apiserver', provider: 'kubernetes' } });
  store.create('endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' }, creationTimestamp: isoAt(born) },
    subsets: [{ addresses: [{ ip: '10.0.0.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });

  // Whole-node training runs first, so the scheduler's packing leaves them full nodes.
  const jobs = trainingJobs(Math.round(4 * scale));
  jobs.forEach((j, i) => {
    const started = s.ago(2 * HOUR, 30 * HOUR);
    // The last run finishes a few minutes into the demo, so Job completion shows up live.
    const remaining = i === jobs.length - 1 ? rng.int(6 * 60_000, 10 * 60_000) : rng.int(2 * HOUR, 40 * HOUR);
    s.job(j.name, j.template, j.model, started, remaining);
  });
  const evalStart = s.ago(5 * HOUR, 6 * HOUR);
  s.job('resnet50-eval', trainingTemplate('resnet50-eval', 'microsoft/resnet-50', 'a100', 1), 'microsoft/resnet-50', evalStart, 0, evalStart + 47 * 60_000);

  for (const def of inferenceDeployments(scale)) s.deployment(def, s.ago(20 * DAY, 35 * DAY));
  for (const def of platformDeployments()) s.deployment(def, born + 10 * 60_000);
  s.service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    { name: 'metrics', port: 9153 },
  ], { created: born, labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } });
  for (const def of daemonSets()) s.daemonSet(def, born + 15 * 60_000);
  s.statefulSet('monitoring', 'alertmanager', 2, alertmanagerTemplate(), 9093, born + 20 * 60_000);

  for (const r of rollouts()) {
    r.metadata.creationTimestamp = isoAt(s.ago(8 * DAY, 12 * DAY));
    store.create('rollouts.argoproj.io', r);
  }
  s.service('inference', 'recommender', { app: 'recommender' }, [{ name: 'http', port: 80, targetPort: 8080 }]);
  s.service('inference', 'recommender-canary', { app: 'recommender' }, [{ name: 'http', port: 80, targetPort: 8080 }]);
  s.service('inference', 'chat-frontend-active', { app: 'chat-frontend' }, [{ name: 'http', port: 80, targetPort: 8080 }]);
  s.service('inference', 'chat-frontend-preview', { app: 'chat-frontend' }, [{ name: 'http', port: 80, targetPort: 8080 }]);

  // Pods the rollouts controller will create (4 + 3) count towards the target too.
  const filler = (opts.pods ?? 0) - s.podCount - 7;
  if (filler > 0) for (const def of fillerDeployments(filler)) s.deployment(def, s.ago(3 * DAY, 30 * DAY));
  s.endpoints();
}
