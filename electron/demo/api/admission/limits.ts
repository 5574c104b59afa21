// LimitRange admission (plugin/pkg/admission/limitranger) for pods: containers without resources
// get the namespace's Container defaults (default -> limits, defaultRequest -> requests, and a
// request defaults to the limit), and a container over a Container max or under a min is refused
// with the apiserver's 403 wording: `maximum cpu usage per Container is 2, but limit is 4`.
import type { ObjectStore } from '../../store.js';
import { parseQuantity } from '../../sim/quantity.js';
import { ApiError, statusBody } from '../status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are untyped JSON
type Loose = any;

/** Defaults and checks `pod` (mutated) against the LimitRanges of its namespace. */
export function admitLimits(store: ObjectStore, pod: Loose): void {
  const ns = pod.metadata?.namespace;
  const items: Loose[] = [...store.peek('limitranges')]
    .filter((l) => l.metadata.namespace === ns)
    .flatMap((l) => ((l as Loose).spec?.limits ?? []) as Loose[])
    .filter((i) => i.type === 'Container');
  if (!items.length) return;
  const containers: Loose[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    const res = (c.resources ??= {});
    for (const item of items) {
      for (const [name, q] of Object.entries((item.default ?? {}) as Record<string, string>)) {
        res.limits ??= {};
        if (res.limits[name] === undefined) res.limits[name] = q;
      }
      for (const [name, q] of Object.entries((item.defaultRequest ?? item.default ?? {}) as Record<string, string>)) {
        res.requests ??= {};
        if (res.requests[name] === undefined) res.requests[name] = res.limits?.[name] !== undefined && !(item.defaultRequest?.[name]) ? res.limits[name] : q;
      }
    }
  }
  const errors: string[] = [];
  for (const item of items) {
    for (const c of containers) {
      for (const [name, max] of Object.entries((item.max ?? {}) as Record<string, string>)) {
        const limit = c.resources?.limits?.[name];
        if (limit === undefined) errors.push(`maximum ${name} usage per Container is ${max}.  No limit is specified`);
        else if (parseQuantity(limit) > parseQuantity(max)) errors.push(`maximum ${name} usage per Container is ${max}, but limit is ${limit}`);
      }
      for (const [name, min] of Object.entries((item.min ?? {}) as Record<string, string>)) {
        const request = c.resources?.requests?.[name];
        if (request === undefined) errors.push(`minimum ${name} usage per Container is ${min}.  No request is specified`);
        else if (parseQuantity(request) < parseQuantity(min)) errors.push(`minimum ${name} usage per Container is ${min}, but request is ${request}`);
      }
    }
  }
  if (errors.length) {
    const name = pod.metadata?.name ?? pod.metadata?.generateName ?? '';
    throw new ApiError(statusBody(403, 'Forbidden', `pods "${name}" is forbidden: [${errors.join(', ')}]`, { name, kind: 'pods' }));
  }
}
