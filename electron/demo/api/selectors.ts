// Label and field selectors as the apiserver parses them (k8s.io/apimachinery/pkg/labels and
// pkg/fields). A selector compiles once per request into a predicate over stored objects.
import type { KubeObject } from '../store.js';
import { badRequest } from './status.js';

export type Predicate = (obj: KubeObject) => boolean;

type Requirement =
  | { key: string; op: '=' | '!='; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists'; values: [] }
  | { key: string; op: 'gt' | 'lt'; values: [string] };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside a `( … )` value set. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}": in selector "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (value.length > 63 || !VALUE.test(value)) {
    throw badRequest(`unable to parse requirement: invalid label value: "${value}": in selector "${selector}"`);
  }
  return value;
}

export function parseLabelSelector(selector: string | null | undefined): Requirement[] {
  if (!selector || !selector.trim()) return [];
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    let m = /^(!?)\s*([^\s!=<>(),]+)$/.exec(part);
    if (m) {
      reqs.push({ key: checkKey(m[2], selector), op: m[1] ? '!exists' : 'exists', values: [] });
      continue;
    }
    m = /^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (m) {
      const values = m[3].split(',').map((v) => checkValue(v.trim(), selector));
      reqs.push({ key: checkKey(m[1], selector), op: m[2] as 'in' | 'notin', values });
      continue;
    }
    m = /^([^\s!=<>(),]+)\s*(==|=|!=|>|<)\s*([^\s!=<>(),]*)$/.exec(part);
    if (m) {
      const op = m[2] === '!=' ? '!=' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : '=';
      if (op === 'gt' || op === 'lt') {
        if (!/^-?\d+$/.test(m[3])) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer: in selector "${selector}"`);
        reqs.push({ key: checkKey(m[1], selector), op, values: [m[3]] });
      } else {
        reqs.push({ key: checkKey(m[1], selector), op, values: [checkValue(m[3], selector)] });
      }
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt: in selector "${selector}"`);
  }
  return reqs;
}

export function matchLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of reqs) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels![r.key] : undefined;
    switch (r.op) {
      case '=':
        if (v !== r.values[0]) return false;
        break;
      case '!=':
        if (v === r.values[0]) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const want = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > want) : !(n < want)) return false;
      }
    }
  }
  return true;
}

/** Field labels each kind supports beyond metadata.name / metadata.namespace, as the apiserver registers them. */
const FIELD_LABELS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: [
    'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
    'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  secrets: ['type'],
  'replicasets.apps': ['status.replicas'],
  'jobs.batch': ['status.successful'],
};

function fieldValue(obj: KubeObject, path: string): string {
  if (path === 'source') {
    const source = (obj as { source?: { component?: string } }).source;
    return source?.component ?? '';
  }
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return path === 'spec.hostNetwork' || path === 'spec.unschedulable' ? 'false' : '';
  return String(cur);
}

export function parseFieldSelector(selector: string | null | undefined, resourceKey: string): Predicate | undefined {
  if (!selector || !selector.trim()) return undefined;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[resourceKey] ?? [])]);
  const terms: { path: string; neg: boolean; value: string }[] = [];
  for (const part of splitTopLevel(selector)) {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const path = m[1];
    if (!allowed.has(path)) throw badRequest(`field label not supported: ${path}`);
    terms.push({ path, neg: m[2] === '!=', value: m[3].trim() });
  }
  return (obj) => terms.every((t) => (fieldValue(obj, t.path) === t.value) !== t.neg);
}

/** One predicate for a list or watch: namespace, label selector and field selector together. */
export function compileFilter(opts: { namespace?: string; labelSelector?: string | null; fieldSelector?: string | null; resourceKey: string }): Predicate {
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector, opts.resourceKey);
  const ns = opts.namespace;
  return (obj) =>
    (ns === undefined || obj.metadata.namespace === ns) &&
    (labels.length === 0 || matchLabels(labels, obj.metadata.labels)) &&
    (fields === undefined || fields(obj));
}

/** `app=web,tier in (a,b)` from a LabelSelector object, for Scale.status.selector and printers. */
export { formatLabelSelector } from '../../../shared/model/label-selector.js';
