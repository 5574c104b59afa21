// What the simulated containers print: one generator per kind of workload (LLM/embedding servers,
// training loops, Prometheus & co, CoreDNS, plain web services, crashing images). Each line is a
// pure function of (container context, line index, time), so a seed always yields the same logs.
import { fnv32a, type Random } from '../random.js';

export interface LogContext {
  pod: string;
  namespace: string;
  container: string;
  image: string;
  /** Model served or trained, from the flightdeck.dev/model-name annotation. */
  model?: string;
  podIp: string;
  run?: string;
  /** The scenario fault on this pod's service or image right now, for lines at or after `faultFrom`. */
  fault?: () => { errorRatio: number; latencyFactor?: number } | undefined;
  faultFrom?: number;
  /** XID errors on the pod's node's GPUs now (gpu-node-failure), for lines at or after `xidFrom`. */
  xids?: () => { gpu: number; xid: number }[];
  /** XIDs stick until the GPU is reset: they show in lines from this time on (longer than faultFrom). */
  xidFrom?: number;
  /** Services that log JSON (zap/slog style) instead of logfmt. */
  json?: boolean;
}

export interface LogProfile {
  /** Mean simulated milliseconds between steady-state lines. */
  intervalMs: number;
  banner(ctx: LogContext, t: number): string[];
  line(ctx: LogContext, k: number, t: number, rng: Random): string;
  /** For writers of thousands of lines a second: the line from its hash, without a PRNG per line. */
  lineFromHash?(ctx: LogContext, k: number, t: number, hash: number): string;
  /** The last line on a graceful stop (SIGTERM); `written` = lines printed before it. */
  shutdown?(ctx: LogContext, t: number, written: number): string;
}

/** What a stopping container prints when its profile says nothing more specific. */
export function shutdownLine(profile: LogProfile, ctx: LogContext, t: number, written: number): string {
  if (profile.shutdown) return profile.shutdown(ctx, t, written);
  return ctx.json
    ? JSON.stringify({ time: iso(t), level: 'info', msg: 'received SIGTERM, shutting down', lines_written: written })
    : `time=${iso(t)} level=info msg="received SIGTERM, shutting down" lines_written=${written}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (t: number) => new Date(t).toISOString();
let isoSecond = { second: NaN, text: '' };
/** iso() for lines written thousands a second: the date and time formatted once per second. */
const isoFast = (t: number) => {
  const second = Math.floor(t / 1000);
  if (second !== isoSecond.second) isoSecond = { second, text: new Date(second * 1000).toISOString().slice(0, 20) };
  return `${isoSecond.text}${String(Math.floor(t) - second * 1000).padStart(3, '0')}Z`;
};
/** vLLM's `INFO 11-24 19:12:32` prefix. */
const vllmTime = (t: number) => {
  const d = new Date(t);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const clientIp = (rng: Random) => `10.${64 + rng.int(0, 3)}.${rng.int(0, 255)}.${rng.int(2, 250)}`;
const requestId = (rng: Random) => `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;

/** `level=info msg="request completed" method=POST path=… status=200 latency_ms=… tokens` */
function accessLine(t: number, rng: Random, paths: { method: string; path: string; tokens: boolean }[], model: string | undefined, slowMs: number, ctx?: LogContext): string {
  const route = rng.pick(paths);
  const roll = rng.next();
  const fault = ctx?.fault && t >= (ctx.faultFrom ?? Infinity) ? ctx.fault() : undefined;
  const faulted = fault ? rng.next() < fault.errorRatio : false;
  const status = faulted ? (rng.chance(0.7) ? 500 : 503) : roll < 0.004 ? 500 : roll < 0.008 ? 503 : roll < 0.02 ? 429 : roll < 0.03 ? 400 : 200;
  const base = (route.tokens ? rng.range(180, slowMs) : rng.range(2, 40)) * (fault?.latencyFactor ?? 1);
  const latency = roll > 0.985 ? base * rng.range(3, 8) : base;
  const level = status >= 500 ? 'error' : latency > slowMs * 2 ? 'warn' : 'info';
  const msg = status >= 500 ? (status === 503 ? 'upstream overloaded' : 'request failed') : latency > slowMs * 2 ? 'slow request' : 'request completed';
  const fields: [string, string | number][] = [
    ['request_id', requestId(rng)],
    ['client', clientIp(rng)],
    ['method', route.method],
    ['path', route.path],
    ['status', status],
    ['latency_ms', latency.toFixed(1)],
  ];
  if (route.tokens && /embed|rerank/.test(route.path)) {
    fields.push(['tokens', rng.int(8, 512) * (route.path === '/rerank' ? rng.int(4, 32) : 1)]);
  } else if (route.tokens) {
    const prompt = rng.int(40, 3800);
    const completion = status === 200 ? rng.int(8, 900) : 0;
    fields.push(['prompt_tokens', prompt], ['completion_tokens', completion]);
  }
  if (model) fields.push(['model', model]);
  if (status === 500) fields.push(['error', 'CUDA out of memory while allocating KV cache blocks']);
  const out = ctx?.json
    ? JSON.stringify({ time: iso(t), level, msg, ...Object.fromEntries(fields.map(([k, v]) => [k, k === 'latency_ms' ? Number(v) : v])) })
    : `time=${iso(t)} level=${level} msg="${msg}" ${fields.map(([k, v]) => (k === 'error' ? `${k}="${v}"` : `${k}=${v.toString()}`)).join(' ')}`;
  // A scenario's errors come in bursts: each faulted 500 prints its traceback (same timestamp).
  return faulted && status === 500 ? `${out}\n${traceback(route.path)}` : out;
}

function traceback(path: string): string {
  return [
    'Traceback (most recent call last):',
    `  File "/app/server/routes.py", line 184, in handle${path.replace(/[^a-z]+/gi, '_')}`,
    '    result = await engine.generate(request)',
    '  File "/app/server/engine.py", line 97, in generate',
    '    blocks = self.allocator.allocate(seq_len)',
    'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.10 GiB of which 1.12 GiB is free.',
  ].join('\n');
}

const LLM_ROUTES = [
  { method: 'POST', path: '/v1/chat/completions', tokens: true },
  { method: 'POST', path: '/v1/chat/completions', tokens: true },
  { method: 'POST', path: '/v1/completions', tokens: true },
  { method: 'GET', path: '/health', tokens: false },
];

export const vllmProfile: LogProfile = {
  intervalMs: 1_200,
  banner: (ctx, t) => [
    `INFO ${vllmTime(t)} api_server.py:528] vLLM API server version ${/:v?([^:]+)$/.exec(ctx.image)?.[1] ?? '0.6.3'}`,
    `INFO ${vllmTime(t)} api_server.py:529] args: Namespace(host=None, port=8000, model='${ctx.model ?? 'model'}', tensor_parallel_size=2, max_model_len=32768, quantization='fp8', enable_prefix_caching=True)`,
    `INFO ${vllmTime(t + 4_000)} config.py:905] Defaulting to use mp for distributed inference`,
    `INFO ${vllmTime(t + 9_000)} model_runner.py:1060] Starting to load model ${ctx.model ?? 'model'}...`,
    `INFO ${vllmTime(t + 21_000)} model_runner.py:1071] Loading model weights took 33.8 GiB`,
    `INFO ${vllmTime(t + 24_000)} distributed_gpu_executor.py:57] # GPU blocks: 9352, # CPU blocks: 1638`,
    `INFO ${vllmTime(t + 26_000)} launcher.py:19] Available routes are: /health, /v1/models, /v1/chat/completions, /v1/completions, /metrics`,
    'INFO:     Started server process [1]',
    'INFO:     Waiting for application startup.',
    'INFO:     Application startup complete.',
    'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)',
  ],
  line(ctx, k, t, rng) {
    if (k % 10 === 9) {
      const running = rng.int(2, 24);
      return `INFO ${vllmTime(t)} metrics.py:351] Avg prompt throughput: ${rng.range(300, 4200).toFixed(1)} tokens/s, Avg generation throughput: ${rng.range(120, 980).toFixed(1)} tokens/s, Running: ${running} reqs, Swapped: 0 reqs, Pending: ${rng.chance(0.1) ? rng.int(1, 6) : 0} reqs, GPU KV cache usage: ${rng.range(8, 92).toFixed(1)}%, CPU KV cache usage: 0.0%.`;
    }
    return accessLine(t, rng, LLM_ROUTES, ctx.model, 900, ctx);
  },
};

const EMBED_ROUTES = [
  { method: 'POST', path: '/embed', tokens: true },
  { method: 'POST', path: '/v1/embeddings', tokens: true },
  { method: 'POST', path: '/rerank', tokens: true },
  { method: 'GET', path: '/health', tokens: false },
];

export const teiProfile: LogProfile = {
  intervalMs: 700,
  banner: (ctx, t) => {
    const lines: [number, string, string, string][] = [
      [t, 'text_embeddings_router', 'router/src/main.rs:175', `Args { model_id: "${ctx.model ?? 'model'}", revision: None, dtype: Some(Float16), max_batch_tokens: 16384, port: 8080 }`],
      [t + 800, 'download_artifacts: text_embeddings_core::download', 'core/src/download.rs:20', 'Starting download'],
      [t + 3_400, 'text_embeddings_backend_candle', 'backends/candle/src/lib.rs:285', 'Starting FlashBert model on Cuda(CudaDevice(DeviceId(1)))'],
      [t + 6_900, 'text_embeddings_router', 'router/src/lib.rs:237', 'Warming up model'],
      [t + 8_200, 'text_embeddings_router::http::server', 'router/src/http/server.rs:1779', 'Ready'],
    ];
    // `--json-output`: tracing-subscriber's JSON lines.
    return lines.map(([at, target, file, message]) =>
      ctx.json
        ? JSON.stringify({ timestamp: iso(at), level: 'INFO', fields: { message }, target: target.replace(/^.*: /, ''), filename: file.replace(/:\d+$/, ''), line_number: Number(file.replace(/^.*:/, '')) })
        : `${iso(at)}  INFO ${target}: ${file}: ${message}`,
    );
  },
  line(ctx, _k, t, rng) {
    return accessLine(t, rng, EMBED_ROUTES.filter((r) => (ctx.model ?? '').includes('rerank') ? r.path !== '/embed' : r.path !== '/rerank'), ctx.model, 45, ctx);
  },
};

export const trainingProfile: LogProfile = {
  intervalMs: 9_000,
  banner: (ctx, t) => [
    `[${iso(t).replace('T', ' ').replace('Z', '')}] torch.distributed.run: [WARNING] Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded.`,
    `${ctx.pod}:42:42 [0] NCCL INFO Bootstrap : Using eth0:${ctx.podIp}<0>`,
    `${ctx.pod}:42:42 [0] NCCL INFO NET/Plugin: Loaded net plugin Libfabric (v1.8)`,
    `${ctx.pod}:42:42 [0] NCCL INFO cudaDriverVersion 12040`,
    `${ctx.pod}:42:42 [0] NCCL INFO NCCL version 2.21.5+cuda12.4`,
    `[rank0]: INFO Loading checkpoint shards: 100%|██████████| 30/30 [02:41<00:00,  5.38s/it]`,
    `[rank0]: INFO model=${ctx.model ?? 'model'} params=70.55B trainable=70.55B dtype=bfloat16 world_size=8 micro_batch=2 grad_accum=16`,
    `[rank0]: INFO resuming from /checkpoints/${ctx.run ?? ctx.pod}/latest (step 0)`,
  ],
  line(ctx, k, _t, rng) {
    const step = (k + 1) * 10;
    if (step % 5000 === 0) return `[rank0]: INFO saving checkpoint to /checkpoints/${ctx.run ?? ctx.pod}/step-${step} (took ${rng.range(40, 95).toFixed(1)}s)`;
    if (step % 1000 === 0) {
      const val = 0.95 + 2.1 * Math.exp(-step / 4000) + rng.range(-0.02, 0.02);
      return `[rank0]: INFO eval | step ${step} | val_loss ${val.toFixed(4)} | ppl ${Math.exp(val).toFixed(2)}`;
    }
    if (rng.chance(0.01)) return `[rank${rng.int(1, 7)}]: [WARNING] NCCL watchdog: collective operation took ${rng.int(300, 900)} ms on rank ${rng.int(1, 7)} (allreduce, 1.2 GB)`;
    const loss = 0.9 + 2.2 * Math.exp(-step / 3000) + rng.range(-0.05, 0.05);
    const lr = 3e-5 * Math.min(1, step / 2000) * (0.5 + 0.5 * Math.cos(Math.min(1, step / 200000) * Math.PI));
    const tps = rng.int(44_000, 52_000);
    const secs = Math.floor(step * 0.9);
    const elapsed = `${Math.floor(secs / 3600)}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
    return `[rank0]: INFO step ${step} | loss ${loss.toFixed(4)} | lr ${lr.toExponential(2)} | grad_norm ${rng.range(0.3, 1.4).toFixed(2)} | tokens/s ${tps} | mfu ${(tps / 1230).toFixed(1)}% | elapsed ${elapsed}`;
  },
};

export const prometheusProfile: LogProfile = {
  intervalMs: 45_000,
  banner: (_ctx, t) => [
    `ts=${iso(t)} caller=main.go:601 level=info msg="Starting Prometheus Server" mode=server version="(version=2.54.1, branch=HEAD)"`,
    `ts=${iso(t + 120)} caller=web.go:571 level=info component=web msg="Start listening for connections" address=0.0.0.0:9090`,
    `ts=${iso(t + 900)} caller=main.go:1218 level=info msg="TSDB started"`,
    `ts=${iso(t + 1_100)} caller=main.go:1400 level=info msg="Completed loading of configuration file" filename=/etc/prometheus/prometheus.yml`,
    `ts=${iso(t + 1_150)} caller=main.go:1147 level=info msg="Server is ready to receive web requests."`,
  ],
  line(_ctx, k, t, rng) {
    if (k % 80 === 79) return `ts=${iso(t)} caller=compact.go:576 level=info component=tsdb msg="write block" mint=${t - 7_200_000} maxt=${t} duration=${rng.range(0.4, 3).toFixed(3)}s`;
    if (rng.chance(0.05)) return `ts=${iso(t)} caller=scrape.go:1754 level=warn component="scrape manager" scrape_pool=dcgm-exporter target=http://${clientIp(rng)}:9400/metrics msg="Append failed" err="out of bounds"`;
    return `ts=${iso(t)} caller=head.go:1355 level=info component=tsdb msg="Head GC completed" caller=truncateMemory duration=${rng.range(5, 90).toFixed(3)}ms`;
  },
};

export const corednsProfile: LogProfile = {
  intervalMs: 4_000,
  banner: () => ['[INFO] .:53', '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5', '[INFO] CoreDNS-1.11.3', '[INFO] linux/amd64, go1.21.11, a6338e9'],
  line(_ctx, _k, _t, rng) {
    const names = ['llm-gateway.inference.svc.cluster.local.', 'embedder.inference.svc.cluster.local.', 'prometheus.monitoring.svc.cluster.local.', 'kubernetes.default.svc.cluster.local.', 'huggingface.co.'];
    const name = rng.pick(names);
    const nx = name === 'huggingface.co.' ? false : rng.chance(0.1);
    return `[INFO] ${clientIp(rng)}:${rng.int(32768, 60999)} - ${rng.int(1, 65535)} "${rng.chance(0.8) ? 'A' : 'AAAA'} IN ${nx ? name.replace('.svc.', '.svc.svc.') : name} udp ${rng.int(50, 90)} false 512" ${nx ? 'NXDOMAIN' : 'NOERROR'} qr,aa,rd ${rng.int(90, 200)} ${rng.range(0.00005, 0.002).toFixed(6)}s`;
  },
};

export const agentProfile: LogProfile = {
  intervalMs: 60_000,
  banner: (ctx, t) => [
    `time="${iso(t).replace(/\.\d+Z$/, 'Z')}" level=info msg="Starting ${ctx.container}" image="${ctx.image}"`,
    `time="${iso(t + 300).replace(/\.\d+Z$/, 'Z')}" level=info msg="Kubernetes metrics collection enabled!"`,
    `time="${iso(t + 600).replace(/\.\d+Z$/, 'Z')}" level=info msg="Starting webserver"`,
  ],
  line(ctx, _k, t, rng) {
    const xids = ctx.xids && t >= (ctx.xidFrom ?? Infinity) ? ctx.xids() : [];
    if (xids.length > 0 && /device-plugin|dcgm/.test(ctx.image)) {
      const { gpu, xid } = xids[rng.int(0, xids.length - 1)];
      const uuid = `GPU-${fnv32a(`${ctx.podIp}/${gpu}`).toString(16).padStart(8, '0')}-7c1e-4b2a-9f3d-${gpu}a5e0c8d41f2`;
      return ctx.image.includes('device-plugin')
        ? `E${vllmTime(t).replace(/^(\d\d)-(\d\d) /, '$1$2 ')}.${String(t % 1000).padStart(3, '0')}000       1 health.go:152] XidCriticalError: Xid=${xid} on Device=${uuid}; marking device as unhealthy.`
        : `time="${iso(t).replace(/\.\d+Z$/, 'Z')}" level=error msg="XID error on GPU ${gpu}" gpu=${gpu} uuid=${uuid} xid=${xid} description="${xid === 79 ? 'GPU has fallen off the bus' : xid === 48 ? 'double bit ECC error' : 'GPU error'}"`;
    }
    if (rng.chance(0.03)) return `time="${iso(t).replace(/\.\d+Z$/, 'Z')}" level=warning msg="collector slow" collector=${ctx.container} duration=${rng.range(1, 4).toFixed(2)}s`;
    return `time="${iso(t).replace(/\.\d+Z$/, 'Z')}" level=info msg="collected metrics" collector=${ctx.container} duration=${rng.range(20, 300).toFixed(0)}ms`;
  },
};

const WEB_ROUTES = [
  { method: 'GET', path: '/api/v1/items', tokens: false },
  { method: 'GET', path: '/api/v1/recommendations', tokens: false },
  { method: 'POST', path: '/api/v1/events', tokens: false },
  { method: 'GET', path: '/healthz', tokens: false },
];

export const webProfile: LogProfile = {
  intervalMs: 2_500,
  banner: (ctx, t) => {
    const version = /:([^:]+)$/.exec(ctx.image)?.[1] ?? 'latest';
    return ctx.json
      ? [
          JSON.stringify({ time: iso(t), level: 'info', msg: `starting ${ctx.container}`, version, listen: ':8080' }),
          JSON.stringify({ time: iso(t + 40), level: 'info', msg: 'connected to backing services' }),
          JSON.stringify({ time: iso(t + 60), level: 'info', msg: 'ready' }),
        ]
      : [
          `time=${iso(t)} level=info msg="starting ${ctx.container}" version=${version} listen=:8080`,
          `time=${iso(t + 40)} level=info msg="connected to backing services"`,
          `time=${iso(t + 60)} level=info msg="ready"`,
        ];
  },
  line: (ctx, _k, t, rng) => accessLine(t, rng, WEB_ROUTES, undefined, 60, ctx),
};

/** A container that dies right after starting: what `logs` and `logs --previous` show in a crash loop. */
export const crashProfile: LogProfile = {
  intervalMs: 400,
  banner: (ctx, t) => [
    `time=${iso(t)} level=info msg="starting ${ctx.container}" image=${ctx.image}`,
    `time=${iso(t + 150)} level=info msg="loading model weights" model=${ctx.model ?? 'unknown'}`,
    `time=${iso(t + 600)} level=error msg="fatal error during startup" err="CUDA error: an illegal memory access was encountered"`,
    'Traceback (most recent call last):',
    '  File "/app/server.py", line 212, in <module>',
    '    engine = build_engine(config)',
    '  File "/app/engine.py", line 88, in build_engine',
    '    weights = load_weights(config.model_path, device="cuda")',
    'RuntimeError: CUDA error: an illegal memory access was encountered',
    'CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.',
  ],
  line: () => '',
};

const loadgenProfiles = new Map<number, LogProfile>();
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** Built as a string (the same bytes JSON.stringify gives): tens of thousands a second. */
function loadgenLine(ctx: LogContext, k: number, t: number, hash: number): string {
  const slow = k % 101 === 100;
  return `{"time":"${isoFast(t)}","level":"${slow ? 'warn' : 'info'}","logger":"loadgen","msg":"${slow ? 'slow batch' : 'event written'}","seq":${k},"pod":${JSON.stringify(ctx.pod)},"payload":"${hex8(hash)}${hex8(Math.imul(hash, 0x9e3779b1))}"}`;
}

/**
 * A synthetic load generator writing `rate` lines a second (the pod annotation
 * `flightdeck.dev/log-rate`): JSON lines, each with its sequence number `seq` (0, 1, 2, … per
 * container instance), so a follower can prove it lost nothing; on SIGTERM it says how many it wrote.
 */
export function loadgenProfile(rate: number): LogProfile {
  const clamped = Math.max(1, Math.min(50_000, Math.round(rate)));
  let profile = loadgenProfiles.get(clamped);
  if (!profile) {
    profile = {
      intervalMs: 1000 / clamped,
      banner: () => [],
      line: (ctx, k, t, rng) => loadgenLine(ctx, k, t, Math.floor(rng.next() * 4294967296)),
      lineFromHash: loadgenLine,
      shutdown: (ctx, t, written) => JSON.stringify({ time: iso(t), level: 'info', logger: 'loadgen', msg: 'received SIGTERM, shutting down', pod: ctx.pod, lines_written: written }),
    };
    loadgenProfiles.set(clamped, profile);
  }
  return profile;
}
