// Who a DCGM exporter series belongs to. Real exporters differ (ops-domain.md): `Hostname` (release
// builds) or `hostname` (upstream main); `pod`/`namespace`/`container` as the exporter writes them,
// `exported_*` when Prometheus scraped with honorLabels: false, `pod_name`/`pod_namespace` from the old
// namespace mode. Values >= 9223372036854775792 are DCGM "blank" placeholders, not measurements.

/** DCGM_FT_INT64_BLANK (9223372036854775792) as float64: every blank placeholder rounds to 2^63. */
export const DCGM_BLANK_MIN = 2 ** 63;

/** A sample value as a number, or NaN when it is missing, unparsable or a DCGM blank placeholder. */
export function sampleValue(raw: string | number): number {
  const v = typeof raw === 'number' ? raw : Number(raw);
  if (Number.isNaN(v)) return Number.NaN;
  return v >= DCGM_BLANK_MIN ? Number.NaN : v;
}

export interface GpuIdentity {
  node: string;
  gpu: string;
  uuid: string;
  model: string;
  pod?: string;
  namespace?: string;
  container?: string;
}

const first = (labels: Record<string, string>, names: string[]): string | undefined => {
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
};

export const NODE_LABELS = ['Hostname', 'hostname', 'kubernetes_node', 'node', 'instance'];
export const POD_LABELS = ['exported_pod', 'pod', 'pod_name'];
export const NAMESPACE_LABELS = ['exported_namespace', 'namespace', 'pod_namespace'];
export const CONTAINER_LABELS = ['exported_container', 'container', 'container_name'];

/**
 * The exporter's own pod, as the scrape attaches it (ServiceMonitor target labels, honorLabels:
 * false) to the series of a GPU that no pod holds: dcgm-exporter writes no pod for such a device.
 */
const EXPORTER_POD = /dcgm-exporter/i;

/**
 * The exporters' own pods (`namespace/pod`): the `pod` a scrape with honorLabels: false attaches next
 * to `exported_pod`. The same target attaches it to the series of its free GPUs, which have no
 * `exported_pod`: a series whose `pod` is one of these is unallocated.
 */
export function exporterPodsOf(series: Iterable<{ labels: Record<string, string> }>): Set<string> {
  const pods = new Set<string>();
  for (const s of series) if (s.labels.exported_pod && s.labels.pod) pods.add(`${s.labels.namespace ?? ''}/${s.labels.pod}`);
  return pods;
}

/**
 * The GPU a series describes. `exported_pod` wins over `pod`: when both exist, `pod` is the
 * exporter's own pod (relabelled by the scrape), not the workload using the GPU. A free GPU's series
 * has no `exported_pod`, only the exporter's `pod`: it is unallocated when that pod is one of
 * `exporterPods` (exporterPodsOf) or its pod/container is named like the DCGM exporter (a node whose
 * GPUs are all free has no series that names its exporter pod otherwise).
 */
export function gpuIdentity(labels: Record<string, string>, exporterPods?: ReadonlySet<string>): GpuIdentity | null {
  const node = first(labels, NODE_LABELS);
  if (!node) return null;
  const gpu = first(labels, ['gpu', 'minor_number']) ?? first(labels, ['device'])?.replace(/^nvidia/, '') ?? '?';
  const uuid = first(labels, ['UUID', 'uuid']) ?? '';
  const model = first(labels, ['modelName', 'model_name']) ?? 'unknown model';
  const hasExported = labels.exported_pod !== undefined || labels.exported_namespace !== undefined;
  const pod = hasExported ? first(labels, ['exported_pod']) : first(labels, ['pod', 'pod_name']);
  const namespace = hasExported ? first(labels, ['exported_namespace']) : first(labels, ['namespace', 'pod_namespace']);
  const container = hasExported ? first(labels, ['exported_container']) : first(labels, ['container', 'container_name']);
  const exporterItself = !hasExported && (exporterPods?.has(`${labels.namespace ?? ''}/${labels.pod ?? ''}`) || EXPORTER_POD.test(pod ?? '') || EXPORTER_POD.test(container ?? ''));
  if (exporterItself) return { node: node.replace(/:\d+$/, ''), gpu, uuid, model };
  return { node: node.replace(/:\d+$/, ''), gpu, uuid, model, pod, namespace, container };
}

/** The row key of a GPU: stable while pods come and go on it. */
export const gpuKey = (id: Pick<GpuIdentity, 'node' | 'uuid' | 'gpu'>): string => `${id.node}/${id.uuid || 'gpu' + id.gpu}`;
