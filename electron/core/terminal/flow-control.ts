// Back-pressure for one terminal session: characters emitted minus characters the client acked
// (written into its terminal). Past the high-water mark the source (pty, exec socket) is paused; it
// resumes once acks bring the count under the low-water mark. So a flood of output costs at most
// about the high-water mark in flight, however fast the source and however slow the client.
import { TERMINAL_HIGH_WATER_CHARS, TERMINAL_LOW_WATER_CHARS } from '../../../shared/contract/terminal.js';

export interface Pausable {
  pause(): void;
  resume(): void;
}

export class FlowControl {
  private inFlight = 0;
  private paused = false;

  constructor(
    private readonly source: Pausable,
    private readonly highWater = TERMINAL_HIGH_WATER_CHARS,
    private readonly lowWater = TERMINAL_LOW_WATER_CHARS,
  ) {}

  /** Characters sent to the client. */
  emitted(chars: number): void {
    this.inFlight += chars;
    if (!this.paused && this.inFlight > this.highWater) {
      this.paused = true;
      this.source.pause();
    }
  }

  /** Characters the client says it wrote; more than is in flight (a confused client) counts as all. */
  acked(chars: number): void {
    this.inFlight = Math.max(0, this.inFlight - chars);
    if (this.paused && this.inFlight <= this.lowWater) {
      this.paused = false;
      this.source.resume();
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get charsInFlight(): number {
    return this.inFlight;
  }
}
