// Building blocks of the contract: how a method and a stream are declared, and the one error shape
// every transport returns. Kept apart from contract.ts so domain fragments can import it.
import { z } from 'zod';

export interface MethodDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
  /** Mutating methods are refused to read-only sessions (war-room screens) by every transport. */
  mutates: boolean;
  /** One line for the scripting API's documentation. */
  summary: string;
}

export interface StreamDef<Params extends z.ZodType = z.ZodType, Event extends z.ZodType = z.ZodType, Input extends z.ZodType = z.ZodType> {
  params: Params;
  event: Event;
  /**
   * Duplex streams only: what the client may send while subscribed (ws `{op:'input', id, data}`,
   * the IPC input channel, the renderer's `open(...).send`). Every input is validated against it;
   * a stream without one refuses inputs.
   */
  input?: Input;
  /**
   * Interactive streams (a terminal) act on clusters or this machine through their input, so
   * read-only sessions (war-room screens) are refused them, like mutating methods.
   */
  interactive?: boolean;
  /**
   * Events go out as the handler emits them, not through the secret redactor: only for interactive
   * streams, whose output is what the user's own shell prints to them (redacting it would rewrite
   * what they typed and break the character counts terminal flow control relies on).
   */
  verbatim?: boolean;
  summary: string;
}

export const defineMethod = <Req extends z.ZodType, Res extends z.ZodType>(def: MethodDef<Req, Res>) => def;
export const defineStream = <P extends z.ZodType, E extends z.ZodType, I extends z.ZodType = z.ZodNever>(def: StreamDef<P, E, I>) => def;

/** Error codes and the HTTP status browser mode answers with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  read_only: 403,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  conflict: 409,
  token_used: 409,
  token_expired: 410,
  /** A body or message over the size browser mode accepts. */
  too_large: 413,
  /** Over one of browser mode's limits (refused calls per second, subscriptions, connections). */
  rate_limited: 429,
  upstream_unavailable: 502,
  upstream_error: 502,
  timeout: 504,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const contractErrorSchema = z.object({
  code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

export type ContractErrorShape = z.infer<typeof contractErrorSchema>;

/** The error every handler throws for a failure a person should read; transports serialize it. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ContractError';
  }

  toJSON(): ContractErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isContractErrorShape = (value: unknown): value is ContractErrorShape =>
  contractErrorSchema.safeParse(value).success;

/** Turns zod issues into one readable sentence: `field "replicas": expected number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `field "${issue.path.join('.')}": ${issue.message}` : issue.message))
    .join('; ');
}
