// Terminal (issue 14): pod exec and a local shell, one duplex stream per terminal tab. The stream's
// events carry the session's output; its inputs carry keystrokes, resizes and flow-control acks.
// The stream is `interactive`, so read-only sessions (war-room screens) get no terminal.
//
// Flow control: the server counts characters emitted minus characters acked. Past a high-water
// mark it pauses the source (the pty, or reading the exec socket) until acks bring it under a
// low-water mark, so memory stays bounded whatever flows. A client acks what it has written into
// the terminal (xterm's write callback), batched: one ack per output event, or fewer, is plenty.
import { z } from 'zod';
import { defineMethod, defineStream } from '../contract-kit.js';
import { contextName, kubeName, namespaceName } from './limits.js';

/** Largest `data` input (a paste); larger pastes are split by the client. */
export const TERMINAL_MAX_INPUT_CHARS = 64 * 1024;
/**
 * Characters in flight (emitted, not yet acked) past which the server pauses the source: large
 * enough to cover a round trip to a busy renderer (256 K halved local-shell throughput on a loaded
 * machine), small enough that a flood costs a few MB.
 */
export const TERMINAL_HIGH_WATER_CHARS = 1024 * 1024;
/** ...and under which it resumes it. */
export const TERMINAL_LOW_WATER_CHARS = 256 * 1024;

const cols = () => z.number().int().min(2).max(1_000);
const rows = () => z.number().int().min(1).max(500);

export const terminalParamsSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('local'),
      /** The context `kubectl` in the shell talks to; the kubeconfig's current context when absent. */
      context: contextName().optional(),
      cols: cols(),
      rows: rows(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('exec'),
      context: contextName(),
      namespace: namespaceName(),
      pod: kubeName(),
      /** The pod's default container (annotation `kubectl.kubernetes.io/default-container`, else the first) when absent. */
      container: kubeName().optional(),
      /** Absent: a shell, `bash` and then `sh` when the image has no bash. */
      command: z.array(z.string().min(1).max(4_096)).min(1).max(64).optional(),
      cols: cols(),
      rows: rows(),
    })
    .strict(),
]);
export type TerminalParams = z.input<typeof terminalParamsSchema>;

export const terminalEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('opened'),
    sessionId: z.string(),
    /** A tab title: `pod/container` or `local: bash`. */
    title: z.string(),
    /** One line for the header: context, namespace, the command that runs. */
    detail: z.string(),
    /** The shell or command that was started (`bash`, `sh`, `/bin/zsh`, or the command's first word). */
    shell: z.string(),
  }),
  /** UTF-8 text; a character split across source chunks arrives whole in one event. */
  z.object({ type: z.literal('output'), data: z.string() }),
  /** The session ended: the command exited (code) or could not start (code null, reason says why). */
  z.object({ type: z.literal('exit'), code: z.number().int().nullable(), reason: z.string() }),
  /** The connection to the pod was lost; a pod shell cannot be resumed, so reconnecting is a new session. */
  z.object({ type: z.literal('dropped'), message: z.string() }),
]);
export type TerminalEvent = z.infer<typeof terminalEventSchema>;

export const terminalInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('data'), data: z.string().max(TERMINAL_MAX_INPUT_CHARS) }).strict(),
  z.object({ type: z.literal('resize'), cols: cols(), rows: rows() }).strict(),
  /** The client has written this many more characters of output into the terminal. */
  z.object({ type: z.literal('ack'), chars: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
]);
export type TerminalInput = z.infer<typeof terminalInputSchema>;

export const terminalCapabilitiesSchema = z.object({
  /** A local shell can be opened (node-pty loaded, not a read-only session). */
  local: z.boolean(),
  /** Why not, when `local` is false. */
  localReason: z.string().optional(),
  /** Pod exec can be opened (not a read-only session). */
  exec: z.boolean(),
  execReason: z.string().optional(),
});
export type TerminalCapabilities = z.infer<typeof terminalCapabilitiesSchema>;

export const containerInfoSchema = z.object({
  name: z.string(),
  ready: z.boolean(),
  /** running, waiting (with its reason: CrashLoopBackOff...), terminated, or unknown. */
  state: z.string(),
});

export const terminalContract = {
  'terminal.capabilities': defineMethod({
    request: z.object({}).strict(),
    response: terminalCapabilitiesSchema,
    mutates: false,
    summary: 'Whether this session may open a local shell and pod exec terminals, and why not.',
  }),
  'terminal.containers': defineMethod({
    request: z.object({ context: contextName(), namespace: namespaceName(), pod: kubeName() }).strict(),
    response: z.object({ containers: z.array(containerInfoSchema), defaultContainer: z.string().optional() }),
    mutates: false,
    summary: "A pod's containers for the exec picker, and the one kubectl would pick (its default-container annotation).",
  }),
} as const;

export const terminalStreams = {
  'terminal.session': defineStream({
    params: terminalParamsSchema,
    event: terminalEventSchema,
    input: terminalInputSchema,
    interactive: true,
    verbatim: true,
    summary: 'A terminal: a shell in a pod (exec WebSocket) or on this machine (pty). Inputs are keystrokes, resizes and acks.',
  }),
} as const;
