// metav1.Status errors shaped like kube-apiserver's (k8s.io/apimachinery/pkg/api/errors), because
// kubectl and client-node print `message` and branch on `reason` and `code`.
import type { ResourceDef } from './registry.js';
import { qualifiedName } from './registry.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** Thrown by handlers; the server turns it into a Status response. */
export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
}

export function statusBody(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

const err = (code: number, reason: string, message: string, details?: StatusBody['details']) => new ApiError(statusBody(code, reason, message, details));

export const notFound = (r: ResourceDef, name: string) =>
  err(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural });

export const alreadyExists = (r: ResourceDef, name: string) =>
  err(409, 'AlreadyExists', `${qualifiedName(r)} "${name}" already exists`, { name, group: r.group || undefined, kind: r.plural });

export const conflict = (r: ResourceDef, name: string) =>
  err(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: r.group || undefined, kind: r.plural },
  );

export const invalid = (r: ResourceDef, name: string, causes: StatusCause[]) =>
  err(
    422,
    'Invalid',
    // One error reads as itself, several as field.ErrorList's aggregate: `[a, b]`.
    `${r.kind}${r.group ? '.' + r.group : ''} "${name}" is invalid: ${causes.length === 1 ? `${causes[0].field}: ${causes[0].message}` : `[${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`}`,
    { name, group: r.group || undefined, kind: r.kind, causes },
  );

export const badRequest = (message: string) => err(400, 'BadRequest', message);

export const expired = (message: string) => err(410, 'Expired', message);

export const methodNotAllowed = (message: string) => err(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (contentType: string) =>
  err(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, {
    causes: [{ reason: 'UnexpectedServerResponse', message: `unsupported media type ${JSON.stringify(contentType)}` }],
  });

export const unauthorized = () => err(401, 'Unauthorized', 'Unauthorized');

/** The 404 the apiserver gives for a path no handler serves. */
export const pathNotFound = () => err(404, 'NotFound', 'the server could not find the requested resource');

export const internal = (message: string) => err(500, 'InternalError', `Internal error occurred: ${message}`);

export function successStatus(details: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 } as StatusBody;
}
