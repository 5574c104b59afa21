// Composition root: configuration -> the shared services (settings, audit, clusters, metrics, the
// action road) -> every domain in DOMAINS -> the contract server. A domain is one line in DOMAINS;
// each gets the same services passed in (electron/core/domain.ts), so each can be tested alone.
import { join } from 'node:path';
import { createContractServer, type ContractServer, type MethodHandlers } from './contract-server.js';
import { serveDomains, type Domain, type DomainDeps, type ServedDomains } from './domain.js';
import { openAuditLog, rotationFromEnv, invalidCallRecorder, refusedCallRecorder, refusedStreamRecorder, type RotationPolicy } from './audit/index.js';
import { prepareDataDir } from './files/index.js';
import { createActionRoad, type ActionRoad, type ActionHandler, type AccessReviewer } from './actions/index.js';
import { openSettingsStore, openServiceAuthStore } from './settings/index.js';
import { createClustersService, type ClustersService, type KubeconfigInput } from './clusters/index.js';
import type { AppInfo } from '../../shared/contract/app.js';
import { createMetricsService } from './metrics/index.js';
import { domain as settings } from './settings/index.js';
import { domain as clusters } from './clusters/index.js';
import { domain as metrics } from './metrics/index.js';
import { domain as actions } from './actions/index.js';
import { domain as audit } from './audit/index.js';
import { domain as secrets } from './secrets/index.js';
import { domain as rollouts } from './rollouts/index.js';
import { domain as alerts } from './alerts/index.js';
import { domain as browser } from './browser/index.js';
import { domain as nodes } from './nodes/index.js';
import { domain as runbooks } from './runbooks/index.js';
import { domain as incidents } from './incidents/index.js';
import { domain as problems } from './problems/index.js';
import { domain as logs } from './logs/index.js';
import { domain as terminal } from './terminal/index.js';

/** app.info: what this process is (the shell's About, the mode badge). */
const appInfo: Domain = { name: 'app', create: ({ info }) => ({ handlers: { 'app.info': async (_req, ctx) => info(ctx.session.readOnly) } }) };

/**
 * Every domain the console serves, one line each (with shared/contract.ts and
 * renderer/views/registry.ts, the three lists a new domain is added to). Created in this order;
 * their action handlers are registered in this order; stopped in reverse.
 */
export const DOMAINS: readonly Domain[] = [
  appInfo,
  settings,
  clusters,
  metrics,
  actions,
  audit,
  secrets,
  rollouts,
  alerts,
  browser,
  nodes,
  runbooks,
  problems,
  incidents,
  terminal,
  logs,
];

export interface AppConfig {
  mode: AppInfo['mode'];
  /** Settings, audit log, offline snapshots. */
  dataDir: string;
  kubeconfig: KubeconfigInput;
  demo: boolean;
  /** The demo fleet's Prometheus (metrics for demo contexts). */
  demoPrometheusUrl?: string;
  /** The demo fleet's Alertmanager (alerts and silences for demo contexts). */
  demoAlertmanagerUrl?: string;
  version: string;
  /** Extra action handlers (tests plug theirs in here). */
  actionHandlers?: ActionHandler<never>[];
  /** Replaces the SelfSubjectAccessReview-based reviewer (tests). */
  reviewer?: AccessReviewer;
  probeIntervalMs?: number;
  log?: (line: string) => void;
  /** Audit log rotation; defaults to FLIGHTDECK_AUDIT_MAX_MB / FLIGHTDECK_AUDIT_FILES or 10 MB x 5 files. */
  auditRotation?: RotationPolicy;
  /** Replaces DOMAINS (tests prove a list entry is all a domain needs). */
  domains?: readonly Domain[];
  /** Start listing the opening context's topology now, while the window or page loads (the shells). */
  prefetchTopology?: boolean;
}

export interface App {
  server: ContractServer;
  road: ActionRoad;
  clusters: ClustersService;
  info(readOnly: boolean): AppInfo;
  stop(): Promise<void>;
}

export async function createApp(config: AppConfig): Promise<App> {
  const log = config.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const startedAt = new Date().toISOString();
  // 0700, and what an older version left readable to others tightened, before anything is written.
  prepareDataDir(config.dataDir);
  const settingsStore = openSettingsStore(join(config.dataDir, 'settings.json'));
  if (settingsStore.problem) log(settingsStore.problem);
  const auditLog = openAuditLog(join(config.dataDir, 'audit.log'), { rotation: config.auditRotation ?? rotationFromEnv() });
  // The shared services every domain may use; clusters and metrics are also domains of their own.
  const clustersService = createClustersService(config.kubeconfig, { probeIntervalMs: config.probeIntervalMs, dataDir: config.dataDir });
  const metricsService = createMetricsService({
    dataDir: config.dataDir,
    settings: () => settingsStore.get(),
    demoPrometheusUrl: config.demoPrometheusUrl,
    isDemoContext: (context) => clustersService.kubeconfig().demoContexts.has(context),
    kubeConfig: (context) => clustersService.configFor(context),
    audit: auditLog,
  });
  const reviewer = config.reviewer ?? clustersService.reviewer;
  const road = createActionRoad({
    audit: auditLog,
    reviewer,
    productionPattern: () => settingsStore.get().productionContextPattern,
  });
  for (const handler of config.actionHandlers ?? []) road.register(handler);

  const info = (readOnly: boolean): AppInfo => ({
    name: 'Flightdeck',
    version: config.version,
    mode: config.mode,
    readOnly,
    demo: config.demo,
    startedAt,
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  });

  // Filled once every domain is created; a domain's call() is only made after that (at request time).
  const ready: { handlers?: MethodHandlers } = {};
  const deps: DomainDeps = {
    dataDir: config.dataDir,
    demoAlertmanagerUrl: config.demoAlertmanagerUrl,
    log,
    settings: settingsStore,
    serviceAuth: openServiceAuthStore(join(config.dataDir, 'service-auth.json')),
    audit: auditLog,
    clusters: clustersService,
    metrics: metricsService,
    road,
    reviewer,
    info,
    call: (method, request) => {
      if (!ready.handlers) throw new Error(`${method} was called while the domains were still being created.`);
      return ready.handlers[method](request, { session: { kind: 'console', readOnly: true } });
    },
  };
  const created = (config.domains ?? DOMAINS).map((domain) => ({ name: domain.name, parts: domain.create(deps) }));
  let served: ServedDomains;
  try {
    served = serveDomains(created);
  } catch (error) {
    // The list does not match the contract: nothing is served, so nothing may keep running.
    for (const { parts } of created.reverse()) await parts.stop?.();
    clustersService.stop();
    throw error;
  }
  for (const handler of served.actionHandlers) road.register(handler);
  ready.handlers = served.handlers;
  if (config.prefetchTopology) {
    const opening = clustersService.openingContext(settingsStore.get().activeContext);
    if (opening) clustersService.prefetch(opening);
  }

  const server = createContractServer({
    handlers: served.handlers,
    streams: served.streams,
    onRefused: refusedCallRecorder(auditLog),
    onRefusedStream: refusedStreamRecorder(auditLog),
    onInvalid: invalidCallRecorder(auditLog),
    onInternalError: (method, error) => log(`internal error in ${method}: ${error instanceof Error ? error.stack : String(error)}`),
  });

  return {
    server,
    road,
    clusters: clustersService,
    info,
    async stop() {
      await served.stop();
      clustersService.stop();
    },
  };
}
