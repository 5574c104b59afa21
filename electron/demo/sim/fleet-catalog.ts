// What runs on the demo fleet: the workload definitions (templates, images, GPU requests, model
// annotations, rollout history) the seed turns into objects. Plain data plus small template helpers.
import type { KubeObject } from '../store.js';
import type { PodTemplate } from '../controllers/template.js';
import { POOL_LABEL } from './fleet-nodes.js';

export const MODEL_NAME = 'flightdeck.dev/model-name';
export const MODEL_VERSION = 'flightdeck.dev/model-version';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const COMPONENT = 'app.kubernetes.io/component';

export interface ContainerOpts {
  cpu: string;
  memory: string;
  gpu?: number;
  ports?: { name: string; containerPort: number; protocol?: string }[];
  probePath?: string;
  probePort?: number;
  probeDelay?: number;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
}

export function container(name: string, image: string, o: ContainerOpts): Record<string, unknown> {
  const resources: { requests: Record<string, string>; limits: Record<string, string> } = {
    requests: { cpu: o.cpu, memory: o.memory },
    limits: { memory: o.memory },
  };
  if (o.gpu) {
    resources.requests['nvidia.com/gpu'] = String(o.gpu);
    resources.limits['nvidia.com/gpu'] = String(o.gpu);
  }
  const c: Record<string, unknown> = { name, image, resources };
  if (o.command) c.command = o.command;
  if (o.args) c.args = o.args;
  if (o.env) c.env = Object.entries(o.env).map(([k, v]) => ({ name: k, value: v }));
  if (o.ports) c.ports = o.ports;
  if (o.probePath) {
    c.readinessProbe = {
      httpGet: { path: o.probePath, port: o.probePort ?? o.ports?.[0]?.containerPort ?? 8080 },
      initialDelaySeconds: o.probeDelay ?? 5,
      periodSeconds: 10,
    };
  }
  return c;
}

export function template(labels: Record<string, string>, containers: Record<string, unknown>[], extra: { nodeSelector?: Record<string, string>; annotations?: Record<string, string>; restartPolicy?: string; hostNetwork?: boolean; tolerations?: unknown[] } = {}): PodTemplate {
  const spec: Record<string, unknown> = { containers };
  if (extra.nodeSelector) spec.nodeSelector = extra.nodeSelector;
  if (extra.restartPolicy) spec.restartPolicy = extra.restartPolicy;
  if (extra.hostNetwork) spec.hostNetwork = true;
  if (extra.tolerations) spec.tolerations = extra.tolerations;
  const metadata: PodTemplate['metadata'] = { labels };
  if (extra.annotations) metadata.annotations = extra.annotations;
  return { metadata, spec: spec as unknown as PodTemplate['spec'] };
}

export interface DeploymentDef {
  namespace: string;
  name: string;
  replicas: number;
  template: PodTemplate;
  annotations?: Record<string, string>;
  /** Earlier revisions, oldest first: the image each ran and why it changed. */
  history?: { image: string; cause: string; modelVersion?: string }[];
  cause: string;
  port?: number;
  strategy?: Record<string, unknown>;
  /** How many of its pods have restarted before (OOMKilled or Error), for `logs --previous`. */
  restartedPods?: number;
}

const appLabels = (name: string, component: string) => ({ app: name, 'app.kubernetes.io/name': name, [COMPONENT]: component });

/** The inference services: model servers on GPUs, with a rollout history to undo through. */
export function inferenceDeployments(scale: number): DeploymentDef[] {
  const r = (base: number) => Math.max(1, Math.round(base * scale));
  return [
    {
      namespace: 'inference',
      name: 'llm-gateway',
      replicas: r(3),
      cause: 'upgrade vLLM to v0.6.3.post1 (chunked prefill)',
      annotations: { [MODEL_NAME]: 'meta-llama/Llama-3.1-70B-Instruct', [MODEL_VERSION]: '2024-07-23-fp8' },
      history: [
        { image: 'vllm/vllm-openai:v0.5.4', cause: 'initial rollout of llm-gateway', modelVersion: '2024-07-23' },
        { image: 'vllm/vllm-openai:v0.6.1', cause: 'upgrade vLLM to v0.6.1 (prefix caching)', modelVersion: '2024-07-23-fp8' },
      ],
      port: 8000,
      template: template(
        { ...appLabels('llm-gateway', 'inference') },
        [
          container('vllm', 'vllm/vllm-openai:v0.6.3.post1', {
            cpu: '16',
            memory: '160Gi',
            gpu: 2,
            ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
            probePath: '/health',
            probeDelay: 30,
            args: ['--model', 'meta-llama/Llama-3.1-70B-Instruct', '--quantization', 'fp8', '--tensor-parallel-size', '2', '--max-model-len', '32768', '--port', '8000'],
            env: { VLLM_LOGGING_LEVEL: 'INFO', HF_HUB_OFFLINE: '1' },
          }),
        ],
        { nodeSelector: { [POOL_LABEL]: 'h100' }, annotations: { [MODEL_NAME]: 'meta-llama/Llama-3.1-70B-Instruct', [MODEL_VERSION]: '2024-07-23-fp8' } },
      ),
    },
    {
      namespace: 'inference',
      name: 'embedder',
      replicas: r(3),
      restartedPods: 1,
      cause: 'switch to bge-large-en-v1.5',
      annotations: { [MODEL_NAME]: 'BAAI/bge-large-en-v1.5', [MODEL_VERSION]: 'v1.5' },
      history: [{ image: 'ghcr.io/huggingface/text-embeddings-inference:1.2', cause: 'initial rollout of embedder', modelVersion: 'v1.0' }],
      port: 8080,
      template: template(
        { ...appLabels('embedder', 'inference') },
        [
          container('tei', 'ghcr.io/huggingface/text-embeddings-inference:1.5', {
            cpu: '4',
            memory: '16Gi',
            gpu: 1,
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            probePath: '/health',
            probeDelay: 10,
            args: ['--model-id', 'BAAI/bge-large-en-v1.5', '--port', '8080', '--max-batch-tokens', '16384'],
          }),
        ],
        { nodeSelector: { [POOL_LABEL]: 'a100' }, annotations: { [MODEL_NAME]: 'BAAI/bge-large-en-v1.5', [MODEL_VERSION]: 'v1.5' } },
      ),
    },
    {
      namespace: 'inference',
      name: 'ranker',
      replicas: r(2),
      cause: 'initial rollout of ranker',
      annotations: { [MODEL_NAME]: 'BAAI/bge-reranker-v2-m3', [MODEL_VERSION]: 'v2-m3' },
      port: 8080,
      template: template(
        { ...appLabels('ranker', 'inference') },
        [
          container('tei', 'ghcr.io/huggingface/text-embeddings-inference:1.5', {
            cpu: '4',
            memory: '16Gi',
            gpu: 1,
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            probePath: '/health',
            probeDelay: 10,
            args: ['--model-id', 'BAAI/bge-reranker-v2-m3', '--port', '8080'],
          }),
        ],
        { nodeSelector: { [POOL_LABEL]: 'a100' }, annotations: { [MODEL_NAME]: 'BAAI/bge-reranker-v2-m3', [MODEL_VERSION]: 'v2-m3' } },
      ),
    },
  ];
}

export function platformDeployments(): DeploymentDef[] {
  return [
    {
      namespace: 'kube-system',
      name: 'coredns',
      replicas: 2,
      cause: 'install CoreDNS',
      template: template({ 'k8s-app': 'kube-dns' }, [
        container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', {
          cpu: '100m',
          memory: '170Mi',
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
          ],
          probePath: '/ready',
          probePort: 8181,
          probeDelay: 2,
          args: ['-conf', '/etc/coredns/Corefile'],
        }),
      ], { nodeSelector: { [POOL_LABEL]: 'cpu' } }),
    },
    {
      namespace: 'monitoring',
      name: 'prometheus',
      replicas: 1,
      cause: 'prometheus v2.54.1',
      port: 9090,
      template: template({ ...appLabels('prometheus', 'monitoring') }, [
        container('prometheus', 'quay.io/prometheus/prometheus:v2.54.1', {
          cpu: '2',
          memory: '8Gi',
          ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }],
          probePath: '/-/ready',
          probeDelay: 5,
          args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.retention.time=15d'],
        }),
      ], { nodeSelector: { [POOL_LABEL]: 'cpu' } }),
    },
    {
      namespace: 'monitoring',
      name: 'grafana',
      replicas: 1,
      cause: 'grafana 11.2.0',
      port: 3000,
      template: template({ ...appLabels('grafana', 'monitoring') }, [
        container('grafana', 'grafana/grafana:11.2.0', {
          cpu: '250m',
          memory: '512Mi',
          ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
          probePath: '/api/health',
          probeDelay: 5,
        }),
      ], { nodeSelector: { [POOL_LABEL]: 'cpu' } }),
    },
  ];
}

export interface DaemonSetDef {
  namespace: string;
  name: string;
  template: PodTemplate;
  port?: number;
}

const gpuOnly = { 'nvidia.com/gpu.present': 'true' };
const gpuToleration = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

export function daemonSets(): DaemonSetDef[] {
  return [
    {
      namespace: 'monitoring',
      name: 'dcgm-exporter',
      port: 9400,
      template: template({ ...appLabels('dcgm-exporter', 'monitoring') }, [
        container('dcgm-exporter', 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.8-3.6.0-ubuntu22.04', {
          cpu: '100m',
          memory: '256Mi',
          ports: [{ name: 'metrics', containerPort: 9400, protocol: 'TCP' }],
          env: { DCGM_EXPORTER_LISTEN: ':9400', DCGM_EXPORTER_KUBERNETES: 'true' },
        }),
      ], { nodeSelector: gpuOnly, tolerations: gpuToleration }),
    },
    {
      namespace: 'monitoring',
      name: 'node-exporter',
      port: 9100,
      template: template({ ...appLabels('node-exporter', 'monitoring') }, [
        container('node-exporter', 'quay.io/prometheus/node-exporter:v1.8.2', {
          cpu: '50m',
          memory: '64Mi',
          ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }],
          args: ['--path.rootfs=/host'],
        }),
      ], { hostNetwork: true, tolerations: [{ operator: 'Exists' }] }),
    },
    {
      namespace: 'kube-system',
      name: 'nvidia-device-plugin-daemonset',
      template: template({ name: 'nvidia-device-plugin-ds' }, [
        container('nvidia-device-plugin-ctr', 'nvcr.io/nvidia/k8s-device-plugin:v0.16.2', { cpu: '50m', memory: '64Mi', env: { FAIL_ON_INIT_ERROR: 'false' } }),
      ], { nodeSelector: gpuOnly, tolerations: gpuToleration }),
    },
    {
      namespace: 'kube-system',
      name: 'kube-proxy',
      template: template({ 'k8s-app': 'kube-proxy' }, [
        container('kube-proxy', 'registry.k8s.io/kube-proxy:v1.32.2', {
          cpu: '100m',
          memory: '64Mi',
          command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        }),
      ], { hostNetwork: true, tolerations: [{ operator: 'Exists' }] }),
    },
  ];
}

export function alertmanagerTemplate(): PodTemplate {
  return template({ ...appLabels('alertmanager', 'monitoring') }, [
    container('alertmanager', 'quay.io/prometheus/alertmanager:v0.27.0', {
      cpu: '100m',
      memory: '256Mi',
      ports: [{ name: 'web', containerPort: 9093, protocol: 'TCP' }],
      probePath: '/-/ready',
      probeDelay: 3,
      args: ['--config.file=/etc/alertmanager/alertmanager.yml', '--cluster.listen-address=0.0.0.0:9094'],
    }),
  ], { nodeSelector: { [POOL_LABEL]: 'cpu' } });
}

const TRAINING_RUNS = [
  { name: 'llama3-70b-sft', model: 'meta-llama/Llama-3.1-70B', pool: 'h100' },
  { name: 'mixtral-8x7b-dpo', model: 'mistralai/Mixtral-8x7B-v0.1', pool: 'h100' },
  { name: 'codegen-16b-pretrain', model: 'Salesforce/codegen-16B-mono', pool: 'a100' },
  { name: 'whisper-large-v3-ft', model: 'openai/whisper-large-v3', pool: 'a100' },
  { name: 'sdxl-lora-sweep', model: 'stabilityai/stable-diffusion-xl-base-1.0', pool: 'a100' },
  { name: 'bert-mlm-pretrain', model: 'google-bert/bert-large-uncased', pool: 'h100' },
];

export interface JobDef {
  name: string;
  model: string;
  pool: 'a100' | 'h100';
  template: PodTemplate;
}

export function trainingJobs(count: number): JobDef[] {
  const out: JobDef[] = [];
  for (let i = 0; i < count; i++) {
    const base = TRAINING_RUNS[i % TRAINING_RUNS.length];
    const name = i < TRAINING_RUNS.length ? base.name : `${base.name}-${String(Math.floor(i / TRAINING_RUNS.length)).padStart(3, '0')}`;
    const pool = base.pool as 'a100' | 'h100';
    out.push({
      name,
      model: base.model,
      pool,
      template: trainingTemplate(name, base.model, pool, 8),
    });
  }
  return out;
}

export function trainingTemplate(run: string, model: string, pool: string, gpus: number): PodTemplate {
  return template(
    { 'app.kubernetes.io/name': run, [COMPONENT]: 'training', 'training.flightdeck.dev/run': run },
    [
      container('trainer', 'nvcr.io/nvidia/pytorch:24.08-py3', {
        cpu: '64',
        memory: '900Gi',
        gpu: gpus,
        command: ['torchrun'],
        args: ['--nproc_per_node', String(gpus), 'train.py', '--model', model, '--bf16', '--gradient-checkpointing'],
        env: { NCCL_DEBUG: 'WARN', WANDB_PROJECT: run },
      }),
    ],
    { nodeSelector: { [POOL_LABEL]: pool }, restartPolicy: 'Never', annotations: { [MODEL_NAME]: model } },
  );
}

const FILLER = ['feature-store', 'vector-cache', 'prompt-router', 'batch-scorer', 'etl-worker', 'ingest-api', 'token-counter', 'guardrails', 'eval-runner', 'session-store'];
const FILLER_NS = ['inference', 'training', 'monitoring', 'default'];

/** CPU services that bring the fleet up to the requested pod count (`--pods`). */
export function fillerDeployments(pods: number, perDeployment = 50): DeploymentDef[] {
  const out: DeploymentDef[] = [];
  for (let i = 0, left = pods; left > 0; i++) {
    const replicas = Math.min(perDeployment, left);
    left -= replicas;
    const base = FILLER[i % FILLER.length];
    const name = `${base}-${Math.floor(i / FILLER.length) + 1}`;
    out.push({
      namespace: FILLER_NS[i % FILLER_NS.length],
      name,
      replicas,
      cause: `scale out ${base}`,
      port: 8080,
      template: template({ ...appLabels(name, 'batch') }, [
        container(base, `ghcr.io/flightdeck-demo/${base}:1.${4 + (i % 5)}.${i % 10}`, {
          cpu: '20m',
          memory: '64Mi',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        }),
      ]),
    });
  }
  return out;
}

/** Argo Rollouts, as objects only: the rollouts controller creates their ReplicaSets. */
export function rollouts(): KubeObject[] {
  const recommender = template({ app: 'recommender', 'app.kubernetes.io/name': 'recommender', [COMPONENT]: 'inference' }, [
    container('recommender', 'ghcr.io/flightdeck-demo/recommender:1.8.0', {
      cpu: '4',
      memory: '24Gi',
      gpu: 1,
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      probePath: '/healthz',
      probeDelay: 5,
    }),
  ], { nodeSelector: { [POOL_LABEL]: 'a100' }, annotations: { [MODEL_NAME]: 'flightdeck/two-tower-recsys', [MODEL_VERSION]: '1.8.0' } });
  const chat = template({ app: 'chat-frontend', 'app.kubernetes.io/name': 'chat-frontend', [COMPONENT]: 'inference' }, [
    container('chat-frontend', 'ghcr.io/flightdeck-demo/chat-frontend:2.3.0', {
      cpu: '500m',
      memory: '512Mi',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      probePath: '/healthz',
      probeDelay: 3,
    }),
  ]);
  return [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'recommender', namespace: 'inference', labels: { app: 'recommender' }, annotations: { [MODEL_NAME]: 'flightdeck/two-tower-recsys', [MODEL_VERSION]: '1.8.0' } },
      spec: {
        replicas: 4,
        revisionHistoryLimit: 3,
        selector: { matchLabels: { app: 'recommender' } },
        template: recommender,
        strategy: {
          canary: {
            canaryService: 'recommender-canary',
            stableService: 'recommender',
            steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }, { pause: { duration: '60s' } }, { setWeight: 60 }, { pause: { duration: '60s' } }, { setWeight: 80 }, { pause: { duration: '60s' } }],
          },
        },
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'chat-frontend', namespace: 'inference', labels: { app: 'chat-frontend' } },
      spec: {
        replicas: 3,
        revisionHistoryLimit: 3,
        selector: { matchLabels: { app: 'chat-frontend' } },
        template: chat,
        strategy: { blueGreen: { activeService: 'chat-frontend-active', previewService: 'chat-frontend-preview', autoPromotionEnabled: false } },
      },
    },
  ];
}
