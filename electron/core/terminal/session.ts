// One terminal session, whatever runs it: the source's bytes become coalesced whole-character
// output events, counted against the client's acks (flow control); keystrokes and resizes go to
// the source; start and end are audited (who, where, what command, how long, how it ended), the
// keystrokes and output never. Whatever happens, the session ends once and frees its source.
import type { AuditEntry } from '../audit/index.js';
import type { DuplexStream, Session } from '../contract-server.js';
import type { TerminalEvent, TerminalInput } from '../../../shared/contract/terminal.js';
import { TERMINAL_MAX_INPUT_CHARS } from '../../../shared/contract/terminal.js';
import { FlowControl } from './flow-control.js';
import { DEFAULT_COALESCING, OutputCoalescer, type CoalescerOptions } from './output-coalescer.js';
import type { SourceEvents, TerminalSource } from './source.js';

export interface SessionSpec {
  sessionId: string;
  session: Session;
  /** What the audit records say about where the session runs. */
  audit: Pick<AuditEntry, 'context' | 'user' | 'target'> & { params: Record<string, unknown> };
  /** Starts the source; its events may only come after it resolved. */
  open(events: SourceEvents): Promise<TerminalSource>;
}

export interface SessionDeps {
  audit: { append(entry: AuditEntry): unknown };
  coalescing?: CoalescerOptions;
  highWater?: number;
  lowWater?: number;
  now?: () => number;
  /** Told once when the session has ended (limits free its slot). */
  onEnd(): void;
}

/** Keystrokes typed before the source is up are kept, up to one paste's worth. */
const MAX_EARLY_INPUT_CHARS = TERMINAL_MAX_INPUT_CHARS;

export function runSession(spec: SessionSpec, emit: (event: TerminalEvent) => void, deps: SessionDeps): DuplexStream<TerminalInput> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  let source: TerminalSource | undefined;
  let early = '';
  let resized: { cols: number; rows: number } | undefined;
  let opened = false;
  let ended = false;

  const flow = new FlowControl({ pause: () => source?.pause(), resume: () => source?.resume() }, deps.highWater, deps.lowWater);
  const coalescer = new OutputCoalescer((data) => {
    if (ended) return;
    emit({ type: 'output', data });
    flow.emitted(data.length);
  }, deps.coalescing ?? DEFAULT_COALESCING);

  const record = (outcome: 'succeeded' | 'failed', params: Record<string, unknown>, extra: Partial<AuditEntry> = {}) =>
    deps.audit.append({
      phase: 'execute',
      outcome,
      session: spec.session.kind,
      method: 'terminal.session',
      context: spec.audit.context,
      user: spec.audit.user,
      target: spec.audit.target,
      params: { sessionId: spec.sessionId, client: spec.session.client, ...spec.audit.params, ...params },
      ...extra,
    });

  /** Ends the session once: frees the source, audits the end, tells the limits. */
  const finish = (how: { code: number | null; reason: string; failed?: boolean }) => {
    if (ended) return;
    ended = true;
    coalescer.dispose();
    try {
      source?.stop();
    } finally {
      const durationMs = now() - startedAt;
      if (opened) record(how.failed ? 'failed' : 'succeeded', { event: 'stop', exitCode: how.code, reason: how.reason }, { durationMs });
      deps.onEnd();
    }
  };

  const events: SourceEvents = {
    opened(info) {
      if (ended || opened) return;
      opened = true;
      emit({ type: 'opened', sessionId: spec.sessionId, title: info.title, detail: info.detail, shell: info.shell });
      record('succeeded', { event: 'start', shell: info.shell });
    },
    data(bytes) {
      if (!ended) coalescer.push(bytes);
    },
    exit(code, reason) {
      if (ended) return;
      coalescer.end();
      emit({ type: 'exit', code, reason });
      finish({ code, reason });
    },
    dropped(message) {
      if (ended) return;
      coalescer.end();
      emit({ type: 'dropped', message });
      finish({ code: null, reason: message, failed: true });
    },
  };

  spec.open(events).then(
    (started) => {
      if (ended) {
        started.stop();
        return;
      }
      source = started;
      if (resized) source.resize(resized.cols, resized.rows);
      if (early) source.write(early);
      early = '';
    },
    (error: unknown) => {
      if (ended) return;
      const reason = `The session could not start: ${error instanceof Error ? error.message : String(error)}`;
      emit({ type: 'exit', code: null, reason });
      record('failed', { event: 'start' }, { error: reason });
      finish({ code: null, reason, failed: true });
    },
  );

  return {
    input(input) {
      if (ended) return;
      if (input.type === 'ack') flow.acked(input.chars);
      else if (input.type === 'resize') {
        resized = { cols: input.cols, rows: input.rows };
        source?.resize(input.cols, input.rows);
      }
      else if (source) source.write(input.data);
      else early = (early + input.data).slice(-MAX_EARLY_INPUT_CHARS);
    },
    stop() {
      finish({ code: null, reason: 'closed by the user' });
    },
  };
}
