// What the details panel adds from what it already has: a node's capacity, allocatable resources
// and taints read from its (redacted) YAML, and the pods of a node or a workload from the live graph.
import { parse } from 'yaml';
import type { TopoElement } from '../../../shared/contract/topology';

export interface NodeResources {
  /** resource -> [capacity, allocatable], e.g. ['nvidia.com/gpu', ['8', '8']]. */
  resources: Array<[string, string, string]>;
  taints: string[];
}

interface NodeShape {
  spec?: { taints?: Array<{ key?: string; value?: string; effect?: string }> };
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

export function nodeResources(yamlText: string): NodeResources {
  let node: NodeShape;
  try {
    node = (parse(yamlText) ?? {}) as NodeShape;
  } catch {
    return { resources: [], taints: [] };
  }
  const capacity = node.status?.capacity ?? {};
  const allocatable = node.status?.allocatable ?? {};
  const names = [...new Set([...Object.keys(capacity), ...Object.keys(allocatable)])].sort();
  return {
    resources: names.map((n) => [n, capacity[n] ?? '—', allocatable[n] ?? '—']),
    taints: (node.spec?.taints ?? []).map((t) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`),
  };
}

/** Pods on a node, or owned by a workload (directly, or through its ReplicaSets), by name. */
export function podsOf(elements: Iterable<TopoElement>, id: string): TopoElement[] {
  const all = [...elements];
  const owners = new Set([id]);
  if (!id.startsWith('node/')) for (const e of all) if (e.k === 'rs' && e.o === id) owners.add(e.id);
  return all.filter((e) => e.k === 'pod' && (id.startsWith('node/') ? e.on === id : e.o !== undefined && owners.has(e.o))).sort((a, b) => a.n.localeCompare(b.n));
}
