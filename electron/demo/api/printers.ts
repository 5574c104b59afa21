// Server-side printing: the meta.k8s.io/v1 Table columns kube-apiserver emits per kind
// (kubernetes/pkg/printers/internalversion/printers.go), which is what `kubectl get` shows.
// Cells are computed from the stored objects without copying them.
import type { KubeObject } from '../store.js';
import { formatLabelSelector } from './selectors.js';
import type { PrinterColumn, ResourceDef } from './registry.js';
import { storeKey } from './registry.js';
import { evalJsonPath, parseJsonPath } from './crd/jsonpath.js';

export interface ColumnDef {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** null: nothing to show (kubectl prints <none>), as a CRD column whose path matches nothing. */
type Cell = string | number | boolean | null;
type Row = (obj: KubeObject, now: number) => Cell[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- printers read loosely-typed object trees
type Loose = any;

const col = (name: string, type: ColumnDef['type'] = 'string', priority = 0, format = ''): ColumnDef => ({
  name, type, format, priority, description: descriptions[name] ?? '',
});

const descriptions: Record<string, string> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

/** k8s.io/apimachinery duration.HumanDuration: the AGE format every kubectl user knows. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

const since = (ts: string | undefined, now: number): string => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');
const age = (o: KubeObject, now: number) => since(o.metadata.creationTimestamp, now);
const none = (s: string | undefined | null) => (s ? s : '<none>');

function containersImages(spec: Loose): [string, string] {
  const cs: Loose[] = spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** Access modes as kubectl abbreviates them: `RWO,ROX`. */
function accessModes(modes: unknown): string {
  return Array.isArray(modes) ? modes.map((m) => ACCESS_MODES[String(m)] ?? String(m)).join(',') : '';
}

function podStatus(pod: Loose): { ready: string; reason: string; restarts: string } {
  const status = pod.status ?? {};
  const spec = pod.spec ?? {};
  let reason: string = status.reason || status.phase || 'Pending';
  const total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let initializing = false;
  const inits: Loose[] = status.initContainerStatuses ?? [];
  inits.forEach((c, i) => {
    restarts += c.restartCount ?? 0;
    if (c.state?.terminated?.exitCode === 0) return;
    if (c.state?.terminated) {
      reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
      initializing = true;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
      initializing = true;
    } else if (!initializing) {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
      initializing = true;
    }
  });
  const statuses: Loose[] = status.containerStatuses ?? [];
  if (!initializing) {
    let hasRunning = false;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const finished = c.lastState?.terminated?.finishedAt;
      if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  } else {
    for (const c of statuses) restarts += c.restartCount ?? 0;
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready: `${ready}/${total}`, reason, restarts: String(restarts) + (lastRestart ? `\u0000${lastRestart}` : '') };
}

function restartsCell(raw: string, now: number): string {
  const [n, at] = raw.split('\u0000');
  return at ? `${n} (${humanDuration(now - Number(at))} ago)` : n;
}

function nodeRoles(node: Loose): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  const kind = node.metadata.labels?.['kubernetes.io/role'];
  if (kind) roles.push(kind);
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeStatus(node: Loose): string {
  const conds: Loose[] = node.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeAddress(node: Loose, type: string): string {
  return (node.status?.addresses ?? []).find((a: Loose) => a.type === type)?.address ?? '<none>';
}

function servicePorts(svc: Loose): string {
  const ports: Loose[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIP(svc: Loose): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const ext: string[] = svc.spec?.externalIPs ?? [];
  const lb: string[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: Loose) => i.ip || i.hostname);
  if (type === 'LoadBalancer') return [...lb, ...ext].join(',') || '<pending>';
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  return ext.length ? ext.join(',') : '<none>';
}

function endpointsCell(ep: Loose): string {
  const out: string[] = [];
  for (const s of ep.subsets ?? []) {
    for (const a of s.addresses ?? []) {
      for (const p of s.ports ?? [{}]) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
    }
  }
  if (!out.length) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

function jobStatus(job: Loose): string {
  const conds: Loose[] = job.status?.conditions ?? [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (job.spec?.suspend) return 'Suspended';
  return 'Running';
}

function jobDuration(job: Loose, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

export interface Printer {
  columns: ColumnDef[];
  row: Row;
}

const nameCol = col('Name', 'string', 0, 'name');
const ageCol = col('Age');

const printers: Record<string, Printer> = {
  pods: {
    columns: [nameCol, col('Ready'), col('Status'), col('Restarts'), ageCol, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    row: (p: Loose, now) => {
      const s = podStatus(p);
      const gates: Loose[] = p.spec?.readinessGates ?? [];
      return [p.metadata.name, s.ready, s.reason, restartsCell(s.restarts, now), age(p, now), none(p.status?.podIP), none(p.spec?.nodeName), none(p.status?.nominatedNodeName), gates.length ? `0/${gates.length}` : '<none>'];
    },
  },
  nodes: {
    columns: [nameCol, col('Status'), col('Roles'), ageCol, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    row: (n: Loose, now) => {
      const info = n.status?.nodeInfo ?? {};
      return [n.metadata.name, nodeStatus(n), nodeRoles(n), age(n, now), info.kubeletVersion ?? '', nodeAddress(n, 'InternalIP'), nodeAddress(n, 'ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>'];
    },
  },
  namespaces: {
    columns: [nameCol, col('Status'), ageCol],
    row: (n: Loose, now) => [n.metadata.name, n.status?.phase ?? 'Active', age(n, now)],
  },
  services: {
    columns: [nameCol, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), ageCol, col('Selector', 'string', 1)],
    row: (s: Loose, now) => [s.metadata.name, s.spec?.type ?? 'ClusterIP', none(s.spec?.clusterIP), externalIP(s), servicePorts(s), age(s, now), s.spec?.selector ? Object.entries(s.spec.selector).map(([k, v]) => `${k}=${v}`).sort().join(',') : '<none>'],
  },
  endpoints: {
    columns: [nameCol, col('Endpoints'), ageCol],
    row: (e: Loose, now) => [e.metadata.name, endpointsCell(e), age(e, now)],
  },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'string', 1), col('Name', 'string', 1)],
    row: (e: Loose, now) => {
      const first = e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
      const last = e.lastTimestamp ?? e.series?.lastObservedTime ?? first;
      const io = e.involvedObject ?? {};
      const src = e.source?.component ? `${e.source.component}${e.source.host ? ', ' + e.source.host : ''}` : (e.reportingComponent ?? '');
      return [since(last, now), e.type ?? '', e.reason ?? '', `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, io.fieldPath ?? '', src, (e.message ?? '').trim(), since(first, now), String(e.count ?? e.series?.count ?? 1), e.metadata.name];
    },
  },
  configmaps: {
    columns: [nameCol, col('Data', 'integer'), ageCol],
    row: (c: Loose, now) => [c.metadata.name, Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, age(c, now)],
  },
  secrets: {
    columns: [nameCol, col('Type'), col('Data', 'integer'), ageCol],
    row: (s: Loose, now) => [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, age(s, now)],
  },
  serviceaccounts: {
    columns: [nameCol, col('Secrets', 'integer'), ageCol],
    row: (s: Loose, now) => [s.metadata.name, (s.secrets ?? []).length, age(s, now)],
  },
  'deployments.apps': {
    columns: [nameCol, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (d: Loose, now) => {
      const [c, i] = containersImages(d.spec?.template?.spec);
      const st = d.status ?? {};
      return [d.metadata.name, `${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, st.updatedReplicas ?? 0, st.availableReplicas ?? 0, age(d, now), c, i, formatLabelSelector(d.spec?.selector)];
    },
  },
  'replicasets.apps': {
    columns: [nameCol, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (r: Loose, now) => {
      const [c, i] = containersImages(r.spec?.template?.spec);
      return [r.metadata.name, r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r, now), c, i, formatLabelSelector(r.spec?.selector)];
    },
  },
  'statefulsets.apps': {
    columns: [nameCol, col('Ready'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1)],
    row: (s: Loose, now) => {
      const [c, i] = containersImages(s.spec?.template?.spec);
      return [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`, age(s, now), c, i];
    },
  },
  'daemonsets.apps': {
    columns: [nameCol, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (d: Loose, now) => {
      const [c, i] = containersImages(d.spec?.template?.spec);
      const st = d.status ?? {};
      const ns = d.spec?.template?.spec?.nodeSelector;
      return [d.metadata.name, st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0, ns ? Object.entries(ns).map(([k, v]) => `${k}=${v}`).join(',') : '<none>', age(d, now), c, i, formatLabelSelector(d.spec?.selector)];
    },
  },
  'jobs.batch': {
    columns: [nameCol, col('Status'), col('Completions'), col('Duration'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (j: Loose, now) => {
      const [c, i] = containersImages(j.spec?.template?.spec);
      const completions = j.spec?.completions !== undefined ? `${j.status?.succeeded ?? 0}/${j.spec.completions}` : `${j.status?.succeeded ?? 0}/1 of ${j.spec?.parallelism ?? 1}`;
      return [j.metadata.name, jobStatus(j), completions, jobDuration(j, now), age(j, now), c, i, formatLabelSelector(j.spec?.selector)];
    },
  },
  'cronjobs.batch': {
    columns: [nameCol, col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (j: Loose, now) => {
      const [c, i] = containersImages(j.spec?.jobTemplate?.spec?.template?.spec);
      return [j.metadata.name, j.spec?.schedule ?? '', j.spec?.timeZone ?? '<none>', Boolean(j.spec?.suspend), (j.status?.active ?? []).length, j.status?.lastScheduleTime ? since(j.status.lastScheduleTime, now) : '<none>', age(j, now), c, i, formatLabelSelector(j.spec?.jobTemplate?.spec?.selector)];
    },
  },
  persistentvolumeclaims: {
    columns: [nameCol, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), ageCol, col('VolumeMode', 'string', 1)],
    row: (c: Loose, now) => {
      const bound = Boolean(c.spec?.volumeName) && c.status?.phase === 'Bound';
      return [c.metadata.name, c.metadata.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? 'Pending'), c.spec?.volumeName ?? '', bound ? (c.status?.capacity?.storage ?? '') : '', bound ? accessModes(c.status?.accessModes) : '', c.spec?.storageClassName ?? '<unset>', c.spec?.volumeAttributesClassName ?? '<unset>', age(c, now), c.spec?.volumeMode ?? '<unset>'];
    },
  },
  persistentvolumes: {
    columns: [nameCol, col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), ageCol, col('VolumeMode', 'string', 1)],
    row: (v: Loose, now) => {
      const ref = v.spec?.claimRef;
      return [v.metadata.name, v.spec?.capacity?.storage ?? '', accessModes(v.spec?.accessModes), v.spec?.persistentVolumeReclaimPolicy ?? 'Retain', v.metadata.deletionTimestamp ? 'Terminating' : (v.status?.phase ?? 'Pending'), ref ? `${ref.namespace}/${ref.name}` : '', v.spec?.storageClassName ?? '', v.spec?.volumeAttributesClassName ?? '<unset>', v.status?.reason ?? '', age(v, now), v.spec?.volumeMode ?? '<unset>'];
    },
  },
  resourcequotas: {
    columns: [nameCol, ageCol, col('Request'), col('Limit')],
    row: (q: Loose, now) => {
      const hard: Record<string, string> = q.status?.hard ?? q.spec?.hard ?? {};
      const used: Record<string, string> = q.status?.used ?? {};
      const part = (limits: boolean) => Object.keys(hard).filter((k) => k.startsWith('limits.') === limits).sort().map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
      return [q.metadata.name, age(q, now), part(false), part(true)];
    },
  },
  limitranges: { columns: [nameCol, col('Created At', 'date')], row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''] },
  replicationcontrollers: {
    columns: [nameCol, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (r: Loose, now) => {
      const [c, i] = containersImages(r.spec?.template?.spec);
      const sel = r.spec?.selector ?? {};
      return [r.metadata.name, r.spec?.replicas ?? 1, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r, now), c, i, Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'];
    },
  },
  'storageclasses.storage.k8s.io': {
    columns: [nameCol, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion', 'boolean'), ageCol],
    row: (c: Loose, now) => {
      const isDefault = c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
      return [isDefault ? `${c.metadata.name} (default)` : c.metadata.name, c.provisioner ?? '', c.reclaimPolicy ?? 'Delete', c.volumeBindingMode ?? 'Immediate', Boolean(c.allowVolumeExpansion), age(c, now)];
    },
  },
  'poddisruptionbudgets.policy': {
    columns: [nameCol, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), ageCol],
    row: (p: Loose, now) => [p.metadata.name, p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A', p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A', p.status?.disruptionsAllowed ?? 0, age(p, now)],
  },
  'ingresses.networking.k8s.io': {
    columns: [nameCol, col('Class'), col('Hosts'), col('Address'), col('Ports'), ageCol],
    row: (g: Loose, now) => {
      const hosts = (g.spec?.rules ?? []).map((r: Loose) => r.host).filter(Boolean);
      const addresses = (g.status?.loadBalancer?.ingress ?? []).map((i: Loose) => i.ip ?? i.hostname).filter(Boolean);
      return [g.metadata.name, g.spec?.ingressClassName ?? '<none>', hosts.length ? hosts.join(',') : '*', addresses.join(','), g.spec?.tls?.length ? '80, 443' : '80', age(g, now)];
    },
  },
  'certificatesigningrequests.certificates.k8s.io': {
    columns: [nameCol, ageCol, col('SignerName'), col('Requestor'), col('RequestedDuration'), col('Condition')],
    row: (c: Loose, now) => {
      const conditions: string[] = (c.status?.conditions ?? []).filter((x: Loose) => x.status !== 'False').map((x: Loose) => x.type);
      if (c.status?.certificate) conditions.push('Issued');
      const seconds = c.spec?.expirationSeconds;
      return [c.metadata.name, age(c, now), c.spec?.signerName ?? '', c.spec?.username ?? '', typeof seconds === 'number' ? humanDuration(seconds * 1000) : '<none>', conditions.length ? conditions.join(',') : 'Pending'];
    },
  },
  'customresourcedefinitions.apiextensions.k8s.io': { columns: [nameCol, col('Created At', 'date')], row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''] },
  // The Argo Rollouts CRD's additionalPrinterColumns.
  'rollouts.argoproj.io': {
    columns: [nameCol, col('Desired', 'integer'), col('Current', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), ageCol],
    row: (r: Loose, now) => [r.metadata.name, r.spec?.replicas ?? 1, r.status?.replicas ?? 0, r.status?.updatedReplicas ?? 0, r.status?.availableReplicas ?? 0, age(r, now)],
  },
};

const defaultPrinter: Printer = {
  columns: [nameCol, col('Created At', 'date')],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

const generic: Printer = { columns: [nameCol, ageCol], row: (o, now) => [o.metadata.name, age(o, now)] };

const COLUMN_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'date']);

/** One cell of a CRD column, as apiextensions' table convertor computes it. */
function customCell(c: PrinterColumn, steps: ReturnType<typeof parseJsonPath> | undefined, obj: KubeObject, now: number): Cell {
  if (!steps) return null;
  const found = evalJsonPath(obj, steps);
  if (!found.length || found[0] === undefined || found[0] === null) return null;
  if (found.length > 1) return found.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');
  const v = found[0];
  if (c.type === 'date' && typeof v === 'string') return since(v, now);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

const customPrinters = new WeakMap<PrinterColumn[], Printer>();

/** Name, then the CRD version's additionalPrinterColumns (a column whose path does not parse prints <none>). */
function customPrinter(columns: PrinterColumn[]): Printer {
  const hit = customPrinters.get(columns);
  if (hit) return hit;
  const parsed = columns.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  const printer: Printer = {
    columns: [
      nameCol,
      ...columns.map((c) => ({
        name: c.name,
        type: (COLUMN_TYPES.has(c.type) ? c.type : 'string') as ColumnDef['type'],
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    row: (o, now) => [o.metadata.name, ...columns.map((c, i) => customCell(c, parsed[i], o, now))],
  };
  customPrinters.set(columns, printer);
  return printer;
}

export function printerFor(r: ResourceDef): Printer {
  if (r.custom) return customPrinter(r.custom.columns);
  const key = storeKey(r);
  return printers[key] ?? (key.includes('.argoproj.io') ? defaultPrinter : generic);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialMetadata(obj: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** One Table row, with the object embedded the way includeObject asks. */
export function tableRow(printer: Printer, obj: KubeObject, now: number, include: IncludeObject): Record<string, unknown> {
  const row: Record<string, unknown> = { cells: printer.row(obj, now) };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = partialMetadata(obj);
  return row;
}
