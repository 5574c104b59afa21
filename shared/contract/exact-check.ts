// A check compiled from a zod schema that answers, without copying anything, "would the schema
// accept this value and give it back unchanged?" The contract server sends a handler's answer as
// it is when the check says yes, instead of the schema's deep copy (megabytes for 2,000 workloads
// or 5,000 alerts: the copy cost more than building the answer). True is a promise; false proves
// nothing (the schema then decides, as before):
// - an object may hold only declared keys (the schema would strip others), unless it passes them
//   through; optional keys may be absent; a key with a default must be present;
// - a union is accepted only through the option the schema would pick (a discriminated union by its
//   discriminator; a plain one by order, where an earlier option that accepts by changing the value
//   means no);
// - strings, numbers and booleans with checks (max length, int...) ask the schema itself, which
//   returns a primitive unchanged;
// - anything that transforms, defaults a missing value, or that this file does not know says no.
// FLIGHTDECK_VERIFY_EXACT=1 (the test suite sets it) makes the server run the schema as well and
// fail loudly on any disagreement, so every response the tests produce holds the two together.
import type { z } from 'zod';

export type ExactCheck = (value: unknown) => boolean;

type Def = { type: string; [key: string]: unknown };
type Schema = z.ZodType & { _zod: { def: Def } };

const NO: ExactCheck = () => false;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const compiled = new WeakMap<object, ExactCheck>();

/** The check for a schema (compiled once per schema). */
export function exactCheckOf(schema: z.ZodType): ExactCheck {
  const known = compiled.get(schema);
  if (known) return known;
  // Placeholder first: a schema that refers to itself (a getter in its shape) finds the check being built.
  const holder: { check?: ExactCheck } = {};
  compiled.set(schema, (value) => (holder.check ?? NO)(value));
  const built = compile(schema as Schema);
  holder.check = built;
  compiled.set(schema, built);
  return built;
}

const defOf = (schema: unknown): Def => (schema as Schema)._zod.def;
const hasChecks = (def: Def) => Array.isArray(def.checks) && def.checks.length > 0;
/** A primitive with checks: the schema's own answer, when it gives the value back as it was (`trim()` would not). */
const bySchema =
  (schema: Schema): ExactCheck =>
  (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success && Object.is(parsed.data, value);
  };

function compile(schema: Schema): ExactCheck {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return hasChecks(def) ? bySchema(schema) : (v) => typeof v === 'string';
    case 'number':
      return hasChecks(def) ? bySchema(schema) : (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return hasChecks(def) ? bySchema(schema) : (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return (v) => values.has(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = exactCheckOf(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = exactCheckOf(def.innerType as z.ZodType);
      return (v) => v === null || inner(v);
    }
    case 'default': {
      // A missing value would be filled in: only a present one comes back unchanged.
      const inner = exactCheckOf(def.innerType as z.ZodType);
      return (v) => v !== undefined && inner(v);
    }
    case 'lazy':
      return (v) => exactCheckOf((def.getter as () => z.ZodType)())(v);
    case 'array':
      return hasChecks(def) ? NO : arrayCheck(exactCheckOf(def.element as z.ZodType));
    case 'record':
      return recordCheck(def);
    case 'object':
      return objectCheck(def);
    case 'union':
      return typeof def.discriminator === 'string' ? discriminatedCheck(def) : unionCheck(def);
    default:
      return NO;
  }
}

function arrayCheck(element: ExactCheck): ExactCheck {
  return (v) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function recordCheck(def: Def): ExactCheck {
  const key = defOf(def.keyType);
  // Only plain string keys: enum keys make the record exhaustive, checked keys may be refused.
  if (key.type !== 'string' || hasChecks(key)) return NO;
  const value = exactCheckOf(def.valueType as z.ZodType);
  return (v) => {
    if (!isObject(v)) return false;
    for (const k in v) if (!Object.hasOwn(v, k) || !value(v[k])) return false;
    return true;
  };
}

function objectCheck(def: Def): ExactCheck {
  const shape = def.shape as Record<string, z.ZodType>;
  const catchall = def.catchall === undefined ? undefined : defOf(def.catchall).type;
  // Unknown keys: stripped (no catchall) or refused (never) by the schema, so here none may be
  // there; kept as they are (unknown); anything else is not known here.
  if (catchall !== undefined && catchall !== 'never' && catchall !== 'unknown') return NO;
  const keysKept = catchall === 'unknown';
  const fields = Object.entries(shape).map(([name, field]) => [name, exactCheckOf(field)] as const);
  const declared = new Set(Object.keys(shape));
  return (v) => {
    if (!isObject(v)) return false;
    for (const [name, check] of fields) if (!check(v[name])) return false;
    if (!keysKept) for (const k in v) if (!declared.has(k)) return false;
    return true;
  };
}

function discriminatedCheck(def: Def): ExactCheck {
  const key = def.discriminator as string;
  const byValue = new Map<unknown, ExactCheck>();
  for (const option of def.options as z.ZodType[]) {
    const optionDef = defOf(option);
    const field = optionDef.type === 'object' ? (optionDef.shape as Record<string, unknown>)[key] : undefined;
    const fieldDef = field ? defOf(field) : undefined;
    if (fieldDef?.type !== 'literal') return NO;
    const check = exactCheckOf(option);
    for (const value of fieldDef.values as unknown[]) if (!byValue.has(value)) byValue.set(value, check);
  }
  return (v) => isObject(v) && (byValue.get(v[key]) ?? NO)(v);
}

function unionCheck(def: Def): ExactCheck {
  const options = (def.options as z.ZodType[]).map((option) => ({ schema: option, exact: exactCheckOf(option) }));
  return (v) => {
    for (const option of options) {
      if (option.exact(v)) return true;
      // The schema takes the first option that accepts: one that accepts by changing the value wins.
      if (option.schema.safeParse(v).success) return false;
    }
    return false;
  };
}
