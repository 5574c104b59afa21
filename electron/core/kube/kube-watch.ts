// A watch stream: one JSON event per line until the server ends it, a network error, or an abort.
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError, statusError } from './kube-error.js';
import { openKubeStream, readBody } from './kube-request.js';

export interface WatchLine {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/**
 * Streams a watch; resolves when the server ends it cleanly, rejects on network errors or a non-200.
 * `idleMs` guards against half-open connections: no byte for that long counts as a disconnect.
 */
export async function streamWatch(
  kc: KubeConfig,
  path: string,
  signal: AbortSignal,
  onLine: (line: WatchLine) => void,
  idleMs: number,
  /** Extra headers: a Table watch's Accept. */
  headers?: Record<string, string>,
): Promise<void> {
  const res = await openKubeStream(kc, { method: 'GET', path }, { signal, timeoutMs: idleMs, headers });
  if (res.statusCode !== 200) throw statusError('GET', path, res.statusCode ?? 0, await readBody(res));
  res.socket?.setTimeout(idleMs);
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    let failed = false;
    lines.on('line', (text) => {
      if (!text) return;
      try {
        onLine(JSON.parse(text) as WatchLine);
      } catch (error) {
        failed = true;
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // readline re-emits its input's errors; the response's own handler below reports them.
    lines.on('error', () => undefined);
    res.on('error', (error) => {
      failed = true;
      reject(error.name === 'AbortError' ? error : new KubeError(`watch ${path} broke: ${error.message}`, 0));
    });
    res.on('aborted', () => {
      failed = true;
      reject(new KubeError(`watch ${path} was cut off by the server`, 0));
    });
    lines.on('close', () => {
      if (!failed) resolve();
    });
  });
}
