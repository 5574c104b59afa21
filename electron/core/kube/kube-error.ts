// The one error a Kubernetes request, list or watch throws: the HTTP status (0 when the server was
// not reached) and the Status object's reason and message, so callers can say what happened.
export class KubeError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    /** Status.reason (NotFound, Conflict, Invalid, Forbidden, Expired...). */
    readonly reason?: string,
    /** Status.message as the API server wrote it, when it sent one. */
    readonly statusMessage?: string,
  ) {
    super(message);
    this.name = 'KubeError';
  }

  /** What the server said, else what we saw: the text a sentence for a person builds on. */
  get detail(): string {
    return this.statusMessage ?? this.message;
  }
}

/** A non-2xx answer as a KubeError, reading the Status object when the body is one. */
export function statusError(method: string, path: string, status: number, body: string): KubeError {
  let message = `${method} ${path} answered HTTP ${status}`;
  let reason: string | undefined;
  let statusMessage: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    if (parsed.message) statusMessage = parsed.message;
    reason = parsed.reason;
  } catch {
    // Not a Status object: the HTTP status is all we have.
  }
  if (statusMessage) message = `${message}: ${statusMessage}`;
  return new KubeError(message, status, reason, statusMessage);
}

export function describeNetworkError(error: Error & { code?: string }, host: string): string {
  if (error.name === 'AbortError') return 'aborted';
  if (error.code === 'ECONNREFUSED') return `connection refused by ${host}: is the API server running?`;
  if (error.code === 'ECONNRESET') return `${host} closed the connection`;
  if (error.code === 'ENOTFOUND') return `host ${host} not found`;
  return `${host}: ${error.message}`;
}
