// The apiserver's object validation (pkg/apis/*/validation), reduced to the checks clients meet:
// names, the pod specs of pods and workload templates (containers need a unique DNS-label name and
// an image), workload selectors, replicas, a Service's linked cluster IP fields, and on updates the
// fields that may not change (./immutable.ts). Failures are
// the 422 Invalid Status with one cause per field, as field.ErrorList renders them.
import type { ResourceDef } from './registry.js';
import { invalid } from './status.js';
import type { StatusCause } from './status.js';
import { serviceCauses } from './services.js';
import { immutableCauses } from './immutable.js';
import { schemaCauses } from './crd/schema.js';
import { crdCauses } from './crd/definition.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are arbitrary JSON trees
type Json = any;

export type Cause = Required<StatusCause>;

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WORKLOADS = ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs'];

/** Where a resource keeps its pod spec, as a field path and the spec itself. */
function podSpecOf(r: ResourceDef, obj: Json): { path: string; spec: Json } | undefined {
  if (r.plural === 'pods') return { path: 'spec', spec: obj.spec };
  if (WORKLOADS.includes(r.plural)) return { path: 'spec.template.spec', spec: obj.spec?.template?.spec };
  return undefined;
}

/** validateContainers: every container has a DNS-label name no other container of the pod has, and an image. */
function containerCauses(path: string, spec: Json): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  // Containers first: an init container reuses a name the pod's containers already hold.
  for (const list of ['containers', 'initContainers']) {
    const containers: Json[] = Array.isArray(spec?.[list]) ? spec[list] : [];
    containers.forEach((c, i) => {
      const at = `${path}.${list}[${i}]`;
      const name = typeof c?.name === 'string' ? c.name : '';
      if (!name) causes.push({ reason: 'FieldValueRequired', field: `${at}.name`, message: 'Required value' });
      else if (name.length > 63 || !LABEL_NAME.test(name)) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `${at}.name`,
          message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        });
      } else if (seen.has(name)) causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
      if (name) seen.add(name);
      if (typeof c?.image !== 'string' || !c.image) causes.push({ reason: 'FieldValueRequired', field: `${at}.image`, message: 'Required value' });
    });
  }
  return causes;
}

/** Validates an object about to be stored; `old` is the stored one for an update. Throws 422 Invalid. */
export function validate(r: ResourceDef, obj: Json, old?: Json): void {
  const name: string = obj.metadata.name ?? '';
  const causes: Cause[] = [];
  const nameRe = r.plural === 'namespaces' || r.plural === 'services' ? LABEL_NAME : NAME;
  if (name && (name.length > 253 || !nameRe.test(name))) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 ${nameRe === NAME ? 'subdomain' : 'label'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  const pod = podSpecOf(r, obj);
  if (pod) {
    if (!Array.isArray(pod.spec?.containers) || pod.spec.containers.length === 0) {
      causes.push({ reason: 'FieldValueRequired', field: `${pod.path}.containers`, message: 'Required value' });
    }
    causes.push(...containerCauses(pod.path, pod.spec));
  }
  if (['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(r.plural) && r.group === 'apps') {
    const sel = obj.spec?.selector?.matchLabels ?? {};
    const labels = obj.spec?.template?.metadata?.labels ?? {};
    if (!obj.spec?.selector) causes.push({ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' });
    else if (Object.entries(sel).some(([k, v]) => labels[k] !== v)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\`` });
    }
  }
  if (typeof obj.spec?.replicas === 'number' && obj.spec.replicas < 0) {
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${obj.spec.replicas}: must be greater than or equal to 0` });
  }
  if (r.plural === 'services') causes.push(...serviceCauses(obj, old));
  if (r.custom?.schema) causes.push(...schemaCauses(r.custom.schema, obj));
  if (r.kind === 'CustomResourceDefinition' && r.group === 'apiextensions.k8s.io') causes.push(...crdCauses(obj, old));
  if (old) causes.push(...immutableCauses(r, obj, old));
  if (causes.length) throw invalid(r, name, causes);
}
