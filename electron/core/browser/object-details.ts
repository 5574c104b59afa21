// One object for the details panel: its YAML (secrets redacted), what an edit starts from (no
// status, no server-set metadata), its status conditions, and the events about it.
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { getJson } from '../kube/index.js';
import { redactObject } from '../secrets/index.js';
import { LAST_APPLIED_ANNOTATION } from '../../../shared/model/redact.js';
import type { MethodResponse } from '../../../shared/contract.js';
import type { ResourceRef } from '../../../shared/contract/browser.js';
import { collectionUrl } from './live-table.js';

type KubeObject = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: Record<string, unknown>; status?: unknown };

const SERVER_SET_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export const objectUrl = (ref: ResourceRef, name: string): string => `${collectionUrl(ref)}/${encodeURIComponent(name)}`;

/** What a server-side apply of this object may carry: the fields a person set, not the server's. */
export function editableOf(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const metadata = { ...(object.metadata ?? {}) };
  for (const key of SERVER_SET_METADATA) delete metadata[key];
  // kubectl's client-side record belongs to kubectl; sending it (redacted, re-serialized) would
  // conflict with its owner on every apply.
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...rest, metadata };
}

const withoutManagedFields = (metadata: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
  if (!metadata) return metadata;
  const { managedFields: _managedFields, ...rest } = metadata;
  return rest;
};

export const toYaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

interface EventItem {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
}

export async function objectDetails(kc: KubeConfig, ref: ResourceRef, name: string): Promise<MethodResponse<'browser.details'>> {
  const object = await getJson<KubeObject>(kc, objectUrl(ref, name));
  const redacted = redactObject(object);
  const conditions = ((object.status as { conditions?: unknown } | undefined)?.conditions ?? []) as Array<Record<string, unknown>>;
  const selector = [`involvedObject.name=${name}`, `involvedObject.kind=${object.kind ?? ''}`].join(',');
  const eventsPath = `${ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}` : '/api/v1'}/events?fieldSelector=${encodeURIComponent(selector)}`;
  // Events are a help, not the answer: a user who may not list them still sees the object.
  const events = await getJson<{ items?: EventItem[] }>(kc, eventsPath).catch(() => ({ items: [] }));
  return {
    // As `kubectl get -o yaml` shows it: managedFields only on request (the edit's dry-run diff and
    // conflicts name the managers where they matter).
    yaml: toYaml({ ...redacted, metadata: withoutManagedFields(redacted.metadata) }),
    editableYaml: toYaml(redactObject(editableOf(object))),
    conditions: Array.isArray(conditions)
      ? conditions.map((c) => ({
          type: String(c.type ?? ''),
          status: String(c.status ?? ''),
          reason: typeof c.reason === 'string' ? c.reason : undefined,
          message: typeof c.message === 'string' ? c.message : undefined,
          lastTransitionTime: typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : undefined,
        }))
      : [],
    events: (events.items ?? [])
      .map((e) => ({
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        count: e.series?.count ?? e.count ?? 1,
        lastSeen: e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime,
      }))
      .sort((a, b) => String(b.lastSeen ?? '').localeCompare(String(a.lastSeen ?? ''))),
  };
}
