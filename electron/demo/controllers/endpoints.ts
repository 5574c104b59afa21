// Endpoints controller (pkg/controller/endpoint): each Service with a selector gets an Endpoints
// object listing the IPs of matching pods — ready ones in `addresses`, the rest in
// `notReadyAddresses` — so `kubectl describe svc` and blue-green / canary traffic views are true.
import type { KubeObject, StoreEvent } from '../store.js';
import { type Controller, type ControllerContext, nsName, splitKey } from './context.js';
import { isPodReady, statusOf } from './pod-status.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

function selectorOf(svc: KubeObject): Record<string, string> | undefined {
  const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
  return sel && Object.keys(sel).length ? sel : undefined;
}

function matches(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  const l = labels ?? {};
  for (const k in selector) if (l[k] !== selector[k]) return false;
  return true;
}

/** The Endpoints object for a service given candidate pods (any namespace; filtered here). */
export function endpointsFor(svc: KubeObject, pods: Iterable<KubeObject>): KubeObject | undefined {
  const selector = selectorOf(svc);
  if (!selector) return undefined;
  const ready: Record<string, unknown>[] = [];
  const notReady: Record<string, unknown>[] = [];
  const ports = ((svc.spec as { ports?: ServicePort[] }).ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' }));
  const resolved = new Map<string, number>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== svc.metadata.namespace || pod.metadata.deletionTimestamp) continue;
    if (!matches(pod.metadata.labels, selector)) continue;
    const status = statusOf(pod);
    if (!status.podIP || status.phase === 'Succeeded' || status.phase === 'Failed') continue;
    const spec = pod.spec as { nodeName?: string; containers?: { ports?: { name?: string; containerPort: number }[] }[] };
    // Named target ports resolve against the pod's container ports.
    for (const p of (svc.spec as { ports?: ServicePort[] }).ports ?? []) {
      if (typeof p.targetPort === 'string') {
        const found = spec.containers?.flatMap((c) => c.ports ?? []).find((cp) => cp.name === p.targetPort);
        if (found) resolved.set(p.name ?? '', found.containerPort);
      }
    }
    const address = {
      ip: status.podIP,
      nodeName: spec.nodeName,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    (isPodReady(pod) ? ready : notReady).push(address);
  }
  const byIp = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.ip).localeCompare(String(b.ip));
  ready.sort(byIp);
  notReady.sort(byIp);
  const svcPorts = (svc.spec as { ports?: ServicePort[] }).ports ?? [];
  const subsetPorts = ports.map((p, i) => {
    const target = svcPorts[i]?.targetPort;
    const port = typeof target === 'number' ? target : typeof target === 'string' ? (resolved.get(p.name ?? '') ?? p.port) : p.port;
    const out: Record<string, unknown> = { port, protocol: p.protocol };
    if (p.name) out.name = p.name;
    return out;
  });
  const subset: Record<string, unknown> = {};
  if (ready.length) subset.addresses = ready;
  if (notReady.length) subset.notReadyAddresses = notReady;
  subset.ports = subsetPorts;
  const labels = { ...(svc.metadata.labels ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels },
    subsets: ready.length || notReady.length ? [subset] : [],
  };
}

/** Whether a pod change can change any Endpoints: what endpointsFor reads of a pod. */
function addressInputsChanged(event: StoreEvent): boolean {
  const { old, object: now } = event;
  if (event.type !== 'MODIFIED' || !old) return true;
  if (!sameJson(old.metadata.labels ?? {}, now.metadata.labels ?? {})) return true;
  if (old.metadata.deletionTimestamp !== now.metadata.deletionTimestamp || old.metadata.uid !== now.metadata.uid) return true;
  if (old.spec !== now.spec) {
    const a = old.spec as { nodeName?: string; containers?: unknown } | undefined;
    const b = now.spec as { nodeName?: string; containers?: unknown } | undefined;
    if (a?.nodeName !== b?.nodeName || a?.containers !== b?.containers) return true;
  }
  if (old.status !== now.status) {
    const a = statusOf(old);
    const b = statusOf(now);
    if (a.podIP !== b.podIP || a.phase !== b.phase || isPodReady(old) !== isPodReady(now)) return true;
  }
  return false;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  /** Services with a selector, by namespace: a pod change looks only at its own namespace's. */
  private readonly selecting = new Map<string, Map<string, KubeObject>>();

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const svc of this.ctx.cache.all('services')) {
      this.track(svc, false);
      this.ctx.queue.add(this.name, nsName(svc));
    }
  }

  stop(): void {}

  onEvent(event: StoreEvent): void {
    if (event.resource === 'services') {
      this.track(event.object, event.type === 'DELETED');
      this.ctx.queue.add(this.name, nsName(event.object));
    } else if (event.resource === 'pods') {
      const services = this.selecting.get(event.object.metadata.namespace ?? '');
      if (!services || !addressInputsChanged(event)) return;
      for (const svc of services.values()) {
        const selector = selectorOf(svc) as Record<string, string>;
        if (matches(event.object.metadata.labels, selector) || (event.old && matches(event.old.metadata.labels, selector))) {
          this.ctx.queue.add(this.name, nsName(svc));
        }
      }
    }
  }

  private track(svc: KubeObject, deleted: boolean): void {
    const ns = svc.metadata.namespace ?? '';
    let services = this.selecting.get(ns);
    if (deleted || !selectorOf(svc)) {
      services?.delete(svc.metadata.name);
      return;
    }
    if (!services) this.selecting.set(ns, (services = new Map()));
    services.set(svc.metadata.name, svc);
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.ctx.cache.get('services', namespace, name);
    const current = this.ctx.store.peekOne('endpoints', namespace, name);
    if (!svc) {
      if (current) this.ctx.store.delete('endpoints', namespace, name);
      return;
    }
    const wanted = endpointsFor(svc, this.ctx.cache.podsInNamespace(namespace));
    if (!wanted) return;
    if (!current) {
      this.ctx.store.create('endpoints', wanted);
      return;
    }
    // Compared in place: the wanted subsets are fresh, so a canonical string of them (thousands of
    // addresses for a big Service) was rebuilt on every sync only to find nothing changed.
    if (sameJson(current.subsets ?? [], wanted.subsets)) return;
    this.ctx.store.mutate('endpoints', namespace, name, (ep) => {
      ep.subsets = wanted.subsets;
    });
  }
}

/** JSON equality with undefined members taken as absent (a stored object has them dropped). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let nx = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    nx++;
    if (!sameJson(x[k], y[k])) return false;
  }
  let ny = 0;
  for (const k in y) if (y[k] !== undefined) ny++;
  return nx === ny;
}
