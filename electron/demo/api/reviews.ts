// The review APIs, answered from the demo's RBAC (./rbac.ts) and never stored:
// SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth can-i
// --list`), SelfSubjectReview (`kubectl auth whoami`) and SubjectAccessReview (may someone else do
// this? — only for callers RBAC lets create it). Each answers 201 with the request's spec and a
// status, as the apiserver does.
import type { DemoUser } from './auth.js';
import type { Attributes, Subject } from './rbac.js';
import { authorize, rulesFor } from './rbac.js';
import { ApiError, statusBody } from './status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are untyped JSON
type Json = any;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface FieldError {
  field: string;
  message: string;
}

function reviewInvalid(kind: string, errors: FieldError[]): ApiError {
  const text = errors.map((e) => `${e.field}: ${e.message}`);
  return new ApiError(
    statusBody(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`, {
      group: 'authorization.k8s.io',
      kind,
      causes: errors.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field })),
    }),
  );
}

/** The attributes a review's spec asks about, or the validation errors of its spec. */
function attributesOf(spec: Json): Attributes | FieldError[] {
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  if (ra && nra) return [{ field: 'spec.nonResourceAttributes', message: `Invalid value: ${JSON.stringify(nra)}: cannot be specified in combination with resourceAttributes` }];
  if (nra) return { verb: str(nra.verb), path: str(nra.path) };
  if (!ra) return [{ field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }];
  return {
    verb: str(ra.verb),
    group: str(ra.group),
    resource: str(ra.resource),
    subresource: str(ra.subresource) || undefined,
    namespace: str(ra.namespace) || undefined,
    name: str(ra.name) || undefined,
  };
}

function accessReview(kind: string, subject: Subject, body: Json, extraErrors: FieldError[] = []): Json {
  const spec = body?.spec ?? {};
  const attrs = attributesOf(spec);
  const errors = [...(Array.isArray(attrs) ? attrs : []), ...extraErrors];
  if (errors.length) throw reviewInvalid(kind, errors);
  const { allowed, reason } = authorize(subject, attrs as Attributes);
  const status: Json = { allowed };
  if (reason) status.reason = reason;
  return { kind, apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
}

/** `kubectl auth can-i`: may the caller do this? */
export function selfSubjectAccessReview(user: DemoUser, body: Json): Json {
  return accessReview('SelfSubjectAccessReview', user, body);
}

/** SubjectAccessReview: may the user or groups the spec names do this? */
export function subjectAccessReview(body: Json): Json {
  const spec = body?.spec ?? {};
  const user = str(spec.user);
  const groups: string[] = Array.isArray(spec.groups) ? spec.groups.map(str).filter(Boolean) : [];
  const errors = !user && !groups.length ? [{ field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }] : [];
  return accessReview('SubjectAccessReview', { name: user, groups }, body, errors);
}

/** What `kubectl auth can-i --list` prints: every rule of the caller's bindings. */
export function selfSubjectRulesReview(user: DemoUser, body: Json): Json {
  const { resourceRules, nonResourceRules } = rulesFor(user);
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body?.spec ?? {},
    status: { resourceRules, nonResourceRules, incomplete: false },
  };
}

/** `kubectl auth whoami`: who the caller is (after impersonation). */
export function selfSubjectReview(user: DemoUser): Json {
  const userInfo: Json = { username: user.name, groups: user.groups };
  if (user.uid) userInfo.uid = user.uid;
  if (user.extra) userInfo.extra = user.extra;
  return { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo } };
}
