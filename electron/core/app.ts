// Composition root: configuration -> services -> the contract implementation. Plain objects wired
// by hand; every domain gets what it needs passed in, so each can be tested alone.
import { join } from 'node:path';
import { createContractServer, type ContractServer, type MethodHandlers, type StreamHandlers } from './contract-server.js';
import { openAuditLog } from './audit/audit-log.js';
import { rotationFromEnv, type RotationPolicy } from './audit/audit-rotation.js';
import { auditedSettingsSet, invalidCallRecorder, refusedCallRecorder } from './audit/audited-calls.js';
import { watchAudit } from './audit/index.js';
import { prepareDataDir } from './files/data-dir.js';
import { createActionRoad, type ActionRoad, type ActionHandler, type AccessReviewer } from './actions/index.js';
import { openSettingsStore } from './settings/settings-store.js';
import { openServiceAuthStore, serviceAuthHandlers } from './settings/service-auth.js';
import { createClustersService, type ClustersService, type KubeconfigInput } from './clusters/index.js';
import type { AppInfo } from '../../shared/contract/app.js';
import { createMetricsService } from './metrics/index.js';
import { createRolloutsService } from './rollouts/index.js';
import { alertProblems, contextProblems, createProblemsService, workloadProblems } from './problems.js';
import { createRedactedLister, createRevealHandler } from './secrets/reveal.js';
import { createRunbooksService } from './runbooks/index.js';
import { createAlertsService } from './alerts/index.js';
import { createBrowserService } from './browser/index.js';
import { createNodeActionHandlers } from './nodes/index.js';

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
  const settings = openSettingsStore(join(config.dataDir, 'settings.json'));
  if (settings.problem) log(settings.problem);
  const audit = openAuditLog(join(config.dataDir, 'audit.log'), { rotation: config.auditRotation ?? rotationFromEnv() });
  const clusters = createClustersService(config.kubeconfig, { probeIntervalMs: config.probeIntervalMs, dataDir: config.dataDir });
  const metrics = createMetricsService({
    dataDir: config.dataDir,
    settings: () => settings.get(),
    demoPrometheusUrl: config.demoPrometheusUrl,
    isDemoContext: (context) => clusters.kubeconfig().demoContexts.has(context),
    kubeConfig: (context) => clusters.configFor(context),
    audit,
  });
  const reviewer = config.reviewer ?? clusters.reviewer;
  const road = createActionRoad({
    audit,
    reviewer,
    productionPattern: () => settings.get().productionContextPattern,
  });
  for (const handler of config.actionHandlers ?? []) road.register(handler);
  const rollouts = createRolloutsService({
    configFor: (context) => clusters.configFor(context),
    caches: (context) => clusters.caches(context),
    prometheus: (context) => metrics.sources.client(context),
    // A canary failing by its error rate is red in Topology too: the Rollout, its canary ReplicaSet and pods.
    onCanaryVerdict: (context, canary, reason) => {
      try {
        const feed = clusters.topology.feed(context);
        const verdict = reason ? { h: 'failing' as const, r: reason } : undefined;
        feed.setExternalVerdict(`ro/${canary.namespace}/${canary.name}`, verdict);
        if (canary.canaryRS) feed.setExternalVerdict(`rs/${canary.namespace}/${canary.canaryRS}`, verdict);
      } catch {
        // The context left the kubeconfig: nothing to colour.
      }
    },
  });
  for (const handler of rollouts.actionHandlers) road.register(handler);
  const serviceAuth = openServiceAuthStore(join(config.dataDir, 'service-auth.json'));
  const alerts = createAlertsService({
    alertmanagerUrl: (context) => settings.get().alertmanagerUrls[context],
    demoAlertmanagerUrl: (context) => (clusters.kubeconfig().demoContexts.has(context) ? config.demoAlertmanagerUrl : undefined),
    kubeConfig: (context) => clusters.configFor(context),
    auth: (context) => serviceAuth.get('alertmanager', context),
    prometheus: (context) => metrics.sources.client(context),
  });
  for (const handler of alerts.actionHandlers) road.register(handler);
  const browser = createBrowserService({ configFor: (context) => clusters.configFor(context) });
  for (const handler of browser.actionHandlers) road.register(handler);
  for (const handler of createNodeActionHandlers({ configFor: (context) => clusters.configFor(context) })) road.register(handler);
  const runbooks = createRunbooksService({ dataDir: config.dataDir, road, kubeconfig: () => clusters.kubeconfig(), prometheus: (context) => metrics.sources.client(context) });
  // The header's problem badge: firing alerts by P-level, failing workloads, offline contexts, stale data.
  const problems = createProblemsService([
    alertProblems((context) => alerts.handlers['alerts.list']({ context }, { session: { kind: 'console', readOnly: true } })),
    contextProblems(() => clusters.monitor.statuses()),
    workloadProblems((context) => rollouts.handlers['rollouts.list']({ context }, { session: { kind: 'console', readOnly: true } })),
  ], { contextDown: (context) => ['offline', 'error'].includes(clusters.monitor.statuses().find((s) => s.context === context)?.state ?? '') });

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

  const secretsDeps = { configFor: (context: string) => clusters.configFor(context), audit, userOf: (context: string) => reviewer.userOf(context) };
  const revealSecret = createRevealHandler(secretsDeps);
  const setSettings = auditedSettingsSet(settings, audit);
  const handlers: MethodHandlers = {
    'app.info': async (_req, ctx) => info(ctx.session.readOnly),
    'settings.get': async () => settings.get(),
    'settings.set': async (patch, ctx) => setSettings(patch, ctx.session),
    ...serviceAuthHandlers(serviceAuth, audit),
    ...clusters.handlers,
    ...metrics.handlers,
    ...rollouts.handlers,
    ...runbooks.handlers,
    ...alerts.handlers,
    ...browser.handlers,
    'actions.prepare': (request, ctx) => road.prepare(request, ctx.session),
    'actions.execute': (request, ctx) => road.execute(request.token, request.confirmText, ctx.session),
    'actions.available': (request, ctx) => road.available(request, ctx.session),
    'audit.list': async (request) => audit.list(request),
    'problems.list': (request) => problems.list(request),
    'secrets.redacted': createRedactedLister(secretsDeps),
    'secrets.reveal': (request, ctx) => revealSecret(request, ctx.session),
  };
  const streams: StreamHandlers = {
    ...clusters.streams,
    ...rollouts.streams,
    ...runbooks.streams,
    ...browser.streams,
    'audit.events': (params, emit) => watchAudit(audit, params, emit),
  };

  const server = createContractServer({
    handlers,
    streams,
    onRefused: refusedCallRecorder(audit),
    onInvalid: invalidCallRecorder(audit),
    onInternalError: (method, error) => log(`internal error in ${method}: ${error instanceof Error ? error.stack : String(error)}`),
  });

  return {
    server,
    road,
    clusters,
    info,
    async stop() {
      runbooks.stop();
      clusters.stop();
    },
  };
}
