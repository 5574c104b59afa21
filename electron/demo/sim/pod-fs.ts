// What a shell inside a simulated container can see: environment, a small read-only file system
// (/etc, /proc, the service-account mount) and a process table, all derived from the pod, its node
// and its namespace's services.
import type { KubeObject, ObjectStore } from '../store.js';
import type { ContainerSpec } from '../controllers/template.js';
import type { PodStatus } from '../controllers/pod-status.js';
import { milliCpu, bytes } from './quantity.js';
import { DRIVER_VERSION } from './gpu-view.js';

export interface PodView {
  pod: KubeObject;
  container: ContainerSpec;
  hostname: string;
  env: Map<string, string>;
  /** Absolute path -> contents. Directories are implied by paths, plus `dirs`. */
  files: Map<string, string>;
  dirs: Set<string>;
  processes: { pid: number; ppid: number; user: string; cmd: string; start: string; time: string; cpu: number; rssKb: number; vszKb: number }[];
  node?: KubeObject;
  gpuImage: boolean;
}

const ROOT_DIRS = ['/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var'];

function defaultCommand(c: ContainerSpec): string[] {
  const cmd = [...(c.command ?? []), ...(c.args ?? [])];
  if (c.command?.length) return cmd;
  const image = c.image;
  const base = image.includes('vllm') ? ['python3', '-m', 'vllm.entrypoints.openai.api_server']
    : image.includes('text-embeddings-inference') ? ['text-embeddings-router']
    : image.includes('prometheus/prometheus') ? ['/bin/prometheus']
    : image.includes('alertmanager') ? ['/bin/alertmanager']
    : image.includes('grafana') ? ['grafana', 'server']
    : image.includes('coredns') ? ['/coredns']
    : image.includes('dcgm-exporter') ? ['/usr/bin/dcgm-exporter']
    : image.includes('node-exporter') ? ['/bin/node_exporter']
    : image.includes('device-plugin') ? ['nvidia-device-plugin']
    : image.includes('nginx') ? ['nginx', '-g', 'daemon off;']
    : [`/app/${c.name}`];
  return [...base, ...(c.args ?? [])];
}

function serviceEnvName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

export function podView(store: ObjectStore, pod: KubeObject, containerName: string): PodView {
  const spec = pod.spec as { containers: ContainerSpec[]; nodeName?: string; hostname?: string; enableServiceLinks?: boolean };
  const container = spec.containers.find((c) => c.name === containerName) ?? spec.containers[0];
  const status = (pod.status ?? {}) as PodStatus;
  const ns = pod.metadata.namespace ?? 'default';
  const hostname = spec.hostname ?? pod.metadata.name;
  const node = spec.nodeName ? store.peekOne('nodes', undefined, spec.nodeName) : undefined;
  const image = container.image;
  const gpuImage = /vllm|pytorch|cuda|nvidia|text-embeddings|tensorrt|triton/.test(image);
  const ubuntu = gpuImage;

  const env = new Map<string, string>();
  env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  env.set('HOSTNAME', hostname);
  for (const e of container.env ?? []) if (e.value !== undefined) env.set(e.name, e.value);
  if (gpuImage) {
    env.set('CUDA_VERSION', '12.2.2');
    env.set('NVIDIA_DRIVER_CAPABILITIES', 'compute,utility');
    env.set('NVIDIA_VISIBLE_DEVICES', 'all');
  }
  env.set('KUBERNETES_SERVICE_HOST', '10.96.0.1');
  env.set('KUBERNETES_SERVICE_PORT', '443');
  env.set('KUBERNETES_SERVICE_PORT_HTTPS', '443');
  env.set('KUBERNETES_PORT', 'tcp://10.96.0.1:443');
  if (spec.enableServiceLinks !== false) {
    for (const svc of store.peek('services')) {
      if (svc.metadata.namespace !== ns) continue;
      const s = svc.spec as { clusterIP?: string; ports?: { port: number }[] };
      if (!s.clusterIP || s.clusterIP === 'None' || !s.ports?.length) continue;
      const n = serviceEnvName(svc.metadata.name);
      env.set(`${n}_SERVICE_HOST`, s.clusterIP);
      env.set(`${n}_SERVICE_PORT`, String(s.ports[0].port));
    }
  }
  env.set('HOME', '/root');

  const files = new Map<string, string>();
  const podIp = status.podIP ?? '10.244.0.2';
  files.set('/etc/hostname', `${hostname}\n`);
  files.set('/etc/hosts', `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIp}\t${hostname}\n`);
  files.set('/etc/resolv.conf', `search ${ns}.svc.cluster.local svc.cluster.local cluster.local ec2.internal\nnameserver 10.96.0.10\noptions ndots:5\n`);
  files.set('/etc/os-release', ubuntu
    ? 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=jammy\n'
    : 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n');
  const kernel = (node?.status as { nodeInfo?: { kernelVersion?: string } } | undefined)?.nodeInfo?.kernelVersion ?? '5.15.0-1066-aws';
  files.set('/proc/version', `Linux version ${kernel} (buildd@lcy02-amd64-031) (x86_64-linux-gnu-gcc-11 (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #76~20.04.1-Ubuntu SMP Mon Sep 9 16:36:49 UTC 2024\n`);
  const alloc = (node?.status as { capacity?: Record<string, string> } | undefined)?.capacity ?? {};
  const cpus = Math.max(1, Math.round(milliCpu(alloc.cpu ?? '4') / 1000));
  const memKb = Math.round(bytes(alloc.memory ?? '16Gi') / 1024);
  const cpuBlocks: string[] = [];
  for (let i = 0; i < Math.min(cpus, 256); i++) {
    cpuBlocks.push(`processor\t: ${i}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 106\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\ncpu MHz\t\t: 2899.998\ncache size\t: 55296 KB\nphysical id\t: ${i < cpus / 2 ? 0 : 1}\ncpu cores\t: ${Math.ceil(cpus / 4)}\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc avx avx2 avx512f\n`);
  }
  files.set('/proc/cpuinfo', cpuBlocks.join('\n'));
  files.set('/proc/meminfo', `MemTotal:       ${String(memKb).padStart(10)} kB\nMemFree:        ${String(Math.round(memKb * 0.41)).padStart(10)} kB\nMemAvailable:   ${String(Math.round(memKb * 0.78)).padStart(10)} kB\nBuffers:        ${String(Math.round(memKb * 0.01)).padStart(10)} kB\nCached:         ${String(Math.round(memKb * 0.33)).padStart(10)} kB\nSwapTotal:               0 kB\nSwapFree:                0 kB\n`);
  const cmd = defaultCommand(container);
  files.set('/proc/1/cmdline', cmd.join('\0') + '\0');
  files.set('/proc/loadavg', '3.12 2.87 2.64 4/1873 1042\n');
  files.set('/proc/uptime', '1834512.33 98123412.12\n');
  if (gpuImage) {
    files.set('/proc/driver/nvidia/version', `NVRM version: NVIDIA UNIX x86_64 Kernel Module  ${DRIVER_VERSION}  Fri Feb  9 04:47:26 UTC 2024\nGCC version:  gcc version 11.4.0 (Ubuntu 11.4.0-1ubuntu1~22.04)\n`);
  }
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  files.set(`${sa}/namespace`, ns);
  files.set(`${sa}/token`, 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImRlbW8ifQ.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMiLCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVtbzpkZWZhdWx0In0.c2ltdWxhdGVk');
  files.set(`${sa}/ca.crt`, '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n-----END CERTIFICATE-----\n');
  const dirs = new Set<string>(ROOT_DIRS);
  if (/pytorch/.test(image)) {
    dirs.add('/workspace');
    files.set('/workspace/train.py', '# training entrypoint (simulated)\n');
    files.set('/workspace/requirements.txt', 'torch==2.4.0\ntransformers==4.44.2\naccelerate==0.33.0\n');
    dirs.add('/checkpoints');
  } else if (/vllm|text-embeddings/.test(image)) {
    dirs.add('/models');
    files.set('/models/README', `Model weights are mounted read-only from the model cache.\n`);
  } else {
    dirs.add('/app');
    files.set(`/app/${container.name}`, '');
    files.set('/app/config.yaml', `listen: ":8080"\nlog_level: info\n`);
  }

  const startedAt = status.containerStatuses?.find((c) => c.name === container.name)?.state.running?.startedAt ?? status.startTime ?? new Date().toISOString();
  const start = startedAt.slice(11, 16);
  const processes: PodView['processes'] = [
    { pid: 1, ppid: 0, user: 'root', cmd: cmd.join(' '), start, time: '12:41', cpu: gpuImage ? 103 : 1.2, rssKb: gpuImage ? 18_432_112 : 48_212, vszKb: gpuImage ? 98_122_448 : 1_238_112 },
  ];
  if (/pytorch/.test(image)) {
    for (let r = 0; r < 8; r++) processes.push({ pid: 40 + r, ppid: 1, user: 'root', cmd: `/usr/bin/python -u train.py --local-rank=${r}`, start, time: '98:12', cpu: 99.1, rssKb: 24_118_212, vszKb: 120_118_448 });
  } else if (/vllm/.test(image)) {
    processes.push({ pid: 61, ppid: 1, user: 'root', cmd: 'python3 -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7) --multiprocessing-fork', start, time: '31:02', cpu: 47.3, rssKb: 9_812_004, vszKb: 61_223_004 });
  }
  return { pod, container, hostname, env, files, dirs, processes, node, gpuImage };
}

/** Every directory implied by the view's files and dirs, with its direct children. */
export function listDir(view: PodView, dir: string): string[] | undefined {
  const d = dir === '/' ? '' : dir.replace(/\/+$/, '');
  const children = new Set<string>();
  let exists = d === '' || view.dirs.has(d);
  const add = (path: string) => {
    if (!path.startsWith(`${d}/`)) return;
    exists = true;
    const rest = path.slice(d.length + 1);
    children.add(rest.split('/')[0]);
  };
  for (const p of view.dirs) add(p);
  for (const p of view.files.keys()) add(p);
  if (!exists) return undefined;
  if (d === '/proc') for (const p of view.processes) children.add(String(p.pid));
  return [...children].sort();
}
