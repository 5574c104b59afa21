// The `fieldValidation` query parameter of create, update and patch (KEP 2885): Strict refuses
// unknown fields with 400, Warn stores the object without them and says so in `Warning` headers,
// Ignore drops them silently. Without the parameter the demo does not look at all (the real
// apiserver then behaves as Warn): the check walks the whole object against its schema, and
// clients that do not ask (controllers, the console) should not pay for it on every write.
// Duplicate JSON keys are not detected (JSON.parse keeps the last one).
import { badRequest } from './status.js';
import { pruneUnknownFields, strictDecodingMessage, unknownFields } from './openapi/validate.js';
import { itemLabel } from './field-paths.js';
import type { CustomServing } from './registry.js';
import { applySchemaDefaults, undeclaredFields } from './crd/schema.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(q: URLSearchParams): FieldValidation | undefined {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return undefined;
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(v)}`);
}

/**
 * Applies a directive to an object about to be stored (mutated: unknown fields are dropped).
 * `decoded` is true for create/update bodies (the message names the kind, as the decoder's
 * does) and false for the result of a patch.
 */
export function checkFields(directive: FieldValidation | undefined, apiVersion: string, kind: string, obj: unknown, warnings: string[] | undefined, decoded: boolean, custom?: CustomServing): void {
  if (custom) return checkCustomFields(directive, apiVersion, kind, obj, warnings, decoded, custom);
  if (!directive) return;
  if (directive === 'Strict') {
    const unknown = unknownFields(apiVersion, kind, obj) ?? [];
    if (!unknown.length) return;
    const message = strictDecodingMessage(kind, apiVersion, unknown);
    throw badRequest(decoded ? message : message.slice(message.indexOf('strict decoding error')));
  }
  const dropped = pruneUnknownFields(apiVersion, kind, obj) ?? [];
  if (directive === 'Warn') for (const f of dropped) warnings?.push(`unknown field ${JSON.stringify(f)}`);
}

/**
 * A custom resource is always pruned to its structural schema (whatever the directive); Strict
 * refuses what would be pruned, Warn (the server's default) says what was.
 */
function checkCustomFields(directive: FieldValidation | undefined, apiVersion: string, kind: string, obj: unknown, warnings: string[] | undefined, decoded: boolean, custom: CustomServing): void {
  if (!custom.schema) return;
  if (directive === 'Strict') {
    const unknown = undeclaredFields(custom.schema, obj, false);
    if (unknown.length) {
      const message = strictDecodingMessage(kind, apiVersion, unknown);
      throw badRequest(decoded ? message : message.slice(message.indexOf('strict decoding error')));
    }
  }
  const dropped = undeclaredFields(custom.schema, obj, true);
  if (directive !== 'Ignore') for (const f of dropped) warnings?.push(`unknown field ${JSON.stringify(f)}`);
  applySchemaDefaults(custom.schema, obj);
}

/**
 * Server-side apply always checks the applied configuration against the schema, whatever the
 * directive (the typed conversion fails on unknown fields), with structured-merge-diff's wording.
 */
export function checkAppliedFields(apiVersion: string, kind: string, applied: unknown, custom?: CustomServing): void {
  const unknown = (custom ? (custom.schema ? undeclaredFields(custom.schema, applied, false) : []) : unknownFields(apiVersion, kind, applied)) ?? [];
  if (!unknown.length) return;
  const gv = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
  throw badRequest(`failed to create typed patch object (${gv}, Kind=${kind}): ${unknown.map((f) => `${typedPath(applied, f)}: field not declared in schema`).join(', ')}`);
}

/** `spec.containers[0].imagee` as structured-merge-diff prints it: `.spec.containers[name="web"].imagee`. */
function typedPath(obj: unknown, path: string): string {
  let cur: unknown = obj;
  let field = '';
  let out = '';
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[1] !== undefined) {
      field = m[1];
      out += `.${field}`;
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[field] : undefined;
    } else {
      const i = Number(m[2]);
      const list = Array.isArray(cur) ? cur : [];
      out += list.length > i ? itemLabel(field, list, i) : `[${i}]`;
      cur = list[i];
    }
  }
  return out;
}

/** One `Warning` header value (RFC 7234 code 299, as the apiserver sends them). */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}
