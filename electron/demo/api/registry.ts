// The resource types the demo API serves: one table drives discovery, routing, RBAC and printing.
// Names, short names, verbs and categories follow what a v1.32 kube-apiserver (and the Argo
// Rollouts CRDs) advertise, because kubectl resolves `po`, `deploy`, `get all` from exactly these.

export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: string[];
  /** Set when the subresource speaks another group/version (Scale is autoscaling/v1). */
  group?: string;
  version?: string;
}

/** One additionalPrinterColumn of a CustomResourceDefinition version. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** How a custom resource (a CRD's served version) is served: its schema, columns and scale paths. */
export interface CustomServing {
  /** The CustomResourceDefinition's name, `plural.group`. */
  crd: string;
  /** The version's openAPIV3Schema (structural), if any. */
  schema?: Record<string, unknown>;
  columns: PrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

export interface ResourceDef {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceDef[];
  /** Not stored: answered by a handler (the review APIs). */
  virtual?: boolean;
  /**
   * A built-in entry for a kind a CustomResourceDefinition of this name installs (the Argo kinds):
   * served only while that CRD exists, with this entry's schema and printer.
   */
  fromCrd?: string;
  /** Set for a custom resource served from a CustomResourceDefinition (electron/demo/api/crd). */
  custom?: CustomServing;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS: SubresourceDef = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };
const SCALE: SubresourceDef = { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' };

function def(d: Omit<ResourceDef, 'verbs' | 'subresources'> & Partial<Pick<ResourceDef, 'verbs' | 'subresources'>>): ResourceDef {
  const subresources = (d.subresources ?? []).map((s) => (s.kind ? s : { ...s, kind: d.kind }));
  return { verbs: RW, ...d, subresources };
}

export const RESOURCES: ResourceDef[] = [
  def({ group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [STATUS] }),
  def({ group: '', version: 'v1', plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: [STATUS] }),
  def({
    group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: [
      STATUS,
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
    ],
  }),
  def({ group: '', version: 'v1', plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: [STATUS] }),
  def({ group: '', version: 'v1', plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] }),
  def({ group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] }),
  def({ group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] }),
  def({ group: '', version: 'v1', plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true }),
  def({ group: '', version: 'v1', plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] }),
  def({ group: '', version: 'v1', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'], subresources: [STATUS] }),
  def({ group: '', version: 'v1', plural: 'persistentvolumes', singular: 'persistentvolume', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], subresources: [STATUS] }),
  def({ group: '', version: 'v1', plural: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], subresources: [STATUS] }),
  def({ group: '', version: 'v1', plural: 'limitranges', singular: 'limitrange', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] }),
  def({ group: '', version: 'v1', plural: 'replicationcontrollers', singular: 'replicationcontroller', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], categories: ['all'], subresources: [SCALE, STATUS] }),
  def({ group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: [SCALE, STATUS] }),
  def({ group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: [SCALE, STATUS] }),
  def({ group: 'apps', version: 'v1', plural: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: [SCALE, STATUS] }),
  def({ group: 'apps', version: 'v1', plural: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: [STATUS] }),
  def({ group: 'apps', version: 'v1', plural: 'controllerrevisions', singular: 'controllerrevision', kind: 'ControllerRevision', namespaced: true }),
  def({ group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', kind: 'Job', namespaced: true, categories: ['all'], subresources: [STATUS] }),
  def({ group: 'batch', version: 'v1', plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: [STATUS] }),
  def({ group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', singular: 'storageclass', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] }),
  def({ group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], subresources: [STATUS] }),
  def({ group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: [STATUS] }),
  def({
    group: 'certificates.k8s.io', version: 'v1', plural: 'certificatesigningrequests', singular: 'certificatesigningrequest', kind: 'CertificateSigningRequest', namespaced: false, shortNames: ['csr'],
    subresources: [{ name: 'approval', kind: '', verbs: ['get', 'patch', 'update'] }, STATUS],
  }),
  def({ group: 'authentication.k8s.io', version: 'v1', plural: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'], virtual: true }),
  def({ group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'], virtual: true }),
  def({ group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'], virtual: true }),
  def({ group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', singular: 'subjectaccessreview', kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'], virtual: true }),
  def({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: [STATUS] }),
  def({ fromCrd: 'rollouts.argoproj.io', group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', singular: 'rollout', kind: 'Rollout', namespaced: true, shortNames: ['ro'], subresources: [SCALE, STATUS] }),
  def({ fromCrd: 'analysisruns.argoproj.io', group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns', singular: 'analysisrun', kind: 'AnalysisRun', namespaced: true, shortNames: ['ar'], subresources: [STATUS] }),
  def({ fromCrd: 'analysistemplates.argoproj.io', group: 'argoproj.io', version: 'v1alpha1', plural: 'analysistemplates', singular: 'analysistemplate', kind: 'AnalysisTemplate', namespaced: true, shortNames: ['at'] }),
  def({ fromCrd: 'experiments.argoproj.io', group: 'argoproj.io', version: 'v1alpha1', plural: 'experiments', singular: 'experiment', kind: 'Experiment', namespaced: true, shortNames: ['exp'], subresources: [STATUS] }),
];

/** The store key of a resource: plural for the core group, `plural.group` otherwise. */
export const storeKey = (r: Pick<ResourceDef, 'group' | 'plural'>): string => (r.group ? `${r.plural}.${r.group}` : r.plural);

/** `deployments.apps` / `pods`: how the apiserver names a resource in messages. */
export const qualifiedName = storeKey;

export const apiVersionOf = (r: Pick<ResourceDef, 'group' | 'version'>): string => (r.group ? `${r.group}/${r.version}` : r.version);

const byPath = new Map<string, ResourceDef>();
const byKind = new Map<string, ResourceDef>();
for (const r of RESOURCES) {
  byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
  byKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
}

export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

export interface GroupInfo {
  name: string;
  versions: string[];
}

/** Non-core groups in the order the apiserver lists them (of `served`: built-in kinds by default). */
export function groups(served: readonly ResourceDef[] = RESOURCES): GroupInfo[] {
  const out = new Map<string, GroupInfo>();
  for (const r of served) {
    if (!r.group) continue;
    const g = out.get(r.group) ?? { name: r.group, versions: [] };
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
    out.set(r.group, g);
  }
  return [...out.values()];
}

export function resourcesOf(group: string, version: string, served: readonly ResourceDef[] = RESOURCES): ResourceDef[] {
  return served.filter((r) => r.group === group && r.version === version);
}
