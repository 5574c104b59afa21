// The apiserver's service proxy, `/api/v1/namespaces/{ns}/services/{name}[:port]/proxy/{path}`:
// how clients outside a cluster reach an in-cluster HTTP service (the console finds Prometheus this
// way on a real cluster). The demo's Services have no pods behind them, except those the demo really
// runs (its Prometheus and Alertmanager): those forward to the real process, the rest answer 503
// as the apiserver does for a service without endpoints.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore } from '../store.js';
import { ApiError, statusBody } from './status.js';

/** Where the service `namespace/name` really listens (an http:// base URL), if anywhere. */
export type ServiceTargets = (namespace: string, name: string) => string | undefined;

export interface ProxyRoute {
  namespace: string;
  service: string;
  /** Port name or number from `name:port` (or `scheme:name:port`); empty: the service's only/first port. */
  port: string;
  /** The rest of the path, with its leading slash. */
  path: string;
}

/** The proxy route of a request path, or undefined when it is not a service proxy path. */
export function serviceProxyRoute(pathname: string): ProxyRoute | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  const target = decodeURIComponent(m[2]).split(':');
  // `name`, `name:port`, or `scheme:name:port` (scheme http or https, empty for http).
  const [service, port] = target.length === 3 ? [target[1], target[2]] : [target[0], target[1] ?? ''];
  return { namespace: decodeURIComponent(m[1]), service, port, path: m[3] ?? '/' };
}

const unavailable = (message: string) => new ApiError(statusBody(503, 'ServiceUnavailable', message));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Service objects are untyped JSON
type Loose = any;

/** Forwards the request to the service's real target, streaming both ways. */
export function proxyToService(store: ObjectStore, targets: ServiceTargets | undefined, route: ProxyRoute, search: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const svc = store.peekOne('services', route.namespace, route.service);
  if (!svc) throw new ApiError(statusBody(404, 'NotFound', `services "${route.service}" not found`, { name: route.service, kind: 'services' }));
  const ports: Loose[] = (svc.spec as Loose)?.ports ?? [];
  const port = route.port ? ports.find((p) => p.name === route.port || String(p.port) === route.port) : ports[0];
  if (!port) throw unavailable(`no endpoints available for service "${route.service}${route.port ? `:${route.port}` : ''}"`);
  const base = targets?.(route.namespace, route.service);
  if (!base) throw unavailable(`no endpoints available for service "${route.service}"`);
  const url = new URL(route.path + search, base);
  const headers: http.OutgoingHttpHeaders = {};
  for (const h of ['accept', 'accept-encoding', 'content-type', 'content-length', 'user-agent']) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
  return new Promise((resolve, reject) => {
    const upstream = http.request(url, { method: req.method, headers }, (answer) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const h of ['content-type', 'content-encoding', 'content-length', 'cache-control', 'location']) if (answer.headers[h] !== undefined) out[h] = answer.headers[h];
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', (e) => reject(unavailable(`error trying to reach service: ${e.message}`)));
    req.pipe(upstream);
  });
}
