// Shared pieces of the callout rules: which GPU a series belongs to (one callout per GPU and kind),
// series matched across queries by their label set, and number formatting for the messages.
import type { GpuIdentity } from '../../../shared/model/gpu-labels.js';
import { gpuIdentity, sampleValue } from '../../../shared/model/gpu-labels.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';

/**
 * One GPU: node + index + UUID when present. `uuid ?? gpu` was not enough: an exporter without
 * UUIDs writes `''`, and every GPU of the fleet then shared one key.
 */
export const gpuCalloutKey = (id: Pick<GpuIdentity, 'node' | 'gpu' | 'uuid'>): string => `${id.node}|${id.gpu}|${id.uuid}`;

/** A series' label set without its name (`*_over_time` drops the name): matches it across queries. */
export function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

export interface GpuSeries {
  id: GpuIdentity;
  value: number;
  labels: Record<string, string>;
}

/** Series grouped by GPU, blanks and unparsable values dropped. */
export function byGpu(samples: readonly InstantValue[], exporterPods?: ReadonlySet<string>): Map<string, GpuSeries[]> {
  const out = new Map<string, GpuSeries[]>();
  for (const s of samples) {
    const id = gpuIdentity(s.labels, exporterPods);
    const value = sampleValue(s.value);
    if (!id || !Number.isFinite(value)) continue;
    const key = gpuCalloutKey(id);
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({ id, value, labels: s.labels });
  }
  return out;
}

export const round1 = (v: number): number => Math.round(v * 10) / 10;
export const round2 = (v: number): number => Math.round(v * 100) / 100;
export const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;
/** Hours for a person: "24 h", "7.5 h", "20 min". */
export const hoursText = (h: number): string => (h >= 1 ? `${round1(h)} h` : `${Math.round(h * 60)} min`);
