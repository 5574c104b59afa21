// The JSONPath subset CRD printer columns and scale paths use (k8s.io/client-go/util/jsonpath):
// `.spec.replicas`, `.metadata.labels.app`, `.spec.items[0].name`, `.spec.items[*].name`,
// `.status.conditions[?(@.type=="Ready")].status`, optionally wrapped in `{…}`. Evaluates to the
// list of matched values (empty when nothing matches), as FindResults does.

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; op: '==' | '!='; value: unknown } };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a path into steps; throws with a person-readable message on syntax it does not know. */
export function parseJsonPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([^.[\]]+)/.exec(s.slice(i));
      if (!m) throw new Error(`unexpected "." in JSONPath ${JSON.stringify(expr)}`);
      steps.push({ field: m[1] });
      i += m[0].length;
    } else if (s[i] === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) throw new Error(`unterminated [ in JSONPath ${JSON.stringify(expr)}`);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ field: inner.slice(1, -1) });
      else {
        const f = /^\?\(@((?:\.[^.=!<>\s]+)+)\s*(==|!=)\s*(.+)\)$/.exec(inner);
        if (!f) throw new Error(`unsupported JSONPath filter [${inner}] in ${JSON.stringify(expr)}`);
        const raw = f[3].trim();
        const value = /^'.*'$|^".*"$/.test(raw) ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
        steps.push({ filter: { path: f[1].split('.').filter(Boolean), op: f[2] as '==' | '!=', value } });
      }
    } else {
      throw new Error(`JSONPath ${JSON.stringify(expr)} must start with "." (as in .spec.replicas)`);
    }
  }
  return steps;
}

function get(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) cur = isObj(cur) ? cur[p] : undefined;
  return cur;
}

/** The values `expr` selects in `obj`. */
export function evalJsonPath(obj: unknown, expr: string | Step[]): unknown[] {
  const steps = typeof expr === 'string' ? parseJsonPath(expr) : expr;
  let cur: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('field' in step) {
        if (isObj(v) && step.field in v) next.push(v[step.field]);
      } else if ('index' in step) {
        if (Array.isArray(v)) {
          const i = step.index < 0 ? v.length + step.index : step.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...v);
        else if (isObj(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        const { path, op, value } = step.filter;
        for (const item of v) if ((get(item, path) === value) === (op === '==')) next.push(item);
      }
    }
    cur = next;
  }
  return cur;
}

/** Writes `value` at a plain dotted path (`.spec.replicas`), creating objects on the way. */
export function setAtPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const fields = parseJsonPath(path).map((s) => {
    if (!('field' in s)) throw new Error(`path ${JSON.stringify(path)} must name fields only`);
    return s.field;
  });
  let cur = obj;
  for (const f of fields.slice(0, -1)) {
    if (!isObj(cur[f])) cur[f] = {};
    cur = cur[f] as Record<string, unknown>;
  }
  cur[fields[fields.length - 1]] = value;
}
