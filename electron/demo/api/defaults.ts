// Server-side defaulting (pkg/apis/*/v1/defaults.go), applied by the store on every write. Without
// it a template written by kubectl and the same template copied by a controller would differ, and
// `rollout undo` would create a new ReplicaSet instead of reusing the old one. Idempotent.
import type { Defaulter, KubeObject } from '../store.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- defaulting walks loosely-typed object trees
type Loose = any;

const isObj = (v: unknown): v is Record<string, Loose> => typeof v === 'object' && v !== null && !Array.isArray(v);

function setIfMissing(o: Record<string, Loose>, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

function defaultContainer(c: Loose): void {
  if (!isObj(c)) return;
  const image = String(c.image ?? '');
  const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
  setIfMissing(c, 'imagePullPolicy', tag === 'latest' ? 'Always' : 'IfNotPresent');
  setIfMissing(c, 'terminationMessagePath', '/dev/termination-log');
  setIfMissing(c, 'terminationMessagePolicy', 'File');
  setIfMissing(c, 'resources', {});
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObj(p)) setIfMissing(p, 'protocol', 'TCP');
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!isObj(probe)) continue;
    setIfMissing(probe, 'timeoutSeconds', 1);
    setIfMissing(probe, 'periodSeconds', 10);
    setIfMissing(probe, 'successThreshold', 1);
    setIfMissing(probe, 'failureThreshold', 3);
    if (isObj(probe.httpGet)) setIfMissing(probe.httpGet, 'scheme', 'HTTP');
  }
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (isObj(e?.valueFrom?.fieldRef)) setIfMissing(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  }
}

export function defaultPodSpec(spec: Loose, restartPolicy = 'Always'): void {
  if (!isObj(spec)) return;
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) defaultContainer(c);
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) defaultContainer(c);
  setIfMissing(spec, 'restartPolicy', restartPolicy);
  setIfMissing(spec, 'terminationGracePeriodSeconds', 30);
  setIfMissing(spec, 'dnsPolicy', 'ClusterFirst');
  setIfMissing(spec, 'securityContext', {});
  setIfMissing(spec, 'schedulerName', 'default-scheduler');
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    // SetDefaults_Volume: a volume that names no source is an emptyDir.
    if (isObj(v) && Object.keys(v).every((k) => k === 'name' || v[k] === null || v[k] === undefined)) v.emptyDir = {};
    if (isObj(v?.configMap)) setIfMissing(v.configMap, 'defaultMode', 420);
    if (isObj(v?.secret)) setIfMissing(v.secret, 'defaultMode', 420);
  }
}

function defaultTemplate(tpl: Loose, restartPolicy?: string): void {
  if (!isObj(tpl)) return;
  if (isObj(tpl.metadata)) delete tpl.metadata.creationTimestamp;
  defaultPodSpec(tpl.spec, restartPolicy);
}

function defaultDeployment(d: Loose): void {
  const spec = d.spec;
  if (!isObj(spec)) return;
  setIfMissing(spec, 'replicas', 1);
  setIfMissing(spec, 'revisionHistoryLimit', 10);
  setIfMissing(spec, 'progressDeadlineSeconds', 600);
  setIfMissing(spec, 'strategy', {});
  const strategy = spec.strategy;
  setIfMissing(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    setIfMissing(strategy, 'rollingUpdate', {});
    setIfMissing(strategy.rollingUpdate, 'maxUnavailable', '25%');
    setIfMissing(strategy.rollingUpdate, 'maxSurge', '25%');
  }
  defaultTemplate(spec.template);
}

function defaultService(s: Loose): void {
  const spec = s.spec;
  if (!isObj(spec)) return;
  setIfMissing(spec, 'type', 'ClusterIP');
  setIfMissing(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    setIfMissing(spec, 'ipFamilies', ['IPv4']);
    setIfMissing(spec, 'ipFamilyPolicy', 'SingleStack');
    setIfMissing(spec, 'internalTrafficPolicy', 'Cluster');
  }
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isObj(p)) continue;
    setIfMissing(p, 'protocol', 'TCP');
    setIfMissing(p, 'targetPort', p.port);
  }
}

const byResource: Record<string, (o: Loose) => void> = {
  pods: (p) => {
    defaultPodSpec(p.spec);
    if (isObj(p.spec)) {
      setIfMissing(p.spec, 'enableServiceLinks', true);
      setIfMissing(p.spec, 'priority', 0);
    }
  },
  services: defaultService,
  namespaces: (n) => {
    setIfMissing(n, 'spec', { finalizers: ['kubernetes'] });
    setIfMissing(n, 'status', { phase: 'Active' });
    n.metadata.labels = { ...(n.metadata.labels ?? {}), 'kubernetes.io/metadata.name': n.metadata.name };
  },
  secrets: (s) => {
    setIfMissing(s, 'type', 'Opaque');
    // stringData is write-only: the apiserver folds it into data (base64).
    if (isObj(s.stringData)) {
      s.data = { ...(isObj(s.data) ? s.data : {}) };
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v)).toString('base64');
      delete s.stringData;
    }
  },
  'deployments.apps': defaultDeployment,
  'replicasets.apps': (r) => {
    if (!isObj(r.spec)) return;
    setIfMissing(r.spec, 'replicas', 1);
    defaultTemplate(r.spec.template);
  },
  'statefulsets.apps': (s) => {
    if (!isObj(s.spec)) return;
    setIfMissing(s.spec, 'replicas', 1);
    setIfMissing(s.spec, 'podManagementPolicy', 'OrderedReady');
    setIfMissing(s.spec, 'revisionHistoryLimit', 10);
    setIfMissing(s.spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    defaultTemplate(s.spec.template);
  },
  'daemonsets.apps': (d) => {
    if (!isObj(d.spec)) return;
    setIfMissing(d.spec, 'revisionHistoryLimit', 10);
    setIfMissing(d.spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    defaultTemplate(d.spec.template);
  },
  'jobs.batch': (j) => {
    if (!isObj(j.spec)) return;
    setIfMissing(j.spec, 'parallelism', 1);
    setIfMissing(j.spec, 'completions', 1);
    setIfMissing(j.spec, 'backoffLimit', 6);
    setIfMissing(j.spec, 'completionMode', 'NonIndexed');
    setIfMissing(j.spec, 'suspend', false);
    defaultTemplate(j.spec.template, 'Never');
  },
  'cronjobs.batch': (c) => {
    if (!isObj(c.spec)) return;
    setIfMissing(c.spec, 'concurrencyPolicy', 'Allow');
    setIfMissing(c.spec, 'suspend', false);
    setIfMissing(c.spec, 'successfulJobsHistoryLimit', 3);
    setIfMissing(c.spec, 'failedJobsHistoryLimit', 1);
    defaultTemplate(c.spec.jobTemplate?.spec?.template, 'Never');
  },
  // Argo Rollouts' webhook-less CRD gets no defaults from the apiserver, but its pod template is
  // compared by the rollouts controller just like a Deployment's.
  'rollouts.argoproj.io': (r) => {
    if (isObj(r.spec)) defaultTemplate(r.spec.template);
  },
};

export const applyDefaults: Defaulter = (resource: string, obj: KubeObject) => {
  byResource[resource]?.(obj);
};
