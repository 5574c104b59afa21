// Authentication (two bearer tokens) and authorization (two roles) for the demo API, plus the
// SelfSubjectAccessReview / SelfSubjectRulesReview answers that `kubectl auth can-i` and the
// console's action planner read.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, statusBody, unauthorized } from './status.js';

export interface DemoUser {
  name: string;
  groups: string[];
  role: 'admin' | 'viewer';
}

export interface Tokens {
  admin: string;
  viewer: string;
}

export const ADMIN_USER: DemoUser = {
  name: 'system:serviceaccount:flightdeck-demo:demo-admin',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:flightdeck-demo', 'system:authenticated'],
  role: 'admin',
};
export const VIEWER_USER: DemoUser = {
  name: 'system:serviceaccount:flightdeck-demo:demo-viewer',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:flightdeck-demo', 'system:authenticated'],
  role: 'viewer',
};

export function generateTokens(): Tokens {
  return { admin: `demo-admin.${randomBytes(18).toString('hex')}`, viewer: `demo-viewer.${randomBytes(18).toString('hex')}` };
}

/**
 * `anonymousAdmin`: requests without credentials act as the admin. Only for the opt-in plain-HTTP
 * mode on loopback, because kubectl (client-go) never sends bearer tokens over plain HTTP.
 */
export function authenticate(req: IncomingMessage, tokens: Tokens, anonymousAdmin = false): DemoUser {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (m?.[1] === tokens.admin) return ADMIN_USER;
  if (m?.[1] === tokens.viewer) return VIEWER_USER;
  if (!header && anonymousAdmin) return ADMIN_USER;
  throw unauthorized();
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * The viewer is the built-in `view` ClusterRole in spirit: get/list/watch on everything but
 * secrets (and no exec, which is `create` on pods/exec); it may read pods/log.
 */
export function authorize(user: DemoUser, a: Attributes): { allowed: boolean; reason: string } {
  if (a.group === 'authorization.k8s.io' && (a.resource === 'selfsubjectaccessreviews' || a.resource === 'selfsubjectrulesreviews') && a.verb === 'create') {
    return { allowed: true, reason: 'every authenticated user may review its own access' };
  }
  if (user.role === 'admin') return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "demo-admin" of ClusterRole "cluster-admin"' };
  if (READ_VERBS.has(a.verb) && a.resource !== 'secrets' && a.resource !== '*') {
    return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "demo-viewer" of ClusterRole "view"' };
  }
  return { allowed: false, reason: '' };
}

export function forbidden(user: DemoUser, a: Attributes, qualified: string): ApiError {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return new ApiError(
    statusBody(403, 'Forbidden', `${subject} is forbidden: User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`, {
      name: a.name,
      group: a.group || undefined,
      kind: a.resource,
    }),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are untyped JSON
type Json = any;

/** Answers a SelfSubjectAccessReview body (already parsed); returns the object to send (201). */
export function selfSubjectAccessReview(user: DemoUser, body: Json): Json {
  const spec = body?.spec ?? {};
  let allowed: boolean;
  let reason: string;
  if (spec.resourceAttributes) {
    const ra = spec.resourceAttributes;
    ({ allowed, reason } = authorize(user, {
      verb: String(ra.verb ?? ''),
      group: String(ra.group ?? ''),
      resource: String(ra.resource ?? ''),
      subresource: ra.subresource ? String(ra.subresource) : undefined,
      namespace: ra.namespace ? String(ra.namespace) : undefined,
      name: ra.name ? String(ra.name) : undefined,
    }));
  } else if (spec.nonResourceAttributes) {
    const verb = String(spec.nonResourceAttributes.verb ?? '');
    allowed = user.role === 'admin' || verb === 'get';
    reason = allowed ? 'RBAC: allowed by ClusterRole "system:discovery"' : '';
  } else {
    throw new ApiError(
      statusBody(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', {
        group: 'authorization.k8s.io',
        kind: 'SelfSubjectAccessReview',
        causes: [{ reason: 'FieldValueInvalid', message: 'exactly one of nonResourceAttributes or resourceAttributes must be specified', field: 'spec.resourceAttributes' }],
      }),
    );
  }
  const status: Json = { allowed };
  if (reason) status.reason = reason;
  return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
}

/** What `kubectl auth can-i --list` prints, from the same two roles. */
export function selfSubjectRulesReview(user: DemoUser, body: Json): Json {
  const resourceRules =
    user.role === 'admin'
      ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]
      : [
          { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
          { verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'batch', 'argoproj.io'], resources: ['namespaces', 'nodes', 'pods', 'pods/log', 'pods/status', 'services', 'endpoints', 'events', 'configmaps', 'serviceaccounts', 'deployments', 'deployments/scale', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'rollouts', 'analysisruns', 'analysistemplates', 'experiments'] },
        ];
  const nonResourceRules = user.role === 'admin' ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/version', '/openapi', '/openapi/*', '/healthz', '/livez', '/readyz'] }];
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body?.spec ?? {},
    status: { resourceRules, nonResourceRules, incomplete: false },
  };
}
