// CustomResourceDefinition validation (apiextensions validation.go, the checks kubectl users meet)
// and the status its controllers write: acceptedNames, storedVersions and the NamesAccepted and
// Established conditions that `kubectl wait --for condition=established` waits on.
import type { Cause } from '../validation.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CRD objects are untyped JSON
type Loose = any;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The 422 causes of a CRD about to be stored (`old`: the stored one, on an update). */
export function crdCauses(obj: Loose, old?: Loose): Cause[] {
  const causes: Cause[] = [];
  const spec = obj.spec ?? {};
  const names = spec.names ?? {};
  const required = (field: string) => causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
  if (!spec.group) required('spec.group');
  if (!names.plural) required('spec.names.plural');
  else if (!DNS_LABEL.test(names.plural)) causes.push({ reason: 'FieldValueInvalid', field: 'spec.names.plural', message: `Invalid value: ${JSON.stringify(names.plural)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character` });
  if (!names.kind) required('spec.names.kind');
  if (spec.group && names.plural && obj.metadata?.name !== `${names.plural}.${spec.group}`) {
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${JSON.stringify(obj.metadata?.name ?? '')}: must be spec.names.plural+"."+spec.group` });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push(spec.scope ? { reason: 'FieldValueNotSupported', field: 'spec.scope', message: `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"` } : { reason: 'FieldValueRequired', field: 'spec.scope', message: 'Required value' });
  }
  const versions: Loose[] = Array.isArray(spec.versions) ? spec.versions : [];
  if (!versions.length) causes.push({ reason: 'FieldValueInvalid', field: 'spec.versions', message: 'Invalid value: null: must have exactly one version marked as storage version' });
  else if (versions.filter((v) => v?.storage === true).length !== 1) {
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.versions', message: `Invalid value: ${JSON.stringify(versions)}: must have exactly one version marked as storage version` });
  }
  versions.forEach((v, i) => {
    if (!v?.name) required(`spec.versions[${i}].name`);
    if (!v?.schema?.openAPIV3Schema) causes.push({ reason: 'FieldValueRequired', field: `spec.versions[${i}].schema.openAPIV3Schema`, message: 'Required value: schemas are required' });
    else if (v.schema.openAPIV3Schema.type !== 'object') {
      causes.push({ reason: 'FieldValueRequired', field: `spec.versions[${i}].schema.openAPIV3Schema.type`, message: 'Required value: must not be empty at the root' });
    }
  });
  if (old) {
    if (old.spec?.scope !== spec.scope) causes.push({ reason: 'FieldValueInvalid', field: 'spec.scope', message: `Invalid value: ${JSON.stringify(spec.scope)}: field is immutable` });
    if (old.spec?.group !== spec.group) causes.push({ reason: 'FieldValueInvalid', field: 'spec.group', message: `Invalid value: ${JSON.stringify(spec.group)}: field is immutable` });
  }
  return causes;
}

/** The status the CRD controllers converge to for this spec (conditions keep their transition times). */
export function crdStatus(crd: Loose, nowIso: string): Loose {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const accepted = { ...names, singular: names.singular || String(names.kind ?? '').toLowerCase(), listKind: names.listKind || `${names.kind}List` };
  const previous: Loose[] = crd.status?.conditions ?? [];
  const condition = (type: string, reason: string, message: string) => {
    const was = previous.find((c) => c.type === type && c.status === 'True');
    return { type, status: 'True', lastTransitionTime: was?.lastTransitionTime ?? nowIso, reason, message };
  };
  const storage = (spec.versions ?? []).find((v: Loose) => v?.storage)?.name;
  const stored: string[] = [...(crd.status?.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  return {
    conditions: [condition('NamesAccepted', 'NoConflicts', 'no conflicts found'), condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
    acceptedNames: accepted,
    storedVersions: stored,
  };
}
