// Plain-JSON values for the demo store: a fast deep copy with JSON's semantics, and `settle`, which
// turns a freshly written object into its stored, deep-frozen form while sharing every subtree
// that did not change with the previous version. Stored objects are read by the API, the watch
// hub, the controllers and the metrics without copies, so they must never change once stored;
// freezing makes a reader that tries to mutate one fail loudly instead of corrupting the store.

type Json = unknown;

const isDropped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * Class instances (Date, Map…), which JSON.stringify would not keep as they are. Plain objects with
 * their own toJSON are caught while their keys are walked (see TO_JSON).
 */
function isExotic(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto !== Object.prototype && proto !== null && proto !== Array.prototype;
}

const TO_JSON = 'toJSON';
const viaJson = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

function normalPrimitive(v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

function setOwn(out: Record<string, unknown>, k: string, v: unknown): void {
  // `__proto__` from JSON.parse is an own data property; a plain assignment would set the prototype.
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/**
 * Deep copy with the result of `JSON.parse(JSON.stringify(value))` (undefined and functions dropped
 * from objects, null in arrays, non-finite numbers as null), several times faster for plain data.
 * The copy is mutable even when `value` is frozen.
 */
export function copyJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: Json): Json {
  if (typeof v !== 'object' || v === null) return normalPrimitive(v);
  if (isExotic(v)) return viaJson(v);
  if (Array.isArray(v)) {
    const out = new Array<Json>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: Json = v[i];
      out[i] = isDropped(x) ? null : copy(x);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (k === TO_JSON && typeof x === 'function') return viaJson(v);
    if (!isDropped(x)) setOwn(out, k, copy(x));
  }
  return out;
}

/**
 * The stored form of `value`: deep-frozen, JSON-normalized (as copyJson), and sharing with `previous`
 * (the version it replaces) every subtree that is JSON-equal, key order included. So when nothing
 * changed the result *is* `previous`, and an unchanged `spec` is the very same object as before,
 * which makes "did it change?" a reference comparison.
 *
 * Takes ownership of `value`: its objects are frozen in place (or replaced) and must not be touched
 * afterwards. Subtrees that are already frozen are taken to be stored values and kept as they are.
 */
export function settle<T>(value: T, previous?: T): T {
  return settleValue(value, previous) as T;
}

function settleValue(v: Json, old: Json): Json {
  if (typeof v !== 'object' || v === null) return normalPrimitive(v);
  if (Object.isFrozen(v)) return v;
  if (isExotic(v)) return settleValue(viaJson(v), old);
  if (Array.isArray(v)) {
    const prior = Array.isArray(old) && old.length === v.length ? (old as Json[]) : undefined;
    let same = prior !== undefined;
    for (let i = 0; i < v.length; i++) {
      const x: Json = v[i];
      const s = settleValue(isDropped(x) ? null : x, prior?.[i]);
      if (s !== x) v[i] = s;
      if (same && s !== prior?.[i]) same = false;
    }
    return same ? old : Object.freeze(v);
  }
  const obj = v as Record<string, unknown>;
  const prior = typeof old === 'object' && old !== null && !Array.isArray(old) ? (old as Record<string, unknown>) : undefined;
  const priorKeys = prior ? Object.keys(prior) : undefined;
  let same = priorKeys !== undefined;
  let kept = 0;
  let dropped = false;
  for (const k of Object.keys(obj)) {
    const x = obj[k];
    if (k === TO_JSON && typeof x === 'function') return settleValue(viaJson(obj), old);
    if (isDropped(x)) {
      dropped = true;
      continue;
    }
    const s = settleValue(x, prior?.[k]);
    if (s !== x) obj[k] = s;
    if (same && (priorKeys?.[kept] !== k || s !== prior?.[k])) same = false;
    kept++;
  }
  if (same && kept === priorKeys?.length) return old;
  if (!dropped) return Object.freeze(obj);
  // Rebuild rather than `delete`, which would turn the object into a slow dictionary.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) if (!isDropped(obj[k])) setOwn(out, k, obj[k]);
  return Object.freeze(out);
}
