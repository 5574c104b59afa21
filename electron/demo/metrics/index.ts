// The demo fleet's metrics: a DCGM exporter for every simulated GPU, request metrics for the
// inference services, optionally a real Prometheus + Alertmanager watching them, and the scenario
// runner that breaks things for them to notice. `startMetrics` is the one door.
import type { DemoClock } from '../clock.js';
import { createScenarioRunner, type ScenarioRunner } from '../scenarios/index.js';
import type { ObjectStore } from '../store.js';
import { DcgmExporter } from './dcgm-exporter.js';
import { FaultRegistry } from './faults.js';
import { startPrometheus, type RunningPrometheus } from './prometheus.js';
import { startExporterServer } from './server.js';
import { ServiceModel } from './service-model.js';

export { FaultRegistry, type ErrorFault } from './faults.js';
export { DcgmExporter } from './dcgm-exporter.js';
export { ServiceModel, LATENCY_BUCKETS } from './service-model.js';
export { DCGM_FAMILIES } from './dcgm-catalog.js';
export { findOnPath } from './prometheus.js';

export interface StartMetricsOptions {
  seed?: number;
  /** Start the real Prometheus (and Alertmanager) when found on PATH. */
  prometheus?: boolean;
  /** A scenario of resources/demo/ to start right away (`steady` changes nothing). */
  scenario?: string;
  /** Listen address, loopback by default. */
  host?: string;
  /** Exporter port; 0 (default) lets the OS choose. */
  port?: number;
  /** Namespaces whose pods are inference services with request metrics. */
  inferenceNamespaces?: string[];
  /** Real-time scrape/evaluation interval before scaling by 1/speed (default 5000; never below 1 s of wall time). */
  scrapeIntervalMs?: number;
  /** Alternative rules directory (tests); default resources/prometheus/rules. */
  rulesDir?: string;
  /** Alternative scenario directory (tests); default resources/demo. */
  scenarioDir?: string;
  log?: (line: string) => void;
}

export interface RunningMetrics {
  /** The fleet-wide DCGM page, e.g. http://127.0.0.1:40123/metrics */
  exporterUrl: string;
  /** Per-node DCGM pages live at `${exporterBaseUrl}/nodes/<node>/metrics`. */
  exporterBaseUrl: string;
  /** Inference request metrics. */
  inferenceMetricsUrl: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  scenario: ScenarioRunner;
  faults: FaultRegistry;
  dcgm: DcgmExporter;
  services: ServiceModel;
  stop(): Promise<void>;
}

export async function startMetrics(store: ObjectStore, clock: DemoClock, opts: StartMetricsOptions = {}): Promise<RunningMetrics> {
  const seed = opts.seed ?? 1;
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => console.log(line));
  const faults = new FaultRegistry();
  const services = new ServiceModel(store, seed, faults, opts.inferenceNamespaces ?? ['inference']);
  const dcgm = new DcgmExporter(store, seed, faults, (ns, svc) => services.load(ns, svc, clock.now()));
  const server = await startExporterServer(dcgm, services, () => clock.now(), host, opts.port ?? 0);
  // Step the models off the request path, so a scrape finds its page already built.
  const warmer = setInterval(() => {
    dcgm.warm(clock.now());
    services.advanceTo(clock.now());
  }, 1000);
  warmer.unref();

  let prom: RunningPrometheus | undefined;
  let unsubscribe: (() => void) | undefined;
  let pending: NodeJS.Timeout | undefined;
  if (opts.prometheus) {
    try {
      prom = await startPrometheus({ exporterUrl: server.url, host, timeFactor: 1 / clock.speed, scrapeIntervalMs: opts.scrapeIntervalMs, rulesDir: opts.rulesDir, log });
    } catch (err) {
      clearInterval(warmer);
      await server.close();
      dcgm.close();
      services.close();
      throw err;
    }
    if (prom) {
      const running = prom;
      const sync = () => {
        pending = undefined;
        running.setGpuNodes(dcgm.inventory(clock.now()).map((n) => n.name));
      };
      sync();
      // Nodes come and go rarely; batch bursts (the seed creates hundreds at once).
      unsubscribe = store.subscribe((e) => {
        if (e.resource === 'nodes' && e.type !== 'MODIFIED') pending ??= setTimeout(sync, 200);
      });
    }
  }

  const scenario = createScenarioRunner({ store, clock, faults, seed, dir: opts.scenarioDir, log });
  if (opts.scenario) scenario.run(opts.scenario);

  return {
    exporterUrl: `${server.url}/metrics`,
    exporterBaseUrl: server.url,
    inferenceMetricsUrl: `${server.url}/inference/metrics`,
    prometheusUrl: prom?.prometheusUrl,
    alertmanagerUrl: prom?.alertmanagerUrl,
    scenario,
    faults,
    dcgm,
    services,
    async stop() {
      scenario.stop();
      clearInterval(warmer);
      unsubscribe?.();
      if (pending) clearTimeout(pending);
      await prom?.stop();
      await server.close();
      dcgm.close();
      services.close();
    },
  };
}
