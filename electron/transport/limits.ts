// Browser mode's limits: what one client may cost the process. Every limit answers with a clear
// error (`rate_limited` 429, `too_large` 413) instead of buffering or working without bound.

export interface TransportLimits {
  /** Largest HTTP request body, in bytes. */
  maxBodyBytes: number;
  /**
   * Largest WebSocket message, in bytes (a subscribe message is well under 1 KiB; a terminal
   * paste of 64 K characters, JSON-escaped, needs a few hundred).
   */
  maxMessageBytes: number;
  /** Live subscriptions on one WebSocket. */
  maxSubscriptionsPerConnection: number;
  /** Open WebSockets per token (console, read-only). */
  maxConnectionsPerToken: number;
  /** A socket whose unsent data passes this (a client that does not read) is closed. */
  maxSendBufferBytes: number;
  /** Refused calls and messages one client (address + token) may make at once... */
  refusalBurst: number;
  /** ...and per second after that; beyond it they are answered `rate_limited` (WebSockets are closed). */
  refusalsPerSecond: number;
  /** Subscribe and unsubscribe messages one WebSocket may send at once, and per second after that. */
  messageBurst: number;
  messagesPerSecond: number;
  /**
   * Duplex stream inputs (a terminal's keystrokes, resizes and flow-control acks) one WebSocket may
   * send at once and per second; also the cap on all frames of a socket.
   */
  inputBurst: number;
  inputsPerSecond: number;
  /**
   * Subscriptions one client (address + token) may start at once, and per second after that:
   * each costs a full snapshot (the whole topology graph), validated and serialized for it.
   */
  subscribeBurst: number;
  subscribesPerSecond: number;
  /**
   * Every stream socket is pinged this often: proxies keep an idle terminal's socket open, and a
   * client that stopped answering (a laptop gone to sleep, a cut network) is closed after two
   * unanswered pings, so its subscriptions (a shell) end instead of living on a half-open socket.
   */
  pingIntervalMs: number;
}

export const DEFAULT_LIMITS: TransportLimits = {
  maxBodyBytes: 1 << 20,
  maxMessageBytes: 512 << 10,
  maxSubscriptionsPerConnection: 64,
  maxConnectionsPerToken: 32,
  maxSendBufferBytes: 16 << 20,
  refusalBurst: 100,
  refusalsPerSecond: 20,
  messageBurst: 500,
  messagesPerSecond: 100,
  inputBurst: 2_000,
  inputsPerSecond: 1_000,
  subscribeBurst: 64,
  subscribesPerSecond: 16,
  pingIntervalMs: 25_000,
};

/** Classic token bucket: `burst` tokens, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes one token; false when there is none left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled completely (nothing to remember about this client). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  /** Seconds until the next token. */
  retryAfterSeconds(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perSecond);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}

/**
 * One token bucket per client (remote address + token kind): refused calls, or subscriptions
 * started. Clients whose buckets are full again are forgotten, so the map stays small.
 */
export class ClientBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** Takes one token of this client's bucket; false when it is over its rate. */
  take(client: string): boolean {
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= 1024) this.forgetIdle();
      bucket = new TokenBucket(this.burst, this.perSecond);
      this.buckets.set(client, bucket);
    }
    return bucket.take();
  }

  /** True when the client's next take would fail (nothing taken). */
  isExhausted(client: string): boolean {
    return (this.buckets.get(client)?.retryAfterSeconds() ?? 0) > 0;
  }

  retryAfterSeconds(client: string): number {
    return Math.max(1, this.buckets.get(client)?.retryAfterSeconds() ?? 1);
  }

  private forgetIdle(): void {
    for (const [client, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(client);
    if (this.buckets.size >= 1024) this.buckets.clear();
  }
}

/** Open WebSockets per token kind. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  isFull(token: string): boolean {
    return (this.open.get(token) ?? 0) >= this.max;
  }

  opened(token: string): void {
    this.open.set(token, (this.open.get(token) ?? 0) + 1);
  }

  closed(token: string): void {
    const count = (this.open.get(token) ?? 1) - 1;
    if (count <= 0) this.open.delete(token);
    else this.open.set(token, count);
  }
}
