// Demo shell commands about the terminal itself: `stty size` / `tput cols` report the size the
// client's resize messages set (so a console can check its resizes reach the remote TTY), and
// `yes` / `cat /dev/zero` / `head -c N /dev/zero` stream bulk output (flow-control tests, benches).
import type { Command, CommandResult, ShellState } from './commands.js';
import { headLimit } from './bulk-output.js';

export const DEFAULT_TTY_SIZE = { cols: 80, rows: 24 };

const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', code: 0 });
const notATty = (name: string): CommandResult => ({ stdout: '', stderr: `${name}: 'standard input': Inappropriate ioctl for device\n`, code: 1 });
const sizeOf = (st: ShellState) => st.size ?? DEFAULT_TTY_SIZE;

const stty: Command = (args, _stdin, st) => {
  if (!st.tty) return notATty('stty');
  const { cols, rows } = sizeOf(st);
  if (args[0] === 'size') return ok(`${rows} ${cols}\n`);
  if (args[0] === '-a' || args.length === 0) return ok(`speed 38400 baud; rows ${rows}; columns ${cols}; line = 0;\n`);
  return ok('');
};

const tput: Command = (args, _stdin, st) => {
  const { cols, rows } = sizeOf(st);
  if (args[0] === 'cols') return ok(`${cols}\n`);
  if (args[0] === 'lines') return ok(`${rows}\n`);
  return { stdout: '', stderr: `tput: unknown terminfo capability '${args[0] ?? ''}'\n`, code: 4 };
};

const yes: Command = (args) => ({ stdout: '', stderr: '', code: 0, bulk: { unit: `${args.length ? args.join(' ') : 'y'}\n`, bytes: Infinity } });

/** `cat /dev/zero` and `head -c N /dev/zero`: NUL bytes; undefined when the arguments name no /dev/zero. */
export function devZero(name: 'cat' | 'head', args: string[]): CommandResult | undefined {
  if (!args.includes('/dev/zero')) return undefined;
  if (name === 'cat') return { stdout: '', stderr: '', code: 0, bulk: { unit: '\0', bytes: Infinity } };
  const limit = headLimit(args);
  return { stdout: '', stderr: '', code: 0, bulk: { unit: '\0', bytes: limit?.unit === 'c' ? limit.n : Infinity } };
}

export const TTY_COMMANDS: Record<string, Command> = { stty, tput, yes };
