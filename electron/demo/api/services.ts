// A Service's cluster IPs as the apiserver's service registry handles them: allocation on create
// (pkg/registry/core/service/ipallocator, reduced), keeping allocated values a client left out of
// an update, keeping clusterIP and clusterIPs in step, and refusing to change them once set
// (validation's validateUpgradeDowngradeClusterIPs), with its messages.
import type { KubeObject } from '../store.js';
import type { StatusCause } from './status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are arbitrary JSON trees
type Json = any;

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const specOf = (svc: Json): Record<string, Json> => (isObj(svc.spec) ? svc.spec : (svc.spec = {}));
const ipsOf = (svc: Json): string[] => (Array.isArray(svc?.spec?.clusterIPs) ? svc.spec.clusterIPs : []);
const isExternalName = (svc: Json) => svc?.spec?.type === 'ExternalName';
const isHeadless = (svc: Json) => ipsOf(svc).length === 1 && ipsOf(svc)[0] === 'None';
const sameIps = (a: Json, b: Json) => JSON.stringify(ipsOf(a)) === JSON.stringify(ipsOf(b));

/** A []string as Go's %#v prints it in field errors: `[]string{"10.96.0.12"}`. */
const goStrings = (list: string[]) => (list.length ? `[]string{${list.map((s) => JSON.stringify(s)).join(', ')}}` : '[]string(nil)');

/** A free address in 10.96.0.0/16 for a new Service, unless it is headless, ExternalName or names its own. */
export function allocateClusterIp(svc: Json, services: Iterable<KubeObject>): void {
  const spec = specOf(svc);
  if (spec.type === 'ExternalName') return;
  if (!spec.clusterIP && ipsOf(svc).length) spec.clusterIP = ipsOf(svc)[0];
  if (spec.clusterIP) {
    if (!ipsOf(svc).length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const used = new Set<string>();
  for (const s of services) {
    const ip = (s as Json).spec?.clusterIP;
    if (ip) used.add(ip);
  }
  for (let i = 0; i < 65_000; i++) {
    const n = 10 + Math.floor(Math.random() * 65_000);
    const ip = `10.96.${n >> 8}.${n & 255}`;
    if (!used.has(ip)) {
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return;
    }
  }
}

/**
 * The registry's beginUpdate for a Service (patchAllocatedValues, then normalizeClusterIPs): an
 * update that leaves the cluster IPs out keeps the allocated ones, and a change of clusterIP alone
 * carries over to clusterIPs (where validation then refuses it). Mutates `next`.
 */
export function keepAllocatedValues(old: Json, next: Json): void {
  if (isExternalName(old) || isExternalName(next)) return;
  const spec = specOf(next);
  const oldSpec = old.spec ?? {};
  if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
  if (!ipsOf(next).length && ipsOf(old).length) spec.clusterIPs = [...ipsOf(old)];
  if (oldSpec.clusterIP !== spec.clusterIP && spec.clusterIP && sameIps(old, next)) spec.clusterIPs = [spec.clusterIP];
}

/** ValidateServiceClusterIPsRelatedFields (the linked-field part) and, for an update, the immutability of the cluster IPs. */
export function serviceCauses(svc: Json, old: Json | undefined): Required<StatusCause>[] {
  if (isExternalName(svc)) return [];
  const causes: Required<StatusCause>[] = [];
  const ips = ipsOf(svc);
  const clusterIP = svc.spec?.clusterIP;
  if (clusterIP && ips.length && ips[0] !== clusterIP) {
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: ${goStrings(ips)}: first value must match \`clusterIP\`` });
  }
  if (!old || isExternalName(old) || (isHeadless(old) && isHeadless(svc))) return causes;
  const before = ipsOf(old);
  const changed = (i: number) => causes.push({ reason: 'FieldValueInvalid', field: `spec.clusterIPs[${i}]`, message: `Invalid value: ${goStrings(ips)}: may not change once set` });
  if (before.length === ips.length) before.forEach((ip, i) => ip !== ips[i] && changed(i));
  else if (!ips.length) causes.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: ${goStrings(ips)}: primary clusterIP can not be unset` });
  else if (before.length && ips[0] !== before[0]) changed(0);
  return causes;
}
