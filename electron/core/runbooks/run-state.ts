// A run's state derived from its journal: what the executor holds in memory and what an offline
// review, the runs list and a resume read back from disk. A step that started and never ended in
// the journal was running when the process died: "interrupted", never "pending".
import { parseRunbook, type RunbookStep } from '../../../shared/model/runbook.js';
import type { RunState, RunSummary, StepState } from '../../../shared/contract/runbooks.js';
import type { JournalRecord } from './journal.js';
import { toDoc } from './library.js';

export function describeStep(step: RunbookStep): string {
  switch (step.kind) {
    case 'action':
      return step.action ? `${step.action.action} ${step.action.target.kind} ${step.action.target.namespace ? step.action.target.namespace + '/' : ''}${step.action.target.name} ${JSON.stringify(step.action.params)}` : step.code;
    case 'promql':
      return step.expect ? `${step.code}\n# expect ${step.expect.op} ${step.expect.value}` : step.code;
    default:
      return step.code;
  }
}

export function stateFromJournal(records: JournalRecord[], problems: string[], live = false): RunState {
  const start = records.find((r): r is Extract<JournalRecord, { t: 'start' }> => r.t === 'start');
  if (!start) throw new Error(`the journal has no start record${problems.length ? ` (${problems.join('; ')})` : ''}`);
  const parsed = parseRunbook(start.runbook.source, start.runbook.file);
  const steps = new Map<string, StepState>(parsed.steps.map((s) => [s.id, { stepId: s.id, status: 'pending', attempts: 0, output: '', resolved: describeStep(s) }]));
  let finish: Extract<JournalRecord, { t: 'finish' }> | undefined;
  for (const r of records) {
    if (r.t === 'step-start') {
      const s = steps.get(r.stepId);
      if (s) Object.assign(s, { status: 'running', attempts: r.attempt, startedAt: r.at, output: '', exitCode: undefined, error: undefined, durationMs: undefined });
    } else if (r.t === 'step-end') {
      const s = steps.get(r.stepId);
      if (s) Object.assign(s, { status: r.status, exitCode: r.exitCode, durationMs: r.durationMs, output: r.output, auditId: r.auditId, error: r.error });
    } else if (r.t === 'step-skip') {
      const s = steps.get(r.stepId);
      if (s) s.status = 'skipped';
    } else if (r.t === 'finish') finish = r;
  }
  const list = [...steps.values()];
  if (!live) for (const s of list) if (s.status === 'running') s.status = 'interrupted';
  const state: RunState = {
    runId: start.runId,
    runbookId: start.runbook.id,
    title: start.runbook.title,
    hash: start.runbook.hash,
    context: start.context,
    who: start.who,
    startedAt: start.at,
    phase: finish ? 'finished' : 'stopped',
    status: 'idle',
    inputs: start.inputs,
    secretParams: start.secretParams,
    steps: list,
    runningToEnd: false,
    problems,
    runbook: toDoc({ id: start.runbook.id, hash: start.runbook.hash, parsed }),
  };
  state.status = overallStatus(state, finish?.status);
  return state;
}

export function overallStatus(state: Pick<RunState, 'steps'>, finished?: 'succeeded' | 'failed' | 'abandoned'): RunState['status'] {
  if (finished) return finished;
  if (state.steps.some((s) => s.status === 'running')) return 'running';
  if (state.steps.some((s) => s.status === 'interrupted')) return 'interrupted';
  if (state.steps.some((s) => s.status === 'failed')) return 'failed';
  if (state.steps.every((s) => s.status === 'succeeded' || s.status === 'skipped')) return 'succeeded';
  return 'idle';
}

export const isDone = (s: StepState) => s.status === 'succeeded' || s.status === 'skipped';

export function summarize(state: RunState): RunSummary {
  const next = state.steps.find((s) => !isDone(s));
  return {
    runId: state.runId,
    runbookId: state.runbookId,
    title: state.title,
    context: state.context,
    who: state.who,
    startedAt: state.startedAt,
    phase: state.phase,
    status: state.status,
    done: state.steps.filter(isDone).length,
    total: state.steps.length,
    resumeAt: next?.stepId,
  };
}

/** The run as a markdown report: inputs (secrets masked), then each step with its outcome and output. */
export function reportMarkdown(state: RunState): string {
  const fence = (text: string) => {
    const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return `${ticks}\n${text.replace(/\n$/, '')}\n${ticks}`;
  };
  const out: string[] = [
    `# Run report: ${state.title}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Run | ${state.runId} |`,
    `| Runbook | ${state.runbookId} (sha256 ${state.hash.slice(0, 12)}) |`,
    `| Context | ${state.context ?? '(none)'} |`,
    `| Started | ${state.startedAt} by ${state.who} |`,
    `| Status | ${state.status} |`,
    '',
  ];
  const inputs = Object.entries(state.inputs);
  if (inputs.length) out.push('## Inputs', '', ...inputs.map(([k, v]) => `- \`${k}\`: ${state.secretParams.includes(k) ? '•••••• (secret)' : v}`), '');
  out.push('## Steps', '');
  state.runbook.steps.forEach((step, i) => {
    const s = state.steps.find((x) => x.stepId === step.id);
    const facts = [s?.status ?? 'pending', s?.exitCode !== undefined ? `exit ${s.exitCode}` : '', s?.durationMs !== undefined ? `${s.durationMs} ms` : '', s?.auditId ? `audit ${s.auditId}` : ''].filter(Boolean).join(' · ');
    out.push(`### ${i + 1}. ${step.id} (${step.kind}) — ${facts}`, '');
    if (step.section) out.push(`Section: ${step.section}`, '');
    out.push(fence(s?.resolved ?? describeStep(step)), '');
    if (s?.error) out.push(`Error: ${s.error}`, '');
    if (s?.output) out.push('Output:', '', fence(s.output), '');
  });
  if (state.problems.length) out.push('## Journal problems', '', ...state.problems.map((p) => `- ${p}`), '');
  return out.join('\n');
}
