// Size caps for what callers send. Kubernetes bounds its own names (a DNS subdomain is at most
// 253 characters, a namespace or a label value a DNS label of 63); free text and action params
// get a few kilobytes. Without caps a 400 KB name went through to the audit log as megabyte lines.
import { z } from 'zod';

export const LIMITS = {
  /** Object names (DNS subdomain, RFC 1123). */
  name: 253,
  /** Namespaces and label values (DNS label). */
  namespace: 63,
  labelValue: 63,
  /** Kinds and action names: short identifiers. */
  identifier: 100,
  /** kubeconfig context names are free-form (EKS ARNs, GKE triples): generous but bounded. */
  context: 512,
  /** Free text: filters, comments, patterns, confirmation text. */
  text: 4_096,
  url: 2_048,
  /** Credentials (a JWT bearer token can be a few KB). */
  secret: 16_384,
  /** Action params, as JSON. */
  paramsBytes: 16_384,
} as const;

export const kubeName = () => z.string().min(1).max(LIMITS.name);
export const namespaceName = () => z.string().min(1).max(LIMITS.namespace);
export const identifier = () => z.string().min(1).max(LIMITS.identifier);
export const contextName = () => z.string().min(1).max(LIMITS.context);
/** A context field that tolerates '' (methods that answer an empty result for it). */
export const contextField = () => z.string().max(LIMITS.context);
export const freeText = (max: number = LIMITS.text) => z.string().max(max);

const jsonBytes = (value: unknown): number => {
  try {
    return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
  } catch {
    return Infinity; // not JSON (a cycle, a BigInt): too big to record, too odd to act on
  }
};

/** A JSON object of at most `maxBytes` once serialized. */
export const boundedRecord = (maxBytes: number = LIMITS.paramsBytes) =>
  z.record(z.string(), z.unknown()).refine((value) => jsonBytes(value) <= maxBytes, { message: `must be at most ${maxBytes} bytes as JSON` });
