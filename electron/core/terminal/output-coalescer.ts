// Turns a source's byte chunks into few, whole-character text events. A streaming TextDecoder keeps
// a UTF-8 character split across two chunks for the next one, so it arrives whole. The first chunk
// after a quiet spell goes out on the next turn of the event loop (keystroke echo is immediate);
// while output keeps coming, events go out at most every `intervalMs` or when `maxChars` gather,
// so a flood is a few hundred large frames a second instead of thousands of small ones.
export interface CoalescerOptions {
  maxChars: number;
  intervalMs: number;
  now?: () => number;
}

export const DEFAULT_COALESCING: CoalescerOptions = { maxChars: 64 * 1024, intervalMs: 5 };

export class OutputCoalescer {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private timer: { kind: 'timeout'; handle: NodeJS.Timeout } | { kind: 'immediate'; handle: NodeJS.Immediate } | undefined;
  private lastFlush = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly flush: (text: string) => void,
    private readonly options: CoalescerOptions = DEFAULT_COALESCING,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  push(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (!text) return;
    this.pending += text;
    if (this.pending.length >= this.options.maxChars) {
      this.flushNow();
      return;
    }
    if (this.timer) return;
    const wait = this.lastFlush + this.options.intervalMs - this.now();
    this.timer = wait > 0 ? { kind: 'timeout', handle: setTimeout(() => this.flushNow(), wait) } : { kind: 'immediate', handle: setImmediate(() => this.flushNow()) };
  }

  /** The source ended: what the decoder still holds (an incomplete character becomes U+FFFD) goes out now. */
  end(): void {
    this.pending += this.decoder.decode();
    this.flushNow();
  }

  dispose(): void {
    this.clearTimer();
    this.pending = '';
  }

  flushNow(): void {
    this.clearTimer();
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.lastFlush = this.now();
    this.flush(text);
  }

  private clearTimer(): void {
    if (this.timer?.kind === 'timeout') clearTimeout(this.timer.handle);
    else if (this.timer?.kind === 'immediate') clearImmediate(this.timer.handle);
    this.timer = undefined;
  }
}
