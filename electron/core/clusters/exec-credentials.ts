// Exec credential plugins (kubeconfig `users[].user.exec`) run the way kubectl runs them: only when
// a context that needs one is used, once per user until the credential's expirationTimestamp (no
// timestamp: until the kubeconfig changes), with KUBERNETES_EXEC_INFO telling the plugin it cannot
// prompt. client-node's own ExecAuth keeps its cache inside each KubeConfig object (we make one per
// context and request, so it would run the plugin every time) and passes no exec info.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';

/** client-node's Authenticator interface (not exported from its index). */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

export const execConfigSchema = z.object({
  command: z.string().min(1, 'the exec plugin names no command'),
  args: z.array(z.string()).nullish(),
  env: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  apiVersion: z.string().default('client.authentication.k8s.io/v1'),
  provideClusterInfo: z.boolean().nullish(),
});
export type ExecConfig = z.infer<typeof execConfigSchema>;

const execCredentialSchema = z.object({
  kind: z.literal('ExecCredential'),
  status: z
    .object({
      token: z.string().optional(),
      clientCertificateData: z.string().optional(),
      clientKeyData: z.string().optional(),
      expirationTimestamp: z.string().optional(),
    })
    .refine((s) => s.token || (s.clientCertificateData && s.clientKeyData), 'status has neither a token nor a client certificate and key'),
});
export type ExecCredential = z.infer<typeof execCredentialSchema>;

export interface ExecCredentialsOptions {
  /** How long a plugin may run before it is killed (kubectl waits forever; a console must not). */
  timeoutMs?: number;
  now?: () => number;
}

interface Cached {
  credential: ExecCredential;
  obtainedAt: number;
  /** Epoch ms; undefined = valid until invalidated. */
  expiresAt?: number;
}

/** The ExecCredential request kubectl puts in KUBERNETES_EXEC_INFO. */
export function execInfo(exec: ExecConfig, cluster: Cluster | null): string {
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo && cluster) {
    let ca = cluster.caData;
    if (!ca && cluster.caFile) {
      try {
        ca = readFileSync(cluster.caFile).toString('base64');
      } catch {
        // The request itself will report the missing CA file.
      }
    }
    spec.cluster = {
      server: cluster.server,
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
      ...(ca ? { 'certificate-authority-data': ca } : {}),
      ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
    };
  }
  return JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec });
}

/** One per clusters service: credentials shared by every KubeConfig made for any context. */
export class ExecCredentials {
  private readonly cache = new Map<string, Cached>();
  private readonly running = new Map<string, Promise<ExecCredential>>();
  /** Plugin runs per user, for diagnostics and tests. */
  readonly runs = new Map<string, number>();

  constructor(private readonly options: ExecCredentialsOptions = {}) {}

  /** An authenticator for a KubeConfig whose users had their `exec` moved into `execByUser`. */
  authenticator(execByUser: ReadonlyMap<string, unknown>, cluster: Cluster | null): Authenticator {
    return {
      isAuthProvider: (user: User) => execByUser.has(user.name),
      applyAuthentication: async (user: User, opts: Parameters<Authenticator['applyAuthentication']>[1]) => {
        const credential = await this.get(user.name, execByUser.get(user.name), cluster);
        const { token, clientCertificateData, clientKeyData } = credential.status;
        if (clientCertificateData && clientKeyData) {
          opts.cert = clientCertificateData;
          opts.key = clientKeyData;
        }
        if (token) opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
      },
    };
  }

  /**
   * Forget a user's credential: its kubeconfig entry changed, or the server refused it (kubectl runs
   * the plugin again after a 401). `minAgeMs` keeps a credential fetched moments ago: the 401s of
   * requests sent with the old one must not throw the new one away.
   */
  invalidate(userName: string, minAgeMs = 0): void {
    const now = (this.options.now ?? Date.now)();
    for (const [key, cached] of this.cache) if (key.startsWith(`${userName}\u0000`) && now - cached.obtainedAt >= minAgeMs) this.cache.delete(key);
  }

  async get(userName: string, rawExec: unknown, cluster: Cluster | null): Promise<ExecCredential> {
    const parsed = execConfigSchema.safeParse(rawExec);
    if (!parsed.success) throw new Error(`The exec plugin of user "${userName}" in the kubeconfig is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'exec'}: ${i.message}`).join('; ')}`);
    const exec = parsed.data;
    const key = `${userName}\u0000${JSON.stringify(exec)}\u0000${exec.provideClusterInfo ? cluster?.server : ''}`;
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(key);
    if (hit && (hit.expiresAt === undefined || hit.expiresAt > now)) return hit.credential;
    let pending = this.running.get(key);
    if (!pending) {
      // Everyone asking while the plugin runs waits for that one run.
      pending = this.run(userName, exec, cluster)
        .then((credential) => {
          const expires = credential.status.expirationTimestamp ? Date.parse(credential.status.expirationTimestamp) : undefined;
          // An unreadable timestamp counts as expired: better one run too many than a dead token kept.
          this.cache.set(key, { credential, obtainedAt: (this.options.now ?? Date.now)(), expiresAt: expires !== undefined && Number.isNaN(expires) ? 0 : expires });
          return credential;
        })
        .finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    return pending;
  }

  private run(userName: string, exec: ExecConfig, cluster: Cluster | null): Promise<ExecCredential> {
    this.runs.set(userName, (this.runs.get(userName) ?? 0) + 1);
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: execInfo(exec, cluster) };
    for (const { name, value } of exec.env ?? []) env[name] = value;
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const what = `The exec credential plugin "${exec.command}" of user "${userName}"`;
    return new Promise((resolve, reject) => {
      const child = spawn(exec.command, exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${what} could not be started: ${error.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code !== 0) return reject(new Error(`${what} exited with code ${code}: ${stderr.trim().slice(0, 500) || 'no message'}`));
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          return reject(new Error(`${what} printed no JSON ExecCredential.`));
        }
        const credential = execCredentialSchema.safeParse(json);
        if (!credential.success) return reject(new Error(`${what} printed an invalid ExecCredential: ${credential.error.issues.map((i) => i.message).join('; ')}`));
        resolve(credential.data);
      });
    });
  }
}
