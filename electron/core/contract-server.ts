// The contract, served: validates every request against its schema, refuses mutating methods to
// read-only sessions, calls the domain handler and validates what it returns. Transports (IPC,
// HTTP/WebSocket) only move bytes to and from this object; they hold no per-method code.
// Every response, stream event and error message is redacted here (issue 11): whatever a domain
// returns, no literal secret crosses to the renderer or a browser, whichever token asked.
import {
  ContractError,
  describeIssues,
  type StreamDef,
  isMethodName,
  isStreamName,
  methods,
  streams,
  type MethodName,
  type MethodParsedRequest,
  type MethodResponse,
  type StreamEvent,
  type StreamName,
  type StreamParsedInput,
  type StreamParsedParams,
} from '../../shared/contract.js';
import type { z } from 'zod';
import { REVEALING_METHODS } from '../../shared/contract/secrets.js';
import { exactCheckOf } from '../../shared/contract/exact-check.js';
import { jsonEqual } from '../../shared/model/json-equal.js';
import { redactPayload, secretRedactor } from './secrets/index.js';

export interface Session {
  /** console = full browser token, readonly = war-room token, ipc = the Electron window. */
  kind: 'console' | 'readonly' | 'ipc';
  readOnly: boolean;
  /**
   * One client of this kind (a WebSocket, an Electron window), set by transports for streams, so
   * per-client limits (terminal sessions) count per client rather than per token kind.
   */
  client?: string;
  /**
   * The client is on another machine (browser mode off loopback). What only this machine's user
   * may have (a shell on this machine) is refused to it.
   */
  remote?: boolean;
}

export interface CallContext {
  session: Session;
}

export type MethodHandlers = {
  [M in MethodName]: (request: MethodParsedRequest<M>, ctx: CallContext) => Promise<MethodResponse<M>>;
};

/** What a duplex stream's handler returns: how to stop it and where the client's inputs go. */
export interface DuplexStream<Input> {
  stop(): void;
  /** One input, already validated against the stream's input schema. May throw a ContractError. */
  input(input: Input): void;
}

export type StreamHandlers = {
  [S in StreamName]: (
    params: StreamParsedParams<S>,
    emit: (event: StreamEvent<S>) => void,
    ctx: CallContext,
  ) => [StreamParsedInput<S>] extends [never] ? () => void : DuplexStream<StreamParsedInput<S>>;
};

/** A started stream, as transports hold it. */
export interface OpenStream {
  stop(): void;
  /** Validates and delivers one client input; throws a ContractError the transport sends as an error frame. */
  input(data: unknown): void;
}

export interface ContractServerOptions {
  handlers: MethodHandlers;
  streams: StreamHandlers;
  /** Told about every mutating call refused to a read-only session (the audit log records it). */
  onRefused?: (method: MethodName, session: Session, payload: unknown) => void;
  /** Told about every interactive stream (a terminal) refused to a read-only session (the audit log records it). */
  onRefusedStream?: (stream: StreamName, session: Session, params: unknown) => void;
  /** Told about unexpected handler failures (bugs), which reach the caller as `internal`. */
  onInternalError?: (method: string, error: unknown) => void;
  /** Told about every mutating call whose payload fails its schema (the audit log records it). */
  onInvalid?: (method: string, payload: unknown, session: Session, problem: string) => void;
}

export interface ContractServer {
  call(method: string, payload: unknown, session: Session): Promise<unknown>;
  /** Validates and starts a stream; events are validated before `emit`. Returns the stop function. */
  subscribe(stream: string, params: unknown, session: Session, emit: (event: unknown) => void): () => void;
  /** `subscribe` for duplex streams: the handle also takes the client's inputs. */
  open(stream: string, params: unknown, session: Session, emit: (event: unknown) => void): OpenStream;
}

/** FLIGHTDECK_VERIFY_EXACT=1 (the tests): every answer the exact check passes is parsed by the schema too, and must come back equal. */
const VERIFY_EXACT = process.env.FLIGHTDECK_VERIFY_EXACT === '1';

/**
 * What the schema makes of an answer: the answer itself when the exact check vouches that the
 * schema would accept it unchanged (no deep copy of megabytes), else the schema's own result.
 */
function checkedAnswer(schema: z.ZodType, value: unknown): { success: true; data: unknown } | { success: false; error: z.ZodError } {
  if (!exactCheckOf(schema)(value)) return schema.safeParse(value);
  if (VERIFY_EXACT) {
    const parsed = schema.safeParse(value);
    if (!parsed.success || !jsonEqual(parsed.data, value)) {
      const why = `exact check disagrees with the schema: ${parsed.success ? 'the schema changes the value' : describeIssues(parsed.error)}`;
      process.stderr.write(`FLIGHTDECK_VERIFY_EXACT: ${why}\n`);
      throw new Error(why);
    }
  }
  return { success: true, data: value };
}

export function createContractServer(options: ContractServerOptions): ContractServer {
  const { handlers, onRefused, onInternalError, onInvalid } = options;

  return {
    async call(method, payload, session) {
      if (!isMethodName(method)) {
        throw new ContractError('unknown_method', `There is no method "${method}" in this version of Flightdeck.`);
      }
      const def = methods[method];
      if (def.mutates && session.readOnly) {
        onRefused?.(method, session, payload);
        throw new ContractError(
          'read_only',
          `"${method}" changes things, and this is a read-only session (war-room screen). Open the console link to act.`,
        );
      }
      const parsed = def.request.safeParse(payload === undefined ? {} : payload);
      if (!parsed.success) {
        const problem = describeIssues(parsed.error);
        if (def.mutates) onInvalid?.(method, payload, session, problem);
        throw new ContractError('invalid_request', `Invalid request for ${method}: ${problem}`);
      }
      let result: unknown;
      try {
        const handler = handlers[method] as (req: unknown, ctx: CallContext) => Promise<unknown>;
        result = await handler(parsed.data, { session });
      } catch (error) {
        if (error instanceof ContractError) throw redactError(error);
        onInternalError?.(method, error);
        throw redactError(new ContractError('internal', `${method} failed unexpectedly: ${messageOf(error)}`));
      }
      const checked = checkedAnswer(def.response, result);
      if (!checked.success) {
        onInternalError?.(method, checked.error);
        throw new ContractError('internal', `${method} produced a response that breaks the contract: ${describeIssues(checked.error)}`);
      }
      // secrets.reveal is the one answer that carries a literal secret, on purpose (console only, audited).
      return REVEALING_METHODS.has(method) ? checked.data : redactPayload(checked.data);
    },

    subscribe(stream, params, session, emit) {
      return open(stream, params, session, emit).stop;
    },

    open,
  };

  function open(stream: string, params: unknown, session: Session, emit: (event: unknown) => void): OpenStream {
    if (!isStreamName(stream)) {
      throw new ContractError('unknown_method', `There is no stream "${stream}" in this version of Flightdeck.`);
    }
    const def: StreamDef = streams[stream];
    if (def.interactive && session.readOnly) {
      options.onRefusedStream?.(stream, session, params);
      throw new ContractError('read_only', `"${stream}" is interactive, and this is a read-only session (war-room screen). Open the console link to use it.`);
    }
    const verbatim = def.interactive === true && def.verbatim === true;
    const parsed = def.params.safeParse(params === undefined ? {} : params);
    if (!parsed.success) {
      throw new ContractError('invalid_request', `Invalid parameters for stream ${stream}: ${describeIssues(parsed.error)}`);
    }
    const start = options.streams[stream] as (
      p: unknown,
      emit: (event: unknown) => void,
      ctx: CallContext,
    ) => (() => void) | DuplexStream<unknown>;
    let started: (() => void) | DuplexStream<unknown>;
    try {
      started = start(
        parsed.data,
        (event) => {
          const checked = checkedAnswer(def.event, event);
          if (checked.success) emit(verbatim ? checked.data : redactPayload(checked.data));
          else onInternalError?.(stream, checked.error);
        },
        { session },
      );
    } catch (error) {
      throw error instanceof ContractError ? redactError(error) : error;
    }
    if (typeof started === 'function') {
      const stop = started;
      return {
        stop,
        input: () => {
          throw new ContractError('invalid_request', `The stream ${stream} takes no input.`);
        },
      };
    }
    const duplex = started;
    return {
      stop: () => duplex.stop(),
      input(data) {
        if (!def.input) throw new ContractError('invalid_request', `The stream ${stream} takes no input.`);
        const checked = def.input.safeParse(data);
        if (!checked.success) throw new ContractError('invalid_request', `Invalid input for stream ${stream}: ${describeIssues(checked.error)}`);
        try {
          duplex.input(checked.data);
        } catch (error) {
          if (error instanceof ContractError) throw redactError(error);
          onInternalError?.(stream, error);
          throw new ContractError('internal', `${stream} failed on an input: ${messageOf(error)}`);
        }
      },
    };
  }
}

/** Kubernetes and Prometheus errors may quote a URL with its password or a flag: redact the text. */
function redactError(error: ContractError): ContractError {
  const message = secretRedactor.redactText(error.message);
  return message === error.message && error.details === undefined ? error : new ContractError(error.code, message, redactPayload(error.details));
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
