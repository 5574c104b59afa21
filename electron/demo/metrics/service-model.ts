// Request metrics of the inference services, as each pod's /metrics would expose them and a
// pod-level scrape would label them: requests by status code, a latency histogram and generated
// tokens. Traffic per service follows a slow daily-ish wave with short bursts; it is split evenly
// over the service's ready pods that a non-preview Service selects (so a basic canary at 20%
// weight gets ~20% of requests and a blue-green preview only smoke traffic). Faults from the
// registry raise 5xx and latency per service or per image (the bad canary). Advances in fixed
// simulated 1 s steps with seeded noise: the same seed and time give the same counters.
import type { KubeObject, ObjectStore } from '../store.js';
import { header, labelBlock, formatValue } from './exposition.js';
import { faultStrength, type FaultRegistry } from './faults.js';
import { serviceOf } from './gpu-inventory.js';
import { hashString, mix, noise } from './noise.js';

export const SERVICE_STEP_MS = 1_000;
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];
const MAX_STEPS_PER_ADVANCE = 600;
const BASE_ERROR_RATIO = 0.0002;
const CLIENT_ERROR_RATIO = 0.003;

interface ServiceProfile {
  baseRps: number;
  medianS: number;
  sigma: number;
  tokensPerRequest: number;
}

interface PodCounters {
  codes: Map<string, number>;
  buckets: Float64Array;
  sum: number;
  count: number;
  tokens: number;
}

interface TrafficPod {
  key: string;
  namespace: string;
  service: string;
  labels: string;
  images: string[];
  weight: number;
}

function profileFor(seed: number, service: string): ServiceProfile {
  const h = mix(seed, hashString(service));
  const r = (k: number) => mix(h, k) / 4294967296;
  const generative = /llm|chat|gpt|gen|gateway/.test(service);
  if (generative) return { baseRps: 40 + r(1) * 60, medianS: 0.6 + r(2) * 0.5, sigma: 0.55, tokensPerRequest: 150 + r(3) * 150 };
  if (/embed/.test(service)) return { baseRps: 200 + r(1) * 200, medianS: 0.02 + r(2) * 0.01, sigma: 0.4, tokensPerRequest: 0 };
  return { baseRps: 80 + r(1) * 150, medianS: 0.04 + r(2) * 0.05, sigma: 0.45, tokensPerRequest: 0 };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf), plenty for bucket shares. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function podReady(pod: KubeObject): boolean {
  const status = pod.status as { phase?: string; conditions?: { type: string; status: string }[] } | undefined;
  if (status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return false;
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  return !ready || ready.status === 'True';
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

function sameTrafficPod(a: TrafficPod, b: TrafficPod): boolean {
  return a.service === b.service && a.labels === b.labels && a.weight === b.weight && a.images.length === b.images.length && a.images.every((x, i) => x === b.images[i]);
}

export class ServiceModel {
  private readonly counters = new Map<string, PodCounters>();
  private readonly profiles = new Map<string, ServiceProfile>();
  private pods: TrafficPod[] = [];
  /** The same pods by `namespace/name`, kept up to date per changed pod. */
  private readonly byKey = new Map<string, TrafficPod>();
  /** Pods changed since the last rebuild; a Service change re-derives every pod (weights). */
  private readonly dirtyPods = new Set<string>();
  private dirty = true;
  private step = -1;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly seed: number,
    private readonly faults: FaultRegistry,
    private readonly namespaces: readonly string[] = ['inference'],
  ) {
    this.unsubscribe = store.subscribe((e) => {
      if (e.resource === 'services') this.dirty = true;
      else if (e.resource === 'pods' && this.namespaces.includes(e.object.metadata.namespace ?? '')) {
        this.dirtyPods.add(`${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`);
      }
    });
  }

  close(): void {
    this.unsubscribe();
  }

  private profile(service: string): ServiceProfile {
    let p = this.profiles.get(service);
    if (!p) this.profiles.set(service, (p = profileFor(this.seed, service)));
    return p;
  }

  /** Requests per second a service receives at simulated time `now`. */
  rps(service: string, now: number): number {
    const p = this.profile(service);
    const t = now / 1000;
    const wave = 0.8 + 0.15 * Math.sin((2 * Math.PI * t) / 3600 + (hashString(service) % 7));
    const burstWindow = Math.floor(t / 20);
    const burst = noise(this.seed, hashString(service), 1, burstWindow) > 0.85 ? 0.35 : 0;
    return p.baseRps * (wave + burst + 0.05 * noise(this.seed, hashString(service), 2, Math.floor(t)));
  }

  /** 0–1 busy-ness of a service's GPUs, for the DCGM model. */
  load(_namespace: string, service: string, now: number): number {
    return Math.min(1, this.rps(service, now) / (this.profile(service).baseRps * 1.3));
  }

  /**
   * Re-derives the traffic pods: all of them after a Service change, else only the pods that
   * changed (a full pass over 10k pods on every pod change cost ~3% of the demo server).
   */
  private rebuild(): void {
    const services = [...this.store.peek('services')].filter((s) => this.namespaces.includes(s.metadata.namespace ?? ''));
    let changed = this.dirty;
    if (this.dirty) {
      this.dirty = false;
      this.dirtyPods.clear();
      this.byKey.clear();
      for (const pod of this.store.peek('pods')) {
        const t = this.trafficPod(pod, services);
        if (t) this.byKey.set(t.key, t);
      }
    } else {
      for (const key of this.dirtyPods) {
        const i = key.indexOf('/');
        const pod = this.store.peekOne('pods', key.slice(0, i), key.slice(i + 1));
        const t = pod && this.trafficPod(pod, services);
        const before = this.byKey.get(key);
        if (t) {
          if (!before || !sameTrafficPod(before, t)) {
            this.byKey.set(key, t);
            changed = true;
          }
        } else if (before) {
          this.byKey.delete(key);
          changed = true;
        }
      }
      this.dirtyPods.clear();
    }
    if (!changed) return;
    this.pods = [...this.byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const key of this.counters.keys()) if (!this.byKey.has(key)) this.counters.delete(key);
  }

  private trafficPod(pod: KubeObject, services: readonly KubeObject[]): TrafficPod | undefined {
    const ns = pod.metadata.namespace ?? '';
    if (!this.namespaces.includes(ns) || !podReady(pod)) return undefined;
    const labels = pod.metadata.labels ?? {};
    let weight = 1;
    const selecting = services.filter((s) => s.metadata.namespace === ns && selects((s.spec as { selector?: Record<string, string> })?.selector, labels));
    if (selecting.length > 0 && selecting.every((s) => /-preview$/.test(s.metadata.name))) weight = 0.02;
    const containers = (pod.spec as { containers?: { image?: string }[] } | undefined)?.containers ?? [];
    const images = containers.map((c) => c.image ?? '');
    const tag = images[0]?.includes(':') ? images[0].slice(images[0].lastIndexOf(':') + 1) : 'latest';
    const service = serviceOf(pod);
    const pairs: [string, string][] = [['namespace', ns], ['service', service], ['pod', pod.metadata.name], ['version', tag]];
    const hash = labels['rollouts-pod-template-hash'];
    if (hash) pairs.push(['rollouts_pod_template_hash', hash]);
    return { key: `${ns}/${pod.metadata.name}`, namespace: ns, service, labels: labelBlock(pairs).slice(0, -1), images, weight };
  }

  /** Integrates traffic up to simulated time `now`. */
  advanceTo(now: number): void {
    if (this.dirty || this.dirtyPods.size) this.rebuild();
    const target = Math.floor(now / SERVICE_STEP_MS);
    if (this.step < 0) this.step = target - 1;
    let steps = target - this.step;
    if (steps <= 0) return;
    let dtS = 1;
    if (steps > MAX_STEPS_PER_ADVANCE) {
      dtS = steps / MAX_STEPS_PER_ADVANCE;
      steps = MAX_STEPS_PER_ADVANCE;
    }
    const weightByService = new Map<string, number>();
    for (const p of this.pods) weightByService.set(`${p.namespace}/${p.service}`, (weightByService.get(`${p.namespace}/${p.service}`) ?? 0) + p.weight);
    for (let s = 1; s <= steps; s++) {
      const step = this.step + Math.round(s * dtS);
      const t = step * SERVICE_STEP_MS;
      for (const pod of this.pods) {
        const total = weightByService.get(`${pod.namespace}/${pod.service}`) ?? 1;
        const requests = (this.rps(pod.service, t) * dtS * pod.weight) / total;
        this.account(pod, requests, step);
      }
    }
    this.step = target;
  }

  private account(pod: TrafficPod, requests: number, step: number): void {
    let c = this.counters.get(pod.key);
    if (!c) {
      c = { codes: new Map(), buckets: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0, tokens: 0 };
      this.counters.set(pod.key, c);
    }
    const p = this.profile(pod.service);
    const fault = this.faults.errorFault(pod.namespace, pod.service, pod.images);
    const jitter = noise(this.seed, hashString(pod.service), 3, step);
    const strength = fault ? faultStrength(fault, step * SERVICE_STEP_MS) : 0;
    const errRatio = Math.min(1, (BASE_ERROR_RATIO + strength * ((fault?.errorRatio ?? 0) - BASE_ERROR_RATIO)) * (0.85 + 0.3 * jitter));
    const median = p.medianS * (1 + strength * ((fault?.latencyFactor ?? 1) - 1)) * (0.9 + 0.2 * jitter);
    const errors = requests * errRatio;
    const clientErrors = requests * CLIENT_ERROR_RATIO;
    const ok = Math.max(0, requests - errors - clientErrors);
    c.codes.set('200', (c.codes.get('200') ?? 0) + ok);
    c.codes.set('400', (c.codes.get('400') ?? 0) + clientErrors);
    c.codes.set('500', (c.codes.get('500') ?? 0) + errors * 0.7);
    c.codes.set('503', (c.codes.get('503') ?? 0) + errors * 0.3);
    const lnMedian = Math.log(median);
    // Shares are clamped and kept non-decreasing so floored buckets never exceed the next one.
    let share = 0;
    for (let b = 0; b < LATENCY_BUCKETS.length; b++) {
      const le = LATENCY_BUCKETS[b];
      share = le === Infinity ? 1 : Math.min(1, Math.max(share, normalCdf((Math.log(le) - lnMedian) / p.sigma)));
      c.buckets[b] += share === 1 ? requests : requests * share;
    }
    c.sum += requests * median * Math.exp((p.sigma * p.sigma) / 2);
    c.count += requests;
    if (p.tokensPerRequest > 0) c.tokens += ok * p.tokensPerRequest * (0.8 + 0.4 * jitter);
  }

  /** The exposition text of every inference pod, counters floored to whole requests. */
  render(now: number): string {
    this.advanceTo(now);
    let requests = header({ name: 'inference_requests_total', type: 'counter', help: 'Inference requests served, by HTTP status code.' });
    let latency = header({ name: 'inference_request_duration_seconds', type: 'histogram', help: 'Time to serve an inference request, in seconds.' });
    let tokens = header({ name: 'inference_tokens_generated_total', type: 'counter', help: 'Tokens generated for successful requests.' });
    for (const pod of this.pods) {
      const c = this.counters.get(pod.key);
      if (!c) continue;
      for (const code of ['200', '400', '500', '503']) requests += `inference_requests_total${pod.labels},code="${code}"} ${Math.floor(c.codes.get(code) ?? 0)}\n`;
      for (let b = 0; b < LATENCY_BUCKETS.length; b++) {
        const le = LATENCY_BUCKETS[b] === Infinity ? '+Inf' : String(LATENCY_BUCKETS[b]);
        latency += `inference_request_duration_seconds_bucket${pod.labels},le="${le}"} ${Math.floor(c.buckets[b])}\n`;
      }
      latency += `inference_request_duration_seconds_sum${pod.labels}} ${formatValue(c.sum, 3)}\n`;
      latency += `inference_request_duration_seconds_count${pod.labels}} ${Math.floor(c.count)}\n`;
      if (this.profile(pod.service).tokensPerRequest > 0) tokens += `inference_tokens_generated_total${pod.labels}} ${Math.floor(c.tokens)}\n`;
    }
    return requests + latency + tokens;
  }
}
