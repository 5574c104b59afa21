// Node objects for the demo fleet: GPU nodes in two pools (A100 and H100, 8 GPUs each) and CPU nodes,
// labelled as NVIDIA GPU feature discovery and the cloud provider label them.
import type { KubeObject } from '../store.js';
import type { Random } from '../random.js';

export type Pool = 'a100' | 'h100' | 'cpu';

export const POOL_LABEL = 'flightdeck.dev/gpu-pool';
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

interface PoolShape {
  product?: string;
  instanceType: string;
  cpu: number;
  memoryGi: number;
  gpuMemoryMiB?: number;
  computeMajor?: string;
  computeMinor?: string;
}

export const POOLS: Record<Pool, PoolShape> = {
  a100: { product: 'NVIDIA-A100-SXM4-80GB', instanceType: 'p4de.24xlarge', cpu: 96, memoryGi: 1152, gpuMemoryMiB: 81920, computeMajor: '8', computeMinor: '0' },
  h100: { product: 'NVIDIA-H100-80GB-HBM3', instanceType: 'p5.48xlarge', cpu: 192, memoryGi: 2048, gpuMemoryMiB: 81559, computeMajor: '9', computeMinor: '0' },
  cpu: { instanceType: 'm6i.8xlarge', cpu: 32, memoryGi: 128 },
};

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export function nodeName(pool: Pool, ordinal: number): string {
  return `${pool === 'cpu' ? 'cpu' : `gpu-${pool}`}-${String(ordinal).padStart(3, '0')}`;
}

/** `index` is the node's position in the whole fleet; it fixes its IP and pod CIDR. */
export function buildNode(pool: Pool, ordinal: number, index: number, rng: Random, createdIso: string): KubeObject {
  const shape = POOLS[pool];
  const name = nodeName(pool, ordinal);
  const zone = ZONES[index % ZONES.length];
  const ip = `10.0.${64 + (index >> 8)}.${index & 255}`;
  const podCIDR = `10.${64 + (index >> 8)}.${index & 255}.0/24`;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': shape.instanceType,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': shape.instanceType,
    'topology.kubernetes.io/region': 'us-east-1',
    'topology.kubernetes.io/zone': zone,
    [POOL_LABEL]: pool,
  };
  const capacity: Record<string, string> = {
    cpu: String(shape.cpu),
    'ephemeral-storage': '3905109820Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${shape.memoryGi * 1048576}Ki`,
    pods: '110',
  };
  const allocatable: Record<string, string> = {
    cpu: `${shape.cpu * 1000 - 310}m`,
    'ephemeral-storage': '3597799105682',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${shape.memoryGi * 1048576 - 4327224}Ki`,
    pods: '110',
  };
  if (shape.product) {
    Object.assign(labels, {
      [GPU_PRODUCT_LABEL]: shape.product,
      'nvidia.com/gpu.count': '8',
      'nvidia.com/gpu.memory': String(shape.gpuMemoryMiB),
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.family': pool === 'a100' ? 'ampere' : 'hopper',
      'nvidia.com/gpu.compute.major': shape.computeMajor as string,
      'nvidia.com/gpu.compute.minor': shape.computeMinor as string,
      'nvidia.com/cuda.driver.major': '535',
      'nvidia.com/cuda.driver.minor': '161',
      'nvidia.com/cuda.driver.rev': '08',
      'nvidia.com/cuda.runtime.major': '12',
      'nvidia.com/cuda.runtime.minor': '2',
      'nvidia.com/mig.capable': 'true',
      'nvidia.com/gpu.deploy.dcgm-exporter': 'true',
    });
    capacity['nvidia.com/gpu'] = '8';
    allocatable['nvidia.com/gpu'] = '8';
  }
  const instanceId = `i-0${rng.hex(16)}`;
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: createdIso,
    lastTransitionTime: createdIso,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      creationTimestamp: createdIso,
    },
    spec: { podCIDR, podCIDRs: [podCIDR], providerID: `aws:///${zone}/${instanceId}` },
    status: {
      capacity,
      allocatable,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'InternalDNS', address: `ip-${ip.replace(/\./g, '-')}.ec2.internal` },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: rng.hex(32),
        systemUUID: `ec2${rng.hex(5)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
        bootID: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
        kernelVersion: '5.15.0-1066-aws',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: 'v1.32.2',
        kubeProxyVersion: 'v1.32.2',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function buildNamespace(name: string, createdIso: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name }, creationTimestamp: createdIso },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}
