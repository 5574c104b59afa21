// The demo fleet's Kubernetes API server: HTTP(S) on loopback, routing by the apiserver's URL
// scheme, authentication and RBAC on every request, and a guard so no request can crash it.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DemoClock } from '../clock.js';
import type { ObjectStore } from '../store.js';
import type { ResourceDef } from './registry.js';
import { findResource, qualifiedName } from './registry.js';
import { findServed, servedResources } from './crd/served.js';
import { startCrdController } from './crd/controller.js';
import { customOpenApiDocs } from './crd/openapi.js';
import { installArgoCrds } from './crd/argo-crds.js';
import { startQuotaController } from './admission/quota.js';
import { admitEviction, startDisruptionController } from './admission/disruption.js';
import { checkApproval } from './admission/approval.js';
import { startVolumeController } from './admission/volumes.js';
import { ApiError, badRequest, internal, methodNotAllowed, pathNotFound, statusBody } from './status.js';
import type { DemoUser, Tokens } from './auth.js';
import type { ResourceAttributes } from './rbac.js';
import { authenticate, forbidden } from './auth.js';
import { authorize } from './rbac.js';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, subjectAccessReview } from './reviews.js';
import { SERVER_VERSION, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { aggregatedContentType, aggregatedDiscovery, aggregatedVersion } from './aggregated-discovery.js';
import { serveOpenApi } from './openapi/serve.js';
import { boolParam, negotiate, parseJsonBody, readBody, readBodyBuffer, readObjectBody, sendError, sendJson, sendRaw } from './http-util.js';
import { handleGet, handleList } from './reads.js';
import { WatchHub } from './watch.js';
import type { WriteContext } from './writes.js';
import { checkDryRun, create, deleteOptions, patch, remove, removeCollection, respondObject, scaleOf, update, writeScale } from './writes.js';
import { defaultManager } from './field-manager.js';
import { warningHeader } from './field-validation.js';
import { GarbageCollector } from './gc.js';
import { handleLogs } from './logs.js';
import { ExecServer } from './exec.js';
import type { SimHooks } from './sim-hooks.js';
import { decodeObject, decodeReview } from './protobuf.js';
import { DEMO_TLS_SERVER_OPTIONS } from '../tls.js';
import { METRICS_GROUP, METRICS_RESOURCES, findMetricsResource, serveMetrics } from './metrics-api.js';
import { proxyToService, serviceProxyRoute, type ServiceTargets } from './service-proxy.js';

export interface ApiServerOptions {
  store: ObjectStore;
  clock: DemoClock;
  tokens: Tokens;
  sim: SimHooks;
  /** PEM key and certificate: serve HTTPS. Absent: plain HTTP. */
  tls?: { key: string; cert: string };
  /**
   * True when the controller simulation (kubelet, garbage collector) runs: deletes then follow the
   * real finalizer protocol. Otherwise the API cascades and removes terminating pods itself.
   */
  controllersPresent?: boolean;
  /** Seed of the resource metrics API's usage figures (metrics.k8s.io); default 1. */
  usageSeed?: number;
  /** Services the demo really runs (its Prometheus): the service proxy forwards to them. */
  serviceTargets?: ServiceTargets;
}

export interface ApiServer {
  listen(port: number, host: string): Promise<string>;
  /** Closes the listener and every open connection (watches end; clients resume). Can listen again. */
  close(): Promise<void>;
  /** close() and release the store subscriptions for good. */
  dispose(): Promise<void>;
  readonly url: string;
  watchCount(): number;
}

interface Route {
  r: ResourceDef;
  namespace?: string;
  name?: string;
  sub?: string;
}

type Lookup = (group: string, version: string, plural: string) => ResourceDef | undefined;

/** Resolves /api/v1/… and /apis/g/v/… paths to a resource route, or undefined if none. */
export function resolveRoute(parts: string[], lookup: Lookup = findResource): Route | 'unknown' | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return 'unknown';
  const r = lookup(group, version, rest[0]);
  if (!r) return 'unknown';
  if (namespace !== undefined && !r.namespaced) return 'unknown';
  return { r, namespace, name: rest[1], sub: rest[2] };
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const { store, clock, tokens, sim } = opts;
  const now = () => clock.now();
  const hub = new WatchHub(store, now);
  const gc = opts.controllersPresent ? undefined : new GarbageCollector(store);
  const wctx: WriteContext = { store, clock, gc };
  const exec = new ExecServer(store, sim);
  const stopCrds = startCrdController(store, () => clock.iso());
  // The demo cluster has Argo Rollouts installed: its CRDs are there from the start.
  installArgoCrds(store, clock.iso());
  const stopQuotas = startQuotaController(store);
  const stopBudgets = startDisruptionController(store, () => clock.iso());
  const stopVolumes = startVolumeController(store);
  const lookup: Lookup = (g, v, p) => findServed(store, g, v, p) ?? findMetricsResource(g, v, p);
  // Discovery lists the aggregated metrics API beside the kinds the server itself serves.
  const discoverable = () => [...servedResources(store), ...METRICS_RESOURCES];
  let url = '';
  let address = '';

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => fail(res, e));
  };

  function fail(res: ServerResponse, e: unknown): void {
    const apiErr = e instanceof ApiError ? e : internal(e instanceof Error ? e.message : String(e));
    if (!(e instanceof ApiError)) console.error('[demo-api] unexpected error:', e);
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    sendError(res, apiErr);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://demo');
    const q = u.searchParams;
    const parts = u.pathname.split('/').filter(Boolean).map(decodeSegment);
    const method = req.method ?? 'GET';

    if (u.pathname === '/healthz' || u.pathname === '/livez' || u.pathname === '/readyz') {
      sendRaw(res, 200, 'ok', 'text/plain; charset=utf-8');
      return;
    }
    const user = authenticate(req, tokens, !opts.tls);

    if (method === 'GET') {
      if (serveOpenApi(req, res, u, customOpenApiDocs(store))) return;
      const root = u.pathname.replace(/\/+$/, '');
      const aggregated = root === '/api' || root === '/apis' ? aggregatedVersion(req.headers.accept) : undefined;
      if (aggregated) {
        sendRaw(res, 200, JSON.stringify(aggregatedDiscovery(root as '/api' | '/apis', discoverable(), aggregated)), aggregatedContentType(aggregated));
        return;
      }
      const doc = discovery(u.pathname);
      if (doc !== undefined) {
        sendJson(res, 200, doc);
        return;
      }
    }

    const proxy = serviceProxyRoute(u.pathname);
    if (proxy) {
      check(user, { verb: verbOf(method, proxy.service, undefined, q) ?? 'get', group: '', resource: 'services', subresource: 'proxy', namespace: proxy.namespace, name: proxy.service }, SERVICES);
      return proxyToService(store, opts.serviceTargets, proxy, u.search, req, res);
    }

    const route = resolveRoute(parts, lookup);
    if (route === undefined || route === 'unknown') throw pathNotFound();
    const { r, namespace, name, sub } = route;

    if (r.group === METRICS_GROUP) {
      if (method !== 'GET' || sub) throw methodNotAllowed('the server does not allow this method on the requested resource');
      check(user, { verb: name ? 'get' : 'list', group: r.group, resource: r.plural, namespace, name }, r);
      return serveMetrics(res, { store, seed: opts.usageSeed ?? 1, now: clock.now(), r, namespace, name, labelSelector: q.get('labelSelector') });
    }

    if (r.virtual) {
      if (method !== 'POST' || name) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
      check(user, { verb: 'create', group: r.group, resource: r.plural, namespace }, r);
      const raw = await readBodyBuffer(req);
      // A SelfSubjectReview's body says nothing (kubectl sends an empty one, as protobuf).
      if (r.kind === 'SelfSubjectReview') return sendJson(res, 201, selfSubjectReview(user));
      const body = String(req.headers['content-type'] ?? '').includes('protobuf') ? decodeReview(raw) : parseJsonBody(raw.toString('utf8'));
      const answer = { SelfSubjectAccessReview: selfSubjectAccessReview, SelfSubjectRulesReview: selfSubjectRulesReview, SubjectAccessReview: (_u: DemoUser, b: unknown) => subjectAccessReview(b) }[r.kind];
      if (!answer) throw methodNotAllowed('the server does not allow this method on the requested resource');
      sendJson(res, 201, answer(user, body));
      return;
    }

    if (sub && !r.subresources.some((s) => s.name === sub)) throw pathNotFound();
    const verb = verbOf(method, name, sub, q);
    if (!verb) throw methodNotAllowed('the server does not allow this method on the requested resource');
    check(user, { verb, group: r.group, resource: r.plural, subresource: sub, namespace, name }, r);
    const optionsKind = WRITE_OPTIONS[verb];
    if (optionsKind) checkDryRun(q.getAll('dryRun'), optionsKind);
    // As the apiserver does: a write that names no field manager is recorded under its User-Agent's product.
    // (Not for apply patches: those must name their manager.)
    const applyPatch = String(req.headers['content-type'] ?? '').startsWith('application/apply-patch');
    if ((verb === 'create' || verb === 'update' || verb === 'patch') && !applyPatch && !q.get('fieldManager')) q.set('fieldManager', defaultManager(req.headers['user-agent']));
    const warnings: string[] = [];
    const warn = () => {
      if (warnings.length) res.setHeader('Warning', warnings.map(warningHeader));
    };

    if (!name) {
      if (verb === 'watch') return hub.serve(res, r, namespace, q, negotiate(req.headers.accept));
      if (verb === 'list') return handleList({ store, now }, res, r, namespace, negotiate(req.headers.accept), q);
      if (verb === 'create') {
        const body = await readObjectBody(req);
        // A CSR records who asked for it (the apiserver's strategy overwrites what the client sent).
        if (r.kind === 'CertificateSigningRequest' && body && typeof body === 'object') {
          const spec = ((body as { spec?: Record<string, unknown> }).spec ??= {});
          Object.assign(spec, { username: user.name, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}) });
        }
        const obj = create(wctx, r, namespace, body, q, { warnings });
        warn();
        return respondObject(res, 201, obj);
      }
      if (verb === 'deletecollection') {
        const text = await readBody(req);
        return sendRaw(res, 200, removeCollection(wctx, r, namespace, q, deleteOptions(text, q)));
      }
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }

    if (sub === 'log') return handleLogs(store, clock, sim, res, r, namespace ?? '', name, q);
    if (sub === 'eviction') {
      // `kubectl drain` POSTs a policy/v1 Eviction (as protobuf); the pod is named by the URL. Unless
      // a PodDisruptionBudget refuses, delete the pod gracefully, with the Eviction's deleteOptions
      // (grace period, dry run) and the request's own dryRun.
      const raw = await readBodyBuffer(req);
      const eviction = !raw.length ? {} : String(req.headers['content-type'] ?? '').includes('protobuf') ? decodeObject(raw) : parseJsonBody(raw.toString('utf8'));
      const pod = store.peekOne('pods', namespace, name);
      if (!pod) throw notFoundFor(r, name);
      const evictOptions = deleteOptions((eviction as { deleteOptions?: unknown }).deleteOptions ?? {}, q);
      // A PodDisruptionBudget covering the pod may refuse (429) before anything is deleted.
      admitEviction(store, pod, clock.iso(), Boolean(evictOptions.dryRun));
      remove(wctx, r, namespace, name, evictOptions);
      return sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    }
    if (sub === 'exec') throw badRequest('Upgrade request required');
    if (sub === 'scale') {
      if (verb === 'get') {
        const obj = store.peekOne(qualifiedName(r), namespace, name);
        if (!obj) throw notFoundFor(r, name);
        return sendJson(res, 200, scaleOf(r, obj));
      }
      const text = await readBody(req);
      return sendJson(res, 200, writeScale(wctx, r, namespace, name, method === 'PUT' ? 'PUT' : 'PATCH', req.headers['content-type'], text, q));
    }
    // A CSR's approval subresource writes its conditions, as /status writes status.
    const status = sub === 'status' || sub === 'approval' ? 'status' : undefined;
    switch (verb) {
      case 'get':
        return handleGet({ store, now }, res, r, namespace, name, sub ? 'object' : negotiate(req.headers.accept), q);
      case 'update':
      {
        const body = await readObjectBody(req);
        if (sub === 'approval') checkApproval(r, body, store.peekOne(qualifiedName(r), namespace, name));
        const updated = update(wctx, r, namespace, name, body, status, q, { warnings });
        warn();
        return respondObject(res, 200, updated);
      }
      case 'patch': {
        const result = patch(wctx, r, namespace, name, req.headers['content-type'], await readBody(req), status, q, { warnings });
        warn();
        return respondObject(res, result.created ? 201 : 200, result.obj);
      }
      case 'delete': {
        const out = remove(wctx, r, namespace, name, deleteOptions(await readBody(req), q));
        return sendRaw(res, out.code, out.body);
      }
    }
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  function check(user: DemoUser, a: ResourceAttributes, r: ResourceDef): void {
    if (!authorize(user, a).allowed) throw forbidden(user, a, qualifiedName(r));
  }

  function discovery(path: string): unknown {
    const p = path.replace(/\/+$/, '') || '/';
    if (p === '/version') return SERVER_VERSION;
    if (p === '/api') return apiVersions(address);
    const served = discoverable();
    if (p === '/apis') return apiGroupList(served);
    let m = /^\/api\/([^/]+)$/.exec(p);
    if (m) return apiResourceList('', m[1], served);
    m = /^\/apis\/([^/]+)$/.exec(p);
    if (m) return apiGroup(m[1], served);
    m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
    if (m) return apiResourceList(m[1], m[2], served);
    return undefined;
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (e: unknown) => {
      const err = e instanceof ApiError ? e : internal(String(e));
      const body = JSON.stringify(err.status);
      socket.end(`HTTP/1.1 ${err.code} ${http.STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    try {
      socket.on('error', () => undefined);
      const u = new URL(req.url ?? '/', 'http://demo');
      const parts = u.pathname.split('/').filter(Boolean).map(decodeSegment);
      const route = resolveRoute(parts, lookup);
      if (!route || route === 'unknown' || route.r.plural !== 'pods' || route.sub !== 'exec' || !route.name || !route.namespace) {
        if (route && route !== 'unknown' && route.sub === 'attach') throw badRequest('attach is not supported by the demo fleet');
        throw pathNotFound();
      }
      const user = authenticate(req, tokens, !opts.tls);
      check(user, { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: route.namespace, name: route.name }, route.r);
      // WebSocket or SPDY/3.1: exec.ts picks by the Upgrade header.
      exec.upgrade(req, socket, head, route.namespace, route.name, u.searchParams);
    } catch (e) {
      reject(e);
    }
  };

  let server: http.Server | https.Server | undefined;
  const sockets = new Set<Duplex>();

  return {
    get url() {
      return url;
    },
    watchCount: () => hub.count(),
    listen(port, host) {
      server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert, ...DEMO_TLS_SERVER_OPTIONS }, handler) : http.createServer(handler);
      server.keepAliveTimeout = 30_000;
      server.on('upgrade', onUpgrade);
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('secureConnection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('clientError', (_e, socket) => {
        if (!socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      });
      return new Promise((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => {
          const a = server!.address() as AddressInfo;
          const h = a.address.includes(':') ? `[${a.address}]` : a.address;
          address = `${h}:${a.port}`;
          url = `${opts.tls ? 'https' : 'http'}://${address}`;
          resolve(url);
        });
      });
    },
    async close() {
      // End watches cleanly first (clients then resume from their last version), give the final
      // chunks a moment to leave, then cut whatever is still connected.
      hub.closeAll();
      exec.closeSessions();
      const s = server;
      server = undefined;
      if (!s) return;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      await closed;
    },
    async dispose() {
      await this.close();
      hub.stop();
      stopCrds();
      stopQuotas();
      stopBudgets();
      stopVolumes();
      gc?.stop();
      exec.close();
    },
  };
}

const SERVICES = findResource('', 'v1', 'services')!;

/** The options type each write verb's query parameters decode into (named in their validation errors). */
const WRITE_OPTIONS: Record<string, string | undefined> = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions', delete: 'DeleteOptions', deletecollection: 'DeleteOptions' };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed path segment ${JSON.stringify(segment)}`);
  }
}

function notFoundFor(r: ResourceDef, name: string): ApiError {
  return new ApiError(statusBody(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural }));
}

function verbOf(method: string, name: string | undefined, sub: string | undefined, q: URLSearchParams): string | undefined {
  switch (method) {
    case 'GET':
      if (name) return 'get';
      return boolParam(q.get('watch')) ? 'watch' : 'list';
    case 'POST':
      return name ? (sub === 'exec' || sub === 'eviction' ? 'create' : undefined) : 'create';
    case 'PUT':
      return name ? 'update' : undefined;
    case 'PATCH':
      return name ? 'patch' : undefined;
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
