// A runbook: markdown with optional YAML front matter, whose fenced blocks are steps by their info
// string (sh/bash, kubectl, promql, action) and whose task-list items are manual steps. Parsing is
// pure (main process, tests and the bench share it); problems carry the file and the line so a
// person can fix the file, and a runbook with problems still opens and renders.
import { Lexer, type Token, type Tokens } from 'marked';
import { load, YAMLException } from 'js-yaml';
import { z } from 'zod';

export const STEP_KINDS = ['sh', 'kubectl', 'promql', 'action', 'manual'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Fence languages that are documentation, never steps (a Runme attribute on them is an error). */
const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);

export const runbookParamSchema = z
  .object({
    prompt: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
    /** Regular expression the whole value must match. */
    pattern: z.string().optional(),
    secret: z.boolean().optional(),
  })
  .strict();
export type RunbookParam = z.infer<typeof runbookParamSchema> & { name: string };

export const frontMatterSchema = z
  .object({
    title: z.string().optional(),
    tags: z.array(z.string()).optional(),
    alerts: z.array(z.string()).optional(),
    severity: z.string().optional(),
    owner: z.string().optional(),
    description: z.string().optional(),
    /** The demo scenario the runbook is exercised on (documentation only). */
    scenario: z.string().optional(),
    params: z.record(z.string(), runbookParamSchema).optional(),
  })
  .strict();
export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface RunbookProblem {
  file: string;
  line: number;
  message: string;
}

export interface Expectation {
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
}

export interface ActionSpec {
  action: string;
  target: { kind: string; namespace?: string; name: string };
  params: Record<string, unknown>;
}

export interface RunbookStep {
  /** Stable within one version of the file: the fence's name attribute, else `step-<n>`. */
  id: string;
  kind: StepKind;
  /** Info-string language as written (bash, sh, kubectl...). */
  lang: string;
  /** The nearest heading above the step. */
  section: string;
  /** Body as written, `{{param}}` unresolved. */
  code: string;
  line: number;
  /** Changes a cluster: actions always; shell and kubectl steps may, and are treated as such. */
  mutating: boolean;
  expect?: Expectation;
  /** The expectation as written when it uses a param (`< {{p95}}`): read once params are filled. */
  expectText?: string;
  action?: ActionSpec;
  /** Manual steps: whether the box was ticked in the file. */
  checked?: boolean;
}

/** Document order: prose to render, and where each step sits in it. */
export type RunbookSegment = { type: 'markdown'; text: string; line: number } | { type: 'step'; stepId: string } | { type: 'checklist'; stepIds: string[] };

export interface Runbook {
  file: string;
  title: string;
  meta: FrontMatter;
  params: RunbookParam[];
  steps: RunbookStep[];
  segments: RunbookSegment[];
  problems: RunbookProblem[];
  /** Line where the markdown body starts (after front matter). */
  bodyLine: number;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const PARAM_REF = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;
const PARAM_TEST = /\{\{\s*[A-Za-z_][\w-]*\s*\}\}/;
const EXPECT = /^(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/i;

const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** `sh {"name":"x"}`, `sh { name=x expect="< 0.01" }`, `bash`: language and attributes. */
export function parseInfoString(info: string): { lang: string; attrs: Record<string, string>; error?: string } {
  const trimmed = info.trim();
  const space = trimmed.search(/[\s{]/);
  const lang = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : trimmed.slice(space).trim();
  if (!rest) return { lang, attrs: {} };
  if (!rest.startsWith('{') || !rest.endsWith('}')) return { lang, attrs: {} };
  if (rest.startsWith('{"') || rest === '{}') {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return { lang, attrs: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) };
      }
    } catch (error) {
      return { lang, attrs: {}, error: `fence attributes are not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const attrs: Record<string, string> = {};
  const body = rest.slice(1, -1);
  const pair = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))/g;
  let consumed = body;
  for (let m = pair.exec(body); m; m = pair.exec(body)) {
    attrs[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? m[4]);
    consumed = consumed.replace(m[0], '');
  }
  if (consumed.trim()) return { lang, attrs, error: `could not read fence attributes "${consumed.trim()}" (use { name=x } or {"name":"x"})` };
  return { lang, attrs };
}

export function parseExpectation(text: string): Expectation | undefined {
  const m = EXPECT.exec(text.trim());
  return m ? { op: m[1] as Expectation['op'], value: Number(m[2]) } : undefined;
}

export function meetsExpectation(value: number, e: Expectation): boolean {
  switch (e.op) {
    case '<':
      return value < e.value;
    case '<=':
      return value <= e.value;
    case '>':
      return value > e.value;
    case '>=':
      return value >= e.value;
    case '==':
      return value === e.value;
    case '!=':
      return value !== e.value;
  }
}

// js-yaml: about six times faster than the yaml package on front matter (the parse bench's budget).
const readYaml = (text: string): unknown => load(text, { json: true });
/** 0-based line of a YAML error within `text` (an error found at the end points at the last line). */
const yamlErrorLine = (error: unknown, text: string) => Math.min(error instanceof YAMLException ? (error.mark?.line ?? 0) : 0, text.replace(/\n+$/, '').split('\n').length - 1);
const yamlReason = (error: unknown) => (error instanceof YAMLException ? error.reason : error instanceof Error ? error.message : String(error));

function splitFrontMatter(source: string, file: string, problems: RunbookProblem[]): { meta: FrontMatter; body: string; bodyLine: number } {
  const m = FRONT_MATTER.exec(source);
  if (!m) return { meta: {}, body: source, bodyLine: 1 };
  const bodyLine = countLines(m[0]) + 1;
  let raw: unknown;
  try {
    raw = readYaml(m[1]) ?? {};
  } catch (error) {
    problems.push({ file, line: 2 + yamlErrorLine(error, m[1]), message: `front matter is not valid YAML: ${yamlReason(error)}` });
    return { meta: {}, body: source.slice(m[0].length), bodyLine };
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 5)) {
      const key = issue.path[0];
      const lineIdx = typeof key === 'string' ? m[1].split('\n').findIndex((l) => l.startsWith(`${key}:`)) : -1;
      const where = issue.path.length ? `"${issue.path.join('.')}": ` : '';
      problems.push({ file, line: 2 + Math.max(lineIdx, 0), message: `front matter ${where}${issue.message}` });
    }
    // Keep what is valid: a bad tag list must not hide the title.
    const loose = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const partial: FrontMatter = {};
    for (const key of Object.keys(frontMatterSchema.shape) as Array<keyof FrontMatter>) {
      const one = frontMatterSchema.shape[key].safeParse(loose[key]);
      if (one.success && one.data !== undefined) (partial as Record<string, unknown>)[key] = one.data;
    }
    return { meta: partial, body: source.slice(m[0].length), bodyLine };
  }
  return { meta: parsed.data, body: source.slice(m[0].length), bodyLine };
}

function parseAction(code: string, file: string, line: number, problems: RunbookProblem[]): ActionSpec | undefined {
  let doc: unknown;
  try {
    doc = readYaml(code);
  } catch (error) {
    problems.push({ file, line: line + 1 + yamlErrorLine(error, code), message: `action step is not valid YAML: ${yamlReason(error)}` });
    return undefined;
  }
  const schema = z
    .object({
      action: z.string().min(1),
      target: z.object({ kind: z.string().min(1), namespace: z.string().optional(), name: z.string().min(1) }).strict(),
      params: z.record(z.string(), z.unknown()).default({}),
    })
    .strict();
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    problems.push({ file, line: line + 1, message: `action step ${issue.path.length ? `"${issue.path.join('.')}": ` : ''}${issue.message} (expected action, target {kind, namespace, name}, params)` });
    return undefined;
  }
  // `rollout.undo` and `undo` name the same road action.
  return { ...parsed.data, action: parsed.data.action.replace(/^rollouts?\./, '') };
}

export function parseRunbook(source: string, file: string): Runbook {
  const problems: RunbookProblem[] = [];
  const { meta, body, bodyLine } = splitFrontMatter(source.replace(/^\uFEFF/, ''), file, problems);
  // Block tokens only: steps, headings and task items are block-level; inline lexing (the larger
  // share of marked's time) is left to the renderer, which draws the prose.
  const tokens = new Lexer({ gfm: true }).blockTokens(body, []);
  const steps: RunbookStep[] = [];
  const segments: RunbookSegment[] = [];
  const ids = new Set<string>();
  let section = '';
  let title = meta.title ?? '';
  let line = bodyLine;
  let prose: { text: string; line: number } | undefined;
  const flush = () => {
    if (prose && prose.text.trim()) segments.push({ type: 'markdown', ...prose });
    prose = undefined;
  };
  const addProse = (token: Token, at: number) => {
    if (!prose) prose = { text: '', line: at };
    prose.text += token.raw;
  };
  const uniqueId = (wanted: string | undefined, at: number) => {
    let id = wanted ?? `step-${steps.length + 1}`;
    if (wanted && ids.has(wanted)) {
      problems.push({ file, line: at, message: `step name "${wanted}" is used twice; this one is renamed ${wanted}-${steps.length + 1}` });
      id = `${wanted}-${steps.length + 1}`;
    }
    ids.add(id);
    return id;
  };

  for (const token of tokens) {
    const at = line;
    line += countLines(token.raw);
    if (token.type === 'heading') {
      section = (token as Tokens.Heading).text;
      if (!title && (token as Tokens.Heading).depth === 1) title = section;
      addProse(token, at);
      continue;
    }
    if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented') {
      const code = token as Tokens.Code;
      const info = parseInfoString(code.lang ?? '');
      const kind: StepKind | undefined = SHELL_LANGS.has(info.lang) ? 'sh' : (STEP_KINDS as readonly string[]).includes(info.lang) && info.lang !== 'manual' ? (info.lang as StepKind) : undefined;
      if (info.error) problems.push({ file, line: at, message: info.error });
      if (!kind) {
        const hasAttrs = Object.keys(info.attrs).length > 0 || !!info.error;
        if (hasAttrs) problems.push({ file, line: at, message: `unknown step kind "${info.lang || '(none)'}": steps are ${['sh', 'bash', 'kubectl', 'promql', 'action'].join(', ')}; this block is shown as text` });
        addProse(token, at);
        continue;
      }
      flush();
      const step: RunbookStep = { id: uniqueId(info.attrs.name, at), kind, lang: info.lang, section, code: code.text, line: at, mutating: kind !== 'promql' };
      if (kind === 'promql') {
        const lines = code.text.split('\n');
        const expectLine = lines.findIndex((l) => /^#\s*expect\b/i.test(l.trim()));
        const expectText = info.attrs.expect ?? (expectLine >= 0 ? lines[expectLine].trim().replace(/^#\s*expect:?\s*/i, '') : undefined);
        if (expectLine >= 0) step.code = lines.filter((_, i) => i !== expectLine).join('\n').trim();
        if (expectText !== undefined && PARAM_TEST.test(expectText)) step.expectText = expectText;
        else if (expectText !== undefined) {
          step.expect = parseExpectation(expectText);
          if (!step.expect) problems.push({ file, line: at, message: `promql expectation "${expectText}" is not understood (write e.g. "< 0.01")` });
        }
      }
      if (kind === 'kubectl') step.mutating = !/^\s*(kubectl\s+)?(get|describe|top|logs|explain|api-resources|version|auth\s+can-i|rollout\s+(status|history))\b/.test(code.text);
      if (kind === 'action') step.action = parseAction(code.text, file, at, problems);
      steps.push(step);
      segments.push({ type: 'step', stepId: step.id });
      continue;
    }
    if (token.type === 'list' && (token as Tokens.List).items.some((i) => i.task)) {
      flush();
      const ids: string[] = [];
      let itemLine = at;
      for (const item of (token as Tokens.List).items) {
        const itemAt = itemLine;
        itemLine += countLines(item.raw);
        if (!item.task) continue;
        const step: RunbookStep = { id: uniqueId(undefined, itemAt), kind: 'manual', lang: 'manual', section, code: item.text.replace(/^\[[ xX]\]\s*/, ''), line: itemAt, mutating: false, checked: !!item.checked };
        steps.push(step);
        ids.push(step.id);
      }
      segments.push({ type: 'checklist', stepIds: ids });
      continue;
    }
    addProse(token, at);
  }
  flush();

  const params = collectParams(meta, steps, file, problems);
  return { file, title: title || file.replace(/^.*[\\/]/, '').replace(/\.md$/i, ''), meta, params, steps, segments, problems, bodyLine };
}

/** Declared params, plus any `{{name}}` a step uses without declaring (asked for by name). */
function collectParams(meta: FrontMatter, steps: RunbookStep[], file: string, problems: RunbookProblem[]): RunbookParam[] {
  const params: RunbookParam[] = Object.entries(meta.params ?? {}).map(([name, p]) => ({ name, ...p }));
  for (const p of params) {
    if (p.pattern === undefined) continue;
    try {
      new RegExp(p.pattern);
    } catch {
      problems.push({ file, line: 1, message: `param "${p.name}": pattern "${p.pattern}" is not a valid regular expression` });
      p.pattern = undefined;
    }
  }
  for (const step of steps) {
    const text = step.kind === 'action' ? JSON.stringify(step.action ?? {}) : `${step.code}\n${step.expectText ?? ''}`;
    for (const m of text.matchAll(PARAM_REF)) {
      if (!params.some((p) => p.name === m[1])) params.push({ name: m[1] });
    }
  }
  return params;
}

export type Inputs = Record<string, string>;

/** Fills defaults and checks every param; problems name the param and why. */
export function resolveInputs(params: RunbookParam[], given: Inputs): { values: Inputs; problems: string[] } {
  const values: Inputs = {};
  const problems: string[] = [];
  for (const p of params) {
    const value = given[p.name] ?? p.default;
    if (value === undefined || value === '') {
      problems.push(`param "${p.name}" is missing${p.prompt ? ` (${p.prompt})` : ''}`);
      continue;
    }
    if (p.pattern && !new RegExp(`^(?:${p.pattern})$`).test(value)) {
      problems.push(`param "${p.name}" ${p.secret ? '(secret)' : `"${value}"`} does not match ${p.pattern}`);
      continue;
    }
    values[p.name] = value;
  }
  return { values, problems };
}

export function substitute(text: string, values: Inputs): string {
  return text.replace(PARAM_REF, (whole, name: string) => values[name] ?? whole);
}

export const MASK = '••••••';

/** Replaces every secret value in `text` by the mask (longest first, so overlaps mask whole). */
export function maskSecrets(text: string, params: RunbookParam[], values: Inputs): string {
  const secrets = params
    .filter((p) => p.secret && values[p.name])
    .map((p) => values[p.name])
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of secrets) out = out.split(s).join(MASK);
  return out;
}

/** Inputs with secret values masked: what the journal, the UI and reports hold. */
export function maskedInputs(params: RunbookParam[], values: Inputs): Inputs {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, params.find((p) => p.name === k)?.secret ? MASK : v]));
}

/** Step with params filled in; action specs are filled field by field. */
export function resolveStep(step: RunbookStep, values: Inputs): RunbookStep {
  const filled: RunbookStep = { ...step, code: substitute(step.code, values) };
  if (step.expectText !== undefined) {
    const text = substitute(step.expectText, values);
    filled.expect = parseExpectation(text);
    if (!filled.expect) throw new Error(`step "${step.id}" (line ${step.line}): expectation "${text}" is not understood (write e.g. "< 0.01")`);
  }
  if (step.action) filled.action = fillValue(step.action, values) as ActionSpec;
  return filled;
}

/** A string that is only `{{x}}` becomes a number or boolean when the value reads as one. */
function fillValue(value: unknown, values: Inputs): unknown {
  if (typeof value === 'string') {
    const out = substitute(value, values);
    const whole = /^\{\{\s*[A-Za-z_][\w-]*\s*\}\}$/.test(value.trim());
    if (whole && /^-?\d+(\.\d+)?$/.test(out)) return Number(out);
    if (whole && (out === 'true' || out === 'false')) return out === 'true';
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => fillValue(v, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(v, values)]));
  return value;
}
