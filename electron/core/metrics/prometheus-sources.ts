// Which Prometheus serves a context, in order: the user's setting, the demo fleet's, then an
// in-cluster Prometheus found through the API server's service proxy (kube-prometheus-stack,
// Prometheus Operator, the community chart). The answer says where it came from, so "metrics not
// showing" becomes a sentence the user can act on.
import type https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { collectionPath, getJson, KINDS } from '../kube/index.js';
import { ContractError } from '../../../shared/contract-kit.js';
import type { PrometheusSource } from '../../../shared/contract/metrics.js';
import { createPrometheusClient, type ClientOptions, type PrometheusClient } from './prometheus-client.js';
import type { PrometheusAuth, PrometheusEndpoint } from './prometheus-http.js';

/** Service names used by the common installs, best first. */
export const KNOWN_SERVICES = ['prometheus-operated', 'kube-prometheus-stack-prometheus', 'prometheus-k8s', 'prometheus-server', 'prometheus'];
const FALLBACK_NAMESPACES = ['monitoring', 'prometheus', 'kube-prometheus-stack', 'observability', 'default'];

export interface SourceDeps {
  settingsUrl(context: string): string | undefined;
  demoUrl(context: string): string | undefined;
  kubeConfig(context: string): KubeConfig;
  auth(context: string): PrometheusAuth;
  clientOptions?: ClientOptions;
}

export interface ResolvedSource {
  client?: PrometheusClient;
  source: PrometheusSource;
}

export interface SourceRegistry {
  resolve(context: string, recheck?: boolean): Promise<ResolvedSource>;
  /** The client for a context, or a ContractError saying why there is none. */
  client(context: string): Promise<PrometheusClient>;
  forget(context: string): void;
}

export function createSourceRegistry(deps: SourceDeps): SourceRegistry {
  const resolved = new Map<string, Promise<ResolvedSource>>();

  const probe = async (context: string, kind: PrometheusSource['kind'], endpoint: PrometheusEndpoint, detail: string): Promise<ResolvedSource> => {
    const client = createPrometheusClient(endpoint, deps.clientOptions);
    const checkedAt = new Date().toISOString();
    const auth = deps.auth(context).kind;
    try {
      const { version } = await client.health();
      return { client, source: { context, kind, url: endpoint.url, detail, healthy: true, version, checkedAt, auth } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { client, source: { context, kind, url: endpoint.url, detail, healthy: false, message, checkedAt, auth } };
    }
  };

  const detect = async (context: string): Promise<ResolvedSource> => {
    const auth = deps.auth(context);
    const fromSettings = deps.settingsUrl(context);
    if (fromSettings) return probe(context, 'settings', { url: fromSettings, auth }, `set in Settings for ${context}`);
    const demo = deps.demoUrl(context);
    if (demo) return probe(context, 'demo', { url: demo, auth }, 'the demo fleet’s Prometheus');

    let kc: KubeConfig;
    try {
      kc = deps.kubeConfig(context);
    } catch (error) {
      return none(context, `No Prometheus URL is set for ${context} and its kubeconfig could not be used (${error instanceof Error ? error.message : String(error)}).`);
    }
    const server = kc.getCurrentCluster()?.server;
    if (!server) return none(context, `No Prometheus URL is set for ${context} and its cluster has no server address.`);
    const candidates = await candidatesFor(kc);
    const tried: string[] = [];
    for (const c of candidates) {
      const url = `${server.replace(/\/$/, '')}/api/v1/namespaces/${c.namespace}/services/${c.name}:${c.port}/proxy/`;
      const endpoint: PrometheusEndpoint = {
        url,
        auth: auth.kind === 'none' ? undefined : auth,
        label: `${c.namespace}/${c.name}:${c.port} (through the API server)`,
        prepare: (options: https.RequestOptions) => kc.applyToHTTPSOptions(options),
      };
      const found = await probe(context, 'service-proxy', endpoint, `found service ${c.namespace}/${c.name}:${c.port}, read through the API server proxy`);
      if (found.source.healthy) return found;
      tried.push(`${c.namespace}/${c.name}`);
    }
    return none(
      context,
      `No Prometheus found for ${context}: ${tried.length ? `tried ${tried.join(', ')} through the API server` : 'no service named like prometheus-operated or prometheus-server'}. Set its URL in Settings → Prometheus.`,
    );
  };

  const none = (context: string, detail: string): ResolvedSource => ({
    source: { context, kind: 'none', detail, healthy: false, message: detail, checkedAt: new Date().toISOString(), auth: deps.auth(context).kind },
  });

  const registry: SourceRegistry = {
    resolve(context, recheck = false) {
      let found = resolved.get(context);
      if (!found || recheck) {
        found = detect(context);
        resolved.set(context, found);
      }
      return found;
    },
    async client(context) {
      let r = await registry.resolve(context);
      // An unhealthy or missing source is looked for again: Prometheus may have come up since.
      if (!r.source.healthy && Date.parse(r.source.checkedAt) < Date.now() - 10_000) r = await registry.resolve(context, true);
      if (!r.client) throw new ContractError('upstream_unavailable', r.source.message ?? r.source.detail);
      return r.client;
    },
    forget: (context) => void resolved.delete(context),
  };
  return registry;
}

/** The slice of a Service that discovery reads. */
interface ServiceItem {
  metadata?: { name?: string; namespace?: string };
  spec?: { ports?: { name?: string; port?: number }[] };
}

interface Candidate {
  namespace: string;
  name: string;
  port: string;
}

async function candidatesFor(kc: KubeConfig): Promise<Candidate[]> {
  try {
    const list = await withTimeout(getJson<{ items: ServiceItem[] }>(kc, collectionPath(KINDS.Service), { timeoutMs: 5_000 }), 5_000);
    const found: Candidate[] = [];
    for (const name of KNOWN_SERVICES) {
      for (const svc of list.items.filter((s) => s.metadata?.name === name)) {
        const ports = svc.spec?.ports ?? [];
        const port = ports.find((p) => p.name === 'web' || p.name === 'http' || p.port === 9090) ?? ports[0];
        if (svc.metadata?.namespace && port) found.push({ namespace: svc.metadata.namespace, name, port: String(port.name ?? port.port) });
      }
    }
    return found;
  } catch {
    // Listing services cluster-wide may be forbidden: try the usual places one by one.
    return FALLBACK_NAMESPACES.flatMap((namespace) => [
      { namespace, name: 'prometheus-operated', port: '9090' },
      { namespace, name: 'prometheus-server', port: '80' },
    ]);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
