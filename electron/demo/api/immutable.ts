// Fields the apiserver refuses to change once an object exists (its ValidateXUpdate functions): a
// pod's spec beyond images, tolerations added, activeDeadlineSeconds and a negative grace period;
// a workload's selector; the data of a ConfigMap or Secret marked immutable. Both sides are
// compared after defaulting, as the apiserver compares decoded (defaulted) objects.
import { clone } from '../store.js';
import type { KubeObject } from '../store.js';
import { applyDefaults } from './defaults.js';
import type { ResourceDef } from './registry.js';
import { storeKey } from './registry.js';
import type { StatusCause } from './status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are arbitrary JSON trees
type Json = any;
type Cause = Required<StatusCause>;

const POD_UPDATE_MESSAGE =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** JSON with sorted keys: equal for equal content whatever the key order. */
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** The part of a pod spec an update may not change. */
function fixedPodSpec(spec: Json, old: Json): string {
  const s = clone(spec ?? {});
  for (const list of ['containers', 'initContainers']) for (const c of Array.isArray(s[list]) ? s[list] : []) delete c.image;
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  if ((old?.terminationGracePeriodSeconds ?? 0) < 0 && s.terminationGracePeriodSeconds === 1) delete s.terminationGracePeriodSeconds;
  return canonical(s);
}

function podSpecCauses(pod: Json, old: Json): Cause[] {
  // A patch of metadata (labels, annotations) keeps the stored, already defaulted spec itself: it
  // cannot have changed, so the copy, defaulting and two canonical forms below are not needed.
  if (pod.spec === old.spec) return [];
  const next = clone(pod) as KubeObject;
  applyDefaults('pods', next);
  const before = (old as Json).spec ?? {};
  const after = (next as Json).spec ?? {};
  const keptTolerations = (before.tolerations ?? []).every((t: Json) => (after.tolerations ?? []).some((u: Json) => canonical(u) === canonical(t)));
  const oldFixed = fixedPodSpec(before, before);
  if (keptTolerations && fixedPodSpec(after, before) === oldFixed) return [];
  return [{ reason: 'FieldValueForbidden', field: 'spec', message: POD_UPDATE_MESSAGE }];
}

/** A value as Go's %#v prints it, for the metav1.LabelSelector of an immutable-field error. */
function goStringMap(m: Json): string {
  if (!m || typeof m !== 'object') return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`).join(', ')}}`;
}

function goLabelSelector(sel: Json): string {
  const exprs = Array.isArray(sel?.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e: Json) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(e?.key ?? ''))}, Operator:${JSON.stringify(String(e?.operator ?? ''))}, Values:${Array.isArray(e?.values) ? `[]string{${e.values.map((x: unknown) => JSON.stringify(String(x))).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel?.matchLabels)}, MatchExpressions:${exprs}}`;
}

const SELECTOR_IMMUTABLE = new Set(['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps']);

/** What an update of `old` into `obj` may not change. */
export function immutableCauses(r: ResourceDef, obj: Json, old: Json): Cause[] {
  const key = storeKey(r);
  if (key === 'pods') return podSpecCauses(obj, old);
  if (SELECTOR_IMMUTABLE.has(key) && canonical(obj.spec?.selector) !== canonical(old.spec?.selector)) {
    return [{ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${goLabelSelector(obj.spec?.selector)}: field is immutable` }];
  }
  if ((key === 'configmaps' || key === 'secrets') && old.immutable === true) {
    const next = clone(obj) as KubeObject;
    applyDefaults(key, next);
    const causes: Cause[] = [];
    const forbidden = (field: string) => causes.push({ reason: 'FieldValueForbidden', field, message: 'Forbidden: field is immutable when `immutable` is set' });
    if (next.immutable !== true) forbidden('immutable');
    for (const field of ['data', 'binaryData']) if (canonical(next[field] ?? {}) !== canonical(old[field] ?? {})) forbidden(field);
    return causes;
  }
  return [];
}
