// A WebSocket to one context's API server (pod exec, later attach and port-forward), authenticated
// like every other request here: applyToHTTPSOptions puts the token, client certificate, CA and
// exec-plugin credential on the upgrade request. A refused upgrade (403, 404, a pod that is not
// running) becomes the KubeError the API server's Status describes.
import WebSocket from 'ws';
import type { KubeConfig } from '@kubernetes/client-node';
import { readBody } from './kube-request.js';
import { describeNetworkError, KubeError, statusError } from './kube-error.js';

export interface KubeWebSocketOptions {
  /** Subprotocols in order of preference (the server picks the first it speaks). */
  protocols: string[];
  /** How long the upgrade may take. */
  timeoutMs?: number;
}

/**
 * Opens `path` (with its query) as a WebSocket; resolves once the upgrade succeeded, with the
 * socket paused: frames that came with the upgrade would otherwise be emitted before the caller's
 * listeners exist. Attach them, then `resume()`.
 */
export async function openKubeWebSocket(kc: KubeConfig, path: string, options: KubeWebSocketOptions): Promise<WebSocket> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeError(`The context "${kc.getCurrentContext()}" names no cluster.`, 0);
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const clientOptions: WebSocket.ClientOptions = { handshakeTimeout: options.timeoutMs ?? 30_000, perMessageDeflate: false };
  await kc.applyToHTTPSOptions(clientOptions);
  const ws = new WebSocket(url, options.protocols, clientOptions);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: KubeError) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    ws.once('open', () => {
      if (settled) return;
      settled = true;
      ws.pause();
      resolve(ws);
    });
    ws.once('unexpected-response', (req, res) => {
      // Read the Status the API server explains the refusal with, then drop the request.
      void readBody(res)
        .catch(() => '')
        .then((body) => {
          fail(statusError('GET', path.split('?')[0], res.statusCode ?? 0, body));
          req.destroy();
        });
    });
    // Kept for the socket's life: after the upgrade the caller's listeners decide, and an 'error'
    // without any listener would throw out of the event loop.
    ws.on('error', (error: Error & { code?: string }) => fail(new KubeError(describeNetworkError(error, url.host), 0)));
  });
}
