// Which Alertmanager serves a context, in order: the URL in Settings, the demo fleet's, then an
// in-cluster Alertmanager found through the API server's service proxy (kube-prometheus-stack,
// Prometheus Operator, the community chart). Same order and wording as Prometheus discovery.
import type https from 'node:https';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ServiceAuth } from '../../../shared/contract/app.js';
import { alertmanagerRequest, type AlertmanagerEndpoint } from './alertmanager-http.js';

/** Service names used by the common installs, best first. */
export const KNOWN_ALERTMANAGER_SERVICES = ['alertmanager-operated', 'kube-prometheus-stack-alertmanager', 'alertmanager-main', 'prometheus-alertmanager', 'alertmanager'];

export interface AlertmanagerSourceDeps {
  settingsUrl(context: string): string | undefined;
  demoUrl(context: string): string | undefined;
  kubeConfig(context: string): KubeConfig;
  auth(context: string): ServiceAuth;
}

export type FoundAlertmanager =
  | { endpoint: AlertmanagerEndpoint; detail: string; url: string }
  | { endpoint?: undefined; problem: string };

const RECHECK_MS = 15_000;

export function createAlertmanagerSources(deps: AlertmanagerSourceDeps) {
  const cache = new Map<string, { at: number; found: Promise<FoundAlertmanager> }>();

  const healthy = async (endpoint: AlertmanagerEndpoint) => {
    await alertmanagerRequest(endpoint, 'GET', 'api/v2/status', undefined, 5_000);
  };

  const authOf = (context: string) => {
    const auth = deps.auth(context);
    return auth.kind === 'none' ? undefined : auth;
  };

  /** Settings and the demo answer at once (and a changed URL applies on the next call); only discovery is cached. */
  const configured = (context: string): FoundAlertmanager | undefined => {
    const fromSettings = deps.settingsUrl(context);
    if (fromSettings) return { endpoint: { url: fromSettings, auth: authOf(context) }, url: fromSettings, detail: `set in Settings for ${context}` };
    const demo = deps.demoUrl(context);
    if (demo) return { endpoint: { url: demo, auth: authOf(context) }, url: demo, detail: 'the demo fleet’s Alertmanager' };
    return undefined;
  };

  const discover = async (context: string): Promise<FoundAlertmanager> => {
    const withAuth = authOf(context);
    let kc: KubeConfig;
    try {
      kc = deps.kubeConfig(context);
    } catch (error) {
      return { problem: `No Alertmanager URL is set for ${context} and its kubeconfig could not be used (${error instanceof Error ? error.message : String(error)}).` };
    }
    const server = kc.getCurrentCluster()?.server;
    if (!server) return { problem: `No Alertmanager URL is set for ${context} and its cluster has no server address.` };
    let services: Array<{ namespace: string; name: string; port: string }> = [];
    try {
      const list = await kc.makeApiClient(CoreV1Api).listServiceForAllNamespaces();
      for (const name of KNOWN_ALERTMANAGER_SERVICES) {
        for (const svc of list.items.filter((s) => s.metadata?.name === name)) {
          const ports = svc.spec?.ports ?? [];
          const port = ports.find((p) => p.name === 'web' || p.name === 'http' || p.port === 9093) ?? ports[0];
          if (svc.metadata?.namespace && port) services.push({ namespace: svc.metadata.namespace, name, port: String(port.name ?? port.port) });
        }
      }
    } catch {
      services = ['monitoring', 'prometheus', 'kube-prometheus-stack'].map((namespace) => ({ namespace, name: 'alertmanager-operated', port: '9093' }));
    }
    const tried: string[] = [];
    for (const s of services) {
      const url = `${server.replace(/\/$/, '')}/api/v1/namespaces/${s.namespace}/services/${s.name}:${s.port}/proxy/`;
      const endpoint: AlertmanagerEndpoint = {
        url,
        auth: withAuth,
        label: `${s.namespace}/${s.name}:${s.port} (through the API server)`,
        prepare: (options: https.RequestOptions) => kc.applyToHTTPSOptions(options),
      };
      try {
        await healthy(endpoint);
        return { endpoint, url, detail: `found service ${s.namespace}/${s.name}:${s.port}, read through the API server proxy` };
      } catch {
        tried.push(`${s.namespace}/${s.name}`);
      }
    }
    return { problem: `No Alertmanager found for ${context}: ${tried.length ? `tried ${tried.join(', ')} through the API server` : 'no service named like alertmanager-operated'}. Set its URL in Settings → Alertmanager.` };
  };

  return {
    find(context: string): Promise<FoundAlertmanager> {
      const set = configured(context);
      if (set) return Promise.resolve(set);
      const hit = cache.get(context);
      if (hit && Date.now() - hit.at < RECHECK_MS) return hit.found;
      const found = discover(context);
      cache.set(context, { at: Date.now(), found });
      return found;
    },
    forget: (context: string) => void cache.delete(context),
  };
}
export type AlertmanagerSources = ReturnType<typeof createAlertmanagerSources>;
