// Flow control, the renderer's half: xterm's write callback says how many characters of output
// are in the terminal; the server pauses the shell while too many are unacknowledged
// (TERMINAL_HIGH_WATER_CHARS). One ack per write would be a message per output event, so acks
// are batched: at once past `threshold` characters (well under the server's high-water mark, so a
// fast stream never stalls on it), else after `idleMs` so a trickle is acked too.
export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly send: (chars: number) => void,
    private readonly threshold = 32 * 1024,
    private readonly idleMs = 25,
  ) {}

  /** `chars` more characters were written into the terminal. */
  written(chars: number): void {
    if (this.closed || chars <= 0) return;
    this.pending += chars;
    if (this.pending >= this.threshold) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.idleMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.pending === 0) return;
    const chars = this.pending;
    this.pending = 0;
    this.send(chars);
  }

  /** The session ended: nothing more is sent (acks for an old session would confuse a new one). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    this.pending = 0;
  }
}
