// The demo fleet, composed: simulated clock, object store with server-side defaults, the seeded
// fleet, its controllers and simulations, and the Kubernetes API server with its kubeconfig.
// This is the one door: the console (`--demo`), `npm run demo`, tests and benchmarks start here.
import { writeFile } from 'node:fs/promises';
import type { DemoClock } from './clock.js';
import { createClock } from './clock.js';
import { ObjectStore } from './store.js';
import { applyDefaults } from './api/defaults.js';
import { createApiServer } from './api/server.js';
import { generateTokens } from './api/auth.js';
import type { SimHooks } from './api/sim-hooks.js';
import { generateDemoTls } from './tls.js';
import { buildKubeconfig } from './kubeconfig.js';
import { startRolloutsController } from './rollouts/index.js';
import { startControllers } from './controllers/index.js';
import { startMetrics } from './metrics/index.js';
import type { RunningMetrics } from './metrics/index.js';
import { seedFleet } from './seed.js';
import { podLogStream } from './sim/logs.js';
import { openExecSession } from './sim/shell.js';
import { setLogFaults } from './sim/fleet-registry.js';

export interface DemoFleetOptions {
  /** API port; 0 (default) lets the OS choose. */
  port?: number;
  /** Listen address; loopback by default. */
  host?: string;
  nodes?: number;
  pods?: number;
  seed?: number;
  /** Simulated time runs this many times faster than the wall clock. */
  speed?: number;
  scenario?: string;
  prometheus?: boolean;
  /** Also write the kubeconfig to this file (mode 0600). */
  kubeconfigOut?: string;
  /**
   * Serve plain HTTP instead of HTTPS (the kubeconfig then sets insecure-skip-tls-verify). kubectl
   * sends no bearer token over plain HTTP, so requests without credentials act as the admin.
   */
  insecureHttp?: boolean;
  /** Diagnostics (Prometheus launcher, scenarios); stderr by default so stdout stays machine-readable. */
  log?: (line: string) => void;
}

export interface DemoFleet {
  apiUrl: string;
  /** Kubeconfig YAML with contexts demo-admin and demo-viewer. */
  kubeconfig: string;
  kubeconfigPath?: string;
  adminToken: string;
  viewerToken: string;
  store: ObjectStore;
  clock: DemoClock;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  /** The DCGM exporter's fleet-wide /metrics page. */
  exporterUrl: string;
  /** The metrics side (exporters, scenario runner, fault registry) for scenario and fault tests. */
  metrics: RunningMetrics;
  /** Watch requests open on the API server right now (watch reference-counting tests). */
  watchCount(): number;
  /** Stops listening and listens again on the same port, keeping the store (fault tests). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const BASE_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function ensureNamespaces(store: ObjectStore): void {
  for (const name of BASE_NAMESPACES) {
    if (!store.peekOne('namespaces', undefined, name)) {
      store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }
}

export async function startDemoFleet(opts: DemoFleetOptions = {}): Promise<DemoFleet> {
  const clock = createClock(opts.speed ?? 1);
  const store = new ObjectStore({ nowIso: () => clock.iso() });
  store.setDefaulter(applyDefaults);
  seedFleet(store, { nodes: opts.nodes, pods: opts.pods, seed: opts.seed, clock });
  ensureNamespaces(store);
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  // Stopped in reverse order, also when a later step fails to start.
  const stoppers: { stop(): void | Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of stoppers.splice(0).reverse()) await s.stop();
    clock.stop();
  };
  try {
    stoppers.push(startControllers(store, clock, { seed: opts.seed }));
    stoppers.push(startRolloutsController(store, clock));
    const sim: SimHooks = { podLogStream, openExecSession };
    // Prometheus and Alertmanager take a while to become ready: the certificates and the API
    // server are made meanwhile (they are CPU work, the wait is not), and its URLs filled in after.
    const starting = startMetrics(store, clock, { seed: opts.seed, prometheus: opts.prometheus, scenario: opts.scenario, host, log });
    stoppers.push({ stop: () => starting.then((m) => m.stop(), () => undefined) });
    starting.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile

    const tokens = generateTokens();
    const tls = opts.insecureHttp ? undefined : await generateDemoTls();
    // The monitoring Services the demo really runs are reached through the API's service proxy, as in a cluster.
    const realServices: Record<string, string | undefined> = {};
    const serviceTargets = (namespace: string, name: string) => realServices[`${namespace}/${name}`];
    const server = createApiServer({ store, clock, tokens, sim, tls: tls && { key: tls.key, cert: tls.cert }, controllersPresent: true, usageSeed: opts.seed, serviceTargets });
    stoppers.push({ stop: () => server.dispose() });
    const apiUrl = await server.listen(opts.port ?? 0, host);

    const metrics = await starting;
    // Pod logs show the same injected 5xx ratio as the metrics, so a scenario reads the same everywhere.
    setLogFaults(store, metrics.faults);
    const { prometheusUrl, alertmanagerUrl } = metrics;
    realServices['monitoring/prometheus'] = prometheusUrl;
    realServices['monitoring/alertmanager'] = alertmanagerUrl;
    const port = Number(new URL(apiUrl).port);
    const kubeconfig = buildKubeconfig({ server: apiUrl, caCert: tls?.caCert, adminToken: tokens.admin, viewerToken: tokens.viewer, prometheusUrl, alertmanagerUrl });
    if (opts.kubeconfigOut) await writeFile(opts.kubeconfigOut, kubeconfig, { mode: 0o600 });

    return {
      apiUrl,
      kubeconfig,
      kubeconfigPath: opts.kubeconfigOut,
      adminToken: tokens.admin,
      viewerToken: tokens.viewer,
      store,
      clock,
      prometheusUrl,
      alertmanagerUrl,
      exporterUrl: metrics.exporterUrl,
      metrics,
      watchCount: () => server.watchCount(),
      async restart() {
        await server.close();
        await server.listen(port, host);
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
