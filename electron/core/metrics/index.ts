// Metrics domain: Prometheus sources and client, GPU heatmaps, service panels and SLOs. The only door.
import type { Domain } from '../domain.js';
import { join } from 'node:path';
import { resourcePath } from '../resources.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { MethodHandlers } from '../contract-server.js';
import type { Settings } from '../../../shared/contract/app.js';
import type { Series } from '../../../shared/contract/metrics.js';
import { ContractError } from '../../../shared/contract-kit.js';
import { sloMetricNamesSchema } from '../../../shared/model/slo.js';
import { evaluateSlos, slosFor } from './slo-service.js';
import { columnsFor, forEachSample } from '../../../shared/model/gpu-grid.js';
import { createSourceRegistry, type SourceRegistry } from './prometheus-sources.js';
import { readClusterUsage } from './usage.js';
import type { ClientOptions } from './prometheus-client.js';
import { createFreshnessKeeper } from './freshness.js';
import { openAuthStore } from './prometheus-auth.js';
import { autoStep, createLayoutCache, gpuCallouts, gpuHeatmap, type ClusterGpuNodes } from './gpu-heatmap.js';
import { createClusterGpuNodes } from './cluster-gpu-nodes.js';
import { servicePanelDefs, toColumns } from './service-panels.js';
import { loadSloFiles } from './slo-files.js';
import { sloRules } from './slo-rules.js';
import { recordAuthChange, type AuditLog } from '../audit/index.js';

export { createPrometheusClient, splitRange, MAX_POINTS } from './prometheus-client.js';
export type { PrometheusClient } from './prometheus-client.js';
export { prometheusRequest, serviceRequest, type PrometheusEndpoint } from './prometheus-http.js';
export { sloRules } from './slo-rules.js';
export { loadSloFiles } from './slo-files.js';

type MetricsMethods = 'metrics.source' | 'metrics.setAuth' | 'metrics.usage' | 'metrics.query' | 'metrics.queryRange' | 'metrics.names' | 'metrics.services' | 'slo.status' | 'slo.rules' | 'gpu.heatmap' | 'gpu.callouts';

export interface MetricsDeps {
  dataDir: string;
  settings(): Settings;
  /** The demo fleet's Prometheus, used for demo contexts. */
  demoPrometheusUrl?: string;
  isDemoContext(context: string): boolean;
  kubeConfig(context: string): KubeConfig;
  /** Folders of SLO YAML files; defaults to the bundled resources/slo. */
  sloDirs?: string[];
  clientOptions?: ClientOptions;
  /** Replaces the cluster's node list (tests). */
  clusterGpuNodes?: (context: string) => Promise<ClusterGpuNodes>;
  /** Records credential changes (metrics.setAuth): which context and kind, never the secret. */
  audit?: Pick<AuditLog, 'append'>;
}

export interface MetricsService {
  handlers: Pick<MethodHandlers, MetricsMethods>;
  sources: SourceRegistry;
}

/** resources/slo, found the same way whether running from source, bundled or packaged. */
export function bundledSloDir(): string {
  try {
    return resourcePath('slo');
  } catch {
    return join(process.cwd(), 'resources', 'slo');
  }
}

/** FLIGHTDECK_PROMETHEUS_CACHE=off (benchmarks): every query goes to Prometheus and every grid layout is recomputed. */
const PROMETHEUS_CACHE_OFF = process.env.FLIGHTDECK_PROMETHEUS_CACHE === 'off';

export function createMetricsService(deps: MetricsDeps): MetricsService {
  const auth = openAuthStore(join(deps.dataDir, 'prometheus-auth.json'));
  const sources = createSourceRegistry({
    settingsUrl: (context) => deps.settings().prometheusUrls[context],
    demoUrl: (context) => (deps.isDemoContext(context) ? deps.demoPrometheusUrl : undefined),
    kubeConfig: deps.kubeConfig,
    auth: (context) => auth.get(context),
    clientOptions: PROMETHEUS_CACHE_OFF ? { ...deps.clientOptions, cacheTtlMs: 0 } : deps.clientOptions,
  });
  const keeper = createFreshnessKeeper();
  const layouts = createLayoutCache(PROMETHEUS_CACHE_OFF ? 0 : undefined);
  const clusterGpuNodes = deps.clusterGpuNodes ?? createClusterGpuNodes(deps.kubeConfig);
  const sloDirs = deps.sloDirs ?? [bundledSloDir()];
  const loadSlos = () => loadSloFiles(sloDirs);

  const handlers: MetricsService['handlers'] = {
    'metrics.source': async ({ context, recheck }) => (await sources.resolve(context, recheck)).source,
    'metrics.setAuth': async ({ context, auth: value }, ctx) => {
      const change = {
        context,
        kind: value.kind,
        previous: auth.get(context).kind,
        source: deps.settings().prometheusUrls[context] ?? (deps.isDemoContext(context) ? 'demo fleet' : 'auto-detected'),
      };
      try {
        auth.set(context, value);
      } catch (error) {
        if (deps.audit) recordAuthChange(deps.audit, ctx.session, change, error);
        throw error;
      }
      if (deps.audit) recordAuthChange(deps.audit, ctx.session, change);
      sources.forget(context);
      return { auth: value.kind };
    },
    'metrics.query': async ({ context, query, time }) => {
      const { value, freshness } = await keeper.run(`query|${context}|${query}`, async () => {
        const client = await sources.client(context);
        const t = time ?? Date.now() / 1000;
        const { data, warnings } = await client.query(query, t);
        const rows =
          data.resultType === 'vector'
            ? data.result.map((r) => ({ labels: r.metric, value: r.value[1], time: r.value[0] }))
            : data.resultType === 'matrix'
              ? data.result.map((r) => ({ labels: r.metric, value: r.values.at(-1)?.[1] ?? '', time: r.values.at(-1)?.[0] ?? t }))
              : [{ labels: {}, value: data.result[1], time: data.result[0] }];
        return { query, resultType: data.resultType, time: t, rows, warnings };
      });
      return { ...value, freshness };
    },
    'metrics.queryRange': async ({ context, query, range }) => {
      const step = range.step ?? autoStep(range.start, range.end);
      const key = `range|${context}|${query}|${Math.round(range.end - range.start)}|${step}`;
      const { value, freshness } = await keeper.run(key, async () => {
        const client = await sources.client(context);
        const answer = await client.queryRange(query, range.start, range.end, step);
        const columns = columnsFor(answer.start, answer.end, step);
        if (answer.series.length > 2_000) {
          throw new ContractError('invalid_request', `The query returned ${answer.series.length} series; the explorer draws at most 2,000. Aggregate it (sum by, topk) first.`);
        }
        const series: Series[] = answer.series.map((s) => {
          const values: Array<number | null> = new Array<number | null>(columns).fill(null);
          const special: Record<string, 'NaN' | '+Inf' | '-Inf'> = {};
          forEachSample(s, (t, v) => {
            const i = Math.round((t - answer.start) / step);
            if (i < 0 || i >= columns) return;
            if (Number.isFinite(v)) values[i] = v;
            else special[String(i)] = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
          });
          return Object.keys(special).length ? { labels: s.labels, values, special } : { labels: s.labels, values };
        });
        return { query, start: answer.start, step, columns, series, warnings: answer.warnings };
      });
      return { ...value, freshness };
    },
    'metrics.usage': ({ context }) => readClusterUsage({ kubeConfig: deps.kubeConfig, prometheus: (c) => sources.client(c) }, context),
    'metrics.names': async ({ context }) => {
      const client = await sources.client(context);
      return { names: await client.labelValues('__name__') };
    },
    'metrics.services': async ({ context, range }) => {
      const step = range.step ?? Math.max(15, autoStep(range.start, range.end));
      const metrics = loadSlos().slos[0]?.metrics ?? sloMetricNamesSchema.parse({});
      const price = deps.settings().gpuHourPriceUsd;
      const key = `services|${context}|${Math.round(range.end - range.start)}|${step}|${price}`;
      const { value, freshness } = await keeper.run(key, async () => {
        const client = await sources.client(context);
        const defs = servicePanelDefs(metrics, step, price);
        const answers = await Promise.all(defs.map((d) => client.queryRange(d.query, range.start, range.end, step)));
        const start = answers[0].start;
        const columns = columnsFor(start, answers[0].end, step);
        const panels = defs.map((d, i) => ({ ...d, series: toColumns(answers[i].series, start, step, columns, metrics.serviceLabel).sort((a, b) => a.service.localeCompare(b.service)) }));
        const services = [...new Set(panels.flatMap((p) => p.series.map((s) => s.service)))].sort();
        return { start, step, columns, services, panels };
      });
      return { ...value, gpuHourPriceUsd: price, freshness };
    },
    'slo.status': async ({ context }) => {
      const loaded = loadSlos();
      const { value, freshness } = await keeper.run(`slo|${context}`, async () => {
        const client = await sources.client(context);
        return evaluateSlos(client, await slosFor(client, loaded));
      });
      return { slos: value, problems: loaded.problems, freshness };
    },
    'slo.rules': async ({ context }) => {
      const loaded = loadSlos();
      if (!context) return sloRules(loaded.slos);
      return sloRules(await slosFor(await sources.client(context), loaded));
    },
    'gpu.heatmap': (request) =>
      gpuHeatmap(request, {
        sources,
        keeper,
        layouts,
        gpuHourPriceUsd: () => deps.settings().gpuHourPriceUsd,
        clusterGpuNodes,
      }),
    'gpu.callouts': (request) => gpuCallouts(request, { sources, keeper, gpuHourPriceUsd: () => deps.settings().gpuHourPriceUsd, clusterGpuNodes }),
  };
  return { handlers, sources };
}

/** Prometheus panels, GPU heatmaps and SLOs. The service is built by app.ts first (its sources serve other domains). */
export const domain: Domain = {
  name: 'metrics',
  create: ({ metrics }) => ({ handlers: metrics.handlers }),
};
