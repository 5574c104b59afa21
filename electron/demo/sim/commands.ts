// The commands of the demo containers' tiny shell. Each is a pure function of its arguments, its
// standard input and the shell's state, returning what it printed and its exit status.
import type { ObjectStore } from '../store.js';
import { asctime, nvidiaSmiList, nvidiaSmiQuery, nvidiaSmiTable } from './nvidia-smi.js';
import { podGpus } from './gpu-view.js';
import { listDir, type PodView } from './pod-fs.js';
import { milliCpu } from './quantity.js';
import type { BulkOutput } from './bulk-output.js';
import { devZero, TTY_COMMANDS } from './tty-commands.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
  /** Set by `exit`: the shell ends with this status. */
  exit?: number;
  /** Output streamed after `stdout` (yes, cat /dev/zero): too large to build as a string. */
  bulk?: BulkOutput;
}

export interface ShellState {
  store: ObjectStore;
  view: PodView;
  seed: number;
  now: () => number;
  cwd: string;
  lastCode: number;
  shell: 'sh' | 'bash';
  tty: boolean;
  /** The terminal size the client's last resize set (80x24 until one came). */
  size?: { cols: number; rows: number };
}

export type Command = (args: string[], stdin: string, st: ShellState) => CommandResult;

const ok = (stdout = ''): CommandResult => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CommandResult => ({ stdout: '', stderr, code });

export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (!p || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

function readFile(st: ShellState, path: string): string | undefined {
  const abs = resolvePath(st.cwd, path);
  if (abs === '/etc/hostname' || st.view.files.has(abs)) return st.view.files.get(abs);
  const proc = /^\/proc\/(\d+)\/cmdline$/.exec(abs);
  if (proc) {
    const p = st.view.processes.find((x) => x.pid === Number(proc[1]));
    return p ? p.cmd.split(' ').join('\0') + '\0' : undefined;
  }
  return undefined;
}

function splitFlags(args: string[]): { flags: Set<string>; rest: string[] } {
  const flags = new Set<string>();
  const rest: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) for (const ch of a.slice(1)) flags.add(ch);
    else rest.push(a);
  }
  return { flags, rest };
}

function longEntry(name: string, dir: boolean, size: number, when: number): string {
  const d = new Date(when);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const stamp = `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${dir ? 'drwxr-xr-x' : '-rw-r--r--'} ${dir ? '2' : '1'} root root ${String(dir ? 4096 : size).padStart(6)} ${stamp} ${name}`;
}

const ls: Command = (args, _stdin, st) => {
  const { flags, rest } = splitFlags(args);
  const targets = rest.length ? rest : ['.'];
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const t of targets) {
    const abs = resolvePath(st.cwd, t);
    const entries = listDir(st.view, abs);
    if (!entries) {
      if (readFile(st, abs) !== undefined) {
        stdout += `${flags.has('l') ? longEntry(t, false, readFile(st, abs)?.length ?? 0, st.now()) : t}\n`;
        continue;
      }
      stderr += `ls: cannot access '${t}': No such file or directory\n`;
      code = 2;
      continue;
    }
    const names = flags.has('a') ? ['.', '..', ...entries] : entries.filter((e) => !e.startsWith('.'));
    if (targets.length > 1) stdout += `${t}:\n`;
    if (flags.has('l')) {
      stdout += `total ${names.length * 4}\n`;
      for (const n of names) {
        const path = resolvePath(abs, n);
        const isDir = n === '.' || n === '..' || listDir(st.view, path) !== undefined;
        stdout += `${longEntry(n, isDir, readFile(st, path)?.length ?? 0, st.now())}\n`;
      }
    } else if (st.tty && !flags.has('1')) {
      if (names.length) stdout += `${names.join('  ')}\n`;
    } else {
      for (const n of names) stdout += `${n}\n`;
    }
  }
  return { stdout, stderr, code };
};

const cat: Command = (args, stdin, st) => {
  if (args.length === 0) return ok(stdin);
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const a of args) {
    const text = readFile(st, a);
    if (text !== undefined) stdout += text;
    else if (listDir(st.view, resolvePath(st.cwd, a))) {
      stderr += `cat: ${a}: Is a directory\n`;
      code = 1;
    } else {
      stderr += `cat: ${a}: No such file or directory\n`;
      code = 1;
    }
  }
  return { stdout, stderr, code };
};

const echo: Command = (args) => {
  let newline = true;
  let i = 0;
  while (args[i] === '-n' || args[i] === '-e') {
    if (args[i] === '-n') newline = false;
    i++;
  }
  return ok(args.slice(i).join(' ') + (newline ? '\n' : ''));
};

function psTable(st: ShellState, args: string[], selfCmd: string): string {
  const shellPid = 87;
  const procs = [
    ...st.view.processes,
    { pid: shellPid, ppid: 0, user: 'root', cmd: st.shell, start: asctime(st.now()).slice(11, 16), time: '0:00', cpu: 0, rssKb: 3_212, vszKb: 4_624 },
    { pid: shellPid + 6, ppid: shellPid, user: 'root', cmd: selfCmd, start: asctime(st.now()).slice(11, 16), time: '0:00', cpu: 0, rssKb: 1_560, vszKb: 7_064 },
  ];
  const tty = st.tty ? 'pts/0' : '?';
  const joined = args.join(' ');
  if (/aux|-aux|\baux\b/.test(joined) || joined.includes('u')) {
    const lines = ['USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND'];
    for (const p of procs) {
      const mine = p.pid >= shellPid;
      lines.push(`${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${p.cpu.toFixed(1).padStart(4)} ${(p.rssKb / 10_000_000).toFixed(1).padStart(4)} ${String(p.vszKb).padStart(6)} ${String(p.rssKb).padStart(5)} ${(mine ? tty : '?').padEnd(8)} ${(p.pid === 1 ? 'Ssl' : mine ? (p.pid === shellPid ? 'Ss' : 'R+') : 'Sl').padEnd(4)} ${p.start}  ${p.time.padStart(5)} ${p.cmd}`);
    }
    return lines.join('\n') + '\n';
  }
  if (joined.includes('-ef') || joined.includes('-e')) {
    const lines = ['UID          PID    PPID  C STIME TTY          TIME CMD'];
    for (const p of procs) {
      const mine = p.pid >= shellPid;
      lines.push(`${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)} ${String(Math.min(99, Math.floor(p.cpu))).padStart(2)} ${p.start} ${(mine ? tty : '?').padEnd(8)} 00:${p.time.padStart(5, '0')} ${p.cmd}`);
    }
    return lines.join('\n') + '\n';
  }
  const lines = ['    PID TTY          TIME CMD'];
  for (const p of procs.filter((x) => x.pid >= shellPid)) lines.push(`${String(p.pid).padStart(7)} ${(st.tty ? 'pts/0' : '?').padEnd(8)} 00:00:00 ${p.cmd.split(' ')[0].split('/').pop()}`);
  return lines.join('\n') + '\n';
}

const nvidiaSmi: Command = (args, _stdin, st) => {
  const gpus = podGpus(st.store, st.view.pod, st.seed, st.now());
  if (gpus.length === 0) {
    if (!st.view.gpuImage) return fail(`${st.shell === 'bash' ? 'bash' : 'sh'}: nvidia-smi: ${st.shell === 'bash' ? 'command not found' : 'not found'}\n`, 127);
    return { stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n", stderr: '', code: 9 };
  }
  if (args.includes('-L') || args.includes('--list-gpus')) return ok(nvidiaSmiList(gpus));
  const query = args.find((a) => a.startsWith('--query-gpu='));
  if (query) {
    const format = args.find((a) => a.startsWith('--format='))?.slice(9).split(',') ?? [];
    return nvidiaSmiQuery(gpus, query.slice(12).split(',').map((f) => f.trim()), format);
  }
  if (args.length && !args.every((a) => a === '-q' || a === '--query')) {
    const bad = args.find((a) => a !== '-q' && a !== '--query');
    return { stdout: `Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\n`, stderr: '', code: bad ? 2 : 0 };
  }
  return ok(nvidiaSmiTable(gpus, st.now()));
};

function grepLines(args: string[], stdin: string, st: ShellState): CommandResult {
  const { flags, rest } = splitFlags(args);
  const [pattern, ...files] = rest;
  if (pattern === undefined) return fail('Usage: grep [OPTION]... PATTERNS [FILE]...\n', 2);
  const text = files.length ? files.map((f) => readFile(st, f) ?? '').join('') : stdin;
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags.has('i') ? 'i' : '');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags.has('i') ? 'i' : '');
  }
  const matched = text.split('\n').filter((l, i, all) => (i < all.length - 1 || l !== '') && re.test(l) !== flags.has('v'));
  if (flags.has('c')) return { stdout: `${matched.length}\n`, stderr: '', code: matched.length ? 0 : 1 };
  return { stdout: matched.map((l) => `${l}\n`).join(''), stderr: '', code: matched.length ? 0 : 1 };
}

function headTail(args: string[], stdin: string, st: ShellState, fromEnd: boolean): CommandResult {
  let n = 10;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-n') n = Number(args[++i]);
    else if (/^-n?\d+$/.test(args[i])) n = Number(args[i].replace(/^-n?/, ''));
    else files.push(args[i]);
  }
  const text = files.length ? (readFile(st, files[0]) ?? '') : stdin;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const picked = fromEnd ? lines.slice(Math.max(0, lines.length - n)) : lines.slice(0, n);
  return ok(picked.map((l) => `${l}\n`).join(''));
}

export const COMMANDS: Record<string, Command> = {
  echo,
  ls,
  cat: (a, s, st) => devZero('cat', a) ?? cat(a, s, st),
  pwd: (_a, _s, st) => ok(`${st.cwd}\n`),
  env: (_a, _s, st) => ok([...st.view.env].map(([k, v]) => `${k}=${v}\n`).join('')),
  printenv: (a, _s, st) => {
    if (a.length === 0) return ok([...st.view.env].map(([k, v]) => `${k}=${v}\n`).join(''));
    const values = a.map((k) => st.view.env.get(k));
    return { stdout: values.filter((v) => v !== undefined).map((v) => `${v}\n`).join(''), stderr: '', code: values.every((v) => v !== undefined) ? 0 : 1 };
  },
  hostname: (a, _s, st) => ok(`${a.includes('-i') ? ((st.view.pod.status as { podIP?: string })?.podIP ?? '') : st.view.hostname}\n`),
  date: (_a, _s, st) => ok(`${asctime(st.now()).replace(/ (\d{4})$/, ' UTC $1')}\n`),
  true: () => ok(),
  false: () => fail('', 1),
  whoami: () => ok('root\n'),
  id: () => ok('uid=0(root) gid=0(root) groups=0(root)\n'),
  uname: (a, _s, st) => {
    const kernel = (st.view.node?.status as { nodeInfo?: { kernelVersion?: string } } | undefined)?.nodeInfo?.kernelVersion ?? '5.15.0-1066-aws';
    if (a.includes('-a')) return ok(`Linux ${st.view.hostname} ${kernel} #76~20.04.1-Ubuntu SMP Mon Sep 9 16:36:49 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n`);
    if (a.includes('-r')) return ok(`${kernel}\n`);
    if (a.includes('-m')) return ok('x86_64\n');
    return ok('Linux\n');
  },
  nproc: (_a, _s, st) => {
    const limit = st.view.container.resources?.limits?.cpu ?? st.view.container.resources?.requests?.cpu;
    const node = (st.view.node?.status as { capacity?: Record<string, string> } | undefined)?.capacity?.cpu;
    return ok(`${Math.max(1, Math.ceil(milliCpu(limit ?? node ?? '1') / 1000))}\n`);
  },
  ps: (a, _s, st) => ok(psTable(st, a, ['ps', ...a].join(' '))),
  'nvidia-smi': nvidiaSmi,
  grep: grepLines,
  head: (a, s, st) => devZero('head', a) ?? headTail(a, s, st, false),
  tail: (a, s, st) => headTail(a, s, st, true),
  wc: (a, stdin) => {
    const lines = stdin.split('\n').length - 1;
    if (a.includes('-l')) return ok(`${lines}\n`);
    return ok(`${String(lines).padStart(7)} ${String(stdin.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(Buffer.byteLength(stdin)).padStart(7)}\n`);
  },
  sleep: () => ok(),
  clear: () => ok('\x1b[H\x1b[2J\x1b[3J'),
  which: (a) => {
    const found = a.filter((c) => c in COMMANDS || c === 'sh' || c === 'bash');
    return { stdout: found.map((c) => `/usr/bin/${c}\n`).join(''), stderr: '', code: found.length === a.length && a.length > 0 ? 0 : 1 };
  },
  ...TTY_COMMANDS,
  python3: (a, _s, st) => (st.view.gpuImage && (a.includes('--version') || a.includes('-V')) ? ok('Python 3.10.12\n') : fail(`${st.shell}: python3: not found\n`, 127)),
};
