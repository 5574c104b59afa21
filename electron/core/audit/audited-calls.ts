// Audit records for changes that do not go through the action road: settings (turning typed
// confirmation off is a security decision), Prometheus credentials (that they changed, never
// what they are), mutating calls the contract rejected (probing, broken scripts) and those refused
// to a read-only session.
import { methods, streams, type MethodName, type StreamName } from '../../../shared/contract.js';
import { actionTargetSchema } from '../../../shared/contract/actions.js';
import type { Settings } from '../../../shared/contract/app.js';
import type { Session } from '../contract-server.js';
import type { SettingsStore } from '../settings/index.js';
import type { AuditLog } from './audit-log.js';
import { boundValue, type RecordLimits } from './audit-bounds.js';

type Appender = Pick<AuditLog, 'append'>;

/** A rejected payload is summarized this small: enough to see what was tried, never the whole. */
const PAYLOAD_SUMMARY: RecordLimits = { maxString: 256, maxEntries: 20, maxDepth: 3, maxRecordBytes: 4 * 1024 };

/** The methods whose rejected payload is kept (shape and values); for others only the field names. */
const SUMMARIZED_METHODS = new Set(['actions.prepare', 'actions.execute']);
/** Fields never recorded, even summarized. */
const SECRET_FIELDS = new Set(['token', 'password', 'auth']);

/** `settings.set`, recorded with what changed (from -> to) whether it succeeded or failed. */
export function auditedSettingsSet(settings: SettingsStore, audit: Appender) {
  return (patch: Partial<Settings>, session: Session): Settings => {
    const before = settings.get();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, to] of Object.entries(patch) as Array<[keyof Settings, unknown]>) {
      if (JSON.stringify(before[key]) !== JSON.stringify(to)) changed[key] = { from: withoutUrlCredentials(before[key]), to: withoutUrlCredentials(to) };
    }
    const started = Date.now();
    const entry = { phase: 'execute' as const, session: session.kind, method: 'settings.set', params: { changed } };
    try {
      const after = settings.set(patch);
      audit.append({ ...entry, outcome: 'succeeded', durationMs: Date.now() - started });
      return after;
    } catch (error) {
      audit.append({ ...entry, outcome: 'failed', error: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started });
      throw error;
    }
  };
}

/** Prometheus URLs may carry `user:password@`: the audit line keeps the URL, not the credentials. */
function withoutUrlCredentials(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\/\/[^/@\s]+@/g, '//[credentials]@');
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutUrlCredentials(inner)]));
  }
  return value;
}

export interface AuthChange {
  context: string;
  /** The kind now set ('none' = removed); the credential itself is never passed here. */
  kind: string;
  previous: string;
  /** Which Prometheus the credential is for: the URL from settings, or how it is found. */
  source: string;
}

/** `metrics.setAuth`: that the credential for a context changed, and to which kind. */
export function recordAuthChange(audit: Appender, session: Session, change: AuthChange, error?: unknown): void {
  audit.append({
    phase: 'execute',
    outcome: error === undefined ? 'succeeded' : 'failed',
    session: session.kind,
    method: 'metrics.setAuth',
    context: change.context,
    params: { auth: change.kind, previous: change.previous, source: change.source },
    error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
  });
}

/** For the contract server's onInvalid: a mutating call whose payload failed its schema. */
export function invalidCallRecorder(audit: Appender) {
  return (method: string, payload: unknown, session: Session, problem: string): void => {
    const fields = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
    audit.append({
      phase: method === 'actions.prepare' ? 'prepare' : 'execute',
      outcome: 'invalid',
      session: session.kind,
      method,
      context: typeof fields?.context === 'string' ? fields.context : undefined,
      action: method === 'actions.prepare' && typeof fields?.action === 'string' ? fields.action : undefined,
      params: { payload: summarizePayload(method, payload) },
      error: `invalid request: ${problem}`,
    });
  };
}

/**
 * For the contract server's onRefused: a read-only session's mutating call, with the context,
 * target and action its payload names, so the workload's audit panel (which lists one context's
 * records) shows the attempt. Taken only from a payload the method's own schema accepts: nothing
 * unchecked or unbounded reaches the log.
 */
export function refusedCallRecorder(audit: Appender) {
  return (method: MethodName, session: Session, payload: unknown): void => {
    const parsed = methods[method].request.safeParse(payload === undefined ? {} : payload);
    const fields = parsed.success && parsed.data !== null && typeof parsed.data === 'object' ? (parsed.data as Record<string, unknown>) : {};
    // Actions name their target as `target`; secrets.reveal names it flat (kind, namespace, name).
    const target = actionTargetSchema.safeParse(fields.target ?? { kind: fields.kind, namespace: fields.namespace, name: fields.name });
    audit.append({
      phase: 'refused',
      outcome: 'refused',
      session: session.kind,
      method,
      context: typeof fields.context === 'string' ? fields.context : undefined,
      target: target.success ? target.data : undefined,
      action: method === 'actions.prepare' && typeof fields.action === 'string' ? fields.action : undefined,
      error: 'read-only session',
    });
  };
}

/**
 * For the contract server's onRefusedStream: a read-only session that tried to open a terminal.
 * The context and the kind of terminal come from parameters the stream's schema accepts; the pod,
 * when it names one, is the target.
 */
export function refusedStreamRecorder(audit: Appender) {
  return (stream: StreamName, session: Session, params: unknown): void => {
    const parsed = streams[stream].params.safeParse(params === undefined ? {} : params);
    const fields = parsed.success && parsed.data !== null && typeof parsed.data === 'object' ? (parsed.data as Record<string, unknown>) : {};
    const pod = typeof fields.pod === 'string' && typeof fields.namespace === 'string' ? { kind: 'Pod', namespace: fields.namespace, name: fields.pod } : undefined;
    audit.append({
      phase: 'refused',
      outcome: 'refused',
      session: session.kind,
      method: stream,
      context: typeof fields.context === 'string' ? fields.context : undefined,
      target: pod,
      params: typeof fields.kind === 'string' ? { kind: fields.kind } : undefined,
      error: 'read-only session',
    });
  };
}

/** A small picture of a rejected payload: values for the action methods, field names otherwise. */
export function summarizePayload(method: string, payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return boundValue(payload, PAYLOAD_SUMMARY);
  const fields = payload as Record<string, unknown>;
  if (!SUMMARIZED_METHODS.has(method)) return { fields: boundValue(Object.keys(fields), PAYLOAD_SUMMARY) };
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) kept[key] = SECRET_FIELDS.has(key) ? '[not recorded]' : value;
  return boundValue(kept, PAYLOAD_SUMMARY);
}
