// `kubectl exec` into a simulated container: a tiny POSIX-ish shell (quotes, $VARS, $?, `;`, `&&`,
// `||`, pipes, `> /dev/null`) over the commands in commands.ts. A command runs once and exits;
// `sh`/`bash` without `-c` reads stdin line by line, with a prompt, echo and line editing on a tty.
import type { KubeObject, ObjectStore } from '../store.js';
import { fleetClock, fleetSeed } from './fleet-registry.js';
import { COMMANDS, resolvePath, type CommandResult, type ShellState } from './commands.js';
import { listDir, podView } from './pod-fs.js';
import { boundBulk, BulkPump, materialize, type BulkOutput } from './bulk-output.js';

export interface ExecSession {
  /** `cb` returns false (exactly) when the transport is full: output then waits for resumeOutput(). */
  onStdout(cb: (b: Buffer) => unknown): void;
  onStderr(cb: (b: Buffer) => void): void;
  onExit(cb: (code: number) => void): void;
  writeStdin(b: Buffer): void;
  closeStdin(): void;
  resize(w: number, h: number): void;
  /** The transport has room again (after onStdout's callback returned false). */
  resumeOutput(): void;
  kill(): void;
}

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/bash', 'ash', '/bin/ash']);

type Token = { op: string } | { word: string };

/** Splits a command line into words and operators, honouring quotes and expanding variables. */
export function tokenize(line: string, st: ShellState): Token[] {
  const out: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = () => {
    if (inWord) out.push({ word });
    word = '';
    inWord = false;
  };
  const expand = (i: number): [string, number] => {
    if (line[i + 1] === '?') return [String(st.lastCode), i + 2];
    if (line[i + 1] === '{') {
      const end = line.indexOf('}', i);
      if (end > 0) return [st.view.env.get(line.slice(i + 2, end)) ?? '', end + 1];
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1));
    if (m) return [st.view.env.get(m[0]) ?? '', i + 1 + m[0].length];
    return ['$', i + 1];
  };
  for (let i = 0; i < line.length; ) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end < 0 ? line.length : end);
      inWord = true;
      i = end < 0 ? line.length : end + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') {
          const [v, next] = expand(i);
          word += v;
          i = next;
        } else word += line[i++];
      }
      i++;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === '$') {
      const [v, next] = expand(i);
      word += v;
      inWord = true;
      i = next;
    } else if (/\s/.test(ch)) {
      flush();
      i++;
    } else if (ch === '#' && !inWord) {
      break;
    } else if (line.startsWith('&&', i) || line.startsWith('||', i) || line.startsWith('2>&1', i) || line.startsWith('2>', i)) {
      flush();
      const op = ['&&', '||', '2>&1', '2>'].find((o) => line.startsWith(o, i)) as string;
      out.push({ op });
      i += op.length;
    } else if (ch === ';' || ch === '|' || ch === '>' || ch === '&') {
      flush();
      out.push({ op: ch });
      i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  flush();
  return out;
}

interface Simple {
  argv: string[];
  dropStdout: boolean;
  dropStderr: boolean;
  mergeStderr: boolean;
}

/** Runs one command line; `exit` in the result means the shell should end. */
export function runLine(line: string, st: ShellState): CommandResult {
  const tokens = tokenize(line, st);
  let stdout = '';
  let stderr = '';
  let code = st.lastCode;
  let i = 0;
  let skip = false;
  while (i < tokens.length) {
    // One pipeline up to ; && ||
    const pipeline: Simple[] = [{ argv: [], dropStdout: false, dropStderr: false, mergeStderr: false }];
    let connector: string | undefined;
    for (; i < tokens.length; i++) {
      const t = tokens[i];
      const cur = pipeline[pipeline.length - 1];
      if ('word' in t) cur.argv.push(t.word);
      else if (t.op === '|') pipeline.push({ argv: [], dropStdout: false, dropStderr: false, mergeStderr: false });
      else if (t.op === '>' || t.op === '2>') {
        const target = tokens[i + 1];
        i++;
        if (target && 'word' in target && target.word === '/dev/null') {
          if (t.op === '>') cur.dropStdout = true;
          else cur.dropStderr = true;
        }
      } else if (t.op === '2>&1') cur.mergeStderr = true;
      else if (t.op === '&') continue;
      else {
        connector = t.op;
        i++;
        break;
      }
    }
    if (!skip && pipeline.some((p) => p.argv.length)) {
      let input = '';
      let bulk: BulkOutput | undefined;
      for (const simple of pipeline) {
        if (!simple.argv.length) continue;
        if (bulk) {
          // `yes | head -c N` stays streamed; any other consumer reads the first MiB.
          const bounded = boundBulk(simple.argv, bulk);
          if (bounded) {
            bulk = bounded;
            code = 0;
            continue;
          }
          input += materialize(bulk);
          bulk = undefined;
        }
        const r = runSimple(simple.argv, input, st);
        if (r.exit !== undefined) return { stdout: stdout + r.stdout, stderr: stderr + r.stderr, code: r.exit, exit: r.exit };
        let out = simple.dropStdout ? '' : r.stdout;
        let err = simple.dropStderr ? '' : r.stderr;
        if (simple.mergeStderr) {
          out += err;
          err = '';
        }
        stderr += err;
        input = out;
        bulk = simple.dropStdout ? undefined : r.bulk;
        code = r.code;
      }
      stdout += input;
      st.lastCode = code;
      // Streamed output ends the line (the demo shell does not run what follows it).
      if (bulk) return { stdout, stderr, code, bulk };
    }
    skip = (connector === '&&' && code !== 0) || (connector === '||' && code === 0);
  }
  return { stdout, stderr, code };
}

function notFound(name: string, st: ShellState): CommandResult {
  return { stdout: '', stderr: st.shell === 'bash' ? `bash: ${name}: command not found\n` : `sh: ${name}: not found\n`, code: 127 };
}

function runSimple(argv: string[], stdin: string, st: ShellState): CommandResult {
  const [name, ...args] = argv;
  if (name === 'exit') {
    const code = args[0] === undefined ? st.lastCode : Number(args[0]);
    return { stdout: '', stderr: '', code: Number.isFinite(code) ? code & 255 : 2, exit: Number.isFinite(code) ? code & 255 : 2 };
  }
  if (name === 'cd') {
    const target = resolvePath(st.cwd, args[0] ?? '/root');
    if (!listDir(st.view, target)) {
      return { stdout: '', stderr: st.shell === 'bash' ? `bash: cd: ${args[0]}: No such file or directory\n` : `sh: 1: cd: can't cd to ${args[0]}\n`, code: st.shell === 'bash' ? 1 : 2 };
    }
    st.cwd = target;
    return { stdout: '', stderr: '', code: 0 };
  }
  if (name === 'export') {
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) st.view.env.set(a.slice(0, eq), a.slice(eq + 1));
    }
    return { stdout: '', stderr: '', code: 0 };
  }
  if (SHELLS.has(name)) {
    const c = args.indexOf('-c');
    if (c >= 0 && args[c + 1] !== undefined) return runLine(args[c + 1], { ...st, shell: name.endsWith('bash') ? 'bash' : 'sh' });
    return { stdout: '', stderr: '', code: 0 };
  }
  const base = name.includes('/') ? name.split('/').pop() ?? name : name;
  const cmd = COMMANDS[base];
  if (!cmd || (name.includes('/') && !/^\/(usr\/)?(local\/)?s?bin\//.test(name))) return notFound(name, st);
  return cmd(args, stdin, st);
}

class Session implements ExecSession {
  private stdoutCb: ((b: Buffer) => unknown) | undefined;
  private stderrCb: ((b: Buffer) => void) | undefined;
  private exitCb: ((code: number) => void) | undefined;
  private readonly pending: { stream: 'out' | 'err' | 'exit'; data: string | number }[] = [];
  /** Streaming bulk output, and what to do when it is done. */
  private bulk: { pump: BulkPump; then: () => void } | undefined;
  /** The transport said it is full: the pump waits for resumeOutput(). */
  private blocked = false;
  private done = false;
  private interactive = false;
  private buffer = '';
  private escape = 0;
  private started = false;
  private early: Buffer[] = [];
  private stdinClosed = false;

  constructor(private readonly st: ShellState, private readonly command: string[]) {
    setImmediate(() => this.start());
  }

  onStdout(cb: (b: Buffer) => unknown): void {
    this.stdoutCb = cb;
    this.drain();
  }

  onStderr(cb: (b: Buffer) => void): void {
    this.stderrCb = cb;
    this.drain();
  }

  onExit(cb: (code: number) => void): void {
    this.exitCb = cb;
    this.drain();
  }

  resize(w: number, h: number): void {
    this.st.size = { cols: w, rows: h };
  }

  resumeOutput(): void {
    if (!this.blocked) return;
    this.blocked = false;
    if (this.bulk) setImmediate(() => this.pump());
  }

  kill(): void {
    this.done = true;
    this.bulk = undefined;
  }

  private start(): void {
    if (this.done) return;
    this.started = true;
    const [name, ...args] = this.command;
    if (name && SHELLS.has(name) && !args.includes('-c')) {
      this.interactive = true;
      this.st.shell = name.endsWith('bash') ? 'bash' : 'sh';
      this.prompt();
      for (const b of this.early) this.writeStdin(b);
      this.early = [];
      if (this.stdinClosed) this.closeStdin();
      return;
    }
    if (!name) {
      this.finish(0);
      return;
    }
    // A direct exec: argv as given, no shell parsing (except for sh -c SCRIPT).
    const r = runSimple(this.command, '', this.st);
    this.emit(r);
    if (r.bulk) this.stream(r.bulk, () => this.finish(r.exit ?? r.code));
    else this.finish(r.exit ?? r.code);
  }

  writeStdin(b: Buffer): void {
    if (!this.started) {
      this.early.push(Buffer.from(b));
      return;
    }
    if (this.done || !this.interactive) return;
    const text = b.toString('utf8');
    if (!this.st.tty) {
      this.buffer += text;
      let nl: number;
      while (!this.done && (nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.execute(line);
      }
      return;
    }
    for (const ch of text) {
      if (this.done) return;
      if (this.escape === 1) {
        // ESC seen: a CSI/SS3 sequence (arrow keys) follows; swallow it.
        this.escape = ch === '[' || ch === 'O' ? 2 : 0;
        continue;
      }
      if (this.escape === 2) {
        if (ch >= '@' && ch <= '~') this.escape = 0;
        continue;
      }
      if (this.bulk) {
        // Streaming: ^C stops it; other keys are not read (a real program would not read them either).
        if (ch === '\x03') {
          this.bulk = undefined;
          this.out('^C\n');
          this.st.lastCode = 130;
          this.prompt();
        }
        continue;
      }
      if (ch === '\x1b') this.escape = 1;
      else if (ch === '\r' || ch === '\n') {
        this.out('\n');
        const line = this.buffer;
        this.buffer = '';
        this.execute(line);
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.buffer.length) {
          this.buffer = this.buffer.slice(0, -1);
          this.out('\b \b');
        }
      } else if (ch === '\x03') {
        this.out('^C\n');
        this.buffer = '';
        this.st.lastCode = 130;
        this.prompt();
      } else if (ch === '\x04') {
        if (this.buffer === '') {
          if (this.st.shell === 'bash') this.out('exit\n');
          this.finish(this.st.lastCode);
        }
      } else if (ch >= ' ' || ch === '\t') {
        this.buffer += ch;
        this.out(ch);
      }
    }
  }

  closeStdin(): void {
    this.stdinClosed = true;
    if (this.done || !this.started || !this.interactive) return;
    if (this.buffer.trim()) this.execute(this.buffer, false);
    if (!this.done) this.finish(this.st.lastCode);
  }

  private execute(line: string, prompt = true): void {
    const r = runLine(line, this.st);
    this.emit(r);
    if (r.exit !== undefined) {
      this.finish(r.exit);
      return;
    }
    if (r.bulk) this.stream(r.bulk, () => (prompt ? this.prompt() : undefined));
    else if (prompt) this.prompt();
  }

  /** Streams bulk output chunk by chunk, waiting whenever the transport is full, then runs `then`. */
  private stream(bulk: BulkOutput, then: () => void): void {
    this.bulk = { pump: new BulkPump(bulk, (text) => (this.st.tty ? text.replace(/\r?\n/g, '\r\n') : text)), then };
    setImmediate(() => this.pump());
  }

  private pump(): void {
    // A few chunks per turn of the event loop: other sessions and the API server keep their share.
    for (let i = 0; i < 8; i++) {
      const current = this.bulk;
      if (!current || this.done || this.blocked) return;
      if (current.pump.done) {
        this.bulk = undefined;
        current.then();
        return;
      }
      this.queue('out', current.pump.nextForTerminal());
    }
    setImmediate(() => this.pump());
  }

  private prompt(): void {
    if (!this.st.tty) return;
    this.out(this.st.shell === 'bash' ? `root@${this.st.view.hostname}:${this.st.cwd}# ` : '# ');
  }

  private emit(r: CommandResult): void {
    if (r.stdout) this.out(r.stdout);
    if (r.stderr) {
      // On a tty, stderr shares the terminal with stdout.
      if (this.st.tty) this.out(r.stderr);
      else this.queue('err', r.stderr);
    }
  }

  private out(text: string): void {
    this.queue('out', this.st.tty ? text.replace(/\r?\n/g, '\r\n') : text);
  }

  private queue(stream: 'out' | 'err' | 'exit', data: string | number): void {
    this.pending.push({ stream, data });
    this.drain();
  }

  private finish(code: number): void {
    if (this.done) return;
    this.queue('exit', code);
    this.done = true;
  }

  private drain(): void {
    while (this.pending.length) {
      const next = this.pending[0];
      const cb = next.stream === 'out' ? this.stdoutCb : next.stream === 'err' ? (this.stderrCb ?? this.stdoutCb) : this.exitCb;
      if (!cb) return;
      this.pending.shift();
      if (next.stream === 'exit') (cb as (code: number) => void)(next.data as number);
      else if ((cb as (b: Buffer) => unknown)(Buffer.from(next.data as string)) === false) this.blocked = true;
    }
  }
}

/**
 * Starts an exec session in a container of a pod. Output is buffered until callbacks are attached,
 * so callers may attach them right after this returns.
 */
export function openExecSession(store: ObjectStore, pod: KubeObject, container: string, command: string[], io: { tty: boolean }): ExecSession {
  const clock = fleetClock(store);
  const view = podView(store, pod, container);
  const st: ShellState = {
    store,
    view,
    seed: fleetSeed(store),
    now: () => (clock ? clock.now() : Date.now()),
    cwd: view.dirs.has('/workspace') ? '/workspace' : view.dirs.has('/app') ? '/app' : '/',
    lastCode: 0,
    shell: command[0]?.endsWith('bash') ? 'bash' : 'sh',
    tty: io.tty,
  };
  return new Session(st, command);
}
