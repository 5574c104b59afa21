// Shared pieces of the rollout plans: API paths and RBAC attributes per kind, a local preview of
// what a patch does (so the dialog can show a spec diff before anything is sent), and the diff text.
import { createTwoFilesPatch, diffLines } from 'diff';
import { stringify } from 'yaml';
import fastJsonPatch from 'fast-json-patch';
import type { AccessCheck, PlannedRequest } from '../../../shared/contract/actions.js';
import type { WorkloadKind } from '../../../shared/contract/rollouts.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { redactObject } from '../secrets/index.js';
import { KINDS, objectPath as kindObjectPath } from '../kube/index.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export function objectPath(kind: WorkloadKind, namespace: string, name: string, subresource?: string): string {
  return kindObjectPath(KINDS[kind], namespace, name, subresource);
}

export function access(kind: WorkloadKind, namespace: string, name: string, verb: string, subresource?: string): AccessCheck {
  const { group, plural } = KINDS[kind];
  return { verb, group, resource: plural, ...(subresource ? { subresource } : {}), namespace, name };
}

export const getRequest = (kind: WorkloadKind, namespace: string, name: string): PlannedRequest => ({ method: 'GET', path: objectPath(kind, namespace, name) });

export function patchRequest(kind: WorkloadKind, namespace: string, name: string, contentType: string, body: unknown, options: { subresource?: string; fieldManager?: string } = {}): PlannedRequest {
  const query = options.fieldManager ? `?fieldManager=${encodeURIComponent(options.fieldManager)}` : '';
  return { method: 'PATCH', path: objectPath(kind, namespace, name, options.subresource) + query, contentType, body };
}

/** RFC 7386 merge patch; strategic merge behaves the same for the map-only patches we send. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

/** What the object would look like after the plan's patches (status patches included). */
export function previewAfter(live: KubeObject, requests: PlannedRequest[]): KubeObject {
  let after: unknown = structuredClone(live);
  for (const r of requests) {
    if (r.method !== 'PATCH') continue;
    if (r.contentType === JSON_PATCH) {
      after = fastJsonPatch.applyPatch(after, structuredClone(r.body) as fastJsonPatch.Operation[], false, false).newDocument;
    } else {
      after = mergePatch(after, r.body);
    }
  }
  return after as KubeObject;
}

/** YAML of the parts an SRE cares about: annotations, spec, and status when the patch touches it; secrets redacted. */
function visible(live: KubeObject, withStatus: boolean): string {
  const o = redactObject(live);
  const view: Record<string, unknown> = { metadata: { annotations: o.metadata.annotations ?? {} }, spec: o.spec };
  if (withStatus) view.status = o.status;
  return stringify(view, { sortMapEntries: true, lineWidth: 0 });
}

export function specDiff(live: KubeObject, requests: PlannedRequest[]): string {
  const touchesStatus = requests.some((r) => r.path.split('?')[0].endsWith('/status'));
  const after = previewAfter(live, requests);
  const label = `${live.kind ?? 'object'}/${live.metadata.name}`;
  return createTwoFilesPatch(`${label} (live)`, `${label} (after)`, visible(live, touchesStatus), visible(after, touchesStatus), undefined, undefined, { context: 3 });
}

export interface SideBySideRow {
  left: string | null;
  right: string | null;
  change: 'same' | 'removed' | 'added' | 'changed';
}

/** Rows for a two-column diff: removed lines pair with the added lines that replace them. */
export function sideBySide(before: string, after: string): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  const parts = diffLines(before, after);
  const lines = (value: string) => value.replace(/\n$/, '').split('\n');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const line of lines(part.value)) rows.push({ left: line, right: line, change: 'same' });
    } else if (part.removed && parts[i + 1]?.added) {
      const left = lines(part.value);
      const right = lines(parts[i + 1].value);
      for (let j = 0; j < Math.max(left.length, right.length); j++) {
        const l = left[j] ?? null;
        const r = right[j] ?? null;
        rows.push({ left: l, right: r, change: l === null ? 'added' : r === null ? 'removed' : 'changed' });
      }
      i++;
    } else if (part.removed) {
      for (const line of lines(part.value)) rows.push({ left: line, right: null, change: 'removed' });
    } else {
      for (const line of lines(part.value)) rows.push({ left: null, right: line, change: 'added' });
    }
  }
  return rows;
}

/** RFC 3339 in UTC at second precision, as kubectl and the argo plugin format their timestamps. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
