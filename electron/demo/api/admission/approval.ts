// A CertificateSigningRequest's approval (certificates validation.go): Approved and Denied exclude
// each other, are True when present, and once given cannot be taken back.
import { invalid } from '../status.js';
import type { ResourceDef } from '../registry.js';
import type { Cause } from '../validation.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects are untyped JSON
type Loose = any;

/** Throws the 422 the apiserver gives an approval write `next` that breaks the rules against `current`. */
export function checkApproval(r: ResourceDef, next: Loose, current: Loose): void {
  const conditions: Loose[] = Array.isArray(next?.status?.conditions) ? next.status.conditions : [];
  const causes: Cause[] = [];
  const types = conditions.map((c) => c?.type);
  conditions.forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if ((c?.type === 'Approved' || c?.type === 'Denied') && c.status !== 'True') {
      causes.push({ reason: 'FieldValueNotSupported', field: `${at}.status`, message: `Unsupported value: ${JSON.stringify(c.status ?? '')}: supported values: "True"` });
    }
    if (c?.type === 'Denied' && types.includes('Approved')) causes.push({ reason: 'FieldValueInvalid', field: `${at}.type`, message: 'Invalid value: "Denied": Approved and Denied conditions are mutually exclusive' });
  });
  for (const was of (current?.status?.conditions ?? []) as Loose[]) {
    if ((was.type === 'Approved' || was.type === 'Denied') && !types.includes(was.type)) {
      causes.push({ reason: 'FieldValueForbidden', field: 'status.conditions', message: `Forbidden: updates may not remove a condition of type ${JSON.stringify(was.type)}` });
    }
  }
  if (causes.length) throw invalid(r, next?.metadata?.name ?? '', causes);
}
