// Audit records are bounded: a 400 KB name or a params object with a million keys must not turn
// into megabyte lines. Long strings are cut with a marker that says how long they were; deep or
// wide objects are cut the same way. Applied to every record before it is written.
import type { AuditRecord } from '../../../shared/contract/actions.js';

export interface RecordLimits {
  /** Longest string kept whole (characters). */
  maxString: number;
  /** Keys kept per object, items per array. */
  maxEntries: number;
  /** Nesting kept below the record's own fields. */
  maxDepth: number;
  /** Past this size (bytes of JSON) params and request bodies are replaced by a note. */
  maxRecordBytes: number;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxString: 2_048, maxEntries: 50, maxDepth: 6, maxRecordBytes: 32 * 1024 };

/** Every cut leaves this marker in the record, so a reader knows the value is not whole. */
export const TRUNCATED = '…[truncated';

export function truncateString(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}${TRUNCATED}: ${value.length} chars in all]`;
}

/** A JSON-like copy of `value` within the limits (also safe on cycles: depth is capped). */
export function boundValue(value: unknown, limits: RecordLimits = DEFAULT_RECORD_LIMITS, depth = 0): unknown {
  if (typeof value === 'string') return truncateString(value, limits.maxString);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (Array.isArray(value)) {
    if (depth >= limits.maxDepth) return `${TRUNCATED}: array of ${value.length}]`;
    const kept = value.slice(0, limits.maxEntries).map((item) => boundValue(item, limits, depth + 1));
    return value.length > limits.maxEntries ? [...kept, `${TRUNCATED}: ${value.length - limits.maxEntries} more items]`] : kept;
  }
  const keys = Object.keys(value);
  if (depth >= limits.maxDepth) return `${TRUNCATED}: object with ${keys.length} keys]`;
  const out: Record<string, unknown> = {};
  for (const key of keys.slice(0, limits.maxEntries)) {
    out[truncateString(key, limits.maxString)] = boundValue((value as Record<string, unknown>)[key], limits, depth + 1);
  }
  if (keys.length > limits.maxEntries) out[TRUNCATED + ']'] = `${keys.length - limits.maxEntries} more keys`;
  return out;
}

const cut = (value: string | undefined, limits: RecordLimits) => (value === undefined ? undefined : truncateString(value, limits.maxString));

/** The record within `limits`, still a valid AuditRecord (same fields, same types). */
export function boundRecord(record: AuditRecord, limits: RecordLimits = DEFAULT_RECORD_LIMITS): AuditRecord {
  const bounded: AuditRecord = {
    ...record,
    id: truncateString(record.id, limits.maxString),
    time: truncateString(record.time, limits.maxString),
    context: cut(record.context, limits),
    user: cut(record.user, limits),
    action: cut(record.action, limits),
    method: cut(record.method, limits),
    error: cut(record.error, limits),
    target: record.target && {
      kind: truncateString(record.target.kind, limits.maxString),
      namespace: cut(record.target.namespace, limits),
      name: truncateString(record.target.name, limits.maxString),
    },
    params: record.params && (boundValue(record.params, limits) as Record<string, unknown>),
    requests: record.requests?.slice(0, limits.maxEntries).map((request) => ({
      ...request,
      path: truncateString(request.path, limits.maxString),
      contentType: cut(request.contentType, limits),
      body: boundValue(request.body, limits),
    })),
  };
  if (record.requests && record.requests.length > limits.maxEntries) {
    bounded.params = { ...bounded.params, [`${TRUNCATED}]`]: `${record.requests.length - limits.maxEntries} more requests` };
  }
  if (Buffer.byteLength(JSON.stringify(bounded)) <= limits.maxRecordBytes) return bounded;
  // Still too big (many long strings side by side): keep who/what/when/outcome, summarize the rest.
  return {
    ...bounded,
    params: bounded.params && { [`${TRUNCATED}]`]: `params over ${limits.maxRecordBytes} bytes, not recorded` },
    requests: bounded.requests?.map(({ body, ...request }) => (body === undefined ? request : { ...request, body: `${TRUNCATED}: body not recorded]` })),
  };
}
