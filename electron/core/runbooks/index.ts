// Runbooks domain (issue 13): the library, the executor with its journals, and the contract
// handlers. The only door in; app.ts creates it and spreads its handlers and streams.
import type { Domain } from '../domain.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { MethodHandlers, StreamHandlers } from '../contract-server.js';
import type { AccessReviewer, ActionRoad } from '../actions/index.js';
import type { AuditLog } from '../audit/index.js';
import { resourcePath } from '../resources.js';
import { kubeconfigForContext } from '../kube/index.js';
import { createRunbookLibrary, toDoc, type RunbookLibrary } from './library.js';
import { createRunManager, type RunManager } from './runs.js';
import { reportMarkdown, summarize } from './run-state.js';
import type { InstantQueryClient } from './step-runners.js';

export interface RunbooksDeps {
  dataDir: string;
  road: ActionRoad;
  /** The road's audit log and reviewer: steps that may change the cluster are checked and recorded like actions. */
  audit: Pick<AuditLog, 'append'>;
  reviewer: AccessReviewer;
  /** The loaded kubeconfig (exec plugins and all): steps get it with the run's context current. */
  kubeconfig(): { config: KubeConfig };
  prometheus(context: string): Promise<InstantQueryClient | undefined>;
  /** Defaults to the bundled resources/runbooks. */
  bundledDir?: string;
}

type Handled =
  | 'runbooks.list'
  | 'runbooks.get'
  | 'runbooks.addFolder'
  | 'runbooks.image'
  | 'runbooks.dryRun'
  | 'runbooks.start'
  | 'runbooks.runStep'
  | 'runbooks.reviewStep'
  | 'runbooks.skipStep'
  | 'runbooks.stopStep'
  | 'runbooks.runToEnd'
  | 'runbooks.prepareAction'
  | 'runbooks.executeAction'
  | 'runbooks.resume'
  | 'runbooks.runs'
  | 'runbooks.run'
  | 'runbooks.export';

export interface RunbooksService {
  handlers: Pick<MethodHandlers, Handled>;
  streams: Pick<StreamHandlers, 'runbooks.watchRun'>;
  library: RunbookLibrary;
  runs: RunManager;
  stop(): void;
}

/** The kubeconfig as kubectl reads it, with `context` as its current context. */
function bundled(): string | undefined {
  try {
    return resourcePath('runbooks');
  } catch {
    return undefined;
  }
}

export function createRunbooksService(deps: RunbooksDeps): RunbooksService {
  const library = createRunbookLibrary({ bundledDir: deps.bundledDir ?? bundled(), dataDir: deps.dataDir });
  const runs = createRunManager({
    dataDir: deps.dataDir,
    library,
    road: deps.road,
    audit: deps.audit,
    reviewer: deps.reviewer,
    defaultNamespace: (context) => deps.kubeconfig().config.getContextObject(context)?.namespace,
    kubeconfigText: (context) => kubeconfigForContext(deps.kubeconfig().config, context),
    prometheus: async (context) => {
      try {
        return await deps.prometheus(context);
      } catch {
        return undefined;
      }
    },
  });
  return {
    library,
    runs,
    stop() {
      runs.stop();
      library.close();
    },
    handlers: {
      'runbooks.list': async (req) => library.list(req.query),
      'runbooks.get': async (req) => toDoc(library.fresh(req.id)),
      'runbooks.addFolder': async (req) => ({ folders: library.addFolder(req.path) }),
      'runbooks.image': async (req) => ({ dataUrl: library.image(req.id, req.src) }),
      'runbooks.dryRun': async (req) => runs.dryRun(req.id, req.context, req.inputs),
      'runbooks.start': async (req, ctx) => runs.start(req.id, req.context, req.inputs, ctx.session),
      'runbooks.runStep': (req, ctx) => runs.runStep(req.runId, req.stepId, req.confirmRerun, ctx.session, { confirmChange: req.confirmChange }),
      'runbooks.reviewStep': (req) => runs.reviewStep(req.runId, req.stepId),
      'runbooks.skipStep': async (req, ctx) => runs.skipStep(req.runId, req.stepId, ctx.session),
      'runbooks.stopStep': async (req, ctx) => runs.stopStep(req.runId, req.stepId, ctx.session),
      'runbooks.runToEnd': async (req, ctx) => runs.runToEnd(req.runId, ctx.session, { unattended: req.unattended }),
      'runbooks.prepareAction': (req, ctx) => runs.prepareAction(req.runId, req.stepId, ctx.session),
      'runbooks.executeAction': (req, ctx) => runs.executeAction(req.runId, req.stepId, req.token, req.confirmText, req.confirmRerun, ctx.session),
      'runbooks.resume': async (req, ctx) => runs.resume(req.runId, req.inputs, ctx.session),
      'runbooks.runs': async (req) => {
        const { runs: all, problems } = runs.list();
        return { runs: all.filter((r) => !req.runbookId || r.runbookId === req.runbookId).map(summarize), problems };
      },
      'runbooks.run': async (req) => runs.get(req.runId),
      'runbooks.export': async (req) => {
        const state = runs.get(req.runId);
        return { fileName: `run-${state.runId}.md`, markdown: reportMarkdown(state) };
      },
    },
    streams: {
      'runbooks.watchRun': (params, emit) => {
        try {
          return runs.watch(params.runId, emit);
        } catch {
          return () => undefined;
        }
      },
    },
  };
}

export const domain: Domain = {
  name: 'runbooks',
  create: ({ dataDir, road, audit, reviewer, clusters, metrics }) =>
    createRunbooksService({ dataDir, road, audit, reviewer, kubeconfig: () => clusters.kubeconfig(), prometheus: (context) => metrics.sources.client(context) }),
};
