// The resource metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it behind the
// apiserver's aggregation layer: NodeMetrics and PodMetrics, read by `kubectl top` and the console.
// Usage comes from what runs: each running container uses a share of what it requested (a share
// fixed by the seed and its identity, so the same fleet reads the same), and a node uses the sum of
// its pods plus the system daemons' overhead.
import type { ServerResponse } from 'node:http';
import type { KubeObject, ObjectStore } from '../store.js';
import { fnv32a } from '../random.js';
import { bytes, milliCpu } from '../sim/quantity.js';
import type { ResourceDef } from './registry.js';
import { matchLabels, parseLabelSelector } from './selectors.js';
import { ApiError, statusBody } from './status.js';
import { sendJson } from './http-util.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;
/** metrics-server scrapes every 15 s; a sample covers that window. */
const WINDOW_MS = 15_000;

const readOnly = (plural: string, singular: string, kind: string, namespaced: boolean): ResourceDef => ({
  group: METRICS_GROUP,
  version: METRICS_VERSION,
  plural,
  singular,
  kind,
  namespaced,
  verbs: ['get', 'list'],
  subresources: [],
});

/** What discovery lists for the aggregated metrics API (as metrics-server registers it). */
export const METRICS_RESOURCES: readonly ResourceDef[] = [readOnly('nodes', '', 'NodeMetrics', false), readOnly('pods', '', 'PodMetrics', true)];

export function findMetricsResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return group === METRICS_GROUP && version === METRICS_VERSION ? METRICS_RESOURCES.find((r) => r.plural === plural) : undefined;
}

export interface Usage {
  /** Nanocores. */
  cpu: number;
  /** Bytes (working set). */
  memory: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pod objects are untyped JSON
type Loose = any;

/** A number in [lo, hi) fixed by the seed and the labels. */
function share(seed: number, lo: number, hi: number, ...labels: string[]): number {
  return lo + ((fnv32a(`${seed}\u0000${labels.join('\u0000')}`) % 10_000) / 10_000) * (hi - lo);
}

const isGpu = (c: Loose) => Number(c?.resources?.limits?.['nvidia.com/gpu'] ?? c?.resources?.requests?.['nvidia.com/gpu'] ?? 0) > 0;

/** One container's usage: a share of its request (limit, else a small default). GPU feeders run hotter. */
export function containerUsage(seed: number, pod: KubeObject, c: Loose): Usage {
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name;
  const requested = (key: 'cpu' | 'memory') => c?.resources?.requests?.[key] ?? c?.resources?.limits?.[key];
  const cpuMilli = milliCpu(requested('cpu')) || 100;
  const memBytes = bytes(requested('memory')) || 128 * 2 ** 20;
  const hot = isGpu(c);
  const cpu = Math.round(cpuMilli * share(seed, hot ? 0.55 : 0.05, hot ? 0.95 : 0.7, ns, name, c.name, 'cpu') * 1e6);
  const memory = Math.round((memBytes * share(seed, hot ? 0.6 : 0.25, hot ? 0.92 : 0.8, ns, name, c.name, 'memory')) / 1024) * 1024;
  return { cpu, memory };
}

const running = (pod: KubeObject) => (pod.status as Loose)?.phase === 'Running' && !pod.metadata.deletionTimestamp;

export function podUsage(seed: number, pod: KubeObject): { name: string; usage: Usage }[] {
  return ((pod.spec as Loose)?.containers ?? []).map((c: Loose) => ({ name: String(c.name), usage: containerUsage(seed, pod, c) }));
}

export function nodeUsage(seed: number, node: KubeObject, pods: Iterable<KubeObject>): Usage {
  const allocatable = (node.status as Loose)?.allocatable ?? {};
  // kubelet, container runtime and the node's daemons.
  let cpu = Math.round(share(seed, 120, 380, node.metadata.name, 'system-cpu') * 1e6);
  let memory = Math.round(share(seed, 700, 1600, node.metadata.name, 'system-memory')) * 2 ** 20;
  for (const pod of pods) {
    if ((pod.spec as Loose)?.nodeName !== node.metadata.name || !running(pod)) continue;
    for (const c of podUsage(seed, pod)) {
      cpu += c.usage.cpu;
      memory += c.usage.memory;
    }
  }
  const capCpu = milliCpu(allocatable.cpu) * 1e6;
  const capMem = bytes(allocatable.memory);
  return { cpu: capCpu ? Math.min(cpu, capCpu) : cpu, memory: capMem ? Math.min(memory, capMem) : memory };
}

/** As metrics-server writes them: CPU in nanocores, memory in KiB. */
const quantities = (u: Usage) => ({ cpu: `${u.cpu}n`, memory: `${Math.round(u.memory / 1024)}Ki` });

export interface MetricsRequest {
  store: ObjectStore;
  seed: number;
  now: number;
  r: ResourceDef;
  namespace?: string;
  name?: string;
  labelSelector?: string | null;
}

/** The NodeMetrics/PodMetrics object, or list, a GET of the metrics API answers. */
export function metricsAnswer(m: MetricsRequest): unknown {
  // RFC 3339 to the second, as Go's metav1.Time marshals.
  const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const timestamp = rfc3339(Math.floor(m.now / WINDOW_MS) * WINDOW_MS);
  const window = `${WINDOW_MS / 1000}s`;
  const meta = (o: KubeObject) => ({
    name: o.metadata.name,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    creationTimestamp: rfc3339(m.now),
    ...(o.metadata.labels ? { labels: o.metadata.labels } : {}),
  });
  const nodes = m.r.kind === 'NodeMetrics';
  const wanted = parseLabelSelector(m.labelSelector);
  const sources = nodes
    ? [...m.store.peek('nodes')]
    : [...m.store.peek('pods')].filter((p) => running(p) && (m.namespace === undefined || p.metadata.namespace === m.namespace));
  const pods = nodes ? [...m.store.peek('pods')] : [];
  const item = (o: KubeObject) =>
    nodes
      ? { metadata: meta(o), timestamp, window, usage: quantities(nodeUsage(m.seed, o, pods)) }
      : { metadata: meta(o), timestamp, window, containers: podUsage(m.seed, o).map((c) => ({ name: c.name, usage: quantities(c.usage) })) };
  if (m.name !== undefined) {
    const found = sources.find((o) => o.metadata.name === m.name);
    if (!found) {
      const resource = nodes ? 'nodemetrics' : 'podmetrics';
      throw new ApiError(statusBody(404, 'NotFound', `${resource}.${METRICS_GROUP} "${m.name}" not found`, { name: m.name, group: METRICS_GROUP, kind: resource }));
    }
    return { kind: m.r.kind, apiVersion: API_VERSION, ...item(found) };
  }
  const items = sources.filter((o) => matchLabels(wanted, o.metadata.labels)).sort((a, b) => key(a).localeCompare(key(b))).map(item);
  return { kind: `${m.r.kind}List`, apiVersion: API_VERSION, metadata: {}, items };
}

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function serveMetrics(res: ServerResponse, m: MetricsRequest): void {
  sendJson(res, 200, metricsAnswer(m));
}
