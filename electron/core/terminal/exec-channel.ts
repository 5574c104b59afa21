// The Kubernetes exec channel protocol (v4/v5.channel.k8s.io): every binary frame starts with its
// channel byte (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize); v5 closes one direction of a
// stream with [255, channel]. The session ends with a Status on channel 3: Success, or
// NonZeroExitCode with the exit code in details.causes.
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export const encodeStdin = (data: Buffer | string): Buffer => Buffer.concat([Buffer.from([CHANNEL.stdin]), Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')]);

export const encodeResize = (cols: number, rows: number): Buffer =>
  Buffer.concat([Buffer.from([CHANNEL.resize]), Buffer.from(JSON.stringify({ Width: cols, Height: rows }), 'utf8')]);

/** v5 only: tells the container its stdin ended (EOF), without closing the socket. */
export const encodeCloseStdin = (): Buffer => Buffer.from([CHANNEL.close, CHANNEL.stdin]);

export type ExecFrame =
  | { channel: 'stdout' | 'stderr'; data: Buffer }
  | { channel: 'status'; status: ExecStatus }
  | { channel: 'other'; id: number };

export interface ExecStatus {
  ok: boolean;
  /** The command's exit code: 0 on Success, from NonZeroExitCode's causes, else null. */
  code: number | null;
  message: string;
  reason?: string;
}

/** Decodes one frame the server sent; an empty frame or an unknown channel is `other`. */
export function decodeFrame(frame: Buffer): ExecFrame {
  if (frame.length === 0) return { channel: 'other', id: -1 };
  const id = frame[0];
  const data = frame.subarray(1);
  if (id === CHANNEL.stdout) return { channel: 'stdout', data };
  if (id === CHANNEL.stderr) return { channel: 'stderr', data };
  if (id === CHANNEL.status) return { channel: 'status', status: parseStatus(data.toString('utf8')) };
  return { channel: 'other', id };
}

/** Reads channel 3's Status; text that is not one (old servers) is a failure with that message. */
export function parseStatus(text: string): ExecStatus {
  let status: { status?: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { ok: false, code: null, message: text.trim() || 'the exec session failed' };
  }
  if (status.status === 'Success') return { ok: true, code: 0, message: 'exited' };
  const exitCause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = exitCause?.message !== undefined && /^\d+$/.test(exitCause.message) ? Number(exitCause.message) : null;
  return { ok: false, code, message: status.message ?? 'the exec session failed', reason: status.reason };
}

/**
 * Whether a failed start means the command is not in the image (so `bash` should fall back to
 * `sh`): runc/containerd say "executable file not found", CRI-O and shells exit 126/127.
 */
export function isCommandMissing(status: ExecStatus): boolean {
  if (status.ok) return false;
  if (status.code === 126 || status.code === 127) return true;
  return /executable file not found|no such file or directory|not found in \$PATH|command not found/i.test(status.message);
}
