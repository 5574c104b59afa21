// The benches' Kubernetes client for the demo fleet's HTTPS API: the admin token, the fleet's CA,
// one keep-alive agent (so writes at hundreds per second do not each pay a TLS handshake). Writes
// go through the API like any client's, never into the store.
import https from 'node:https';
import YAML from 'yaml';

export interface KubeAnswer {
  status: number;
  body: string;
  /** Request sent -> last byte of the answer (ms). */
  ms: number;
}

export interface KubeClient {
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeAnswer>;
  /** Like `request`, but a non-2xx answer is an error naming the request and the server's message. */
  ok(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeAnswer>;
  close(): void;
}

/** The CA certificate of a kubeconfig's first cluster (PEM), if it names one. */
export function caOfKubeconfig(kubeconfig: string): string | undefined {
  const doc = YAML.parse(kubeconfig) as { clusters: { cluster: { 'certificate-authority-data'?: string } }[] };
  const data = doc.clusters[0]?.cluster['certificate-authority-data'];
  return data ? Buffer.from(data, 'base64').toString() : undefined;
}

export function kubeClient(fleet: { apiUrl: string; adminToken: string; kubeconfig: string }, maxSockets = 32): KubeClient {
  const agent = new https.Agent({ ca: caOfKubeconfig(fleet.kubeconfig), keepAlive: true, maxSockets });
  const request = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeAnswer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string> = { Authorization: `Bearer ${fleet.adminToken}`, Accept: 'application/json' };
      if (payload) {
        headers['Content-Type'] = contentType;
        headers['Content-Length'] = String(payload.length);
      }
      const started = performance.now();
      const req = https.request(`${fleet.apiUrl}${path}`, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return {
    request,
    async ok(method, path, body, contentType) {
      const answer = await request(method, path, body, contentType);
      if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      return answer;
    },
    close: () => agent.destroy(),
  };
}
