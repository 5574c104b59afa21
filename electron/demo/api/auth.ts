// Authentication (two bearer tokens, one per demo service account) and impersonation (kubectl's
// `--as` / `--as-group`, allowed to whoever RBAC lets `impersonate`), plus the 403 Forbidden
// Status the apiserver answers when RBAC (./rbac.ts) says no.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, internal, statusBody, unauthorized } from './status.js';
import type { Attributes, ResourceAttributes, Subject } from './rbac.js';
import { DEMO_NAMESPACE, authorize, serviceAccountUser } from './rbac.js';

export interface DemoUser extends Subject {
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface Tokens {
  admin: string;
  viewer: string;
}

const serviceAccountGroups = (namespace: string) => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];

export const ADMIN_USER: DemoUser = { name: serviceAccountUser(DEMO_NAMESPACE, 'demo-admin'), groups: serviceAccountGroups(DEMO_NAMESPACE) };
export const VIEWER_USER: DemoUser = { name: serviceAccountUser(DEMO_NAMESPACE, 'demo-viewer'), groups: serviceAccountGroups(DEMO_NAMESPACE) };

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
  const user = m?.[1] === tokens.admin ? ADMIN_USER : m?.[1] === tokens.viewer ? VIEWER_USER : !header && anonymousAdmin ? ADMIN_USER : undefined;
  if (!user) throw unauthorized();
  return impersonate(user, req);
}

const SA_PREFIX = 'system:serviceaccount:';

/**
 * The apiserver's impersonation filter: Impersonate-User (+ -Group, -Uid, -Extra-*) headers make
 * the request act as someone else, if RBAC lets the caller `impersonate` each of them. A
 * non-anonymous user impersonated without groups still gets system:authenticated; a service
 * account its fixed groups.
 */
function impersonate(user: DemoUser, req: IncomingMessage): DemoUser {
  const headers = req.headersDistinct;
  const name = headers['impersonate-user']?.[0];
  const groups = headers['impersonate-group'] ?? [];
  const uid = headers['impersonate-uid']?.[0];
  const extra: Record<string, string[]> = {};
  for (const [h, values] of Object.entries(headers)) {
    if (h.startsWith('impersonate-extra-') && values) extra[decodeURIComponent(h.slice('impersonate-extra-'.length))] = values;
  }
  if (!name) {
    if (groups.length || uid || Object.keys(extra).length) throw internal('requested impersonation of groups, uid or extra without impersonating a user');
    return user;
  }
  const may = (a: ResourceAttributes, qualified: string) => {
    if (!authorize(user, a).allowed) throw forbidden(user, a, qualified);
  };
  if (name.startsWith(SA_PREFIX) && name.split(':').length === 4) {
    const [, , namespace, sa] = name.split(':');
    may({ verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace, name: sa }, 'serviceaccounts');
  } else {
    may({ verb: 'impersonate', group: '', resource: 'users', name }, 'users');
  }
  for (const g of groups) may({ verb: 'impersonate', group: '', resource: 'groups', name: g }, 'groups');
  if (uid) may({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', name: uid }, 'uids.authentication.k8s.io');
  for (const [key, values] of Object.entries(extra)) {
    for (const v of values) may({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v }, 'userextras.authentication.k8s.io');
  }
  let acting = groups.length ? [...groups] : name.startsWith(SA_PREFIX) ? serviceAccountGroups(name.split(':')[2] ?? '') : [];
  if (name !== 'system:anonymous' && !acting.includes('system:authenticated') && !acting.includes('system:unauthenticated')) acting = [...acting, 'system:authenticated'];
  const out: DemoUser = { name, groups: acting };
  if (uid) out.uid = uid;
  if (Object.keys(extra).length) out.extra = extra;
  return out;
}

export function forbidden(user: Subject, a: Attributes, qualified: string): ApiError {
  if ('path' in a) {
    return new ApiError(statusBody(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`));
  }
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
