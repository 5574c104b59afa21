// Per-context connection state, as the UI shows it: connecting, live, offline (with the reason and
// since when). Probes each context's /version; a state change is pushed to every listener. A
// context whose user runs an exec credential plugin is probed only once it is used: a plugin may
// open a browser, hit an SSO server or cost money, and must not run for contexts nobody opened.
import type { ClusterStatus } from '../../../shared/contract/clusters.js';
import { configForContext, contextSecurity, type LoadedKubeconfig } from './kubeconfig-sources.js';
import { getJson } from '../kube/index.js';

export interface ConnectionMonitor {
  statuses(): ClusterStatus[];
  onChange(listener: (statuses: ClusterStatus[]) => void): () => void;
  /** Marks a context's state from elsewhere (watch caches know sooner than the probe). */
  report(context: string, state: ClusterStatus['state'], reason?: string): void;
  probeNow(context?: string): Promise<void>;
  /** While watch caches run for a context they own its state; the probe leaves it alone. */
  setOwned(context: string, owned: boolean): void;
  /** The context is in use (opened, or asked for by an action): from now on it may be probed. */
  use(context: string): void;
  /** The context left the kubeconfig. */
  forget(context: string): void;
  /** Extra words for every listener (kubeconfig reloads): listeners re-read what they show. */
  touch(): void;
  stop(): void;
}

export interface MonitorOptions {
  intervalMs?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export function createConnectionMonitor(loaded: () => LoadedKubeconfig, options: MonitorOptions = {}): ConnectionMonitor {
  const intervalMs = options.intervalMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  const states = new Map<string, ClusterStatus>();
  const listeners = new Set<(statuses: ClusterStatus[]) => void>();
  const owned = new Set<string>();
  const list = () => [...states.values()];

  const used = new Set<string>();
  const notify = () => {
    const snapshot = list();
    for (const listener of listeners) listener(snapshot);
  };

  const report = (context: string, state: ClusterStatus['state'], reason?: string, serverVersion?: string) => {
    const prev = states.get(context);
    if (prev && prev.state === state && prev.reason === reason) return;
    const at = now().toISOString();
    // Stale since the moment a live context stopped being live, through every later non-live state.
    const staleSince = state === 'live' ? undefined : prev?.state === 'live' ? at : prev?.staleSince;
    states.set(context, {
      context,
      state,
      reason,
      since: prev && prev.state === state ? prev.since : at,
      staleSince,
      serverVersion: serverVersion ?? prev?.serverVersion,
    });
    notify();
  };

  const mayProbe = (context: string) => used.has(context) || !contextSecurity(loaded(), context).execCommand;

  async function probe(context: string): Promise<void> {
    if (owned.has(context) || !mayProbe(context)) return;
    if (!states.has(context)) report(context, 'connecting');
    let timer: NodeJS.Timeout | undefined;
    try {
      const info = await Promise.race([
        getJson<{ gitVersion?: string }>(configForContext(loaded(), context), '/version', { timeoutMs }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
      if (!owned.has(context)) report(context, 'live', undefined, info.gitVersion);
    } catch (error) {
      if (!owned.has(context)) report(context, 'offline', explainConnectionError(error));
    } finally {
      clearTimeout(timer);
    }
  }

  const probeAll = () => Promise.all(loaded().config.getContexts().map((c) => probe(c.name))).then(() => undefined);
  const interval = setInterval(() => void probeAll(), intervalMs);
  interval.unref();
  void probeAll();

  return {
    statuses: list,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report: (context, state, reason) => report(context, state, reason),
    probeNow: (context) => (context ? probe(context) : probeAll()),
    setOwned: (context, isOwned) => void (isOwned ? owned.add(context) : owned.delete(context)),
    use: (context) => void used.add(context),
    forget(context) {
      used.delete(context);
      owned.delete(context);
      if (states.delete(context)) notify();
    },
    touch: notify,
    stop: () => clearInterval(interval),
  };
}

/** Network errors as an SRE wants to read them. */
export function explainConnectionError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return `connection refused (${message.replace(/^.*ECONNREFUSED\s*/, '')}): is the API server running?`;
  if (code === 'ENOTFOUND' || /ENOTFOUND/.test(message)) return `host not found: ${message}`;
  if (/certificate|self[- ]signed|CERT_/i.test(message)) return `TLS problem: ${message}`;
  if (/401|Unauthorized/.test(message)) return 'the API server rejected the credentials (401): refresh your login';
  return message;
}
