// The runbook parser over every bundled runbook and over malformed ones: steps by info string,
// Runme fence attributes, params and their validation, and problems that name the file and line.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets, maskedInputs, parseInfoString, parseRunbook, resolveInputs, resolveStep } from '../../shared/model/runbook.js';

const DIR = join(__dirname, '../../resources/runbooks');
const bundled = readdirSync(DIR).filter((f) => f.endsWith('.md'));
const DEMO_ALERTS = ['CanaryErrorRateHigh', 'GPUXidErrors', 'GPUNodeDown', 'InferenceErrorRateHigh', 'ErrorBudgetBurnRateCritical'];

describe('bundled runbooks', () => {
  it('there are at least seven, and together they answer every alert the demo fires', () => {
    expect(bundled.length).toBeGreaterThanOrEqual(7);
    const answered = new Set(bundled.flatMap((f) => parseRunbook(readFileSync(join(DIR, f), 'utf8'), f).meta.alerts ?? []));
    for (const alert of DEMO_ALERTS) expect(answered, alert).toContain(alert);
  });

  it.each(bundled)('%s parses without problems, with front matter and two or more runnable steps', (f) => {
    const source = readFileSync(join(DIR, f), 'utf8');
    const rb = parseRunbook(source, f);
    expect(rb.problems).toEqual([]);
    expect(rb.meta.title).toBeTruthy();
    expect(rb.meta.alerts).toBeDefined();
    const runnable = rb.steps.filter((s) => s.kind !== 'manual');
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    // Each step's line is its fence (or task item) in the file.
    const lines = source.split('\n');
    for (const s of rb.steps) expect(lines[s.line - 1], `${f}:${s.line}`).toMatch(s.kind === 'manual' ? /^\s*- \[[ x]\]/ : /^```/);
    // Every param a step uses is declared with a default, so the runbook runs on the demo as is.
    for (const p of rb.params) expect(p.default, `${f} param ${p.name}`).toBeDefined();
    expect(resolveInputs(rb.params, {}).problems).toEqual([]);
  });
});

describe('runbook format', () => {
  it('reads steps by info string, Runme attributes in both forms, and task lists as manual steps', () => {
    const rb = parseRunbook(
      ['# Title here', '', '```bash {"name":"check-pods"}', 'kubectl get pods', '```', '', '```sh { name=two expect="< 0.5" }', 'echo 2', '```', '', '```promql', 'up', '# expect: >= 1', '```', '', '```yaml', 'a: 1', '```', '', '- [ ] tick me', '- [x] done', ''].join('\n'),
      'x.md',
    );
    expect(rb.title).toBe('Title here');
    expect(rb.steps.map((s) => [s.id, s.kind, s.line])).toEqual([
      ['check-pods', 'sh', 3],
      ['two', 'sh', 7],
      ['step-3', 'promql', 11],
      ['step-4', 'manual', 20],
      ['step-5', 'manual', 21],
    ]);
    expect(rb.steps[2]).toMatchObject({ code: 'up', expect: { op: '>=', value: 1 } });
    expect(rb.steps[4].checked).toBe(true);
    expect(parseInfoString('sh { name=a other="b c" }').attrs).toEqual({ name: 'a', other: 'b c' });
  });

  it('opens a plain markdown file without front matter, its sh blocks runnable', () => {
    const rb = parseRunbook('Some notes.\n\n```sh\necho hello\n```\n', '/tmp/notes.md');
    expect(rb.problems).toEqual([]);
    expect(rb.title).toBe('notes');
    expect(rb.steps).toMatchObject([{ kind: 'sh', code: 'echo hello', line: 3 }]);
  });

  it('action steps: rollout.undo names the road action undo; params are filled and typed', () => {
    const rb = parseRunbook(['---', 'params:', '  rev: { default: "2", pattern: "[0-9]+" }', '---', '```action', 'action: rollout.undo', 'target: { kind: Deployment, namespace: inference, name: embedder }', 'params: { toRevision: "{{rev}}" }', '```'].join('\n'), 'a.md');
    expect(rb.problems).toEqual([]);
    const filled = resolveStep(rb.steps[0], resolveInputs(rb.params, {}).values);
    expect(filled.action).toEqual({ action: 'undo', target: { kind: 'Deployment', namespace: 'inference', name: 'embedder' }, params: { toRevision: 2 } });
  });

  it('validates params: missing, pattern, and masks secrets everywhere', () => {
    const rb = parseRunbook(['---', 'params:', '  ns: { pattern: "[a-z]+" }', '  token: { secret: true, prompt: API token }', '---', '```sh', 'curl -H "Authorization: {{token}}" {{ns}}', '```'].join('\n'), 's.md');
    expect(resolveInputs(rb.params, {}).problems).toEqual(['param "ns" is missing', 'param "token" is missing (API token)']);
    expect(resolveInputs(rb.params, { ns: 'Bad!', token: 'x' }).problems[0]).toMatch(/"ns" "Bad!" does not match/);
    const { values } = resolveInputs(rb.params, { ns: 'prod', token: 's3cr3t' });
    expect(maskedInputs(rb.params, values)).toEqual({ ns: 'prod', token: MASK });
    expect(maskSecrets(resolveStep(rb.steps[0], values).code, rb.params, values)).toBe(`curl -H "Authorization: ${MASK}" prod`);
  });
});

describe('malformed runbooks: clear problems with file and line, the rest still readable', () => {
  it('bad YAML front matter', () => {
    const rb = parseRunbook('---\ntitle: [unclosed\n---\n# Still here\n\n```sh\necho ok\n```\n', 'bad.md');
    expect(rb.problems[0]).toMatchObject({ file: 'bad.md', line: 2 });
    expect(rb.problems[0].message).toMatch(/front matter is not valid YAML/);
    expect(rb.title).toBe('Still here');
    expect(rb.steps).toHaveLength(1);
  });

  it('front matter with a wrong type or an unknown key keeps the valid fields', () => {
    const rb = parseRunbook('---\ntitle: Keep me\ntags: 5\nowner: me\nbogus: 1\n---\nbody\n', 'types.md');
    expect(rb.problems.map((p) => p.line)).toEqual(expect.arrayContaining([3]));
    expect(rb.problems.some((p) => /bogus/.test(p.message))).toBe(true);
    expect(rb.meta).toMatchObject({ title: 'Keep me', owner: 'me' });
  });

  it('unknown step kind and broken fence attributes', () => {
    const rb = parseRunbook('text\n\n```python {"name":"x"}\nprint(1)\n```\n\n```sh {"name": oops}\necho\n```\n', 'k.md');
    expect(rb.problems).toEqual([
      { file: 'k.md', line: 3, message: expect.stringMatching(/unknown step kind "python"/) },
      { file: 'k.md', line: 7, message: expect.stringMatching(/not valid JSON/) },
    ]);
  });

  it('an action step without a target, and a promql expectation that is not understood', () => {
    const rb = parseRunbook('# t\n\n```action\naction: undo\n```\n\n```promql {"expect":"about 3"}\nup\n```\n', 'a.md');
    expect(rb.problems.map((p) => [p.line, p.message.slice(0, 40)])).toEqual([
      [4, expect.stringMatching(/^action step "target"/)],
      [7, expect.stringMatching(/^promql expectation "about 3"/)],
    ]);
  });

  it('front matter lines are counted: a step after it has its line in the file', () => {
    const rb = parseRunbook('---\ntitle: T\n---\n\n```kubectl\nget pods\n```\n', 'l.md');
    expect(rb.steps[0].line).toBe(5);
  });
});
