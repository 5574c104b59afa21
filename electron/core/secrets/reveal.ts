// secrets.reveal: the literal value behind one redacted field, read fresh from the API server with the
// context's own credentials (so the cluster's RBAC applies). Only what the redactor hides can be
// revealed — never a Secret object, never an arbitrary field — and every attempt is audited with
// who, which object and which path, never the value. Read-only sessions never get here: the
// method is marked mutating, so the contract server refuses them (and audits the refusal).
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError } from '../../../shared/contract-kit.js';
import type { RedactedValue, RevealRequest } from '../../../shared/contract/secrets.js';
import type { KubeObject, WatchedKind } from '../../../shared/model/kube.js';
import { atPointer, isRedactionMarker, literalEnvValues } from '../../../shared/model/redact.js';
import type { AuditLog } from '../audit/index.js';
import type { Session } from '../contract-server.js';
import { kubeRequest, KubeError, objectPath, WATCHED_KIND_INFO } from '../kube/index.js';
import { redactObject } from './redactor.js';

export interface RevealDeps {
  configFor(context: string): KubeConfig;
  audit: AuditLog;
  /** Kubernetes user of the context, for the audit record. */
  userOf(context: string): string | undefined;
}

/** Kinds whose objects carry pod templates or pod specs; Secrets are deliberately absent. */
const REVEALABLE: WatchedKind[] = ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'rollouts'];

function objectUrl(request: Omit<RevealRequest, 'path'>): string {
  const watched = REVEALABLE.find((w) => WATCHED_KIND_INFO[w].kind === request.kind);
  if (!watched) {
    throw new ContractError('invalid_request', `Values can be revealed in ${REVEALABLE.map((w) => WATCHED_KIND_INFO[w].kind).join(', ')} objects, not in a ${request.kind}.`);
  }
  if (!request.namespace) throw new ContractError('invalid_request', `A ${request.kind} lives in a namespace: give "namespace".`);
  return objectPath(WATCHED_KIND_INFO[watched], request.namespace, request.name);
}

function kubeFailure(error: unknown, what: string): ContractError {
  if (error instanceof ContractError) return error;
  if (!(error instanceof KubeError)) return new ContractError('internal', `${what}: ${error instanceof Error ? error.message : String(error)}`);
  if (error.status === 0) return new ContractError('upstream_unavailable', `${what}: the API server could not be reached (${error.detail}).`);
  if (error.status === 404) return new ContractError('not_found', `${what} does not exist (any more).`);
  if (error.status === 403) return new ContractError('forbidden', `${what}: the API server refused: ${error.detail}.`);
  return new ContractError('upstream_error', `${what}: the API server answered HTTP ${error.status}: ${error.detail}.`);
}

const what = (request: Omit<RevealRequest, 'path'>) => `${request.kind} ${request.namespace ? `${request.namespace}/` : ''}${request.name}`;

async function readLive(deps: RevealDeps, request: Omit<RevealRequest, 'path'>): Promise<KubeObject> {
  try {
    return await kubeRequest<KubeObject>(deps.configFor(request.context), { method: 'GET', path: objectUrl(request) });
  } catch (error) {
    throw kubeFailure(error, what(request));
  }
}

/** secrets.redacted: where the literal env values of the live object are (for the Reveal buttons). */
export function createRedactedLister(deps: RevealDeps) {
  return async (request: Omit<RevealRequest, 'path'>): Promise<{ values: RedactedValue[] }> => {
    const live = await readLive(deps, request);
    const shown = redactObject(live);
    return { values: literalEnvValues(live).map((ref) => ({ ...ref, shown: String(atPointer(shown, ref.path)) })) };
  };
}

export function createRevealHandler(deps: RevealDeps) {
  return async (request: RevealRequest, session: Session): Promise<{ value: string; auditId: string }> => {
    const record = {
      phase: 'execute' as const,
      session: session.kind,
      context: request.context,
      user: deps.userOf(request.context),
      target: { kind: request.kind, namespace: request.namespace, name: request.name },
      action: 'reveal-secret',
      method: 'secrets.reveal',
      params: { path: request.path },
    };
    try {
      const live = await readLive(deps, request);
      const value = atPointer(live, request.path);
      const shown = atPointer(redactObject(live), request.path);
      if (typeof value !== 'string' || value === shown || isRedactionMarker(value)) {
        throw new ContractError('invalid_request', `Nothing is redacted at ${request.path} in ${what(request)}: reveal takes the path of a redacted value (an env value, a URL password or a secret flag).`);
      }
      const audited = deps.audit.append({ ...record, outcome: 'succeeded' });
      return { value, auditId: audited.id };
    } catch (error) {
      deps.audit.append({ ...record, outcome: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };
}
