// The GPUs a pod sees, as nvidia-smi inside it reports them: identities (UUID, bus id, driver) from
// the metrics inventory so they match the DCGM exporter, and readings that follow the workload
// (training near full load, inference in bursts, idle otherwise).
import type { KubeObject, ObjectStore } from '../store.js';
import { buildGpuNode, DRIVER_VERSION, modelNameFromProduct, modelSpec } from '../metrics/gpu-inventory.js';
import { fnv32a, randomFor } from '../random.js';
import { GPU_DEVICES_ANNOTATION, podRequests } from '../controllers/placement.js';

export interface GpuProcess {
  pid: number;
  name: string;
  memoryMiB: number;
}

export interface GpuReading {
  index: number;
  name: string;
  uuid: string;
  busId: string;
  memoryTotalMiB: number;
  memoryUsedMiB: number;
  utilization: number;
  temperature: number;
  powerW: number;
  powerCapW: number;
  perf: string;
  processes: GpuProcess[];
}

export { DRIVER_VERSION };

/** What NVML calls the GPU, from the feature-discovery product label. */
export function nvmlName(product: string): string {
  const known: Record<string, string> = {
    'NVIDIA-H100-80GB-HBM3': 'NVIDIA H100 80GB HBM3',
    'NVIDIA-A100-SXM4-80GB': 'NVIDIA A100-SXM4-80GB',
    'NVIDIA-A100-SXM4-40GB': 'NVIDIA A100-SXM4-40GB',
    'NVIDIA-L4': 'NVIDIA L4',
  };
  return known[product] ?? modelNameFromProduct(product);
}
export const CUDA_VERSION = '12.2';
const PCI_BUSES = ['07', '0F', '47', '4E', '87', '90', 'B7', 'BD'];

type Kind = 'training' | 'llm' | 'embedding' | 'other';

function kindOf(pod: KubeObject): Kind {
  const image = ((pod.spec as { containers?: { image: string }[] }).containers ?? []).map((c) => c.image).join(' ');
  if (pod.metadata.labels?.['app.kubernetes.io/component'] === 'training' || image.includes('pytorch')) return 'training';
  if (image.includes('vllm')) return 'llm';
  if (image.includes('text-embeddings')) return 'embedding';
  return 'other';
}

/** GPU indices the pod holds on its node: the scheduler's annotation, else the first N. */
export function podGpuIndices(pod: KubeObject): number[] {
  const ann = pod.metadata.annotations?.[GPU_DEVICES_ANNOTATION];
  if (ann) return ann.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n));
  return Array.from({ length: podRequests(pod).gpu }, (_, i) => i);
}

export function podGpus(store: ObjectStore, pod: KubeObject, seed: number, now: number): GpuReading[] {
  const nodeName = (pod.spec as { nodeName?: string }).nodeName;
  const indices = podGpuIndices(pod);
  if (!nodeName || indices.length === 0) return [];
  const node = store.peekOne('nodes', undefined, nodeName);
  const product = node?.metadata.labels?.['nvidia.com/gpu.product'] ?? 'NVIDIA-A100-SXM4-80GB';
  const spec = modelSpec(product);
  const uuids = new Map<number, string>();
  // Only the UUIDs are wanted: the node's own GPUs, without deriving the whole fleet's holders.
  const inventoryNode = node && buildGpuNode(node, [], seed);
  for (const g of inventoryNode?.gpus ?? []) uuids.set(g.index, g.uuid);
  const kind = kindOf(pod);
  const step = Math.floor(now / 5_000);
  const pid = 40 + (fnv32a(pod.metadata.name) % 60);
  return indices.map((index, rank) => {
    const rng = randomFor(seed, nodeName, index, step);
    const burst = 0.5 + 0.5 * Math.sin(now / 47_000 + index);
    const utilization = kind === 'training' ? rng.int(91, 99) : kind === 'llm' ? Math.round(25 + 60 * burst * rng.range(0.7, 1)) : kind === 'embedding' ? Math.round(10 + 45 * burst * rng.range(0.5, 1)) : rng.int(0, 8);
    const memoryUsedMiB = kind === 'training' ? Math.round(spec.memoryMiB * rng.range(0.86, 0.93)) : kind === 'llm' ? Math.round(spec.memoryMiB * 0.9) : kind === 'embedding' ? rng.int(3100, 5200) : rng.int(0, 900);
    const temperature = Math.round(31 + utilization * 0.4 + rng.range(-2, 2));
    const powerW = Math.round(spec.idlePowerW + (spec.maxPowerW - spec.idlePowerW) * (utilization / 100) * rng.range(0.85, 1));
    const procName = kind === 'training' ? '/usr/bin/python' : kind === 'llm' ? 'python3' : kind === 'embedding' ? 'text-embeddings-router' : 'python3';
    // One process per GPU: a training rank, or a tensor-parallel worker.
    const processes: GpuProcess[] = memoryUsedMiB > 1000 ? [{ pid: pid + rank, name: procName, memoryMiB: memoryUsedMiB - 4 }] : [];
    return {
      index,
      name: nvmlName(product),
      uuid: uuids.get(index) ?? `GPU-${fnv32a(`${nodeName}#${index}`).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`,
      busId: `00000000:${PCI_BUSES[index % PCI_BUSES.length]}:00.0`,
      memoryTotalMiB: spec.memoryMiB,
      memoryUsedMiB,
      utilization,
      temperature,
      powerW,
      powerCapW: spec.maxPowerW,
      perf: 'P0',
      processes,
    };
  });
}
