// The one secret redactor (issue 11). Secrets never leave the main process: every contract response,
// stream event, diff, plan, audit record and offline snapshot goes through it. Pure; the keyed hash
// (`fingerprint`) is injected by the main process so the renderer bundle never needs node:crypto.
//
// What it replaces, with `<redacted: N chars #fingerprint>`:
// - every literal `value` of a container env entry (`env: [{name, value}]`); `valueFrom` refs stay;
// - the password of a URL (`scheme://user:PASSWORD@host`) in any string;
// - the value of a secret-looking flag in any string (`--db-password=V`, `--api-key V`) and, in an
//   array (args, command), the element after a bare secret-looking flag (`["--token", "V"]`);
// - JSON patch operations that set an env value (`{op, path: ".../env/3/value", value}`);
// - `kubectl.kubernetes.io/last-applied-configuration`: parsed, redacted the same way, re-serialized;
// - `kubernetes.io/change-cause` (`kubectl set env … NAME=V`): the NAME=V assignments.
// Kubernetes objects (`redactObject`) also lose Secret `data`/`stringData` and string fields whose key
// looks secret (`password`, `apiToken`, …); contract payloads do not, since they carry plan tokens.
// The fingerprint differs when the value differs, so a diff still shows *that* a secret changed.

/** A few hex characters of a keyed hash of the value (HMAC with a per-process key in the app). */
export type Fingerprint = (value: string) => string;

export interface Redactor {
  /** Contract payloads: copy-on-write, returns the same reference when nothing needed redacting. */
  redact<T>(value: T): T;
  /** A Kubernetes object (or template): the payload rules plus Secret data and secret-named fields. */
  redactObject<T>(object: T): T;
  /** One string: URL passwords and secret-looking flags. */
  redactText(text: string): string;
  /** The marker standing for a secret value. */
  marker(value: string): string;
  /**
   * A payload value that went through `redact` and will be sent again and again (an alert kept
   * between refreshes): frozen, deeply, so it cannot change, and passed by later `redact` walks
   * instead of walked again. Returns the value.
   */
  vouch<T extends object>(redacted: T): T;
}

const MARKER = /^<redacted: \d+ chars #[0-9a-f]+>$/;
export const isRedactionMarker = (value: string): boolean => MARKER.test(value);

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const CHANGE_CAUSE_KEYS = new Set(['kubernetes.io/change-cause', 'changeCause']);

// scheme://user:PASSWORD@ — the password runs to the last `@` before the path; a marker (which holds
// spaces) is never matched again, so redacting twice changes nothing.
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:)([^\s/?#]*)@/gi;
// A flag is secret when one of its words (split on - _ .) ends in a secret word: --db-password,
// --hfToken, --api-key, --client_secret; not --tokenizer or --max-num-batched-tokens, which model
// servers take all the time and whose values an SRE needs to see.
const SECRET_FLAG_NAME = /(?:^|[-_.])[a-z0-9]*(?:password|passwd|pwd|token|secret|key|credentials?)(?:$|[-_.])/i;
// --name=V, --name V (same line), quoted or bare; a value that is already a marker is kept.
const FLAG_VALUE = /((?:^|[\s"'=[,(])--([a-z0-9_.-]+))(=|[ \t]+(?=[^\s-]))(?!<redacted: )("[^"]*"|'[^']*'|[^\s"']+)/gi;
// A whole array element that is a bare flag (no `=`): if secret, the next element is its value.
const BARE_FLAG = /^--?([a-z0-9_.-]+)$/i;
const isSecretFlag = (name: string) => SECRET_FLAG_NAME.test(name);
const ENV_VALUE_POINTER = /\/env\/\d+\/value$/;
const ENV_ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=(?!<redacted: )("[^"]*"|'[^']*'|[^\s"']+)/g;
const SELECTOR_KEYS = new Set(['labels', 'selector', 'matchLabels', 'nodeSelector']);
const SECRET_KEY = /pass(word|wd)?|secret|token|api[-_]?key|credential|private[-_]?key/i;
// Fields that *name* a secret (secretName, tokenPath, …) are references, not secret material.
const REFERENCE_KEY = /(name|ref|path|file|namespace|mode|ttl|seconds|audience)$/i;

const deepFreeze = (value: unknown): void => {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
};

export function createRedactor(fingerprint: Fingerprint): Redactor {
  /** Payload values already redacted and frozen (vouch): payload walks pass them by. */
  const vouched = new WeakSet<object>();
  const marker = (value: string) => `<redacted: ${value.length} chars #${fingerprint(value)}>`;
  const unquote = (v: string) => (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1) : v);

  function redactText(text: string): string {
    // Cheap prechecks first: most strings (names, ids, phases) contain neither.
    let out = text;
    // A URL password needs both `://` and `@`: runbook and generator URLs (thousands per alert list) have no `@`.
    if (out.includes('://') && out.includes('@')) out = out.replace(URL_PASSWORD, (_m, head: string, password: string) => (password ? `${head}${marker(password)}@` : `${head}@`));
    if (out.includes('--')) {
      out = out.replace(FLAG_VALUE, (whole: string, flag: string, name: string, sep: string, value: string) => (isSecretFlag(name) ? `${flag}${sep}${marker(unquote(value))}` : whole));
    }
    return out;
  }

  const secretValue = (value: unknown): unknown => (typeof value === 'string' && value !== '' && !isRedactionMarker(value) ? marker(value) : value);

  function redactEnvList(list: unknown[]): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as { value?: unknown } | null;
      if (!entry || typeof entry !== 'object' || typeof entry.value !== 'string') continue;
      const value = secretValue(entry.value);
      if (value === entry.value) continue;
      out ??= list.slice();
      out[i] = { ...entry, value };
    }
    return out ?? list;
  }

  function redactChangeCause(text: string): string {
    // `kubectl set env deploy/x A=1 B=2` records every assignment in the change-cause.
    const withFlags = redactText(text);
    return /\benv\b/.test(withFlags) ? withFlags.replace(ENV_ASSIGNMENT, (_m, name: string, value: string) => `${name}=${marker(unquote(value))}`) : withFlags;
  }

  function redactLastApplied(text: string, kube: boolean): string {
    try {
      return JSON.stringify(walk(JSON.parse(text) as unknown, kube, true));
    } catch {
      return marker(text); // not JSON: nothing in it can be shown safely
    }
  }

  function walkArray(list: unknown[], kube: boolean): unknown[] {
    let out: unknown[] | undefined;
    let afterBareFlag = false;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (typeof item === 'number' || item === null || typeof item === 'boolean') {
        afterBareFlag = false;
        continue;
      }
      let next: unknown;
      if (typeof item === 'string') {
        next = afterBareFlag && !item.startsWith('-') ? secretValue(item) : redactText(item);
        afterBareFlag = item.startsWith('-') && isSecretFlag(BARE_FLAG.exec(item)?.[1] ?? '');
      } else {
        next = walk(item, kube, false);
        afterBareFlag = false;
      }
      if (next !== item) {
        out ??= list.slice();
        out[i] = next;
      }
    }
    return out ?? list;
  }

  function walkRecord(record: Record<string, unknown>, kube: boolean, root: boolean): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    const secretKind = kube && root && record.kind === 'Secret';
    const patchOp = typeof record.op === 'string' && typeof record.path === 'string';
    // for…in, not Object.keys: no array per object on 10,000-element deltas (payloads are plain JSON).
    for (const key in record) {
      const value = record[key];
      let next: unknown;
      if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) continue;
      if (key === 'env' && Array.isArray(value)) next = walkArray(redactEnvList(value), kube);
      else if (patchOp && key === 'value' && ENV_VALUE_POINTER.test(record.path as string)) next = secretValue(value);
      else if (patchOp && key === 'value' && Array.isArray(value) && (record.path as string).endsWith('/env')) next = redactEnvList(value);
      else if (secretKind && (key === 'data' || key === 'stringData') && value && typeof value === 'object') {
        next = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretValue(v)]));
      } else if (typeof value === 'string') {
        if (key === LAST_APPLIED_ANNOTATION) next = redactLastApplied(value, kube);
        else if (CHANGE_CAUSE_KEYS.has(key)) next = redactChangeCause(value);
        else if (kube && key !== 'name' && SECRET_KEY.test(key) && !REFERENCE_KEY.test(key)) next = secretValue(value);
        else next = redactText(value);
      } else if (kube && SELECTOR_KEYS.has(key)) {
        continue; // labels and selectors are never secrets; redacting them would break offline graphs
      } else {
        next = walk(value, kube, false);
      }
      if (next !== value) {
        out ??= { ...record };
        out[key] = next;
      }
    }
    return out ?? record;
  }

  function walk(value: unknown, kube: boolean, root: boolean): unknown {
    if (typeof value === 'string') return redactText(value);
    if (!value || typeof value !== 'object') return value;
    if (!kube && vouched.has(value)) return value;
    if (Array.isArray(value)) return walkArray(value, kube);
    if (ArrayBuffer.isView(value)) return value;
    return walkRecord(value as Record<string, unknown>, kube, root);
  }

  return {
    redact: <T>(value: T) => walk(value, false, true) as T,
    redactObject: <T>(object: T) => walk(object, true, true) as T,
    redactText,
    marker,
    vouch<T extends object>(redacted: T): T {
      deepFreeze(redacted);
      vouched.add(redacted);
      return redacted;
    },
  };
}

export interface EnvSecretRef {
  /** RFC 6901 pointer to the literal value inside the object (what `secrets.reveal` takes). */
  path: string;
  container: string;
  env: string;
}

/** Every literal env value of an object (pod, workload template, ReplicaSet), with its pointer. */
export function literalEnvValues(object: unknown): EnvSecretRef[] {
  const found: EnvSecretRef[] = [];
  const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const visit = (value: unknown, pointer: string, owner: string) => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${pointer}/${i}`, owner));
      return;
    }
    const record = value as Record<string, unknown>;
    const name = typeof record.name === 'string' ? record.name : owner;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'metadata' || key === 'status') continue;
      if (key === 'env' && Array.isArray(child)) {
        child.forEach((entry: { name?: unknown; value?: unknown } | null, i) => {
          if (entry && typeof entry.value === 'string' && entry.value !== '') {
            found.push({ path: `${pointer}/env/${i}/value`, container: name, env: String(entry.name ?? '') });
          }
        });
      } else {
        visit(child, `${pointer}/${escape(key)}`, name);
      }
    }
  };
  visit(object, '', '');
  return found;
}

/** The value an RFC 6901 pointer names, or undefined. */
export function atPointer(object: unknown, pointer: string): unknown {
  if (pointer === '') return object;
  if (!pointer.startsWith('/')) return undefined;
  let cursor: unknown = object;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!cursor || typeof cursor !== 'object' || !Object.prototype.hasOwnProperty.call(cursor, key)) return undefined;
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return cursor;
}
