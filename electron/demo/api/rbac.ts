// The demo fleet's RBAC: a handful of ClusterRoles and ClusterRoleBindings, evaluated the way the
// apiserver's RBAC authorizer does (bindings in name order, the first rule that allows wins, and
// the reason names the binding, role and subject). Every request, the self reviews, the
// SubjectAccessReview and `kubectl auth can-i --list` read the same tables.
import { RESOURCES } from './registry.js';

export interface Subject {
  name: string;
  groups: string[];
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
}

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

type BindingSubject = { kind: 'ServiceAccount'; name: string; namespace: string } | { kind: 'Group' | 'User'; name: string };

interface Binding {
  name: string;
  role: string;
  subject: BindingSubject;
}

export const DEMO_NAMESPACE = 'flightdeck-demo';
export const serviceAccountUser = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** The built-in `view` ClusterRole in spirit: read everything the demo serves but secrets, no exec. */
function viewRules(): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of RESOURCES) {
    if (r.virtual || r.plural === 'secrets') continue;
    const names = byGroup.get(r.group) ?? [];
    names.push(r.plural, ...r.subresources.filter((s) => s.verbs.includes('get') && s.name !== 'exec').map((s) => `${r.plural}/${s.name}`));
    byGroup.set(r.group, names);
  }
  // metrics-server's system:aggregated-metrics-reader, aggregated into view as it installs it.
  byGroup.set('metrics.k8s.io', ['pods', 'nodes']);
  return [...byGroup].map(([group, resources]) => ({ verbs: ['get', 'list', 'watch'], apiGroups: [group], resources }));
}

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];

const ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ],
  view: viewRules(),
  'system:basic-user': [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ],
  'system:discovery': [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }],
};

/** In name order, as the authorizer lists them. */
const BINDINGS: Binding[] = [
  { name: 'cluster-admin', role: 'cluster-admin', subject: { kind: 'Group', name: 'system:masters' } },
  { name: 'demo-admin', role: 'cluster-admin', subject: { kind: 'ServiceAccount', name: 'demo-admin', namespace: DEMO_NAMESPACE } },
  { name: 'demo-viewer', role: 'view', subject: { kind: 'ServiceAccount', name: 'demo-viewer', namespace: DEMO_NAMESPACE } },
  { name: 'system:basic-user', role: 'system:basic-user', subject: { kind: 'Group', name: 'system:authenticated' } },
  { name: 'system:discovery', role: 'system:discovery', subject: { kind: 'Group', name: 'system:authenticated' } },
];

function bound(user: Subject, s: BindingSubject): boolean {
  if (s.kind === 'ServiceAccount') return user.name === serviceAccountUser(s.namespace, s.name);
  return s.kind === 'Group' ? user.groups.includes(s.name) : user.name === s.name;
}

function describeSubject(s: BindingSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount "${s.name}/${s.namespace}"` : `${s.kind} "${s.name}"`;
}

const has = (list: string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if ('path' in a) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
  }
  if (!rule.resources || !has(rule.apiGroups, a.group)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return rule.resources.includes('*') || rule.resources.includes(combined) || (!!a.subresource && rule.resources.includes(`*/${a.subresource}`));
}

/** Whether the subject may do this, and (when allowed) which binding says so. */
export function authorize(user: Subject, a: Attributes): { allowed: boolean; reason: string } {
  for (const b of BINDINGS) {
    if (!bound(user, b.subject)) continue;
    if (ROLES[b.role].some((rule) => ruleAllows(rule, a))) {
      return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.name}" of ClusterRole "${b.role}" to ${describeSubject(b.subject)}` };
    }
  }
  return { allowed: false, reason: '' };
}

/** Every rule that applies to the subject, in binding order (what SelfSubjectRulesReview lists). */
export function rulesFor(user: Subject): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[] } {
  const rules = BINDINGS.filter((b) => bound(user, b.subject)).flatMap((b) => ROLES[b.role]);
  return {
    resourceRules: rules.filter((r) => r.resources).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources })),
    nonResourceRules: rules.filter((r) => r.nonResourceURLs).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
  };
}
