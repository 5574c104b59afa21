// Output too large to build as one string (`yes`, `cat /dev/zero`, `yes | head -c 1000000000`):
// a unit repeated up to a number of bytes, streamed by the shell session in chunks that wait for
// the transport (exec-websocket.ts stops asking while its socket's send buffer is full), so the
// demo fleet's memory stays flat however much a terminal asks for.
export interface BulkOutput {
  /** Repeated as is (ASCII: one character is one byte). */
  unit: string;
  /** Bytes to produce; Infinity until the session is interrupted (^C) or killed. */
  bytes: number;
}

/** About this many bytes per chunk sent. */
export const BULK_CHUNK_BYTES = 64 * 1024;

/** What a pipeline stage makes of bulk input: `head -c N` / `head -n N` bound it; undefined for other commands. */
export function boundBulk(argv: string[], bulk: BulkOutput): BulkOutput | undefined {
  const [name, ...args] = argv;
  if (name !== 'head') return undefined;
  const limit = headLimit(args);
  if (!limit) return undefined;
  const bytes = limit.unit === 'c' ? limit.n : limit.n * bulk.unit.length;
  return { unit: bulk.unit, bytes: Math.min(bulk.bytes, bytes) };
}

/** `head -c N` / `head -n N` / `head -N`: the limit, in bytes or lines. */
export function headLimit(args: string[]): { unit: 'c' | 'n'; n: number } | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '-n') return number(a[1] as 'c' | 'n', args[i + 1]);
    const joined = /^-([cn])(\d+)$/.exec(a);
    if (joined) return number(joined[1] as 'c' | 'n', joined[2]);
    if (/^-\d+$/.test(a)) return number('n', a.slice(1));
  }
  return undefined;
}

const number = (unit: 'c' | 'n', text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? { unit, n: Number(text) } : undefined);

/** The first `max` bytes of bulk output as a string (a consumer that needs it all, e.g. `grep`). */
export function materialize(bulk: BulkOutput, max = 1 << 20): string {
  const bytes = Math.min(bulk.bytes, max);
  if (!bulk.unit) return '';
  return bulk.unit.repeat(Math.ceil(bytes / bulk.unit.length)).slice(0, bytes);
}

/** Produces bulk output chunk by chunk (each whole units but the last), already in terminal form. */
export class BulkPump {
  private remaining: number;
  private readonly chunk: string;
  private converted: string | undefined;

  constructor(
    private readonly bulk: BulkOutput,
    private readonly toTerminal: (text: string) => string,
  ) {
    this.remaining = bulk.bytes;
    const units = Math.max(1, Math.floor(BULK_CHUNK_BYTES / Math.max(1, bulk.unit.length)));
    this.chunk = bulk.unit.repeat(units);
  }

  get done(): boolean {
    return this.remaining <= 0 || !this.bulk.unit;
  }

  /** The next chunk of raw output; '' when done. */
  next(): string {
    if (this.done) return '';
    if (this.remaining >= this.chunk.length) {
      this.remaining -= this.chunk.length;
      return this.chunk;
    }
    const last = this.chunk.slice(0, this.remaining);
    this.remaining = 0;
    return last;
  }

  /** `next()` converted for the terminal (\n -> \r\n on a tty). */
  nextForTerminal(): string {
    const raw = this.next();
    if (raw !== this.chunk) return this.toTerminal(raw);
    this.converted ??= this.toTerminal(raw);
    return this.converted;
  }
}
